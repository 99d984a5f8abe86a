//! Interaction routes: the initial callback and the webhook routes for `@original` and
//! follow-ups, with attachments. Answers are recorded per interaction for
//! `FakeDiscord::interaction_responses`.

use serde_json::Value;
use serenity::model::Permissions;

use super::super::builders::{self, Scene};
use super::super::calls::{InteractionResponse, ResponseKind, UploadedFile};
use super::super::state::Inner;
use super::channels::{bot_message, edit_attachments, is_empty_message, merge_edit};
use super::mentions::{self, Context};
use super::reply::Reply;
use super::{attachments, limits, message_reply};

/// `POST /interactions/{id}/{token}/callback`: 204, once per interaction.
///
/// Like Discord, a callback later than the deadline (3 s unless the test changed it) is refused
/// with 10062 Unknown interaction: the bot must defer slow work.
pub fn callback(inner: &mut Inner, scene: &Scene, id: u64, token: &str, body: &Value, files: &[UploadedFile]) -> Reply {
    let (deadline, now) = (inner.interaction_deadline, inner.now());
    let Some(state) = inner.interactions.get(token).filter(|s| s.id == id) else {
        return Reply::error(404, 10062, "Unknown interaction");
    };
    if state
        .responses
        .iter()
        .any(|r| matches!(r.kind, ResponseKind::Callback(_)))
    {
        return Reply::error(400, 40060, "Interaction has already been acknowledged.");
    }
    if deadline.is_some_and(|d| now.duration_since(state.received) > d) {
        return Reply::error(404, 10062, "Unknown interaction");
    }
    let channel = state.channel_id;
    let data = body.get("data").cloned().unwrap_or(Value::Null);
    if let Some(rejected) = limits::check_message(&data) {
        return rejected;
    }
    let attachments = match attachments::resolve(inner, channel, &data, files, &[]) {
        Ok(list) => list,
        Err(rejected) => return rejected,
    };
    let kind = body
        .get("type")
        .and_then(Value::as_u64)
        .and_then(|t| u8::try_from(t).ok())
        .unwrap_or(0);
    let message = (kind == 4).then(|| webhook_message(inner, scene, channel, &data, attachments));
    if let Some(state) = inner.interactions.get_mut(token) {
        state.responses.push(InteractionResponse {
            kind: ResponseKind::Callback(kind),
            body: body.clone(),
        });
        state.original.clone_from(&message);
    }
    if let Some(message) = message {
        store_in_channel(inner, message);
    }
    Reply::no_content()
}

/// Routes `/webhooks/{app}/{token}/{rest..}`.
pub fn webhook(
    inner: &mut Inner,
    scene: &Scene,
    method: &str,
    token: &str,
    rest: &[&str],
    body: &Value,
    files: &[UploadedFile],
) -> Reply {
    let Some(channel) = inner.interactions.get(token).map(|s| s.channel_id) else {
        return Reply::error(404, 10015, "Unknown Webhook");
    };
    if method == "POST" || method == "PATCH" {
        if let Some(rejected) = limits::check_message(body) {
            return rejected;
        }
    }
    let kind = match (method, rest) {
        ("POST", []) => ResponseKind::Followup,
        ("PATCH", ["messages", "@original"]) => ResponseKind::EditOriginal,
        ("PATCH", ["messages", _]) => ResponseKind::EditFollowup,
        ("DELETE", ["messages", _]) => ResponseKind::Delete,
        ("GET", ["messages", "@original"]) => return get_original(inner, token),
        _ => {
            inner.fail(format!(
                "unhandled webhook route {method} /webhooks/…/{}",
                rest.join("/")
            ));
            return Reply::not_found();
        }
    };
    record(inner, token, kind, body);
    let result = match (kind, rest) {
        (ResponseKind::Followup, _) => followup(inner, scene, channel, body, files),
        (ResponseKind::EditOriginal, _) => edit_original(inner, scene, token, channel, body, files),
        (ResponseKind::EditFollowup, [_, id]) => edit_followup(inner, channel, id, body, files),
        _ => Ok(Reply::no_content()),
    };
    result.unwrap_or_else(|rejected| rejected)
}

