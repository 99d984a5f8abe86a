//! Rich text as data: plain words, instants, channel and user references. Each front end
//! writes them its own way (Discord: `<t:…:R>`, `<#…>`, `<@…>`; the console: a date in the
//! organisation's time zone, a channel name), so no front end parses another's markup.

use chrono::{DateTime, Utc};
use intakebot_core::ids::AccountId;

/// How an instant is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeStyle {
    /// Date and time, e.g. "Monday 1 March 2027 10:00".
    Full,
    /// Relative to the reader's now, e.g. "in 2 hours".
    Relative,
    /// The date only, e.g. "01.03.2027".
    Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    Plain(String),
    /// Words a person typed, echoed: shown as typed, never as a mention, link or markup.
    Typed(String),
    Time(DateTime<Utc>, TimeStyle),
    /// A channel or thread, by its Discord id.
    Channel(u64),
    /// A person, by account; shown as text, never a ping.
    User(AccountId),
}

/// A sequence of spans. Markdown in plain spans (`**bold**`) is kept as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text(pub Vec<Span>);

impl Text {
    pub fn new() -> Text {
        Text::default()
    }

    pub fn plain(s: impl Into<String>) -> Text {
        Text(vec![Span::Plain(s.into())])
    }

    pub fn push(mut self, s: impl Into<String>) -> Text {
        let s = s.into();
        match self.0.last_mut() {
            Some(Span::Plain(last)) => last.push_str(&s),
            _ => self.0.push(Span::Plain(s)),
        }
        self
    }

    /// Text a person typed (a title, a problem, a note), echoed as typed.
    pub fn typed(s: impl Into<String>) -> Text {
        Text(vec![Span::Typed(s.into())])
    }

    pub fn push_typed(mut self, s: impl Into<String>) -> Text {
        self.0.push(Span::Typed(s.into()));
        self
    }

    pub fn time(mut self, t: DateTime<Utc>, style: TimeStyle) -> Text {
        self.0.push(Span::Time(t, style));
        self
    }

    pub fn channel(mut self, id: u64) -> Text {
        self.0.push(Span::Channel(id));
        self
    }

    pub fn user(mut self, account: AccountId) -> Text {
        self.0.push(Span::User(account));
        self
    }

    /// Appends another text.
    pub fn append(mut self, other: Text) -> Text {
        for span in other.0 {
            self = match span {
                Span::Plain(s) => self.push(s),
                other => {
                    self.0.push(other);
                    self
                }
            };
        }
        self
    }

    /// Joins texts with a separator.
    pub fn join(parts: impl IntoIterator<Item = Text>, separator: &str) -> Text {
        let mut out = Text::new();
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                out = out.push(separator);
            }
            out = out.append(part);
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0
            .iter()
            .all(|s| matches!(s, Span::Plain(p) | Span::Typed(p) if p.is_empty()))
    }

    /// The plain words only (instants and references left out): for logs and tests.
    pub fn words(&self) -> String {
        self.0
            .iter()
            .filter_map(|s| match s {
                Span::Plain(p) | Span::Typed(p) => Some(p.as_str()),
                _ => None,
            })
            .collect()
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::plain(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::plain(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_pieces_merge_and_references_stay_typed() {
        let t = Text::plain("due ")
            .push("soon ")
            .time(DateTime::UNIX_EPOCH, TimeStyle::Relative);
        assert_eq!(t.0.len(), 2);
        assert_eq!(t.words(), "due soon ");
        let joined = Text::join([Text::plain("a"), Text::plain("b").channel(7)], ", ");
        assert_eq!(joined.0, vec![Span::Plain("a, b".into()), Span::Channel(7)]);
    }
}
