//! After an incident opens: its private thread in the intake channel, the customer added,
//! the card with buttons, and a ping of the engineers role only.

use super::render::{embed, incident_buttons, only_roles, thread_name};
use crate::app::present::incident_card;
use crate::app::{App, AppError, OpenedIncident};
use crate::core::language::Language;
use crate::store::DiscordIds;
use poise::serenity_prelude as serenity;

/// Creates the thread and posts the card; returns the thread.
pub async fn announce(
    http: &serenity::Http,
    app: &App,
    opened: &OpenedIncident,
    channel: serenity::ChannelId,
    customer: serenity::UserId,
    lang: Language,
) -> Result<serenity::GuildChannel, AppError> {
    let card = incident_card(opened, &app.config.policy, lang);
    let heading = lang.pick("new incident", "ny sak");
    thread_with_card(
        http,
        app,
        &opened.incident,
        channel,
        Some(customer),
        &card,
        heading,
        lang,
    )
    .await
}

/// A sub-incident of a split gets its own thread with the customer and the engineers pinged.
pub async fn announce_child(
    http: &serenity::Http,
    app: &App,
    child: &crate::store::Incident,
    channel: serenity::ChannelId,
    customer: Option<serenity::UserId>,
    lang: Language,
) -> Result<(), AppError> {
    let card = crate::app::present::status_card(child, lang);
    let heading = lang.pick("new sub-incident", "ny delsak");
    thread_with_card(http, app, child, channel, customer, &card, heading, lang).await?;
    Ok(())
}

/// The private thread of an incident with its card, buttons and the engineers' ping; the
/// thread and card ids are stored as soon as Discord returns them.
#[allow(clippy::too_many_arguments)]
async fn thread_with_card(
    http: &serenity::Http,
    app: &App,
    incident: &crate::store::Incident,
    channel: serenity::ChannelId,
    customer: Option<serenity::UserId>,
    card: &crate::app::present::Card,
    heading: &str,
    lang: Language,
) -> Result<serenity::GuildChannel, AppError> {
    let name = thread_name(incident.number, incident.severity, &incident.product);
    let create = serenity::CreateThread::new(name)
        .kind(serenity::ChannelType::PrivateThread)
        .invitable(false);
    let thread = channel.create_thread(http, create).await?;
    let ids = DiscordIds {
        channel: Some(channel.get()),
        thread: Some(thread.id.get()),
        message: None,
    };
    app.store.set_discord_ids(incident.number, &ids).await?;
    if let Some(customer) = customer {
        thread.id.add_thread_member(http, customer).await?;
    }
    let engineers = app.config.app.discord.roles.engineer.0;
    let message = serenity::CreateMessage::new()
        .content(format!("<@&{engineers}> {heading}"))
        .embed(embed(card))
        .components(incident_buttons(incident.number, lang))
        .allowed_mentions(only_roles([engineers]))
        .nonce(serenity::Nonce::String(format!("card{}", incident.number.0)))
        .enforce_nonce(true);
    let posted = thread.id.send_message(http, message).await?;
    let ids = DiscordIds {
        channel: None,
        thread: None,
        message: Some(posted.id.get()),
    };
    app.store.set_discord_ids(incident.number, &ids).await?;
    Ok(thread)
}

/// What the user hears when the incident opened (its unit spent) but Discord refused the
/// thread or card: its number, so nobody opens it again, and the error id. The generic
/// apology ("nothing was lost; please try again") would invite a second, paid, incident.
pub fn announce_failed_text(opened: &OpenedIncident, err: &AppError, lang: Language) -> String {
    let number = opened.incident.number;
    let id = match err {
        AppError::Internal { id, .. } => id.to_string(),
        AppError::User(_) => "-".to_string(),
    };
    match lang {
        Language::En => format!("Opened {number}, but its thread could not be created (error id {id}). Do not open it again: engineers see it in their list and will contact you."),
        Language::No => format!("Åpnet {number}, men tråden kunne ikke opprettes (feil-id {id}). Ikke åpne saken på nytt: teknikerne ser den i listen og kontakter deg."),
    }
}
