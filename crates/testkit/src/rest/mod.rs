//! Discord REST v10: the routes the bot uses, answered from the shared state.
//!
//! `server` parses and records each HTTP request and applies scripted faults; `route` picks the
//! handler by method and path segments; handlers live in one file per resource.

mod access;
mod application;
mod attachments;
mod channels;
mod guilds;
mod history;
mod interactions;
pub mod limits;
mod mentions;
mod multipart;
pub mod reply;
pub mod server;

use serde_json::Value;

use super::builders::Scene;
use super::calls::RecordedCall;
use super::state::Inner;
use super::validate;
use reply::Reply;

/// Answers one call (faults already applied).
pub fn route(inner: &mut Inner, scene: &Scene, call: &RecordedCall) -> Reply {
    let segments: Vec<&str> = call.path.trim_matches('/').split('/').collect();
    let body = call.body.clone().unwrap_or(Value::Null);
    match (call.method.as_str(), segments.as_slice()) {
        ("GET", ["gateway"]) => application::gateway(inner),
        ("GET", ["gateway", "bot"]) => application::gateway_bot(inner),
        ("GET", ["oauth2", "applications", "@me"]) => application::info(inner, scene),
        ("GET", ["users", "@me"]) => application::current_user(scene),
        ("PUT", ["applications", _, "commands"]) => application::put_commands(inner, scene, None, &body),
        ("GET", ["applications", _, "commands"]) => Reply::ok(Value::from(inner.global_commands.clone())),
        ("PUT", ["applications", _, "guilds", guild, "commands"]) => {
            application::put_commands(inner, scene, Some(parse(guild)), &body)
        }
        ("GET", ["applications", _, "guilds", guild, "commands"]) => {
            let list = inner.guild_commands.get(&parse(guild)).cloned().unwrap_or_default();
            Reply::ok(Value::from(list))
        }
        ("POST", ["interactions", id, token, "callback"]) => {
            interactions::callback(inner, scene, parse(id), token, &body, &call.files)
        }
        (_, ["webhooks", _, token, rest @ ..]) => {
            interactions::webhook(inner, scene, &call.method, token, rest, &body, &call.files)
        }
        (_, ["channels", channel, rest @ ..]) => channels::route(inner, scene, call, parse(channel), rest, &body),
        (_, ["guilds", guild, rest @ ..]) => guilds::route(inner, scene, &call.method, parse(guild), rest),
        ("GET", ["attachments", _, id, name]) => {
            let content_type = mime_of(name);
            attachments::download(inner, parse(id), content_type)
        }
        _ => {
            inner.fail(format!("unhandled route {} {}", call.method, call.path));
            Reply::not_found()
        }
    }
}

/// The content type a CDN would give a file name (enough for tests: images, CSV, text).
fn mime_of(name: &str) -> Option<&'static str> {
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "csv" => "text/csv",
        "txt" => "text/plain",
        "json" => "application/json",
        _ => return None,
    })
}

/// A snowflake from a path segment; 0 (never a real id) when it is not a number.
fn parse(segment: &str) -> u64 {
    segment.parse().unwrap_or(0)
}

/// A message reply, checked against serenity's `Message` first.
fn message_reply(inner: &mut Inner, status: u16, message: Value) -> Reply {
    match validate::message(&message) {
        Ok(()) => Reply::json(status, message),
        Err(e) => invalid_reply(inner, e, &message),
    }
}

/// A channel reply, checked against serenity's `GuildChannel` first.
fn channel_reply(inner: &mut Inner, channel: Value) -> Reply {
    match validate::channel(&channel) {
        Ok(()) => Reply::ok(channel),
        Err(e) => invalid_reply(inner, e, &channel),
    }
}

fn invalid_reply(inner: &mut Inner, e: validate::Invalid, body: &Value) -> Reply {
    inner.fail(format!("fake reply invalid: {e}; body: {body}"));
    Reply::error(500, 0, "fake discord built an invalid reply")
}
