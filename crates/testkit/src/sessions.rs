//! Gateway sessions as the server keeps them: several at once (one per identify, as Discord allows
//! for one token), each with its own event log for delivery and resume, and a record of every
//! connection span (READY or RESUMED sent → socket closed) for tests that assert sessions never
//! overlapped.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::calls::{Identify, Resume};

/// A request from a test to a live gateway connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Send op 7 Reconnect; the client should come back with op 6 Resume.
    Reconnect,
    /// Close the TCP connection without a close frame.
    Drop,
}

/// One identified gateway session: the frames queued for it, in sequence order.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    /// The Identify's token, `Bot ` prefix included.
    pub token: String,
    pub intents: u64,
    pub seq: u64,
    /// Every frame of this session, for delivery and for replay on resume.
    pub log: Vec<(u64, Value)>,
    /// When its last connection closed; `None` while one is attached.
    pub detached_since: Option<Instant>,
}

impl Session {
    /// Adds a dispatch frame; returns its sequence number.
    pub fn append(&mut self, event: &str, data: Value) -> u64 {
        self.seq += 1;
        let frame = json!({ "op": 0, "s": self.seq, "t": event, "d": data });
        self.log.push((self.seq, frame));
        self.seq
    }
}

/// One connection's time in a session: from READY (identify) or RESUMED (resume) being queued to
/// the socket closing.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewaySpan {
    /// The gateway connection, numbered from 1 in order of acceptance.
    pub connection: u64,
    pub session_id: String,
    /// The token the session identified with (`Bot ` prefix included).
    pub token: String,
    /// The client's address: separate processes have separate connections.
    pub peer: SocketAddr,
    /// True when this span began with a resume of an existing session.
    pub resumed: bool,
    pub started: Instant,
    pub started_at: DateTime<Utc>,
    /// `None` while the socket is open.
    pub ended: Option<Instant>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl GatewaySpan {
    pub fn is_live(&self) -> bool {
        self.ended.is_none()
    }

    /// Whether two spans of different sessions were open at the same time.
    pub fn overlaps(&self, other: &GatewaySpan) -> bool {
        if self.session_id == other.session_id {
            return false;
        }
        let ends_after = |span: &GatewaySpan, start: Instant| span.ended.map_or(true, |end| end > start);
        ends_after(self, other.started) && ends_after(other, self.started)
    }
}

/// The first pair of spans of different sessions that were open at the same time, if any.
pub fn first_overlap(spans: &[GatewaySpan]) -> Option<(GatewaySpan, GatewaySpan)> {
    spans.iter().enumerate().find_map(|(i, a)| {
        spans[i + 1..]
            .iter()
            .find(|b| a.overlaps(b))
            .map(|b| (a.clone(), b.clone()))
    })
}

/// Everything the gateway side keeps.
#[derive(Debug)]
pub struct GatewayState {
    /// Announced in op 10; serenity heartbeats on this period.
    pub heartbeat_interval_ms: u64,
    /// How long a session with no connection stays resumable (and keeps collecting events).
    pub resume_window: Duration,
    pub sessions: Vec<Session>,
    pub spans: Vec<GatewaySpan>,
    /// Live connection → the session it delivers.
    pub attached: HashMap<u64, String>,
    /// Pending test requests per live connection.
    pub controls: HashMap<u64, Control>,
    pub identifies: Vec<Identify>,
    pub resumes: Vec<Resume>,
    pub heartbeats: u64,
    pub connections: u64,
    /// While true, connections are closed before the handshake (see `set_gateway_down`).
    pub down: bool,
    /// Connections closed that way.
    pub refused: u64,
    /// Connections closed for missing their heartbeats (close code 4009).
    pub timed_out: u64,
}

impl Default for GatewayState {
    fn default() -> Self {
        GatewayState {
            // Discord's usual value: no heartbeat happens within a short test.
            heartbeat_interval_ms: 41_250,
            resume_window: Duration::from_secs(120),
            sessions: Vec::new(),
            spans: Vec::new(),
            attached: HashMap::new(),
            controls: HashMap::new(),
            identifies: Vec::new(),
            resumes: Vec::new(),
            heartbeats: 0,
            connections: 0,
            down: false,
            refused: 0,
            timed_out: 0,
        }
    }
}

