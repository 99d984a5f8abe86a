//! Slash commands, each a few lines: resolve the member, call a use case, render the answer.

pub mod incident;
mod info;
mod pack;

use super::{Context, Data, Error};
use crate::app::Member;
use poise::serenity_prelude as serenity;

pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![incident::incident(), pack::pack(), info::plans(), info::faq()]
}

/// The member running a command, resolved from their roles (never trusting Discord's permissions).
pub async fn member(ctx: Context<'_>) -> Result<Member, Error> {
    let roles = match ctx.author_member().await {
        Some(m) => m.roles.clone(),
        None => Vec::new(),
    };
    super::identity::member(&ctx.data().app, ctx.author(), &roles, ctx.locale().unwrap_or("en-US")).await
}

/// An ephemeral reply that pings nobody.
pub async fn private(ctx: Context<'_>, text: impl Into<String>) -> Result<(), Error> {
    let reply = poise::CreateReply::default()
        .content(super::render::truncate(&text.into(), 2000))
        .ephemeral(true)
        .allowed_mentions(super::render::no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// The incident of the thread a command runs in, or the one named.
pub async fn incident_here(
    ctx: Context<'_>,
    named: Option<String>,
    lang: crate::core::language::Language,
) -> Result<crate::core::ids::IncidentNumber, Error> {
    if let Some(text) = named {
        return text
            .parse()
            .map_err(|e: crate::core::ids::BadIncidentNumber| Error::user(e.to_string()));
    }
    let thread = ctx.channel_id().get();
    match ctx.data().app.store.incident_by_thread(thread).await? {
        Some(incident) => Ok(incident.number),
        None => Err(Error::user(lang.pick(
            "Name the incident (e.g. INC-000123) or run this in its thread.",
            "Oppgi saken (f.eks. INC-000123) eller kjør dette i tråden.",
        ))),
    }
}

pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

pub type User = serenity::User;
