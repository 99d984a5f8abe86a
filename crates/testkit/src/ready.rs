//! The first frames of a new gateway session: READY, then GUILD_CREATE with the guild's roles,
//! channels (with their permission overwrites), active threads and the bot's member, so serenity's
//! cache can compute permissions like it does against Discord.

use serde_json::{json, Value};

use super::builders::{self, Scene};
use super::guild;
use super::state::Inner;
use super::validate;

const INTENT_GUILDS: u64 = 1;

/// READY and, when the session asked for the GUILDS intent, GUILD_CREATE; each checked against
/// serenity's types (a failure is recorded and the frame still sent, so the test sees it).
pub fn first_frames(inner: &mut Inner, scene: &Scene, session_id: &str, intents: u64) -> Vec<(&'static str, Value)> {
    let mut frames = vec![("READY", ready_json(scene, session_id, &inner.gateway_url))];
    if intents & INTENT_GUILDS != 0 {
        frames.push(("GUILD_CREATE", guild_create(inner, scene)));
    }
    for (event, data) in &frames {
        if let Err(e) = validate::dispatch(event, data) {
            inner.fail(format!("{event} is invalid: {e}"));
        }
    }
    frames
}

fn ready_json(scene: &Scene, session_id: &str, gateway_url: &str) -> Value {
    json!({
        "v": 10,
        "user": builders::user_json(scene.bot_user_id, &scene.bot_name, true),
        "guilds": [{ "id": scene.guild_id.to_string(), "unavailable": true }],
        "session_id": session_id,
        "resume_gateway_url": gateway_url,
        "application": { "id": scene.application_id.to_string(), "flags": 0 },
        "shard": [0, 1],
    })
}

/// The guild as it stands now: text channels and threads sorted by id.
pub fn guild_create(inner: &Inner, scene: &Scene) -> Value {
    let mut all: Vec<&Value> = inner.channels.values().map(|c| &c.channel).collect();
    all.sort_by_key(|c| c["id"].as_str().and_then(|s| s.parse::<u64>().ok()));
    let (threads, channels): (Vec<Value>, Vec<Value>) = all
        .into_iter()
        .cloned()
        .partition(|c| c.get("thread_metadata").is_some());
    guild::guild_create_json(scene, &inner.guild, channels, threads)
}
