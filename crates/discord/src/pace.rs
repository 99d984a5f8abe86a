//! Keeps the scheduler's posts under Discord's global limit (50 requests/s per bot): serenity's
//! ratelimiter only reacts after a global 429, and Cloudflare bans a bot that collects too many
//! rejected requests. Posts are spaced evenly; interaction replies are not paced (Discord does
//! not count them against the global limit).

use std::sync::Mutex;
use tokio::time::{Duration, Instant};

#[derive(Debug)]
pub struct Pacer {
    interval: Duration,
    next: Mutex<Instant>,
}

impl Pacer {
    pub fn per_second(posts: u32) -> Pacer {
        Pacer {
            interval: Duration::from_secs(1) / posts.max(1),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this caller's slot; concurrent callers get consecutive slots.
    pub async fn wait(&self) {
        let slot = {
            // A poisoned lock only means another caller panicked mid-update; the instant is valid.
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn posts_are_spaced_to_the_rate() {
        let pacer = Pacer::per_second(40);
        let start = Instant::now();
        for _ in 0..81 {
            pacer.wait().await;
        }
        // The first goes at once, the other 80 one 25 ms slot each.
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_pacer_does_not_save_up_a_burst() {
        let pacer = Pacer::per_second(10);
        tokio::time::sleep(Duration::from_secs(60)).await;
        let start = Instant::now();
        for _ in 0..11 {
            pacer.wait().await;
        }
        assert_eq!(start.elapsed(), Duration::from_secs(1));
    }
}
