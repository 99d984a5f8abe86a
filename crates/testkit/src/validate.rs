//! Checks every payload the fake sends against serenity's own model types.
//!
//! serenity turns a known gateway event that fails to parse into `Event::Unknown` and only logs
//! it at debug level, so a malformed fake payload would make the bot's handler silently not
//! fire. Every dispatch and every message/channel reply goes through here first.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use serenity::model::application::CurrentApplicationInfo;
use serenity::model::channel::{GuildChannel, Message};
use serenity::model::event::{Event, GatewayEvent};
use serenity::model::guild::{Member, Role};

/// Why a payload would not be understood by serenity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

/// Checks a dispatch `d` for event `t` as serenity's gateway would parse it (op 0).
pub fn dispatch(event: &str, data: &Value) -> Result<(), Invalid> {
    let frame = json!({ "op": 0, "s": 1, "t": event, "d": data });
    match serde_json::from_value::<GatewayEvent>(frame) {
        Ok(GatewayEvent::Dispatch(_, Event::Unknown(_))) => Err(Invalid(detail(event, data))),
        Ok(GatewayEvent::Dispatch(..)) => Ok(()),
        Ok(other) => Err(Invalid(format!("parsed as {other:?}, not a dispatch"))),
        Err(e) => Err(Invalid(e.to_string())),
    }
}

/// The serde error behind an `Unknown` event, found by parsing `d` into the event's own type.
fn detail(event: &str, data: &Value) -> String {
    use serenity::model::event as ev;
    let reason = match event {
        "INTERACTION_CREATE" => first_error::<ev::InteractionCreateEvent>(data),
        "MESSAGE_CREATE" => first_error::<Message>(data),
        "THREAD_CREATE" => first_error::<GuildChannel>(data),
        "READY" => first_error::<ev::ReadyEvent>(data),
        "GUILD_CREATE" => first_error::<serenity::model::guild::Guild>(data),
        "GUILD_ROLE_CREATE" | "GUILD_ROLE_UPDATE" => first_error::<Role>(&data["role"]),
        "CHANNEL_CREATE" | "CHANNEL_UPDATE" => first_error::<GuildChannel>(data),
        "GUILD_MEMBER_UPDATE" => first_error::<ev::GuildMemberUpdateEvent>(data),
        _ => None,
    };
    let reason = reason.unwrap_or_else(|| "not a known event or unparseable".to_string());
    format!("became Event::Unknown: {reason}")
}

fn first_error<T: DeserializeOwned>(data: &Value) -> Option<String> {
    serde_json::from_value::<T>(data.clone()).err().map(|e| e.to_string())
}

/// Checks a REST reply body that Discord documents as a message object.
pub fn message(body: &Value) -> Result<(), Invalid> {
    as_type::<Message>("Message", body)
}

/// Checks a REST reply body that Discord documents as a guild channel or thread.
pub fn channel(body: &Value) -> Result<(), Invalid> {
    as_type::<GuildChannel>("GuildChannel", body)
}

/// Checks a role object (`GET /guilds/{id}/roles` elements).
pub fn role(body: &Value) -> Result<(), Invalid> {
    as_type::<Role>("Role", body)
}

/// Checks a guild member object (`GET /guilds/{id}/members/{user}`).
pub fn member(body: &Value) -> Result<(), Invalid> {
    as_type::<Member>("Member", body)
}

/// Checks the `GET /oauth2/applications/@me` reply.
pub fn application(body: &Value) -> Result<(), Invalid> {
    as_type::<CurrentApplicationInfo>("CurrentApplicationInfo", body)
}

fn as_type<T: DeserializeOwned>(name: &str, body: &Value) -> Result<(), Invalid> {
    serde_json::from_value::<T>(body.clone())
        .map(|_| ())
        .map_err(|e| Invalid(format!("reply is not a serenity {name}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_event_name_is_rejected() {
        assert!(dispatch("NOT_AN_EVENT", &json!({})).is_err());
    }

    #[test]
    fn resumed_is_accepted() {
        assert!(dispatch("RESUMED", &json!({})).is_ok());
    }

    #[test]
    fn message_without_author_is_rejected() {
        let body = json!({ "id": "1", "channel_id": "2", "content": "x" });
        assert!(message(&body).is_err());
    }
}
