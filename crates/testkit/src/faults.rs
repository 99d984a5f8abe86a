//! Scripted faults: "the next N calls matching METHOD + path pattern answer X".

use serde_json::json;

use super::calls::path_matches;
use super::ratelimit::RateLimit;
use super::rest::reply::Reply;

/// What a matching call gets instead of its normal answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 on the route's bucket with a `retry-after` header (seconds, fractions allowed).
    RateLimited { retry_after: f64 },
    /// 429 with `x-ratelimit-global: true`.
    GlobalRateLimited { retry_after: f64 },
    /// 429 without `retry-after` (serenity gives up and returns an error).
    RateLimitedNoRetryAfter,
    /// A 5xx (or any status) with a generic body.
    Status(u16),
    /// 403 Missing Access, code 50001.
    MissingAccess,
    /// 404 Unknown Channel, code 10003.
    UnknownChannel,
    /// A 429 of any shape (header and/or body, global or not).
    RateLimit(RateLimit),
}

impl Fault {
    /// The answer this fault gives.
    pub fn reply(&self) -> Reply {
        match self {
            Fault::RateLimited { retry_after } => RateLimit::after(*retry_after).reply(),
            Fault::GlobalRateLimited { retry_after } => RateLimit::after(*retry_after).global().reply(),
            Fault::RateLimit(limit) => limit.reply(),
            Fault::RateLimitedNoRetryAfter => Reply::json(
                429,
                json!({ "message": "You are being rate limited.", "global": false }),
            ),
            Fault::Status(status) => Reply::error(*status, 0, "injected failure"),
            Fault::MissingAccess => Reply::error(403, 50001, "Missing Access"),
            Fault::UnknownChannel => Reply::unknown_channel(),
        }
    }
}

/// A fault applied to the next `times` calls that match `method` (or any) and `pattern`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    pub method: Option<String>,
    /// Path without `/api/v10`; `*` matches one segment.
    pub pattern: String,
    pub fault: Fault,
    /// How many matching calls still get the fault.
    pub times: u32,
}

impl FaultRule {
    /// One matching call of `method` (e.g. `"POST"`) on `pattern` gets `fault`.
    pub fn new(method: &str, pattern: &str, fault: Fault) -> Self {
        FaultRule {
            method: Some(method.to_ascii_uppercase()),
            pattern: pattern.to_string(),
            fault,
            times: 1,
        }
    }

    /// Any method on `pattern`.
    pub fn any_method(pattern: &str, fault: Fault) -> Self {
        FaultRule {
            method: None,
            pattern: pattern.to_string(),
            fault,
            times: 1,
        }
    }

    /// Every route, any method (e.g. a storm of global 429s).
    pub fn all_routes(fault: Fault) -> Self {
        FaultRule::any_method("/**", fault)
    }

    /// Apply to the next `n` matching calls instead of one (a storm of `n` in a row).
    pub fn times(mut self, n: u32) -> Self {
        self.times = n;
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method.as_deref().map_or(true, |m| m.eq_ignore_ascii_case(method)) && path_matches(&self.pattern, path)
    }
}

/// Takes one use of the first live rule matching the call, if any.
pub fn take_fault(rules: &mut Vec<FaultRule>, method: &str, path: &str) -> Option<Fault> {
    let index = rules.iter().position(|r| r.times > 0 && r.matches(method, path))?;
    let rule = &mut rules[index];
    rule.times -= 1;
    let fault = rule.fault.clone();
    if rule.times == 0 {
        rules.remove(index);
    }
    Some(fault)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_is_used_up_after_its_count() {
        let mut rules = vec![FaultRule::new("POST", "/channels/*/threads", Fault::MissingAccess).times(2)];
        assert!(take_fault(&mut rules, "GET", "/channels/1/threads").is_none());
        assert!(take_fault(&mut rules, "POST", "/channels/1/threads").is_some());
        assert!(take_fault(&mut rules, "POST", "/channels/2/threads").is_some());
        assert!(take_fault(&mut rules, "POST", "/channels/2/threads").is_none());
    }

    #[test]
    fn rate_limit_carries_retry_after_header() {
        let reply = Fault::RateLimited { retry_after: 0.2 }.reply();
        assert_eq!(reply.status, 429);
        assert!(reply.headers.contains(&("retry-after".to_string(), "0.2".to_string())));
    }
}