impl GatewayState {
    pub fn session_mut(&mut self, id: &str) -> Option<&mut Session> {
        self.sessions.iter_mut().find(|s| s.id == id)
    }

    /// The most recently identified session.
    pub fn latest(&self) -> Option<&Session> {
        self.sessions.last()
    }

    /// Forgets sessions detached for longer than the resume window (their events are never
    /// delivered, as on Discord after a session expires).
    pub fn expire(&mut self, now: Instant) {
        let window = self.resume_window;
        let latest = self.sessions.last().map(|s| s.id.clone());
        self.sessions.retain(|s| {
            Some(&s.id) == latest.as_ref()
                || s.detached_since
                    .map_or(true, |since| now.duration_since(since) <= window)
        });
    }

    /// Attaches a connection to a session and opens its span.
    pub fn attach(&mut self, connection: u64, peer: SocketAddr, session_id: &str, resumed: bool) {
        let token = match self.session_mut(session_id) {
            Some(session) => {
                session.detached_since = None;
                session.token.clone()
            }
            None => return,
        };
        self.attached.insert(connection, session_id.to_string());
        self.spans.push(GatewaySpan {
            connection,
            session_id: session_id.to_string(),
            token,
            peer,
            resumed,
            started: Instant::now(),
            started_at: Utc::now(),
            ended: None,
            ended_at: None,
        });
    }

    /// Detaches a connection (its session stops receiving deliveries through it), without
    /// closing its span: the socket may still be open (after op 7).
    pub fn detach(&mut self, connection: u64) {
        let Some(session_id) = self.attached.remove(&connection) else {
            return;
        };
        let still_attached = self.attached.values().any(|s| *s == session_id);
        if let Some(session) = self.session_mut(&session_id).filter(|_| !still_attached) {
            session.detached_since = Some(Instant::now());
        }
    }

    /// The socket of `connection` closed: detach it and end its open span.
    pub fn closed(&mut self, connection: u64) {
        self.detach(connection);
        self.controls.remove(&connection);
        if let Some(span) = self
            .spans
            .iter_mut()
            .rev()
            .find(|s| s.connection == connection && s.ended.is_none())
        {
            span.ended = Some(Instant::now());
            span.ended_at = Some(Utc::now());
        }
    }

    /// `connection` missed its heartbeats: its session ends for good, as Discord's 4009
    /// (Session timed out): it gets no more events and cannot be resumed. The socket's close
    /// follows (`closed`).
    pub fn timed_out(&mut self, connection: u64) {
        self.timed_out += 1;
        let Some(session_id) = self.attached.get(&connection).cloned() else {
            return;
        };
        let shared = self
            .attached
            .iter()
            .any(|(other, id)| *other != connection && *id == session_id);
        if !shared {
            self.sessions.retain(|s| s.id != session_id);
        }
    }

    /// Queues `control` for every live connection.
    pub fn control_all(&mut self, control: Control) {
        let live: Vec<u64> = self.attached.keys().copied().collect();
        for connection in live {
            self.controls.insert(connection, control);
        }
    }

    /// Live spans (socket open, READY or RESUMED sent).
    pub fn live_spans(&self) -> usize {
        self.spans.iter().filter(|s| s.is_live()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(session: &str, start: Instant, end: Option<Instant>) -> GatewaySpan {
        GatewaySpan {
            connection: 1,
            session_id: session.to_string(),
            token: "Bot t".to_string(),
            peer: "127.0.0.1:1".parse().unwrap(),
            resumed: false,
            started: start,
            started_at: Utc::now(),
            ended: end,
            ended_at: None,
        }
    }

    #[test]
    fn back_to_back_sessions_do_not_overlap_but_open_ones_do() {
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_millis(10);
        let t2 = t1 + Duration::from_millis(10);
        let first = span("a", t0, Some(t1));
        assert!(!first.overlaps(&span("b", t1, Some(t2))));
        assert!(first.overlaps(&span("b", t0 + Duration::from_millis(5), None)));
        assert!(!first.overlaps(&span("a", t0, None)), "a resume of the same session");
        assert!(first_overlap(&[first.clone(), span("b", t2, None)]).is_none());
        assert!(first_overlap(&[span("a", t0, None), span("b", t2, None)]).is_some());
    }
}
