//! `enforce_nonce` deduplication with Discord's time window.
//!
//! Discord checks a nonce "for uniqueness in the past few minutes" (create message docs); after
//! that a repeat creates a new message. The window is the server's setting (5 minutes by default,
//! zero turns deduplication off), so a test's "posted once" holds because of the bot, not because
//! the fake remembers forever.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Discord does not publish the window; "a few minutes" is taken as five.
pub const DEFAULT_NONCE_WINDOW: Duration = Duration::from_secs(5 * 60);

/// The nonces seen in one channel: nonce → (message id, when it was created).
#[derive(Debug, Clone, Default)]
pub struct NonceBook {
    seen: HashMap<String, (u64, Instant)>,
}

impl NonceBook {
    /// The message created with `nonce` within `window` before `now`, if any. Expired entries are
    /// forgotten on the way.
    pub fn lookup(&mut self, nonce: &str, now: Instant, window: Duration) -> Option<u64> {
        self.seen
            .retain(|_, (_, at)| now.checked_duration_since(*at).map_or(true, |age| age < window));
        self.seen.get(nonce).map(|(id, _)| *id)
    }

    /// Records that message `id` was created with `nonce` at `now` (nothing with a zero window).
    pub fn remember(&mut self, nonce: String, id: u64, now: Instant, window: Duration) {
        if !window.is_zero() {
            self.seen.insert(nonce, (id, now));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_forgotten_after_the_window() {
        let mut book = NonceBook::default();
        let t0 = Instant::now();
        let window = Duration::from_secs(300);
        book.remember("n".to_string(), 7, t0, window);
        assert_eq!(book.lookup("n", t0 + Duration::from_secs(299), window), Some(7));
        assert_eq!(book.lookup("n", t0 + Duration::from_secs(300), window), None);
    }

    #[test]
    fn a_zero_window_never_deduplicates() {
        let mut book = NonceBook::default();
        let t0 = Instant::now();
        book.remember("n".to_string(), 7, t0, Duration::ZERO);
        assert_eq!(book.lookup("n", t0, Duration::ZERO), None);
    }
}
