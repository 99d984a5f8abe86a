//! Builders for the JSON Discord sends: interactions, messages, channels and threads.
//!
//! Every builder fills the fields serenity 0.12.5 requires (see docs/testing-discord.md); the
//! server validates each dispatch again before sending, so a builder bug fails loudly.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Value};

/// A Discord snowflake-shaped id, unique within the process.
pub fn next_id() -> u64 {
    // About 2024 in Discord's epoch (timestamp << 22); the low bits count up.
    static NEXT: AtomicU64 = AtomicU64::new(1_250_000_000_000_000_000);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The ids of the fake world: the bot's application and user, one guild and one text channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scene {
    pub application_id: u64,
    pub bot_user_id: u64,
    pub bot_name: String,
    pub guild_id: u64,
    /// A guild text channel that exists from the start.
    pub channel_id: u64,
}

impl Scene {
    /// A fresh scene with new ids.
    pub fn new() -> Self {
        Scene {
            application_id: next_id(),
            bot_user_id: next_id(),
            bot_name: "intakebot".to_string(),
            guild_id: next_id(),
            channel_id: next_id(),
        }
    }
}

impl Default for Scene {
    fn default() -> Self {
        Scene::new()
    }
}

/// A guild member who acts in a test: user id, name and role ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSpec {
    pub user_id: u64,
    pub username: String,
    pub roles: Vec<u64>,
}

impl MemberSpec {
    pub fn new(user_id: u64, username: &str) -> Self {
        MemberSpec {
            user_id,
            username: username.to_string(),
            roles: Vec::new(),
        }
    }

    pub fn with_roles(mut self, roles: &[u64]) -> Self {
        self.roles = roles.to_vec();
        self
    }
}

/// The current time in Discord's ISO 8601 form.
pub fn timestamp_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn user_json(id: u64, username: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(), "username": username, "discriminator": "0",
        "global_name": username, "avatar": null, "bot": bot,
    })
}

fn roles_json(roles: &[u64]) -> Value {
    Value::from(roles.iter().map(u64::to_string).collect::<Vec<_>>())
}

/// A full guild member object (as in interactions).
pub fn member_json(member: &MemberSpec) -> Value {
    json!({
        "user": user_json(member.user_id, &member.username, false),
        "roles": roles_json(&member.roles),
        "joined_at": "2024-01-01T00:00:00.000Z", "nick": null, "deaf": false, "mute": false,
        "flags": 0, "pending": false, "permissions": "2248473465835073",
    })
}

/// A message object as Discord returns it.
pub fn message_json(id: u64, channel_id: u64, guild_id: Option<u64>, author: Value, content: &str) -> Value {
    let mut message = json!({
        "id": id.to_string(), "channel_id": channel_id.to_string(), "author": author,
        "content": content, "timestamp": timestamp_now(), "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "components": [], "pinned": false, "type": 0, "flags": 0,
    });
    if let Some(guild) = guild_id {
        message["guild_id"] = Value::from(guild.to_string());
    }
    message
}

/// A guild text channel (type 0).
pub fn text_channel_json(id: u64, guild_id: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(), "type": 0, "guild_id": guild_id.to_string(), "name": name,
        "position": 0, "permission_overwrites": [], "nsfw": false, "topic": null,
        "last_message_id": null, "parent_id": null, "rate_limit_per_user": 0, "flags": 0,
    })
}

/// A thread channel: `kind` 11 public, 12 private.
pub fn thread_json(
    id: u64,
    guild_id: u64,
    parent_id: u64,
    owner_id: u64,
    name: &str,
    kind: u8,
    archive_minutes: u64,
) -> Value {
    json!({
        "id": id.to_string(), "type": kind, "guild_id": guild_id.to_string(), "name": name,
        "parent_id": parent_id.to_string(), "owner_id": owner_id.to_string(),
        "last_message_id": null, "rate_limit_per_user": 0, "message_count": 0,
        "member_count": 1, "total_message_sent": 0, "flags": 0,
        "thread_metadata": {
            "archived": false, "auto_archive_duration": archive_minutes,
            "archive_timestamp": timestamp_now(), "locked": false,
            "invitable": kind == 12, "create_timestamp": timestamp_now(),
        },
    })
}

/// A string option `name = value`.
pub fn option_str(name: &str, value: &str) -> Value {
    json!({ "name": name, "type": 3, "value": value })
}

/// An integer option.
pub fn option_int(name: &str, value: i64) -> Value {
    json!({ "name": name, "type": 4, "value": value })
}

/// A user option (its `resolved` data must be added to the interaction too).
pub fn option_user(name: &str, user: u64) -> Value {
    json!({ "name": name, "type": 6, "value": user.to_string() })
}

/// A boolean option.
pub fn option_bool(name: &str, value: bool) -> Value {
    json!({ "name": name, "type": 5, "value": value })
}

/// A subcommand holding its own options.
pub fn option_subcommand(name: &str, options: Vec<Value>) -> Value {
    json!({ "name": name, "type": 1, "options": options })
}

/// The string option the user is typing in an autocomplete request.
pub fn option_focused(name: &str, partial: &str) -> Value {
    json!({ "name": name, "type": 3, "value": partial, "focused": true })
}

