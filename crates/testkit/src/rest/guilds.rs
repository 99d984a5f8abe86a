//! Guild routes: roles, a member, and the guild's channels, from the configured guild.

use serde_json::Value;

use super::super::builders::Scene;
use super::super::events::id_of;
use super::super::guild;
use super::super::state::Inner;
use super::super::validate;
use super::reply::Reply;

/// Routes `/guilds/{guild}/{rest..}`.
pub fn route(inner: &mut Inner, scene: &Scene, method: &str, guild: u64, rest: &[&str]) -> Reply {
    if guild != scene.guild_id {
        return Reply::error(404, 10004, "Unknown Guild");
    }
    match (method, rest) {
        ("GET", ["roles"]) => roles(inner),
        ("GET", ["members", user]) => member(inner, scene, user.parse().unwrap_or(0)),
        ("GET", ["channels"]) => channels(inner, scene),
        _ => {
            inner.fail(format!(
                "unhandled guild route {method} /guilds/{guild}/{}",
                rest.join("/")
            ));
            Reply::not_found()
        }
    }
}

fn roles(inner: &mut Inner) -> Reply {
    let list: Vec<Value> = inner.guild.roles.values().map(guild::role_json).collect();
    for role in &list {
        if let Err(e) = validate::role(role) {
            inner.fail(format!("fake role invalid: {e}"));
        }
    }
    Reply::ok(Value::from(list))
}

fn member(inner: &mut Inner, scene: &Scene, user: u64) -> Reply {
    let Some(member) = inner.guild.members.get(&user) else {
        return Reply::error(404, 10007, "Unknown Member");
    };
    let body = guild::member_json(member, user == scene.bot_user_id);
    if let Err(e) = validate::member(&body) {
        inner.fail(format!("fake member invalid: {e}"));
    }
    Reply::ok(body)
}

/// The guild's channels (threads are not listed, as on Discord).
fn channels(inner: &mut Inner, scene: &Scene) -> Reply {
    let mut list: Vec<Value> = inner
        .channels
        .values()
        .map(|c| c.channel.clone())
        .filter(|c| c.get("thread_metadata").is_none() && id_of(c, "guild_id") == scene.guild_id)
        .collect();
    list.sort_by_key(|c| c["id"].as_str().and_then(|s| s.parse::<u64>().ok()));
    for channel in &list {
        if let Err(e) = validate::channel(channel) {
            inner.fail(format!("fake channel invalid: {e}"));
        }
    }
    Reply::ok(Value::from(list))
}
