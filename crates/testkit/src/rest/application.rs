//! Application routes: gateway discovery, application info, the bot user, command registration.

use serde_json::{json, Value};

use super::super::builders::{self, Scene};
use super::super::state::Inner;
use super::super::validate;
use super::reply::Reply;

pub fn gateway(inner: &Inner) -> Reply {
    Reply::ok(json!({ "url": inner.gateway_url }))
}

pub fn gateway_bot(inner: &Inner) -> Reply {
    Reply::ok(json!({
        "url": inner.gateway_url, "shards": 1,
        "session_start_limit": { "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1 },
    }))
}

pub fn current_user(scene: &Scene) -> Reply {
    Reply::ok(builders::user_json(scene.bot_user_id, &scene.bot_name, true))
}

pub fn info(inner: &mut Inner, scene: &Scene) -> Reply {
    let body = json!({
        "id": scene.application_id.to_string(), "name": scene.bot_name, "icon": null,
        "description": "", "bot_public": false, "bot_require_code_grant": false,
        "verify_key": "0000", "team": null, "flags": 0,
        "owner": builders::user_json(builders::next_id(), "owner", false),
    });
    if let Err(e) = validate::application(&body) {
        inner.fail(format!("fake application info invalid: {e}"));
    }
    Reply::ok(body)
}

/// Bulk overwrite: echoes the commands with the fields Discord adds.
pub fn put_commands(inner: &mut Inner, scene: &Scene, guild: Option<u64>, body: &Value) -> Reply {
    let Some(list) = body.as_array() else {
        return Reply::error(400, 50035, "Invalid Form Body");
    };
    let stored: Vec<Value> = list.iter().map(|c| registered(scene, guild, c)).collect();
    match guild {
        Some(guild) => {
            inner.guild_commands.insert(guild, stored.clone());
        }
        None => inner.global_commands = stored.clone(),
    }
    Reply::ok(Value::from(stored))
}

fn registered(scene: &Scene, guild: Option<u64>, command: &Value) -> Value {
    let mut out = command.clone();
    out["id"] = Value::from(builders::next_id().to_string());
    out["application_id"] = Value::from(scene.application_id.to_string());
    out["version"] = Value::from(builders::next_id().to_string());
    if out.get("type").is_none() {
        out["type"] = Value::from(1);
    }
    if out.get("description").is_none() {
        out["description"] = Value::from("");
    }
    if let Some(guild) = guild {
        out["guild_id"] = Value::from(guild.to_string());
    }
    out
}
