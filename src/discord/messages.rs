//! Messages: a customer's message in an intake channel goes through the intake grammar;
//! an engineer's first message in an incident thread is the first response (P-SEV-6).

use super::custom_id::ComponentId;
use super::render::{button_row, no_pings};
use super::{identity, Data, Error};
use crate::app::{AppError, ChatOutcome, OpenOutcome, OpenRequest};
use crate::core::incident::{IncidentState, Role};
use crate::core::language::Language;
use crate::store::SourceId;
use poise::serenity_prelude as serenity;
use tracing::Instrument;

pub async fn on_message(ctx: &serenity::Context, message: &serenity::Message, data: &Data) -> Result<(), Error> {
    if message.author.bot || message.guild_id.is_none() {
        return Ok(());
    }
    let span = tracing::info_span!("message", guild = ?message.guild_id.map(|g| g.get()), channel = message.channel_id.get(), user = message.author.id.get(), message = message.id.get());
    let result = handle(ctx, message, data).instrument(span).await;
    match (result, identity::organisation_of_channel(&data.app, message.channel_id)) {
        // In an intake channel the customer always hears back: a user error as written, an
        // internal one as the apology with its error id (logged in full by AppError).
        (Err(err), Some(org)) => reply(ctx, message, err.for_user(org.language), None).await,
        (result, _) => result,
    }
}

async fn handle(ctx: &serenity::Context, message: &serenity::Message, data: &Data) -> Result<(), Error> {
    let app = &data.app;
    let roles = identity::roles_of(message.member.as_deref().map(partial_to_roles).as_ref());
    let member = identity::member(app, &message.author, &roles, "").await?;
    if let Some(incident) = app.store.incident_by_thread(message.channel_id.get()).await? {
        if member.role == Role::Engineer && incident.state == IncidentState::Open {
            let acked = app.acknowledge(&member, incident.number, chrono::Utc::now()).await?;
            reply(
                ctx,
                message,
                crate::app::present::ack_text(&acked, Language::from_discord_locale(&incident.language)),
                None,
            )
            .await?;
        }
        return Ok(());
    }
    let Some(org) = identity::organisation_of_channel(app, message.channel_id) else {
        return Ok(());
    };
    if member.role != Role::Customer {
        return Ok(());
    }
    let mut member = member;
    member.language = org.language;
    match app.read_message(
        &member,
        &message.content,
        org.language,
        SourceId(message.id.get().to_string()),
    ) {
        ChatOutcome::Ignore => Ok(()),
        ChatOutcome::Reply(text) => reply(ctx, message, text, None).await,
        ChatOutcome::Incomplete { text, .. } => {
            let button = button_row(
                ComponentId::CompleteDraft {
                    message: message.id.get(),
                },
                org.language.pick("Complete the request", "Fullfør forespørselen"),
            );
            reply(ctx, message, text, Some(button)).await
        }
        ChatOutcome::Open { request, note } => {
            let result = open_from_chat(ctx, data, *request, message.channel_id, message.author.id, None).await;
            if let (Ok(()), Some(note)) = (&result, note) {
                reply(ctx, message, note, None).await?;
            }
            result
        }
    }
}

/// Opens a chat request and announces it; the reply goes in the new thread (or, refused,
/// to the message). `component` is set when a completion form submitted it.
pub async fn open_from_chat(
    ctx: &serenity::Context,
    data: &Data,
    request: OpenRequest,
    channel: serenity::ChannelId,
    customer: serenity::UserId,
    component: Option<&serenity::ComponentInteraction>,
) -> Result<(), AppError> {
    let app = &data.app;
    let lang = request.member.language;
    let text = match app.open_incident(request, chrono::Utc::now()).await? {
        OpenOutcome::Opened(opened) => {
            match super::announce::announce(&ctx.http, app, &opened, channel, customer, lang).await {
                Ok(thread) => format!(
                    "{} {} · <#{}>",
                    lang.pick("Opened", "Åpnet"),
                    opened.incident.number,
                    thread.id
                ),
                Err(err) => super::announce::announce_failed_text(&opened, &err, lang),
            }
        }
        OpenOutcome::AlreadyOpened(incident) => format!(
            "{} {}",
            lang.pick("Already opened as", "Allerede åpnet som"),
            incident.number
        ),
        OpenOutcome::Refused(refusal) => crate::app::present::refusal_text(&refusal, &app.config.policy, lang),
    };
    match component {
        Some(component) => {
            let follow = serenity::CreateInteractionResponseFollowup::new()
                .content(super::render::truncate(&text, 2000))
                .ephemeral(true)
                .allowed_mentions(no_pings());
            component.create_followup(&ctx.http, follow).await?;
        }
        None => {
            let message = serenity::CreateMessage::new()
                .content(super::render::truncate(&text, 2000))
                .allowed_mentions(no_pings());
            channel.send_message(&ctx.http, message).await?;
        }
    }
    Ok(())
}

/// A reply to the message that pings nobody (it may echo what the customer wrote).
async fn reply(
    ctx: &serenity::Context,
    to: &serenity::Message,
    text: String,
    components: Option<Vec<serenity::CreateActionRow>>,
) -> Result<(), Error> {
    let mut message = serenity::CreateMessage::new()
        .content(super::render::truncate(&text, 2000))
        .reference_message(to)
        .allowed_mentions(no_pings());
    if let Some(components) = components {
        message = message.components(components);
    }
    to.channel_id.send_message(&ctx.http, message).await?;
    Ok(())
}

/// A message's member carries only role ids; that is all the identity needs.
fn partial_to_roles(member: &serenity::PartialMember) -> serenity::Member {
    let mut full = serenity::Member::default();
    full.roles = member.roles.clone();
    full
}
