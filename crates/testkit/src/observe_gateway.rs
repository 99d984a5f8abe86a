//! What a test reads about gateway sessions: each connection's span (READY or RESUMED sent →
//! socket closed) with timestamps and identity, and waits for sessions to go live or end.

use std::time::Duration;

use super::sessions::{first_overlap, GatewaySpan};
use super::{FakeDiscord, TestkitError};

impl FakeDiscord {
    /// Every gateway span so far, in the order they started.
    pub fn gateway_spans(&self) -> Vec<GatewaySpan> {
        self.shared.read(|inner| inner.gateway.spans.clone())
    }

    /// Spans whose socket is still open.
    pub fn live_sessions(&self) -> usize {
        self.shared.read(|inner| inner.gateway.live_spans())
    }

    /// Waits until exactly `n` spans are live; returns them.
    pub async fn wait_for_live_sessions(&self, n: usize, timeout: Duration) -> Result<Vec<GatewaySpan>, TestkitError> {
        self.shared
            .wait_until(&format!("{n} live gateway sessions"), timeout, |inner| {
                let live: Vec<GatewaySpan> = inner.gateway.spans.iter().filter(|s| s.is_live()).cloned().collect();
                (live.len() == n).then_some(live)
            })
            .await
    }

    /// Waits until the span of `connection` has ended (its socket closed); returns it.
    pub async fn wait_for_session_end(&self, connection: u64, timeout: Duration) -> Result<GatewaySpan, TestkitError> {
        self.shared
            .wait_until("a gateway session to end", timeout, |inner| {
                inner
                    .gateway
                    .spans
                    .iter()
                    .rev()
                    .find(|s| s.connection == connection && !s.is_live())
                    .cloned()
            })
            .await
    }

    /// Waits until at least `n` spans have ended in total; returns every span.
    pub async fn wait_for_ended_sessions(&self, n: usize, timeout: Duration) -> Result<Vec<GatewaySpan>, TestkitError> {
        self.shared
            .wait_until(&format!("{n} ended gateway sessions"), timeout, |inner| {
                let ended = inner.gateway.spans.iter().filter(|s| !s.is_live()).count();
                (ended >= n).then(|| inner.gateway.spans.clone())
            })
            .await
    }

    /// Waits until at least `n` connections were closed because the gateway is down (the
    /// client is trying to reconnect).
    pub async fn wait_for_refused_connections(&self, n: u64, timeout: Duration) -> Result<u64, TestkitError> {
        self.shared
            .wait_until(&format!("{n} refused gateway connections"), timeout, |inner| {
                (inner.gateway.refused >= n).then_some(inner.gateway.refused)
            })
            .await
    }

    /// Connections closed because the client stopped heartbeating (close code 4009).
    pub fn gateway_timeouts(&self) -> u64 {
        self.shared.read(|inner| inner.gateway.timed_out)
    }

    /// Waits until at least `n` connections were closed for missing their heartbeats.
    pub async fn wait_for_gateway_timeouts(&self, n: u64, timeout: Duration) -> Result<u64, TestkitError> {
        self.shared
            .wait_until(&format!("{n} gateway connections timed out"), timeout, |inner| {
                (inner.gateway.timed_out >= n).then_some(inner.gateway.timed_out)
            })
            .await
    }

    /// The first two spans of different sessions that were open at the same time, if any (for
    /// "exactly one instance holds the gateway" assertions).
    pub fn overlapping_sessions(&self) -> Option<(GatewaySpan, GatewaySpan)> {
        first_overlap(&self.gateway_spans())
    }
}
