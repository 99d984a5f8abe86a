//! A slash command's way into the app: who ran it, where, with which locale, as a `Request`.

use crate::deliver::{Delivery, Origin};
use crate::{identity, Context, Error};
use intakebot_app::Command;

pub async fn command(ctx: Context<'_>, command: Command) -> Result<(), Error> {
    let poise::Context::Application(app_ctx) = ctx else {
        return Ok(());
    };
    let interaction = app_ctx.interaction;
    let roles = interaction.member.as_ref().map(|m| m.roles.clone()).unwrap_or_default();
    let actor = identity::actor(&interaction.user, &roles, Some(&interaction.locale));
    let data = ctx.data();
    let request = identity::request(
        &data.app,
        actor,
        interaction.guild_id,
        interaction.channel_id,
        interaction.id,
        command,
    );
    Delivery::new(ctx.serenity_context(), data, Origin::Command(interaction))
        .run(request)
        .await
}