fn interaction(scene: &Scene, kind: u8, data: Value, member: &MemberSpec, locale: &str) -> Value {
    let id = next_id();
    json!({
        "id": id.to_string(), "application_id": scene.application_id.to_string(),
        "type": kind, "data": data, "token": format!("fake-token-{id}"), "version": 1,
        "guild_id": scene.guild_id.to_string(), "channel_id": scene.channel_id.to_string(),
        "channel": { "id": scene.channel_id.to_string(), "type": 0 },
        "member": member_json(member), "locale": locale, "guild_locale": "en-US",
        "app_permissions": "2248473465835073", "entitlements": [],
        "authorizing_integration_owners": { "0": scene.guild_id.to_string() },
        "context": 0, "attachment_size_limit": 26_214_400,
    })
}

/// A slash command use (type 2) of `/name` with `options`.
pub fn interaction_command(scene: &Scene, name: &str, options: Vec<Value>, member: &MemberSpec, locale: &str) -> Value {
    let data = json!({ "id": next_id().to_string(), "name": name, "type": 1, "options": options });
    interaction(scene, 2, data, member, locale)
}

/// An autocomplete request (type 4); mark the typed option with [`option_focused`].
pub fn interaction_autocomplete(
    scene: &Scene,
    name: &str,
    options: Vec<Value>,
    member: &MemberSpec,
    locale: &str,
) -> Value {
    let data = json!({ "id": next_id().to_string(), "name": name, "type": 1, "options": options });
    interaction(scene, 4, data, member, locale)
}

/// A button press (type 3, component type 2) on `message` (a full message object).
pub fn interaction_button(scene: &Scene, custom_id: &str, message: Value, member: &MemberSpec, locale: &str) -> Value {
    let data = json!({ "custom_id": custom_id, "component_type": 2 });
    let mut value = interaction(scene, 3, data, member, locale);
    value["message"] = message;
    value
}

/// A modal submit (type 5): one action row per `(input custom_id, value)` field.
///
/// poise uses the command interaction's id as the modal's `custom_id` and the struct's field
/// names as the input ids.
pub fn interaction_modal_submit(
    scene: &Scene,
    custom_id: &str,
    fields: &[(&str, &str)],
    member: &MemberSpec,
    locale: &str,
) -> Value {
    let rows: Vec<Value> = fields
        .iter()
        .map(|(id, value)| json!({ "type": 1, "components": [{ "type": 4, "custom_id": id, "value": value }] }))
        .collect();
    let data = json!({ "custom_id": custom_id, "components": rows });
    interaction(scene, 5, data, member, locale)
}

/// A MESSAGE_CREATE `d` in a guild channel, with the author's roles in `member`.
pub fn message_create(scene: &Scene, channel_id: u64, author: &MemberSpec, content: &str) -> Value {
    let user = user_json(author.user_id, &author.username, false);
    let mut message = message_json(next_id(), channel_id, Some(scene.guild_id), user, content);
    message["member"] = json!({
        "roles": roles_json(&author.roles), "joined_at": "2024-01-01T00:00:00.000Z",
        "deaf": false, "mute": false, "flags": 0, "pending": false,
    });
    message
}

/// A THREAD_CREATE `d`: a new thread under `parent_id` (`kind` 11 public, 12 private).
pub fn thread_create(scene: &Scene, parent_id: u64, name: &str, kind: u8) -> Value {
    let mut thread = thread_json(
        next_id(),
        scene.guild_id,
        parent_id,
        scene.bot_user_id,
        name,
        kind,
        1440,
    );
    thread["newly_created"] = Value::Bool(true);
    thread
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;

    fn member() -> MemberSpec {
        MemberSpec::new(42, "alice").with_roles(&[7])
    }

    #[test]
    fn every_builder_passes_serenity() {
        let scene = Scene::new();
        let sub = option_subcommand("sub", vec![option_str("text", "hi")]);
        let message = message_json(
            next_id(),
            scene.channel_id,
            Some(scene.guild_id),
            user_json(1, "bot", true),
            "x",
        );
        let events = [
            (
                "INTERACTION_CREATE",
                interaction_command(&scene, "ping", vec![sub], &member(), "no"),
            ),
            (
                "INTERACTION_CREATE",
                interaction_autocomplete(&scene, "ping", vec![option_focused("text", "h")], &member(), "en-US"),
            ),
            (
                "INTERACTION_CREATE",
                interaction_button(&scene, "btn", message, &member(), "en-US"),
            ),
            (
                "INTERACTION_CREATE",
                interaction_modal_submit(&scene, "1", &[("title", "t")], &member(), "en-US"),
            ),
            (
                "MESSAGE_CREATE",
                message_create(&scene, scene.channel_id, &member(), "hello"),
            ),
            ("THREAD_CREATE", thread_create(&scene, scene.channel_id, "case", 12)),
        ];
        for (event, data) in events {
            validate::dispatch(event, &data).unwrap_or_else(|e| panic!("{event}: {e}"));
        }
    }

    #[test]
    fn interaction_without_locale_is_rejected() {
        let mut data = interaction_command(&Scene::new(), "ping", vec![], &member(), "en-US");
        data.as_object_mut().map(|o| o.remove("locale"));
        assert!(validate::dispatch("INTERACTION_CREATE", &data).is_err());
    }

    #[test]
    fn channels_pass_serenity() {
        assert!(validate::channel(&text_channel_json(1, 2, "intake")).is_ok());
        assert!(validate::channel(&thread_json(3, 2, 1, 4, "case", 12, 1440)).is_ok());
    }
}
