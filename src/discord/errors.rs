//! Errors never reach a user raw: poise's default handler would echo them, so it is
//! replaced. User errors are shown as written; internal ones as an apology with an id.

use super::{Data, Error};
use crate::app::AppError;
use crate::core::language::Language;
use poise::serenity_prelude as serenity;

impl From<serenity::Error> for AppError {
    fn from(err: serenity::Error) -> AppError {
        AppError::internal(err)
    }
}

pub async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            let lang = Language::from_discord_locale(ctx.locale().unwrap_or("en-US"));
            reply_privately(ctx, error.for_user(lang)).await;
        }
        poise::FrameworkError::ArgumentParse { error, input, ctx, .. } => {
            let lang = Language::from_discord_locale(ctx.locale().unwrap_or("en-US"));
            let what = input.unwrap_or_default();
            tracing::info!(%error, input = %what, "argument parse error");
            let text = match lang {
                Language::En => format!("I could not read the option {what:?}: {error}"),
                Language::No => format!("Jeg kunne ikke lese valget {what:?}: {error}"),
            };
            reply_privately(ctx, text).await;
        }
        poise::FrameworkError::Setup { error, .. } => tracing::error!(error = %error, "bot setup failed"),
        poise::FrameworkError::EventHandler { error, event, .. } => {
            tracing::error!(error = %error, event = event.snake_case_name(), "event handler failed")
        }
        poise::FrameworkError::GuildOnly { ctx, .. } => {
            let lang = Language::from_discord_locale(ctx.locale().unwrap_or("en-US"));
            reply_privately(
                ctx,
                lang.pick(
                    "Use this command in the support server.",
                    "Bruk denne kommandoen på støtteserveren.",
                )
                .to_string(),
            )
            .await;
        }
        other => {
            // Anything else a user triggered still gets an answer (Discord would show "the
            // application did not respond"): the apology with an error id, the cause in the log.
            let ctx = other.ctx();
            let err = AppError::internal(std::io::Error::other(other.to_string()));
            if let Some(ctx) = ctx {
                let lang = Language::from_discord_locale(ctx.locale().unwrap_or("en-US"));
                reply_privately(ctx, err.for_user(lang)).await;
            }
        }
    }
}

async fn reply_privately(ctx: super::Context<'_>, text: String) {
    let reply = poise::CreateReply::default()
        .content(text)
        .ephemeral(true)
        .allowed_mentions(super::render::no_pings());
    if let Err(err) = ctx.send(reply).await {
        tracing::warn!(%err, "could not send an error reply");
    }
}
