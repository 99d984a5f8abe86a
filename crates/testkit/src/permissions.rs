//! Effective permissions as Discord's permissions docs compute them: `@everyone` plus the member's
//! roles (owner and Administrator get everything), then the channel's overwrites (`@everyone`,
//! roles, member). A thread uses its parent's overwrites; a missing View Channel denies the rest
//! and a missing send permission denies what only makes sense when sending.

use serde_json::Value;
use serenity::model::Permissions;

use super::guild::GuildState;

/// The permissions a channel-level check needs: the channel object and, for a thread, its
/// parent's.
#[derive(Debug, Clone, Copy)]
pub struct ChannelView<'a> {
    pub channel: &'a Value,
    pub parent: Option<&'a Value>,
}

impl ChannelView<'_> {
    pub fn is_thread(&self) -> bool {
        self.channel.get("thread_metadata").is_some()
    }

    /// The permission sending a message needs here (threads do not inherit Send Messages).
    pub fn send_permission(&self) -> Permissions {
        if self.is_thread() {
            Permissions::SEND_MESSAGES_IN_THREADS
        } else {
            Permissions::SEND_MESSAGES
        }
    }

    fn overwrites(&self) -> &Value {
        let source = if self.is_thread() {
            self.parent.unwrap_or(self.channel)
        } else {
            self.channel
        };
        source.get("permission_overwrites").unwrap_or(&Value::Null)
    }
}

/// Guild-level permissions of `user_id`.
pub fn base(guild: &GuildState, guild_id: u64, user_id: u64) -> Permissions {
    if user_id == guild.owner_id {
        return Permissions::all();
    }
    let everyone = guild
        .roles
        .get(&guild_id)
        .map_or(Permissions::empty(), |r| r.permissions);
    let permissions = member_roles(guild, user_id)
        .iter()
        .filter_map(|id| guild.roles.get(id))
        .fold(everyone, |acc, role| acc | role.permissions);
    if permissions.contains(Permissions::ADMINISTRATOR) {
        Permissions::all()
    } else {
        permissions
    }
}

fn member_roles(guild: &GuildState, user_id: u64) -> Vec<u64> {
    guild.members.get(&user_id).map_or_else(Vec::new, |m| m.roles.clone())
}

/// Permissions of `user_id` in a channel or thread.
pub fn in_channel(guild: &GuildState, guild_id: u64, user_id: u64, view: ChannelView<'_>) -> Permissions {
    let base = base(guild, guild_id, user_id);
    if base.contains(Permissions::ADMINISTRATOR) {
        return Permissions::all();
    }
    let overwrites = parse_overwrites(view.overwrites());
    let find = |kind: u8, id: u64| overwrites.iter().find(|o| o.0 == kind && o.1 == id);
    let mut permissions = base;
    if let Some((_, _, allow, deny)) = find(0, guild_id) {
        permissions = (permissions - *deny) | *allow;
    }
    let (allow, deny) = member_roles(guild, user_id)
        .iter()
        .filter_map(|role| find(0, *role))
        .fold((Permissions::empty(), Permissions::empty()), |(a, d), o| {
            (a | o.2, d | o.3)
        });
    permissions = (permissions - deny) | allow;
    if let Some((_, _, allow, deny)) = find(1, user_id) {
        permissions = (permissions - *deny) | *allow;
    }
    implicit(permissions, view.send_permission())
}

/// Discord's implicit denials: no View Channel, no channel permissions; no sending, no mentions,
/// attachments, embeds or TTS.
fn implicit(permissions: Permissions, send: Permissions) -> Permissions {
    if !permissions.contains(Permissions::VIEW_CHANNEL) {
        return Permissions::empty();
    }
    if !permissions.contains(send) {
        let needs_send = Permissions::MENTION_EVERYONE
            | Permissions::SEND_TTS_MESSAGES
            | Permissions::ATTACH_FILES
            | Permissions::EMBED_LINKS;
        return permissions - needs_send;
    }
    permissions
}

/// (type, id, allow, deny) of each overwrite object.
fn parse_overwrites(list: &Value) -> Vec<(u8, u64, Permissions, Permissions)> {
    let bits = |o: &Value, key: &str| {
        let raw = o.get(key).and_then(Value::as_str).and_then(|s| s.parse().ok());
        Permissions::from_bits_truncate(raw.unwrap_or(0))
    };
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|o| {
                    let id = o.get("id")?.as_str()?.parse().ok()?;
                    let kind = u8::try_from(o.get("type")?.as_u64()?).ok()?;
                    Some((kind, id, bits(o, "allow"), bits(o, "deny")))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builders::{self, Scene};
    use crate::guild::{Overwrite, DEFAULT_BOT_PERMISSIONS};
    use serde_json::json;

    fn channel_with(overwrites: &[Overwrite]) -> Value {
        let list: Vec<Value> = overwrites.iter().map(Overwrite::to_json).collect();
        json!({ "id": "1", "permission_overwrites": list })
    }

    #[test]
    fn a_role_deny_beats_everyone_and_a_member_allow_beats_the_role() {
        let scene = Scene::new();
        let guild = GuildState::new(&scene);
        let bot = scene.bot_user_id;
        let deny = Overwrite::role(guild.bot_role_id).deny(Permissions::CREATE_PRIVATE_THREADS);
        let everyone_allow = Overwrite::role(scene.guild_id).allow(Permissions::CREATE_PRIVATE_THREADS);
        let channel = channel_with(&[deny, everyone_allow]);
        let view = ChannelView {
            channel: &channel,
            parent: None,
        };
        let got = in_channel(&guild, scene.guild_id, bot, view);
        assert!(!got.contains(Permissions::CREATE_PRIVATE_THREADS));
        assert!(got.contains(Permissions::SEND_MESSAGES));

        let member_allow = Overwrite::member(bot).allow(Permissions::CREATE_PRIVATE_THREADS);
        let channel = channel_with(&[deny, member_allow]);
        let view = ChannelView {
            channel: &channel,
            parent: None,
        };
        assert!(in_channel(&guild, scene.guild_id, bot, view).contains(Permissions::CREATE_PRIVATE_THREADS));
    }

    #[test]
    fn a_thread_uses_its_parents_overwrites_and_no_view_means_nothing() {
        let scene = Scene::new();
        let guild = GuildState::new(&scene);
        let parent = channel_with(&[Overwrite::role(guild.bot_role_id).deny(Permissions::VIEW_CHANNEL)]);
        let thread = builders::thread_json(2, scene.guild_id, 1, 3, "t", 12, 60);
        let view = ChannelView {
            channel: &thread,
            parent: Some(&parent),
        };
        assert_eq!(
            in_channel(&guild, scene.guild_id, scene.bot_user_id, view),
            Permissions::empty()
        );
        assert_eq!(view.send_permission(), Permissions::SEND_MESSAGES_IN_THREADS);
    }

    #[test]
    fn defaults_give_the_bot_its_role() {
        let scene = Scene::new();
        let guild = GuildState::new(&scene);
        assert!(base(&guild, scene.guild_id, scene.bot_user_id).contains(DEFAULT_BOT_PERMISSIONS));
        assert_eq!(base(&guild, scene.guild_id, guild.owner_id), Permissions::all());
    }
}
