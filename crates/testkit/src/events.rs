//! Gateway events the server queues: a test's dispatches (to every session, as Discord sends each
//! event to every session of a bot) and the echoes Discord itself sends after a REST change (to
//! the sessions whose intents ask for them). Each is checked against serenity's types first.

use serde_json::{json, Value};

use super::error::TestkitError;
use super::state::{ChannelState, Inner, InteractionState, Shared};
use super::validate;

const INTENT_GUILDS: u64 = 1;
const INTENT_GUILD_MEMBERS: u64 = 1 << 1;
const INTENT_GUILD_MESSAGES: u64 = 1 << 9;

/// The intent a session needs to receive `event` (Discord's gateway intents list).
fn intent_for(event: &str) -> u64 {
    match event {
        "MESSAGE_CREATE" | "MESSAGE_UPDATE" | "MESSAGE_DELETE" => INTENT_GUILD_MESSAGES,
        "GUILD_MEMBER_ADD" | "GUILD_MEMBER_UPDATE" | "GUILD_MEMBER_REMOVE" => INTENT_GUILD_MEMBERS,
        _ => INTENT_GUILDS,
    }
}

impl Inner {
    /// Queues the event Discord itself sends after a change (the bot's own message, a thread it
    /// created, a role a test edited) to every session whose intents ask for it.
    pub fn echo(&mut self, event: &str, mut data: Value) {
        if !self.echo_events || self.gateway.sessions.is_empty() {
            return;
        }
        if event == "MESSAGE_CREATE" && data.get("guild_id").is_some() {
            data["member"] = self.author_member(&data);
        }
        if let Err(e) = validate::dispatch(event, &data) {
            self.fail(format!("echoed {event} is invalid: {e}"));
            return;
        }
        let now = self.now();
        self.gateway.expire(now);
        let needed = intent_for(event);
        for session in self.gateway.sessions.iter_mut().filter(|s| s.intents & needed != 0) {
            session.append(event, data.clone());
        }
    }

    /// The partial `member` of a guild MESSAGE_CREATE, with the author's roles if the guild
    /// knows the author.
    fn author_member(&self, message: &Value) -> Value {
        let author = id_of(&message["author"], "id");
        let roles: Vec<String> = self
            .guild
            .members
            .get(&author)
            .map(|m| m.roles.iter().map(u64::to_string).collect())
            .unwrap_or_default();
        json!({
            "roles": roles, "joined_at": "2024-01-01T00:00:00.000Z",
            "deaf": false, "mute": false, "flags": 0,
        })
    }
}

impl Shared {
    /// Validates and queues a test's dispatch in every session; returns its sequence number in
    /// the newest one. `NotConnected` before any client identified.
    pub fn push_dispatch(&self, event: &str, data: Value) -> Result<u64, TestkitError> {
        validate::dispatch(event, &data).map_err(|e| TestkitError::InvalidDispatch {
            event: event.to_string(),
            reason: e.0,
            payload: data.to_string(),
        })?;
        self.with(|inner| {
            remember(inner, event, &data);
            let now = inner.now();
            inner.gateway.expire(now);
            let mut seq = Err(TestkitError::NotConnected);
            for session in &mut inner.gateway.sessions {
                seq = Ok(session.append(event, data.clone()));
            }
            seq
        })
    }
}

/// What a dispatch makes exist for later REST calls.
pub fn remember(inner: &mut Inner, event: &str, data: &Value) {
    match event {
        "INTERACTION_CREATE" => remember_interaction(inner, data),
        "MESSAGE_CREATE" => store_user_message(inner, data),
        "THREAD_CREATE" => remember_thread(inner, data),
        _ => {}
    }
}

pub fn id_of(value: &Value, key: &str) -> u64 {
    value
        .get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn remember_interaction(inner: &mut Inner, data: &Value) {
    let Some(token) = data.get("token").and_then(Value::as_str) else {
        return;
    };
    let state = InteractionState {
        id: id_of(data, "id"),
        received: inner.now(),
        channel_id: id_of(data, "channel_id"),
        responses: Vec::new(),
        original: None,
    };
    inner.interactions.insert(token.to_string(), state);
}

/// A user's message exists for later REST calls (threads, reactions, history).
pub fn store_user_message(inner: &mut Inner, data: &Value) {
    if let Some(channel) = inner.channels.get_mut(&id_of(data, "channel_id")) {
        let mut message = data.clone();
        if let Some(object) = message.as_object_mut() {
            object.remove("member");
        }
        channel.channel["last_message_id"] = message["id"].clone();
        channel.messages.push(message);
    }
}

/// A thread the test announces exists for later REST calls.
fn remember_thread(inner: &mut Inner, data: &Value) {
    let mut thread = data.clone();
    if let Some(object) = thread.as_object_mut() {
        object.remove("newly_created");
    }
    inner
        .channels
        .entry(id_of(data, "id"))
        .or_insert_with(|| ChannelState::new(thread));
}
