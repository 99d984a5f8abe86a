//! Channel routes: the channel itself, messages (with nonce deduplication), threads, thread
//! members, reactions and typing.

use serde_json::Value;

use super::super::builders::{self, Scene};
use super::super::state::{ChannelState, Inner};
use super::limits;
use super::reply::Reply;
use super::{channel_reply, message_reply};

/// Routes `/channels/{channel}/{rest..}`.
pub fn route(inner: &mut Inner, scene: &Scene, method: &str, channel: u64, rest: &[&str], body: &Value) -> Reply {
    if !inner.channels.contains_key(&channel) {
        return Reply::unknown_channel();
    }
    match (method, rest) {
        ("GET", []) => get_channel(inner, channel),
        ("PATCH", []) => edit_channel(inner, channel, body),
        ("POST", ["messages"]) => create_message(inner, scene, channel, body),
        ("GET", ["messages"]) => list_messages(inner, channel),
        ("GET", ["messages", id]) => get_message(inner, channel, parse(id)),
        ("PATCH", ["messages", id]) => edit_message(inner, channel, parse(id), body),
        ("DELETE", ["messages", id]) => delete_message(inner, channel, parse(id)),
        ("POST", ["threads"]) => create_thread(inner, scene, channel, body),
        ("POST", ["messages", id, "threads"]) => thread_from_message(inner, scene, channel, parse(id), body),
        ("PUT", ["thread-members", user]) => thread_member(inner, channel, user, true),
        ("DELETE", ["thread-members", user]) => thread_member(inner, channel, user, false),
        ("PUT", ["messages", id, "reactions", emoji, "@me"]) => react(inner, channel, parse(id), emoji),
        ("DELETE", ["messages", _, "reactions", ..]) => Reply::no_content(),
        ("POST", ["typing"]) => Reply::no_content(),
        _ => {
            inner.fail(format!(
                "unhandled channel route {method} /channels/{channel}/{}",
                rest.join("/")
            ));
            Reply::not_found()
        }
    }
}

fn parse(segment: &str) -> u64 {
    segment.parse().unwrap_or(0)
}

fn channel_mut(inner: &mut Inner, channel: u64) -> &mut ChannelState {
    // `route` checked that the channel exists.
    inner
        .channels
        .entry(channel)
        .or_insert_with(|| ChannelState::new(Value::Null))
}

fn get_channel(inner: &mut Inner, channel: u64) -> Reply {
    let body = channel_mut(inner, channel).channel.clone();
    channel_reply(inner, body)
}

fn edit_channel(inner: &mut Inner, channel: u64, body: &Value) -> Reply {
    let state = channel_mut(inner, channel);
    for key in ["name", "topic"] {
        if let Some(value) = body.get(key) {
            state.channel[key] = value.clone();
        }
    }
    for key in ["archived", "locked", "auto_archive_duration"] {
        if let (Some(value), Some(meta)) = (body.get(key), state.channel.get_mut("thread_metadata")) {
            meta[key] = value.clone();
        }
    }
    let body = state.channel.clone();
    channel_reply(inner, body)
}

/// A message the bot posts, built from the request body.
pub fn bot_message(scene: &Scene, channel: u64, id: u64, body: &Value) -> Value {
    let author = builders::user_json(scene.bot_user_id, &scene.bot_name, true);
    let content = body.get("content").and_then(Value::as_str).unwrap_or_default();
    let mut message = builders::message_json(id, channel, Some(scene.guild_id), author, content);
    for key in ["embeds", "components", "flags", "nonce"] {
        if let Some(value) = body.get(key).filter(|v| !v.is_null()) {
            message[key] = value.clone();
        }
    }
    message
}

