//! What poise reports goes to the app like any command, so the user always hears back in their
//! language: options it could not read, a command outside the server, or a failure (logged
//! with an id, answered with an apology). Nothing raw reaches a channel.

use crate::{Data, Error};
use intakebot_app::request::Invalid;
use intakebot_app::Command;

pub async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    let (ctx, invalid) = match error {
        poise::FrameworkError::Command { error, ctx, .. } => (ctx, Invalid::Failed(error.to_string())),
        poise::FrameworkError::ArgumentParse { error, input, ctx, .. } => (
            ctx,
            Invalid::Option {
                name: ctx.command().name.to_string(),
                input: input.unwrap_or_else(|| error.to_string()),
            },
        ),
        poise::FrameworkError::GuildOnly { ctx, .. } => (ctx, Invalid::OutsideServer),
        poise::FrameworkError::Setup { error, .. } => return tracing::error!(%error, "bot setup failed"),
        poise::FrameworkError::EventHandler { error, event, .. } => {
            return tracing::error!(%error, event = event.snake_case_name(), "event handler failed")
        }
        other => match other.ctx() {
            Some(ctx) => (ctx, Invalid::Failed(other.to_string())),
            None => return tracing::error!(error = %other, "framework error"),
        },
    };
    if let Err(err) = crate::dispatch::command(ctx, Command::Invalid(invalid)).await {
        tracing::warn!(%err, "could not answer an error");
    }
}
