//! The WebSocket gateway: hello, identify → READY (+ GUILD_CREATE), heartbeats, op 7 reconnect and
//! op 6 resume with replay, close code 4004 for a refused token, close code 4009 for a client
//! that stopped heartbeating (a zombie), and delivery of each session's queued frames to the
//! connections attached to it. Several clients may be connected at once.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use super::calls::{Identify, Resume};
use super::sessions::Control;
use super::state::{Inner, Shared};
use super::{builders, ready};

type Ws = WebSocketStream<TcpStream>;

/// Accepts gateway connections until the task is aborted.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, peer)) = listener.accept().await {
        // Each dispatch is a small frame: Nagle would hold it for the bot's delayed ACK (~40 ms).
        stream.set_nodelay(true).ok();
        let down = shared.with(|inner| {
            inner.gateway.refused += u64::from(inner.gateway.down);
            inner.gateway.down
        });
        if down {
            drop(stream);
            continue;
        }
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            if let Ok(ws) = tokio_tungstenite::accept_async(stream).await {
                let id = shared.with(|inner| {
                    inner.gateway.connections += 1;
                    inner.gateway.connections
                });
                let mut connection = Connection {
                    shared: Arc::clone(&shared),
                    id,
                    peer,
                    session: None,
                    delivered: 0,
                    last_heartbeat: Instant::now(),
                };
                connection.run(ws).await;
                shared.with(|inner| inner.gateway.closed(id));
            }
        });
    }
}

/// One client connection: the session it delivers (after identify or resume) and the last
/// sequence sent on it.
struct Connection {
    shared: Arc<Shared>,
    id: u64,
    peer: SocketAddr,
    session: Option<String>,
    delivered: u64,
    /// When the last heartbeat (or the hello) was.
    last_heartbeat: Instant,
}

/// How long a connection may go without a heartbeat (from hello, then from the last one) before
/// it is closed as a zombie, as Discord closes a client that stopped heartbeating: the announced
/// interval plus half of it, at least a second (serenity beats up to 0.5 s late).
fn zombie_after(interval: Duration) -> Duration {
    interval + (interval / 2).max(Duration::from_secs(1))
}

/// What to do after handling an incoming frame.
enum Next {
    Continue,
    Close,
}

impl Connection {
    async fn run(&mut self, mut ws: Ws) {
        let interval = self.shared.read(|inner| inner.gateway.heartbeat_interval_ms);
        let hello = json!({ "op": 10, "d": { "heartbeat_interval": interval } });
        if send(&mut ws, &hello).await.is_err() {
            return;
        }
        let zombie_after = zombie_after(Duration::from_millis(interval));
        self.last_heartbeat = Instant::now();
        let mut changes = self.shared.subscribe();
        loop {
            let next = tokio::select! {
                incoming = ws.next() => match incoming {
                    Some(Ok(Message::Text(text))) => self.on_frame(&mut ws, &text).await,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => Next::Close,
                    Some(Ok(_)) => Next::Continue,
                },
                changed = changes.changed() => if changed.is_err() { Next::Close } else { Next::Continue },
                _ = tokio::time::sleep_until(self.last_heartbeat + zombie_after) => {
                    self.time_out(&mut ws).await;
                    Next::Close
                }
            };
            if matches!(next, Next::Close) || self.flush(&mut ws).await.is_err() {
                return;
            }
        }
    }