fn nonce_of(body: &Value) -> Option<String> {
    match body.get("nonce")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `POST /channels/{id}/messages`; with `nonce` + `enforce_nonce` a repeat returns the original.
fn create_message(inner: &mut Inner, scene: &Scene, channel: u64, body: &Value) -> Reply {
    if let Some(rejected) = limits::check_message(body) {
        return rejected;
    }
    let enforce = body.get("enforce_nonce").and_then(Value::as_bool).unwrap_or(false);
    let nonce = nonce_of(body).filter(|_| enforce);
    let state = channel_mut(inner, channel);
    if let Some(original) = nonce.as_ref().and_then(|n| state.nonces.get(n)).copied() {
        let found = state.messages.iter().find(|m| id_of(m) == original).cloned();
        if let Some(message) = found {
            return message_reply(inner, 200, message);
        }
    }
    let id = builders::next_id();
    let message = bot_message(scene, channel, id, body);
    state.messages.push(message.clone());
    if let Some(nonce) = nonce {
        state.nonces.insert(nonce, id);
    }
    state.channel["last_message_id"] = Value::from(id.to_string());
    inner.echo("MESSAGE_CREATE", message.clone());
    message_reply(inner, 200, message)
}

fn id_of(message: &Value) -> u64 {
    message
        .get("id")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn list_messages(inner: &mut Inner, channel: u64) -> Reply {
    let mut messages = channel_mut(inner, channel).messages.clone();
    messages.reverse();
    Reply::ok(Value::from(messages))
}

fn get_message(inner: &mut Inner, channel: u64, id: u64) -> Reply {
    match channel_mut(inner, channel)
        .messages
        .iter()
        .find(|m| id_of(m) == id)
        .cloned()
    {
        Some(message) => message_reply(inner, 200, message),
        None => Reply::unknown_message(),
    }
}

fn edit_message(inner: &mut Inner, channel: u64, id: u64, body: &Value) -> Reply {
    if let Some(rejected) = limits::check_message(body) {
        return rejected;
    }
    let state = channel_mut(inner, channel);
    let Some(message) = state.messages.iter_mut().find(|m| id_of(m) == id) else {
        return Reply::unknown_message();
    };
    merge_edit(message, body);
    let message = message.clone();
    message_reply(inner, 200, message)
}

/// Applies a message edit body (content, embeds, components, flags) to a stored message.
pub fn merge_edit(message: &mut Value, body: &Value) {
    for key in ["content", "embeds", "components", "flags"] {
        if let Some(value) = body.get(key).filter(|v| !v.is_null()) {
            message[key] = value.clone();
        }
    }
    message["edited_timestamp"] = Value::from(builders::timestamp_now());
}

fn delete_message(inner: &mut Inner, channel: u64, id: u64) -> Reply {
    let state = channel_mut(inner, channel);
    let before = state.messages.len();
    state.messages.retain(|m| id_of(m) != id);
    if state.messages.len() == before {
        return Reply::unknown_message();
    }
    Reply::no_content()
}

/// `POST /channels/{id}/threads`: without `type` Discord makes a private thread (12).
fn create_thread(inner: &mut Inner, scene: &Scene, parent: u64, body: &Value) -> Reply {
    let kind = body.get("type").and_then(Value::as_u64).unwrap_or(12);
    new_thread(inner, scene, parent, builders::next_id(), kind, body)
}

/// `POST /channels/{id}/messages/{mid}/threads`: a public thread whose id is the message's.
fn thread_from_message(inner: &mut Inner, scene: &Scene, parent: u64, message: u64, body: &Value) -> Reply {
    if !channel_mut(inner, parent).messages.iter().any(|m| id_of(m) == message) {
        return Reply::unknown_message();
    }
    new_thread(inner, scene, parent, message, 11, body)
}

fn new_thread(inner: &mut Inner, scene: &Scene, parent: u64, id: u64, kind: u64, body: &Value) -> Reply {
    let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
    if name.is_empty() || name.chars().count() > 100 {
        return Reply::error(400, 50035, "Invalid Form Body (name)");
    }
    let archive = body
        .get("auto_archive_duration")
        .and_then(Value::as_u64)
        .unwrap_or(4320);
    let kind = u8::try_from(kind).unwrap_or(12);
    let thread = builders::thread_json(id, scene.guild_id, parent, scene.bot_user_id, name, kind, archive);
    let mut state = ChannelState::new(thread.clone());
    state.thread_members.push(scene.bot_user_id);
    inner.channels.insert(id, state);
    let mut event = thread.clone();
    event["newly_created"] = Value::Bool(true);
    inner.echo("THREAD_CREATE", event);
    let mut reply = channel_reply(inner, thread);
    reply.status = if reply.status == 200 { 201 } else { reply.status };
    reply
}

fn thread_member(inner: &mut Inner, channel: u64, user: &str, add: bool) -> Reply {
    let state = channel_mut(inner, channel);
    if state.channel.get("thread_metadata").is_none() {
        return Reply::error(400, 50024, "Cannot execute action on this channel type");
    }
    let user = user.parse().unwrap_or(0);
    state.thread_members.retain(|u| *u != user);
    if add {
        state.thread_members.push(user);
    }
    Reply::no_content()
}

fn react(inner: &mut Inner, channel: u64, message: u64, emoji: &str) -> Reply {
    let state = channel_mut(inner, channel);
    if !state.messages.iter().any(|m| id_of(m) == message) {
        return Reply::unknown_message();
    }
    state.reactions.push((message, emoji.to_string()));
    Reply::no_content()
}
