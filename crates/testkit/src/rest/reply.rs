//! The answer a REST handler gives: status, extra headers and an optional JSON body.

use serde_json::{json, Value};

/// A REST answer before it is turned into an HTTP response.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Some(body),
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
        }
    }

    /// Discord's error body: `{"code":…,"message":…}`.
    pub fn error(status: u16, code: u32, message: &str) -> Self {
        Reply::json(status, json!({ "code": code, "message": message }))
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
