//! Per-route attempts with their arrival times, to check a client honoured `Retry-After`: after a
//! 429 that advertised a wait, the next attempt on the same route must not come sooner.

use std::time::{Duration, Instant};

use super::calls::RecordedCall;
use super::FakeDiscord;

/// One request on a route, as the server saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub seq: u64,
    pub path: String,
    pub at: Instant,
    pub status: u16,
    /// The wait a 429 answer advertised.
    pub retry_after: Option<Duration>,
}

impl Attempt {
    fn from_call(call: &RecordedCall) -> Self {
        Attempt {
            seq: call.seq,
            path: call.path.clone(),
            at: call.at,
            status: call.status,
            retry_after: call.retry_after,
        }
    }
}

/// Pairs (429, next attempt) where the next attempt came before the advertised wait was over.
pub fn early_retries(attempts: &[Attempt]) -> Vec<(Attempt, Attempt)> {
    attempts
        .windows(2)
        .filter_map(|pair| {
            let wait = pair[0].retry_after.filter(|_| pair[0].status == 429)?;
            (pair[1].at.duration_since(pair[0].at) < wait).then(|| (pair[0].clone(), pair[1].clone()))
        })
        .collect()
}

impl FakeDiscord {
    /// Every call of `method` (any with `"*"`) on `pattern` (see [`crate::calls::path_matches`]),
    /// in arrival order, with arrival times and advertised waits.
    pub fn attempts(&self, method: &str, pattern: &str) -> Vec<Attempt> {
        self.shared.read(|inner| {
            inner
                .calls
                .iter()
                .filter(|c| {
                    (method == "*" || c.method.eq_ignore_ascii_case(method))
                        && super::calls::path_matches(pattern, &c.path)
                })
                .map(Attempt::from_call)
                .collect()
        })
    }

    /// Attempts on `pattern` that came sooner after a 429 than its `Retry-After` allowed (empty
    /// when the client honoured every wait). Use `"/**"` for a global limit.
    pub fn early_retries(&self, method: &str, pattern: &str) -> Vec<(Attempt, Attempt)> {
        early_retries(&self.attempts(method, pattern))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(at: Instant, status: u16, wait_ms: Option<u64>) -> Attempt {
        Attempt {
            seq: 0,
            path: "/x".to_string(),
            at,
            status,
            retry_after: wait_ms.map(Duration::from_millis),
        }
    }

    #[test]
    fn a_retry_before_the_advertised_wait_is_early() {
        let t0 = Instant::now();
        let honoured = [
            attempt(t0, 429, Some(100)),
            attempt(t0 + Duration::from_millis(100), 200, None),
        ];
        assert!(early_retries(&honoured).is_empty());
        let early = [
            attempt(t0, 429, Some(100)),
            attempt(t0 + Duration::from_millis(99), 200, None),
        ];
        assert_eq!(early_retries(&early).len(), 1);
    }
}
