//! One console line, parsed: a meta command (`:as alice`), a slash command with options
//! (`/incident open product:"SQL Server" severity:B`), or a plain chat message.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Empty,
    Meta(Meta),
    Slash(SlashCommand),
    Message(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meta {
    /// Act as this demo user.
    As(String),
    Who,
    /// Show one incident's thread, or leave thread view with no argument.
    Thread(Option<String>),
    Advance(Advance),
    Now,
    Help,
    /// Show the unavailable plans of the last refusal (its button).
    Unavailable,
    /// Press the numbered button of the replies last shown.
    Press(usize),
    /// Fill in the form last asked for: `name:value` pairs.
    Submit(BTreeMap<String, String>),
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    By(Duration),
    To(DateTime<Utc>),
}

/// `/group sub key:value …` with options in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlashCommand {
    pub path: Vec<String>,
    pub options: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error("unknown command `:{0}`; type :help for the list")]
    UnknownMeta(String),
    #[error("`:{0}` needs an argument: {1}")]
    MissingArgument(&'static str, &'static str),
    #[error("{0:?} is not a time span: write e.g. 30m, 3h, 2d or `to 2027-03-29T08:00`")]
    BadAdvance(String),
    #[error("unclosed quote in {0:?}")]
    UnclosedQuote(String),
    #[error("option {0:?} has no value: write name:value")]
    OptionWithoutValue(String),
    #[error("option {0} is given twice")]
    DuplicateOption(String),
}

pub fn parse(input: &str) -> Result<Line, LineError> {
    let line = input.trim();
    if line.is_empty() {
        return Ok(Line::Empty);
    }
    if let Some(rest) = line.strip_prefix(':') {
        return parse_meta(rest).map(Line::Meta);
    }
    if let Some(rest) = line.strip_prefix('/') {
        return parse_slash(rest).map(Line::Slash);
    }
    Ok(Line::Message(line.to_string()))
}

fn parse_meta(rest: &str) -> Result<Meta, LineError> {
    let (name, arg) = rest
        .split_once(char::is_whitespace)
        .map_or((rest, ""), |(n, a)| (n, a.trim()));
    match name {
        "as" if arg.is_empty() => Err(LineError::MissingArgument("as", "a user name, e.g. :as alice")),
        "as" => Ok(Meta::As(arg.to_ascii_lowercase())),
        "who" => Ok(Meta::Who),
        "thread" => Ok(Meta::Thread((!arg.is_empty()).then(|| arg.to_string()))),
        "advance" if arg.is_empty() => Err(LineError::MissingArgument(
            "advance",
            "a span like 3h, or `to 2027-03-29T08:00`",
        )),
        "advance" => parse_advance(arg).map(Meta::Advance),
        "now" => Ok(Meta::Now),
        "unavailable" => Ok(Meta::Unavailable),
        "press" => arg
            .parse()
            .map(Meta::Press)
            .map_err(|_| LineError::MissingArgument("press", "a button number, e.g. :press 1")),
        "submit" => parse_slash(arg).map(|cmd| Meta::Submit(cmd.options)),
        "help" | "h" | "?" => Ok(Meta::Help),
        "quit" | "q" | "exit" => Ok(Meta::Quit),
        other => Err(LineError::UnknownMeta(other.to_string())),
    }
}

fn parse_advance(arg: &str) -> Result<Advance, LineError> {
    if let Some(when) = arg.strip_prefix("to ") {
        return parse_instant(when.trim())
            .map(Advance::To)
            .ok_or_else(|| LineError::BadAdvance(arg.to_string()));
    }
    intakebot_core::reminders::lead::parse_duration(arg)
        .map(Advance::By)
        .ok_or_else(|| LineError::BadAdvance(arg.to_string()))
}

/// RFC 3339, or a UTC wall time without offset (`2027-03-29T08:00`).
fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
                .ok()
                .map(|t| t.and_utc())
        })
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|t| t.and_utc())
        })
}

fn parse_slash(rest: &str) -> Result<SlashCommand, LineError> {
    let mut path = Vec::new();
    let mut options = BTreeMap::new();
    for token in tokens(rest)? {
        match token.split_once(':') {
            Some((name, value)) if !name.is_empty() => {
                if value.is_empty() {
                    return Err(LineError::OptionWithoutValue(name.to_string()));
                }
                if options.insert(name.to_ascii_lowercase(), value.to_string()).is_some() {
                    return Err(LineError::DuplicateOption(name.to_string()));
                }
            }
            _ if options.is_empty() => path.push(token.to_ascii_lowercase()),
            _ => return Err(LineError::OptionWithoutValue(token)),
        }
    }
    Ok(SlashCommand { path, options })
}

/// Splits on whitespace; `"…"` quotes keep spaces (`product:"SQL Server"`).
fn tokens(text: &str) -> Result<Vec<String>, LineError> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if quoted {
        return Err(LineError::UnclosedQuote(text.to_string()));
    }
    if !current.is_empty() {
        out.push(current);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn slash(line: &str) -> SlashCommand {
        match parse(line).unwrap() {
            Line::Slash(cmd) => cmd,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn slash_commands_keep_quoted_option_values() {
        let cmd = slash(r#"/incident open product:"SQL Server" version:2022 severity:B"#);
        assert_eq!(cmd.path, vec!["incident", "open"]);
        assert_eq!(cmd.options["product"], "SQL Server");
        assert_eq!(cmd.options["version"], "2022");
        assert_eq!(cmd.options["severity"], "B");
    }

    #[test]
    fn option_values_may_contain_colons() {
        let cmd = slash(r#"/incident resolve solution:"restart at 10:30""#);
        assert_eq!(cmd.options["solution"], "restart at 10:30");
    }

    #[test]
    fn meta_commands_parse() {
        assert_eq!(parse(":as Alice").unwrap(), Line::Meta(Meta::As("alice".into())));
        assert_eq!(
            parse(":advance 3h").unwrap(),
            Line::Meta(Meta::Advance(Advance::By(Duration::hours(3))))
        );
        assert_eq!(
            parse(":advance to 2027-03-29T08:00").unwrap(),
            Line::Meta(Meta::Advance(Advance::To(
                Utc.with_ymd_and_hms(2027, 3, 29, 8, 0, 0).unwrap()
            )))
        );
        assert_eq!(
            parse(":thread INC-000001").unwrap(),
            Line::Meta(Meta::Thread(Some("INC-000001".into())))
        );
        assert_eq!(parse("  ").unwrap(), Line::Empty);
        assert_eq!(
            parse("Sev A: SQL is down").unwrap(),
            Line::Message("Sev A: SQL is down".into())
        );
    }

    #[test]
    fn typos_get_clear_errors() {
        assert_eq!(
            parse(":advnce 3h").unwrap_err(),
            LineError::UnknownMeta("advnce".into())
        );
        assert_eq!(
            parse(":advance soon").unwrap_err(),
            LineError::BadAdvance("soon".into())
        );
        assert_eq!(
            parse(":as").unwrap_err(),
            LineError::MissingArgument("as", "a user name, e.g. :as alice")
        );
        assert!(matches!(
            parse(r#"/incident open product:"SQL"#).unwrap_err(),
            LineError::UnclosedQuote(_)
        ));
        assert!(matches!(
            parse("/incident open severity:").unwrap_err(),
            LineError::OptionWithoutValue(_)
        ));
        assert!(matches!(
            parse("/incident open severity:A severity:B").unwrap_err(),
            LineError::DuplicateOption(_)
        ));
    }
}
