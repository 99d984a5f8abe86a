//! What the fake server records about each REST call and each gateway session.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use hyper::body::Bytes;
use serde_json::Value;

/// Request headers worth asserting on; every other header is dropped.
pub const HEADERS_OF_INTEREST: &[&str] = &["authorization", "content-type", "user-agent", "x-audit-log-reason"];

/// One REST request as the bot sent it, with the status the fake answered.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    /// Order of arrival, from 0.
    pub seq: u64,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The route without the `/api/v10` prefix, e.g. `/channels/1/messages`.
    pub path: String,
    /// Query pairs in order (serenity's leading `&` is tolerated).
    pub query: Vec<(String, String)>,
    /// Lower-case names from [`HEADERS_OF_INTEREST`].
    pub headers: BTreeMap<String, String>,
    /// The JSON body, if the request had one that parsed (for multipart: `payload_json`).
    pub body: Option<Value>,
    /// The file parts of a multipart request, in order.
    pub files: Vec<UploadedFile>,
    /// The status the fake answered with (after fault injection).
    pub status: u16,
    /// When the request arrived (real time).
    pub at: Instant,
    /// For a 429: the wait the answer advertised (the `retry-after` header, else the body's
    /// `retry_after`), if any.
    pub retry_after: Option<Duration>,
}

/// One `files[n]` part of a multipart/form-data request.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadedFile {
    /// The part's name, e.g. `files[0]`.
    pub field: String,
    /// The `filename` of its Content-Disposition.
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Bytes,
}

impl RecordedCall {
    /// True when method and path match; `*` in `pattern` matches one path segment.
    pub fn is(&self, method: &str, pattern: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && path_matches(pattern, &self.path)
    }

    /// A string field of the JSON body, e.g. `content`.
    pub fn body_str(&self, key: &str) -> Option<&str> {
        self.body.as_ref()?.get(key)?.as_str()
    }
}

/// Segment-wise match: `/channels/*/threads` matches `/channels/12/threads`; a final `**`
/// matches any rest (`/**` is every route).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pat: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_matches('/').split('/').collect();
    let segment = |(p, g): (&&str, &&str)| *p == "*" || p == g;
    match pat.split_last() {
        Some((&"**", head)) => got.len() >= head.len() && head.iter().zip(&got).all(segment),
        _ => pat.len() == got.len() && pat.iter().zip(&got).all(segment),
    }
}

/// The Identify (op 2) a client sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Identify {
    /// The token as sent, `Bot ` prefix included.
    pub token: String,
    pub intents: u64,
    /// The whole `d` object.
    pub raw: Value,
}

/// The Resume (op 6) a client sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Resume {
    pub session_id: String,
    /// The last sequence number the client had seen.
    pub seq: u64,
}

/// One answer the bot gave to an interaction, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionResponse {
    pub kind: ResponseKind,
    /// The JSON body sent (for a callback: `{"type":N,"data":...}`).
    pub body: Value,
}

/// Which endpoint carried an interaction answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    /// `POST /interactions/{id}/{token}/callback`, with the callback type (4, 5, 6, 7, 8, 9).
    Callback(u8),
    /// `PATCH /webhooks/{app}/{token}/messages/@original`.
    EditOriginal,
    /// `POST /webhooks/{app}/{token}`.
    Followup,
    /// `PATCH /webhooks/{app}/{token}/messages/{id}` (not `@original`).
    EditFollowup,
    /// `DELETE` of the original or a follow-up.
    Delete,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_matches_one_segment() {
        assert!(path_matches("/channels/*/threads", "/channels/12/threads"));
        assert!(!path_matches("/channels/*/threads", "/channels/12/messages"));
        assert!(!path_matches("/channels/*", "/channels/12/threads"));
    }

    #[test]
    fn double_star_matches_any_rest() {
        assert!(path_matches("/**", "/gateway"));
        assert!(path_matches("/channels/**", "/channels/12/messages/3"));
        assert!(!path_matches("/channels/**", "/guilds/1"));
    }
}
