//! Scripted 429 answers in Discord's shapes (rate-limits docs): the `Retry-After` header (Discord
//! sends whole seconds, rounded up), the JSON body's float `retry_after` and `global`, and the
//! `X-RateLimit-*` headers; each part can be left out to test a client's handling of it.

use serde_json::json;

use super::rest::reply::Reply;

/// How the `retry-after` header is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfterHeader {
    /// The wait as given, fractions kept (what serenity's ratelimiter parses; handy for fast
    /// tests).
    Exact,
    /// Whole seconds rounded up, as Discord writes it.
    WholeSeconds,
    /// No header: only the body says how long to wait.
    Absent,
}

/// A 429 answer.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimit {
    /// Seconds to wait.
    pub retry_after: f64,
    /// The global limit (`x-ratelimit-global`, `"global": true`, scope `global`).
    pub global: bool,
    pub header: RetryAfterHeader,
    /// Whether the body carries `retry_after`.
    pub body_retry_after: bool,
}

impl RateLimit {
    /// A per-route 429 asking to wait `seconds`, in header and body.
    pub fn after(seconds: f64) -> Self {
        RateLimit {
            retry_after: seconds,
            global: false,
            header: RetryAfterHeader::Exact,
            body_retry_after: true,
        }
    }

    pub fn global(mut self) -> Self {
        self.global = true;
        self
    }

    pub fn header(mut self, header: RetryAfterHeader) -> Self {
        self.header = header;
        self
    }

    /// Leaves `retry_after` out of the JSON body.
    pub fn without_body_retry_after(mut self) -> Self {
        self.body_retry_after = false;
        self
    }

    pub fn reply(&self) -> Reply {
        let mut body = json!({ "message": "You are being rate limited.", "global": self.global });
        if self.body_retry_after {
            body["retry_after"] = json!(self.retry_after);
        }
        let scope = if self.global { "global" } else { "user" };
        let mut reply = Reply::json(429, body)
            .header("x-ratelimit-limit", "5")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset-after", self.retry_after.to_string())
            .header("x-ratelimit-bucket", "fake-bucket")
            .header("x-ratelimit-scope", scope);
        if self.global {
            reply = reply.header("x-ratelimit-global", "true");
        }
        match self.header {
            RetryAfterHeader::Exact => reply.header("retry-after", self.retry_after.to_string()),
            RetryAfterHeader::WholeSeconds => reply.header("retry-after", (self.retry_after.ceil() as u64).to_string()),
            RetryAfterHeader::Absent => reply,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
        reply.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn discord_rounds_the_header_up_and_keeps_the_body_exact() {
        let reply = RateLimit::after(0.25).header(RetryAfterHeader::WholeSeconds).reply();
        assert_eq!(header(&reply, "retry-after"), Some("1"));
        assert_eq!(reply.body.as_ref().unwrap()["retry_after"], 0.25);
    }

    #[test]
    fn a_body_only_429_has_no_header() {
        let reply = RateLimit::after(0.5).global().header(RetryAfterHeader::Absent).reply();
        assert_eq!(header(&reply, "retry-after"), None);
        assert_eq!(header(&reply, "x-ratelimit-global"), Some("true"));
        assert_eq!(reply.body.as_ref().unwrap()["global"], true);
    }
}
