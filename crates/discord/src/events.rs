//! Gateway events, one line each: a message, a button, a form submit, each turned into the
//! app's `Request` and delivered; a (re)connect starts the catch-up (`catch_up`).

use crate::deliver::{Delivery, Origin};
use crate::{custom_id, forms, identity, Data, Error};
use intakebot_app::reply::Action;
use intakebot_app::request::{Place, Request};
use intakebot_app::{Command, SourceId};
use intakebot_core::ids::AccountId;
use poise::serenity_prelude as serenity;

pub async fn handle(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    let (ctx, data) = (framework.serenity_context, framework.user_data);
    let bot = framework.bot_id();
    match event {
        serenity::FullEvent::Message { new_message } => message(ctx, data, new_message, bot).await,
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(press),
        } => component(ctx, data, press).await,
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Modal(submit),
        } => modal(ctx, data, submit).await,
        // Every (re)connect: what was posted while no session was open is read from history.
        serenity::FullEvent::Ready { .. } | serenity::FullEvent::Resume { .. } => {
            let result = crate::catch_up::run(ctx, data, bot).await;
            data.caught_up.send_replace(true);
            result
        }
        _ => Ok(()),
    }
}

/// A message in a guild channel or thread, at its own timestamp; the bot's own are not read.
async fn message(
    ctx: &serenity::Context,
    data: &Data,
    message: &serenity::Message,
    bot: serenity::UserId,
) -> Result<(), Error> {
    if message.author.bot || message.guild_id.is_none() {
        return Ok(());
    }
    let roles = message.member.as_ref().map(|m| m.roles.clone()).unwrap_or_default();
    read(ctx, data, message, &roles, bot).await
}

/// A guild message with its author's roles, live or caught up: the same request either way.
pub(crate) async fn read(
    ctx: &serenity::Context,
    data: &Data,
    message: &serenity::Message,
    roles: &[serenity::RoleId],
    bot: serenity::UserId,
) -> Result<(), Error> {
    let addressed = message.mentions.iter().any(|u| u.id == bot)
        || message.referenced_message.as_ref().is_some_and(|m| m.author.id == bot);
    let request = Request {
        actor: identity::actor(&message.author, roles, None),
        place: Place {
            guild: message.guild_id.map(|g| g.get()),
            channel: message.channel_id.get(),
        },
        source: SourceId(message.id.get().to_string()),
        at: *message.timestamp,
        command: Command::Message {
            text: message.content.clone(),
            addressed,
        },
    };
    // The channel's read mark passes this message only once its replies are out (or failed).
    let (channel, id) = (message.channel_id.get(), message.id.get());
    data.app.reading_started(channel, id);
    let delivered = Delivery::new(ctx, data, Origin::Message(message)).run(request).await;
    data.app.reading_finished(channel, id).await;
    delivered
}

/// A button press; "complete the request" brings the message it completes along.
async fn component(ctx: &serenity::Context, data: &Data, press: &serenity::ComponentInteraction) -> Result<(), Error> {
    let Some(action) = custom_id::parse(&press.data.custom_id) else {
        return Ok(());
    };
    let command = match action {
        Action::CompleteDraft { message } => {
            let original = press
                .channel_id
                .message(&ctx.http, serenity::MessageId::new(message))
                .await?;
            Command::CompleteDraft {
                message,
                author: AccountId::new(original.author.id.get().to_string()),
                text: original.content,
            }
        }
        action => Command::Press(action),
    };
    let roles = press.member.as_ref().map(|m| m.roles.clone()).unwrap_or_default();
    let actor = identity::actor(&press.user, &roles, Some(&press.locale));
    let request = identity::request(&data.app, actor, press.guild_id, press.channel_id, press.id, command);
    Delivery::new(ctx, data, Origin::Component(press)).run(request).await
}

/// A form submitted: what it completes was kept when it was shown.
async fn modal(ctx: &serenity::Context, data: &Data, submit: &serenity::ModalInteraction) -> Result<(), Error> {
    let command = match data.forms.take(&submit.data.custom_id) {
        Some(form) => Command::Submit {
            form,
            values: forms::values(&submit.data),
        },
        None => Command::FormExpired,
    };
    let roles = submit.member.as_ref().map(|m| m.roles.clone()).unwrap_or_default();
    let actor = identity::actor(&submit.user, &roles, Some(&submit.locale));
    let request = identity::request(&data.app, actor, submit.guild_id, submit.channel_id, submit.id, command);
    Delivery::new(ctx, data, Origin::Modal(submit)).run(request).await
}