fn record(inner: &mut Inner, token: &str, kind: ResponseKind, body: &Value) {
    if let Some(state) = inner.interactions.get_mut(token) {
        state.responses.push(InteractionResponse {
            kind,
            body: body.clone(),
        });
    }
}

fn get_original(inner: &mut Inner, token: &str) -> Reply {
    match inner.interactions.get(token).and_then(|s| s.original.clone()) {
        Some(message) => message_reply(inner, 200, message),
        None => Reply::unknown_message(),
    }
}

fn followup(
    inner: &mut Inner,
    scene: &Scene,
    channel: u64,
    body: &Value,
    files: &[UploadedFile],
) -> Result<Reply, Reply> {
    let attachments = attachments::resolve(inner, channel, body, files, &[])?;
    if is_empty_message(body, &attachments) {
        return Err(Reply::error(400, 50006, "Cannot send an empty message"));
    }
    let message = webhook_message(inner, scene, channel, body, attachments);
    store_in_channel(inner, message.clone());
    Ok(message_reply(inner, 200, message))
}

/// A message sent through the interaction's webhook, mentions resolved with the app's
/// permissions in the channel.
fn webhook_message(inner: &Inner, scene: &Scene, channel: u64, body: &Value, attachments: Vec<Value>) -> Value {
    let mut message = bot_message(scene, channel, builders::next_id(), body);
    message["webhook_id"] = Value::from(scene.application_id.to_string());
    message["application_id"] = Value::from(scene.application_id.to_string());
    message["attachments"] = Value::from(attachments);
    let permissions = inner.bot_permissions(scene, channel).unwrap_or(Permissions::empty());
    mentions::apply(inner, &mut message, body, Context::Webhook, permissions);
    message
}

fn edit_original(
    inner: &mut Inner,
    scene: &Scene,
    token: &str,
    channel: u64,
    body: &Value,
    files: &[UploadedFile],
) -> Result<Reply, Reply> {
    let original = inner.interactions.get(token).and_then(|s| s.original.clone());
    let mut message = match original {
        Some(mut original) => {
            merge_edit(&mut original, body);
            original
        }
        // After a deferred callback (type 5) the first edit fills the placeholder.
        None => webhook_message(inner, scene, channel, body, Vec::new()),
    };
    edit_attachments(inner, channel, &mut message, body, files)?;
    if let Some(state) = inner.interactions.get_mut(token) {
        state.original = Some(message.clone());
    }
    replace_in_channel(inner, channel, &message);
    Ok(message_reply(inner, 200, message))
}

fn edit_followup(
    inner: &mut Inner,
    channel: u64,
    id: &str,
    body: &Value,
    files: &[UploadedFile],
) -> Result<Reply, Reply> {
    let found = inner.channels.get(&channel).and_then(|c| {
        c.messages
            .iter()
            .find(|m| m.get("id").and_then(Value::as_str) == Some(id))
            .cloned()
    });
    let Some(mut message) = found else {
        return Err(Reply::unknown_message());
    };
    merge_edit(&mut message, body);
    edit_attachments(inner, channel, &mut message, body, files)?;
    replace_in_channel(inner, channel, &message);
    Ok(message_reply(inner, 200, message))
}

/// Keeps the channel's copy of an edited message in step.
fn replace_in_channel(inner: &mut Inner, channel: u64, message: &Value) {
    if let Some(state) = inner.channels.get_mut(&channel) {
        if let Some(stored) = state.messages.iter_mut().find(|m| m["id"] == message["id"]) {
            *stored = message.clone();
        }
    }
}

fn store_in_channel(inner: &mut Inner, message: Value) {
    let channel = message
        .get("channel_id")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok());
    if let Some(state) = channel.and_then(|c: u64| inner.channels.get_mut(&c)) {
        state.messages.push(message.clone());
        inner.echo("MESSAGE_CREATE", message);
    }
}
