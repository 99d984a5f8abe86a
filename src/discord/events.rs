//! Gateway events: one line each, handing over to a function that does the work.

use super::custom_id::ComponentId;
use super::{identity, Data, Error};
use poise::serenity_prelude as serenity;
use tracing::Instrument;

pub async fn handle(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    let (ctx, data) = (framework.serenity_context, framework.user_data);
    match event {
        serenity::FullEvent::Message { new_message } => super::messages::on_message(ctx, new_message, data).await,
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(component),
        } => on_component(ctx, component, data).await,
        _ => Ok(()),
    }
}

/// A button press: decided by the app like the matching command; errors answered privately.
async fn on_component(
    ctx: &serenity::Context,
    component: &serenity::ComponentInteraction,
    data: &Data,
) -> Result<(), Error> {
    let Ok(id) = component.data.custom_id.parse::<ComponentId>() else {
        return Ok(());
    };
    let span = tracing::info_span!("component", user = component.user.id.get(), channel = component.channel_id.get(), custom_id = %component.data.custom_id);
    let roles = identity::roles_of(component.member.as_ref());
    let result = async {
        let member = identity::member(&data.app, &component.user, &roles, &component.locale).await?;
        super::buttons::press(ctx, component, data, &member, id).await
    }
    .instrument(span)
    .await;
    if let Err(err) = result {
        let lang = crate::core::language::Language::from_discord_locale(&component.locale);
        let reply = serenity::CreateInteractionResponseMessage::new()
            .content(err.for_user(lang))
            .ephemeral(true)
            .allowed_mentions(super::render::no_pings());
        let response = serenity::CreateInteractionResponse::Message(reply);
        if component.create_response(&ctx.http, response).await.is_err() {
            // Already answered (e.g. after a modal): follow up instead.
            let follow = serenity::CreateInteractionResponseFollowup::new()
                .content(err.for_user(lang))
                .ephemeral(true)
                .allowed_mentions(super::render::no_pings());
            let _ = component.create_followup(&ctx.http, follow).await;
        }
    }
    Ok(())
}
