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
