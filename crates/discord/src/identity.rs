//! Who acted, as Discord tells it: user id, name, role ids and the interaction's locale. What
//! that makes them (customer, engineer, manager; which organisation) is the app's decision.

use intakebot_app::request::{Actor, Place, Request};
use intakebot_app::Command;
use intakebot_app::SourceId;
use intakebot_core::ids::AccountId;
use intakebot_core::language::Language;
use poise::serenity_prelude as serenity;

pub fn actor(user: &serenity::User, roles: &[serenity::RoleId], locale: Option<&str>) -> Actor {
    Actor {
        account: AccountId::new(user.id.get().to_string()),
        name: user.global_name.clone().unwrap_or_else(|| user.name.clone()),
        roles: roles.iter().map(|r| r.get()).collect(),
        locale: locale.map(Language::from_discord_locale),
    }
}

/// A request from an interaction (slash command, button, form) at the app's time.
pub fn request(
    app: &intakebot_app::App,
    actor: Actor,
    guild: Option<serenity::GuildId>,
    channel: serenity::ChannelId,
    interaction: serenity::InteractionId,
    command: Command,
) -> Request {
    Request {
        actor,
        place: Place {
            guild: guild.map(|g| g.get()),
            channel: channel.get(),
        },
        source: SourceId(interaction.get().to_string()),
        at: app.now(),
        command,
    }
}
