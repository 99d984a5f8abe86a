//! The fake guild's roles and members, configurable per test, and their JSON as Discord sends it
//! (role objects, guild members, the GUILD_CREATE payload serenity's cache computes permissions
//! from). Channel permission overwrites live on the channel objects themselves.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use serenity::model::Permissions;

use super::builders::{self, MemberSpec, Scene};

/// The bot's role out of the box: what the bot needs to open incidents (send, embed, attach,
/// private and public threads, mention roles, react, read history).
pub const DEFAULT_BOT_PERMISSIONS: Permissions = Permissions::VIEW_CHANNEL
    .union(Permissions::SEND_MESSAGES)
    .union(Permissions::SEND_MESSAGES_IN_THREADS)
    .union(Permissions::CREATE_PUBLIC_THREADS)
    .union(Permissions::CREATE_PRIVATE_THREADS)
    .union(Permissions::MANAGE_THREADS)
    .union(Permissions::MANAGE_MESSAGES)
    .union(Permissions::EMBED_LINKS)
    .union(Permissions::ATTACH_FILES)
    .union(Permissions::READ_MESSAGE_HISTORY)
    .union(Permissions::MENTION_EVERYONE)
    .union(Permissions::ADD_REACTIONS);

/// `@everyone` out of the box: seeing channels only, so the bot's own role decides the rest and a
/// test that takes a permission from that role really takes it away.
pub const DEFAULT_EVERYONE_PERMISSIONS: Permissions =
    Permissions::VIEW_CHANNEL.union(Permissions::READ_MESSAGE_HISTORY);

/// A guild role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSpec {
    pub id: u64,
    pub name: String,
    pub permissions: Permissions,
    /// Whether anyone may ping it; otherwise only members with Mention Everyone can.
    pub mentionable: bool,
    pub position: u16,
    /// Managed by an integration (the bot's own role is).
    pub managed: bool,
}

impl RoleSpec {
    pub fn new(id: u64, name: &str, permissions: Permissions) -> Self {
        RoleSpec {
            id,
            name: name.to_string(),
            permissions,
            mentionable: true,
            position: 1,
            managed: false,
        }
    }

    pub fn mentionable(mut self, mentionable: bool) -> Self {
        self.mentionable = mentionable;
        self
    }

    pub fn position(mut self, position: u16) -> Self {
        self.position = position;
        self
    }
}

/// Who a channel permission overwrite applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverwriteTarget {
    Role(u64),
    Member(u64),
}

/// A channel permission overwrite (Discord's overwrite object).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overwrite {
    pub target: OverwriteTarget,
    pub allow: Permissions,
    pub deny: Permissions,
}

impl Overwrite {
    pub fn role(role_id: u64) -> Self {
        Overwrite {
            target: OverwriteTarget::Role(role_id),
            allow: Permissions::empty(),
            deny: Permissions::empty(),
        }
    }

    pub fn member(user_id: u64) -> Self {
        Overwrite {
            target: OverwriteTarget::Member(user_id),
            ..Overwrite::role(0)
        }
    }

    pub fn allow(mut self, permissions: Permissions) -> Self {
        self.allow |= permissions;
        self
    }

    pub fn deny(mut self, permissions: Permissions) -> Self {
        self.deny |= permissions;
        self
    }

    pub fn to_json(&self) -> Value {
        let (id, kind) = match self.target {
            OverwriteTarget::Role(id) => (id, 0),
            OverwriteTarget::Member(id) => (id, 1),
        };
        json!({
            "id": id.to_string(), "type": kind,
            "allow": self.allow.bits().to_string(), "deny": self.deny.bits().to_string(),
        })
    }
}

/// The guild's roles and members (the bot's member included).
#[derive(Debug, Clone)]
pub struct GuildState {
    pub owner_id: u64,
    /// By id; `@everyone` has the guild's id.
    pub roles: BTreeMap<u64, RoleSpec>,
    pub bot_role_id: u64,
    pub members: BTreeMap<u64, MemberSpec>,
}

