//! Capped exponential backoff between attempts to reach Discord: 1 s, 2 s, 4 s … up to a
//! minute, so an outage costs few requests (Discord counts invalid ones) and a short blip
//! little waiting.

use std::time::Duration;

const FIRST: Duration = Duration::from_secs(1);
const CAP: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Default)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    /// Counts one more failure and says how long to wait before the next attempt.
    pub fn next_delay(&mut self) -> Duration {
        let doubled = FIRST.saturating_mul(1u32 << self.failures.min(16));
        self.failures = self.failures.saturating_add(1);
        doubled.min(CAP)
    }

    /// Failures counted so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_one_second_and_stops_at_a_minute() {
        let mut backoff = Backoff::default();
        let secs: Vec<u64> = (0..10).map(|_| backoff.next_delay().as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
        assert_eq!(backoff.failures(), 10);
        for _ in 0..100 {
            assert_eq!(backoff.next_delay(), CAP);
        }
    }
}
