//! The answer a REST handler gives: status, extra headers and an optional JSON (or raw) body, in
//! Discord's error shapes.

use hyper::body::Bytes;
use serde_json::{json, Value};

/// A REST answer before it is turned into an HTTP response.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// A non-JSON body (an attachment's bytes) with its content type.
    pub raw: Option<(String, Bytes)>,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Some(body),
            raw: None,
        }
    }

    pub fn ok(body: Value) -> Self {
        Reply::json(200, body)
    }

    pub fn no_content() -> Self {
        Reply {
            status: 204,
            headers: Vec::new(),
            body: None,
            raw: None,
        }
    }

    /// Discord's error body: `{"code":…,"message":…}`.
    pub fn error(status: u16, code: u32, message: &str) -> Self {
        Reply::json(status, json!({ "code": code, "message": message }))
    }

    /// 400 / 50035 with Discord's `errors` tree for one field (`path` dotted, e.g.
    /// `attachments.0.id`), which serenity reports as the error's path.
    pub fn invalid_form(path: &str, code: &str, message: &str) -> Self {
        let mut errors = json!({ "_errors": [{ "code": code, "message": message }] });
        for key in path.rsplit('.') {
            let mut level = serde_json::Map::new();
            level.insert(key.to_string(), errors);
            errors = Value::Object(level);
        }
        Reply::json(
            400,
            json!({ "code": 50035, "message": "Invalid Form Body", "errors": errors }),
        )
    }

    /// 401 for a refused token, Discord's body.
    pub fn unauthorized() -> Self {
        Reply::error(401, 0, "401: Unauthorized")
    }

    /// 403 / 50013, an action the bot's permissions do not allow.
    pub fn missing_permissions() -> Self {
        Reply::error(403, 50013, "Missing Permissions")
    }

    /// 403 / 50001, a channel the bot cannot see.
    pub fn missing_access() -> Self {
        Reply::error(403, 50001, "Missing Access")
    }

    /// Raw bytes (an attachment download).
    pub fn bytes(content_type: &str, data: Bytes) -> Self {
        Reply {
            status: 200,
            headers: Vec::new(),
            body: None,
            raw: Some((content_type.to_string(), data)),
        }
    }

    pub fn unknown_channel() -> Self {
        Reply::error(404, 10003, "Unknown Channel")
    }

    pub fn unknown_message() -> Self {
        Reply::error(404, 10008, "Unknown Message")
    }

    pub fn not_found() -> Self {
        Reply::error(404, 0, "404: Not Found")
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}