    async fn on_frame(&mut self, ws: &mut Ws, text: &str) -> Next {
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            self.shared
                .with(|i| i.fail(format!("gateway got non-JSON text: {text}")));
            return Next::Close;
        };
        let data = frame.get("d").cloned().unwrap_or(Value::Null);
        match frame.get("op").and_then(Value::as_u64) {
            Some(1) => {
                self.last_heartbeat = Instant::now();
                self.shared.with(|i| i.gateway.heartbeats += 1);
                if send(ws, &json!({ "op": 11 })).await.is_err() {
                    return Next::Close;
                }
            }
            Some(2) => return self.on_identify(ws, data).await,
            Some(6) => {
                let (id, peer) = (self.id, self.peer);
                match self.shared.with(|i| resume(i, id, peer, &data)) {
                    Some((session, from)) => {
                        self.session = Some(session);
                        self.delivered = from;
                    }
                    None => {
                        let _ = send(ws, &json!({ "op": 9, "d": false })).await;
                    }
                }
            }
            _ => {}
        }
        Next::Continue
    }

    /// No heartbeat came in time: the session ends for good (4009 Session timed out; the client
    /// must identify anew). The close frame is sent without waiting for the client's reply: a
    /// stopped process never reads it.
    async fn time_out(&mut self, ws: &mut Ws) {
        let id = self.id;
        self.shared.with(|inner| inner.gateway.timed_out(id));
        let frame = CloseFrame {
            code: CloseCode::from(4009),
            reason: "Session timed out.".into(),
        };
        let _ = tokio::time::timeout(Duration::from_secs(1), ws.send(Message::Close(Some(frame)))).await;
    }

    /// A refused token gets close code 4004 (Authentication failed); any other starts a session.
    async fn on_identify(&mut self, ws: &mut Ws, data: Value) -> Next {
        let token = data.get("token").and_then(Value::as_str).unwrap_or_default();
        if self.shared.read(|i| i.refuses(Some(token))) {
            let frame = CloseFrame {
                code: CloseCode::from(4004),
                reason: "Authentication failed.".into(),
            };
            let _ = ws.close(Some(frame)).await;
            return Next::Close;
        }
        let (id, peer) = (self.id, self.peer);
        let session = self.shared.with(|i| identify(i, &self.shared.scene, id, peer, data));
        self.session = Some(session);
        self.delivered = 0;
        Next::Continue
    }

    /// Sends the test's control request and every frame of this connection's session it has
    /// not sent yet.
    async fn flush(&mut self, ws: &mut Ws) -> Result<(), ()> {
        let Some(session) = self.session.clone() else {
            return Ok(());
        };
        let (id, delivered) = (self.id, self.delivered);
        let (control, frames) = self.shared.with_quiet(|inner| {
            let frames: Vec<(u64, Value)> = inner.gateway.session_mut(&session).map_or_else(Vec::new, |s| {
                s.log.iter().filter(|(seq, _)| *seq > delivered).cloned().collect()
            });
            (inner.gateway.controls.remove(&id), frames)
        });
        match control {
            Some(Control::Drop) => return Err(()),
            Some(Control::Reconnect) => {
                // Anything queued from now on is replayed after the client resumes.
                self.session = None;
                self.shared.with(|inner| inner.gateway.detach(id));
                return send(ws, &json!({ "op": 7, "d": null })).await;
            }
            None => {}
        }
        for (seq, frame) in frames {
            send(ws, &frame).await?;
            self.delivered = seq;
        }
        Ok(())
    }
}

async fn send(ws: &mut Ws, frame: &Value) -> Result<(), ()> {
    ws.send(Message::Text(frame.to_string())).await.map_err(|_| ())
}

/// Starts a new session whose first frames are READY and, with the GUILDS intent, GUILD_CREATE;
/// attaches the connection to it and returns its id.
fn identify(inner: &mut Inner, scene: &builders::Scene, connection: u64, peer: SocketAddr, data: Value) -> String {
    let token = data
        .get("token")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let intents = data.get("intents").and_then(Value::as_u64).unwrap_or(0);
    let session_id = format!("fake-session-{}", builders::next_id());
    let frames = ready::first_frames(inner, scene, &session_id, intents);
    inner.gateway.sessions.push(super::sessions::Session {
        id: session_id.clone(),
        token: token.clone(),
        intents,
        seq: 0,
        log: Vec::new(),
        detached_since: None,
    });
    if let Some(session) = inner.gateway.session_mut(&session_id) {
        for (event, payload) in frames {
            session.append(event, payload);
        }
    }
    inner.gateway.attach(connection, peer, &session_id, false);
    inner.gateway.identifies.push(Identify {
        token,
        intents,
        raw: data,
    });
    session_id
}

/// Accepts a resume of a known session: queues RESUMED after the missed frames and returns the
/// session and the client's last sequence so they are replayed. `None` for an unknown or
/// expired session, or a refused token.
fn resume(inner: &mut Inner, connection: u64, peer: SocketAddr, data: &Value) -> Option<(String, u64)> {
    let session_id = data.get("session_id").and_then(Value::as_str)?.to_string();
    let seq = data.get("seq").and_then(Value::as_u64).unwrap_or(0);
    let token = data.get("token").and_then(Value::as_str);
    if inner.refuses(token) {
        return None;
    }
    let now = inner.now();
    inner.gateway.expire(now);
    let session = inner.gateway.session_mut(&session_id)?;
    session.append("RESUMED", json!({}));
    inner.gateway.attach(connection, peer, &session_id, true);
    inner.gateway.resumes.push(Resume {
        session_id: session_id.clone(),
        seq,
    });
    Some((session_id, seq))
}
