//! Interaction routes: the initial callback and the webhook routes for `@original` and
//! follow-ups. Answers are recorded per interaction for `FakeDiscord::interaction_responses`.

use serde_json::Value;

use super::super::builders::{self, Scene};
use super::super::calls::{InteractionResponse, ResponseKind};
use super::super::state::{Inner, InteractionState};
use super::channels::{bot_message, merge_edit};
use super::limits;
use super::message_reply;
use super::reply::Reply;

/// `POST /interactions/{id}/{token}/callback`: 204, once per interaction.
///
/// Like Discord, a callback later than the deadline (3 s unless the test changed it) is refused
/// with 10062 Unknown interaction: the bot must defer slow work.
pub fn callback(inner: &mut Inner, scene: &Scene, id: u64, token: &str, body: &Value) -> Reply {
    let deadline = inner.interaction_deadline;
    let Some(state) = inner.interactions.get_mut(token).filter(|s| s.id == id) else {
        return Reply::error(404, 10062, "Unknown interaction");
    };
    if state
        .responses
        .iter()
        .any(|r| matches!(r.kind, ResponseKind::Callback(_)))
    {
        return Reply::error(400, 40060, "Interaction has already been acknowledged.");
    }
    if deadline.is_some_and(|d| state.received.elapsed() > d) {
        return Reply::error(404, 10062, "Unknown interaction");
    }
    if let Some(rejected) = body.get("data").and_then(limits::check_message) {
        return rejected;
    }
    let kind = body
        .get("type")
        .and_then(Value::as_u64)
        .and_then(|t| u8::try_from(t).ok())
        .unwrap_or(0);
    state.responses.push(InteractionResponse {
        kind: ResponseKind::Callback(kind),
        body: body.clone(),
    });
    if kind == 4 {
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        let message = webhook_message(scene, state.channel_id, &data);
        state.original = Some(message.clone());
        store_in_channel(inner, message);
    }
    Reply::no_content()
}

/// Routes `/webhooks/{app}/{token}/{rest..}`.
pub fn webhook(inner: &mut Inner, scene: &Scene, method: &str, token: &str, rest: &[&str], body: &Value) -> Reply {
    let Some(state) = inner.interactions.get_mut(token) else {
        return Reply::error(404, 10015, "Unknown Webhook");
    };
    let answer = |kind| InteractionResponse {
        kind,
        body: body.clone(),
    };
    if method == "POST" || method == "PATCH" {
        if let Some(rejected) = limits::check_message(body) {
            return rejected;
        }
    }
    match (method, rest) {
        ("POST", []) => {
            state.responses.push(answer(ResponseKind::Followup));
            let message = webhook_message(scene, state.channel_id, body);
            store_in_channel(inner, message.clone());
            message_reply(inner, 200, message)
        }
        ("PATCH", ["messages", "@original"]) => {
            state.responses.push(answer(ResponseKind::EditOriginal));
            let message = edit_original(scene, state, body);
            message_reply(inner, 200, message)
        }
        ("GET", ["messages", "@original"]) => match state.original.clone() {
            Some(message) => message_reply(inner, 200, message),
            None => Reply::unknown_message(),
        },
        ("PATCH", ["messages", id]) => {
            state.responses.push(answer(ResponseKind::EditFollowup));
            edit_followup(inner, state_channel(inner, token), id, body)
        }
        ("DELETE", ["messages", _]) => {
            state.responses.push(answer(ResponseKind::Delete));
            Reply::no_content()
        }
        _ => {
            inner.fail(format!(
                "unhandled webhook route {method} /webhooks/…/{}",
                rest.join("/")
            ));
            Reply::not_found()
        }
    }
}

fn webhook_message(scene: &Scene, channel: u64, body: &Value) -> Value {
    let mut message = bot_message(scene, channel, builders::next_id(), body);
    message["webhook_id"] = Value::from(scene.application_id.to_string());
    message["application_id"] = Value::from(scene.application_id.to_string());
    message
}

fn edit_original(scene: &Scene, state: &mut InteractionState, body: &Value) -> Value {
    let message = match state.original.as_mut() {
        Some(original) => {
            merge_edit(original, body);
            original.clone()
        }
        // After a deferred callback (type 5) the first edit fills the placeholder.
        None => webhook_message(scene, state.channel_id, body),
    };
    state.original = Some(message.clone());
    message
}

fn state_channel(inner: &Inner, token: &str) -> u64 {
    inner.interactions.get(token).map_or(0, |s| s.channel_id)
}

fn edit_followup(inner: &mut Inner, channel: u64, id: &str, body: &Value) -> Reply {
    let message = inner.channels.get_mut(&channel).and_then(|c| {
        c.messages
            .iter_mut()
            .find(|m| m.get("id").and_then(Value::as_str) == Some(id))
    });
    match message {
        Some(message) => {
            merge_edit(message, body);
            let message = message.clone();
            message_reply(inner, 200, message)
        }
        None => Reply::unknown_message(),
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