impl GuildState {
    pub fn new(scene: &Scene) -> Self {
        let everyone = RoleSpec::new(scene.guild_id, "@everyone", DEFAULT_EVERYONE_PERMISSIONS).position(0);
        let bot_role_id = builders::next_id();
        let mut bot_role = RoleSpec::new(bot_role_id, &scene.bot_name, DEFAULT_BOT_PERMISSIONS);
        bot_role.managed = true;
        let bot = MemberSpec::new(scene.bot_user_id, &scene.bot_name).with_roles(&[bot_role_id]);
        GuildState {
            // Someone else owns the guild: the owner has every permission.
            owner_id: builders::next_id(),
            roles: [(everyone.id, everyone), (bot_role_id, bot_role)].into(),
            bot_role_id,
            members: [(bot.user_id, bot)].into(),
        }
    }
}

/// A role object.
pub fn role_json(role: &RoleSpec) -> Value {
    json!({
        "id": role.id.to_string(), "name": role.name, "color": 0,
        "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null },
        "hoist": false, "icon": null, "unicode_emoji": null, "position": role.position,
        "permissions": role.permissions.bits().to_string(), "managed": role.managed,
        "mentionable": role.mentionable, "flags": 0,
    })
}

/// A guild member object as `GET /guilds/{id}/members/{user}` returns it.
pub fn member_json(member: &MemberSpec, bot: bool) -> Value {
    let mut value = builders::member_json(member);
    value["user"]["bot"] = Value::Bool(bot);
    if let Some(object) = value.as_object_mut() {
        // Only interaction members carry their computed permissions.
        object.remove("permissions");
    }
    value
}

/// The GUILD_CREATE `d`: the guild with its roles, channels, active threads and members.
pub fn guild_create_json(scene: &Scene, guild: &GuildState, channels: Vec<Value>, threads: Vec<Value>) -> Value {
    let roles: Vec<Value> = guild.roles.values().map(role_json).collect();
    let members: Vec<Value> = guild
        .members
        .values()
        .map(|m| member_json(m, m.user_id == scene.bot_user_id))
        .collect();
    json!({
        "id": scene.guild_id.to_string(), "name": "Intake test guild", "icon": null,
        "icon_hash": null, "splash": null, "discovery_splash": null,
        "owner_id": guild.owner_id.to_string(), "afk_channel_id": null, "afk_timeout": 300,
        "verification_level": 0, "default_message_notifications": 1,
        "explicit_content_filter": 0, "roles": roles, "emojis": [], "features": [],
        "mfa_level": 0, "application_id": null, "system_channel_id": null,
        "system_channel_flags": 0, "rules_channel_id": null, "vanity_url_code": null,
        "description": null, "banner": null, "premium_tier": 0, "preferred_locale": "en-US",
        "public_updates_channel_id": null, "nsfw_level": 0, "stickers": [],
        "premium_progress_bar_enabled": false, "safety_alerts_channel_id": null,
        "joined_at": "2024-01-01T00:00:00.000Z", "large": false, "unavailable": false,
        "member_count": members.len(), "voice_states": [], "members": members,
        "channels": channels, "threads": threads, "presences": [], "stage_instances": [],
        "guild_scheduled_events": [],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;

    #[test]
    fn guild_create_and_roles_pass_serenity() {
        let scene = Scene::new();
        let guild = GuildState::new(&scene);
        let channel = builders::text_channel_json(scene.channel_id, scene.guild_id, "intake");
        let thread = builders::thread_json(builders::next_id(), scene.guild_id, scene.channel_id, 1, "t", 12, 60);
        let data = guild_create_json(&scene, &guild, vec![channel], vec![thread]);
        validate::dispatch("GUILD_CREATE", &data).unwrap();
        for role in guild.roles.values() {
            validate::role(&role_json(role)).unwrap();
        }
        let bot = &guild.members[&scene.bot_user_id];
        validate::member(&member_json(bot, true)).unwrap();
    }

    #[test]
    fn overwrite_json_carries_bits_as_strings() {
        let json = Overwrite::role(5).deny(Permissions::CREATE_PRIVATE_THREADS).to_json();
        assert_eq!(json["deny"], (1u64 << 36).to_string());
        assert_eq!(json["type"], 0);
    }
}
