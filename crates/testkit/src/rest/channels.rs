//! Channel routes: the channel itself, messages (with nonce deduplication in a time window,
//! attachments, history pages and mentions), threads, thread members, reactions and typing. The
//! bot's permissions are enforced through `access`.

use serde_json::Value;

use super::super::builders::{self, Scene};
use super::super::calls::{RecordedCall, UploadedFile};
use super::super::events::id_of;
use super::super::state::{ChannelState, Inner};
use super::mentions::{self, Context};
use super::reply::Reply;
use super::{access, attachments, history, limits};
use super::{channel_reply, message_reply};

/// Routes `/channels/{channel}/{rest..}`.
pub fn route(
    inner: &mut Inner,
    scene: &Scene,
    call: &RecordedCall,
    channel: u64,
    rest: &[&str],
    body: &Value,
) -> Reply {
    if !inner.channels.contains_key(&channel) {
        return Reply::unknown_channel();
    }
    let files = call.files.as_slice();
    let result = match (call.method.as_str(), rest) {
        ("GET", []) => Ok(get_channel(inner, channel)),
        ("PATCH", []) => Ok(edit_channel(inner, channel, body)),
        ("POST", ["messages"]) => create_message(inner, scene, channel, body, files),
        ("GET", ["messages"]) => list_messages(inner, scene, channel, &call.query),
        ("GET", ["messages", id]) => get_message(inner, scene, channel, parse(id)),
        ("PATCH", ["messages", id]) => edit_message(inner, channel, parse(id), body, files),
        ("DELETE", ["messages", id]) => Ok(delete_message(inner, channel, parse(id))),
        ("POST", ["threads"]) => create_thread(inner, scene, channel, body),
        ("POST", ["messages", id, "threads"]) => thread_from_message(inner, scene, channel, parse(id), body),
        ("PUT", ["thread-members", user]) => Ok(thread_member(inner, channel, user, true)),
        ("DELETE", ["thread-members", user]) => Ok(thread_member(inner, channel, user, false)),
        ("PUT", ["messages", id, "reactions", emoji, "@me"]) => react(inner, scene, channel, parse(id), emoji),
        ("DELETE", ["messages", _, "reactions", ..]) => Ok(Reply::no_content()),
        ("POST", ["typing"]) => Ok(Reply::no_content()),
        _ => {
            let method = &call.method;
            inner.fail(format!(
                "unhandled channel route {method} /channels/{channel}/{}",
                rest.join("/")
            ));
            Ok(Reply::not_found())
        }
    };
    result.unwrap_or_else(|rejected| rejected)
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
    for key in ["embeds", "components", "flags", "nonce", "message_reference"] {
        if let Some(value) = body.get(key).filter(|v| !v.is_null()) {
            message[key] = value.clone();
        }
    }
    if body.get("message_reference").is_some_and(|r| !r.is_null()) {
        message["type"] = Value::from(19); // REPLY
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

/// Discord's 50006: nothing to show (no content, embeds, components, stickers, poll or files).
pub fn is_empty_message(body: &Value, attachments: &[Value]) -> bool {
    let blank = |key: &str| match body.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    };
    attachments.is_empty()
        && ["content", "embeds", "components", "sticker_ids", "poll"]
            .iter()
            .all(|k| blank(k))
}

/// `POST /channels/{id}/messages`; with `nonce` + `enforce_nonce` a repeat within the nonce
/// window returns the original instead of creating another.
fn create_message(
    inner: &mut Inner,
    scene: &Scene,
    channel: u64,
    body: &Value,
    files: &[UploadedFile],
) -> Result<Reply, Reply> {
    if let Some(rejected) = limits::check_message(body) {
        return Err(rejected);
    }
    let permissions = access::send(inner, scene, channel, !files.is_empty())?;
    let enforce = body.get("enforce_nonce").and_then(Value::as_bool).unwrap_or(false);
    let nonce = nonce_of(body).filter(|_| enforce);
    let (now, window) = (inner.now(), inner.nonce_window);
    let state = channel_mut(inner, channel);
    if let Some(original) = nonce.as_ref().and_then(|n| state.nonces.lookup(n, now, window)) {
        if let Some(message) = state.messages.iter().find(|m| id_of(m, "id") == original).cloned() {
            return Ok(message_reply(inner, 200, message));
        }
    }
    let attachments = attachments::resolve(inner, channel, body, files, &[])?;
    if is_empty_message(body, &attachments) {
        return Err(Reply::error(400, 50006, "Cannot send an empty message"));
    }
    let id = builders::next_id();
    let mut message = bot_message(scene, channel, id, body);
    message["attachments"] = Value::from(attachments);
    mentions::apply(inner, &mut message, body, Context::Channel, permissions);
    let state = channel_mut(inner, channel);
    state.messages.push(message.clone());
    if let Some(nonce) = nonce {
        state.nonces.remember(nonce, id, now, window);
    }
    state.channel["last_message_id"] = Value::from(id.to_string());
    inner.echo("MESSAGE_CREATE", message.clone());
    Ok(message_reply(inner, 200, message))
}

/// `GET /channels/{id}/messages?before|after|around&limit`: a page, newest first.
fn list_messages(inner: &mut Inner, scene: &Scene, channel: u64, query: &[(String, String)]) -> Result<Reply, Reply> {
    let query = history::parse(query)?;
    if !access::read_history(inner, scene, channel)? {
        return Ok(Reply::ok(Value::Array(Vec::new())));
    }
    let page = history::select(&channel_mut(inner, channel).messages, query);
    Ok(Reply::ok(Value::from(page)))
}

fn get_message(inner: &mut Inner, scene: &Scene, channel: u64, id: u64) -> Result<Reply, Reply> {
    access::view(inner, scene, channel)?;
    let found = channel_mut(inner, channel)
        .messages
        .iter()
        .find(|m| id_of(m, "id") == id)
        .cloned();
    match found {
        Some(message) => Ok(message_reply(inner, 200, message)),
        None => Err(Reply::unknown_message()),
    }
}

fn edit_message(
    inner: &mut Inner,
    channel: u64,
    id: u64,
    body: &Value,
    files: &[UploadedFile],
) -> Result<Reply, Reply> {
    if let Some(rejected) = limits::check_message(body) {
        return Err(rejected);
    }
    let state = channel_mut(inner, channel);
    let Some(mut message) = state.messages.iter().find(|m| id_of(m, "id") == id).cloned() else {
        return Err(Reply::unknown_message());
    };
    merge_edit(&mut message, body);
    edit_attachments(inner, channel, &mut message, body, files)?;
    if let Some(stored) = channel_mut(inner, channel)
        .messages
        .iter_mut()
        .find(|m| id_of(m, "id") == id)
    {
        *stored = message.clone();
    }
    Ok(message_reply(inner, 200, message))
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

/// On an edit: with an `attachments` array only the listed existing files stay; uploads are
/// added either way (message docs, "Edit Message").
pub fn edit_attachments(
    inner: &mut Inner,
    channel: u64,
    message: &mut Value,
    body: &Value,
    files: &[UploadedFile],
) -> Result<(), Reply> {
    if body.get("attachments").is_none() && files.is_empty() {
        return Ok(());
    }
    let existing = message["attachments"].as_array().cloned().unwrap_or_default();
    message["attachments"] = Value::from(attachments::resolve(inner, channel, body, files, &existing)?);
    Ok(())
}

fn delete_message(inner: &mut Inner, channel: u64, id: u64) -> Reply {
    let state = channel_mut(inner, channel);
    let before = state.messages.len();
    state.messages.retain(|m| id_of(m, "id") != id);
    if state.messages.len() == before {
        return Reply::unknown_message();
    }
    Reply::no_content()
}

/// `POST /channels/{id}/threads`: without `type` Discord makes a private thread (12).
fn create_thread(inner: &mut Inner, scene: &Scene, parent: u64, body: &Value) -> Result<Reply, Reply> {
    let kind = body.get("type").and_then(Value::as_u64).unwrap_or(12);
    access::create_thread(inner, scene, parent, kind)?;
    Ok(new_thread(inner, scene, parent, builders::next_id(), kind, body))
}

/// `POST /channels/{id}/messages/{mid}/threads`: a public thread whose id is the message's.
fn thread_from_message(
    inner: &mut Inner,
    scene: &Scene,
    parent: u64,
    message: u64,
    body: &Value,
) -> Result<Reply, Reply> {
    access::create_thread(inner, scene, parent, 11)?;
    if !channel_mut(inner, parent)
        .messages
        .iter()
        .any(|m| id_of(m, "id") == message)
    {
        return Err(Reply::unknown_message());
    }
    Ok(new_thread(inner, scene, parent, message, 11, body))
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

fn react(inner: &mut Inner, scene: &Scene, channel: u64, message: u64, emoji: &str) -> Result<Reply, Reply> {
    let state = channel_mut(inner, channel);
    if !state.messages.iter().any(|m| id_of(m, "id") == message) {
        return Err(Reply::unknown_message());
    }
    let exists = state.reactions.iter().any(|(m, e)| *m == message && e == emoji);
    if !exists {
        access::react(inner, scene, channel)?;
    }
    channel_mut(inner, channel).reactions.push((message, emoji.to_string()));
    Ok(Reply::no_content())
}
