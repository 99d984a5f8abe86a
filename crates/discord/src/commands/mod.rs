//! The slash commands, with their names, options and descriptions in English and Norwegian.
//! Each collects its options into the app's `Command` and hands it to `dispatch`.

mod choices;
mod incident;
mod info;
mod pack;
mod report;

use crate::{Data, Error};
use intakebot_app::request::Invalid;
use intakebot_app::Command;
use intakebot_core::ids::IncidentNumber;

pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        incident::incident(),
        pack::pack(),
        report::report(),
        info::plans(),
        info::faq(),
    ]
}

/// An incident option as typed: a number, or what could not be read as one.
fn incident_number(text: Option<String>) -> Result<Option<IncidentNumber>, Invalid> {
    text.map(|t| t.parse().map_err(|_| Invalid::IncidentNumber(t)))
        .transpose()
}

/// Runs the command, or tells the user what could not be read.
async fn run(ctx: crate::Context<'_>, command: Result<Command, Invalid>) -> Result<(), Error> {
    let command = command.unwrap_or_else(Command::Invalid);
    crate::dispatch::command(ctx, command).await
}

#[cfg(test)]
mod tests {
    use intakebot_testkit::glossary::problems;
    use std::borrow::Cow;

    /// Every command, subcommand, option and choice has a Norwegian name and description in
    /// the glossary's words.
    #[test]
    fn every_command_reads_in_norwegian() {
        fn norwegian<'a>(list: &'a [(Cow<'a, str>, Cow<'a, str>)]) -> Option<&'a str> {
            list.iter()
                .find(|(lang, _)| lang == "no")
                .map(|(_, text)| text.as_ref())
        }
        fn check(what: &str, no: Option<&str>, out: &mut Vec<String>) {
            match no {
                None => out.push(format!("{what}: no Norwegian")),
                Some(text) => out.extend(problems(text).into_iter().map(|p| format!("{what} {text:?}: {p}"))),
            }
        }
        fn walk(command: &poise::Command<crate::Data, crate::Error>, out: &mut Vec<String>) {
            let name = &command.qualified_name;
            check(name, norwegian(&command.name_localizations), out);
            check(name, norwegian(&command.description_localizations), out);
            for p in &command.parameters {
                let what = format!("{name} {}", p.name);
                check(&what, norwegian(&p.name_localizations), out);
                check(&what, norwegian(&p.description_localizations), out);
                for c in p.choices.iter() {
                    check(&format!("{what} {}", c.name), norwegian(&c.localizations), out);
                }
            }
            for sub in &command.subcommands {
                walk(sub, out);
            }
        }
        let mut found = Vec::new();
        for command in super::all() {
            walk(&command, &mut found);
        }
        assert!(found.is_empty(), "{found:#?}");
    }
}
