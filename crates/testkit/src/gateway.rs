//! The WebSocket gateway: hello, identify → READY, heartbeats, op 7 reconnect and op 6 resume
//! with replay, and delivery of the dispatches a test queues.

use std::sync::Arc;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use super::builders;
use super::calls::{Identify, Resume};
use super::state::{Control, Inner, Session, Shared};

type Ws = WebSocketStream<TcpStream>;

/// Accepts gateway connections until the task is aborted.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        // Each dispatch is a small frame: Nagle would hold it for the bot's delayed ACK (~40 ms).
        stream.set_nodelay(true).ok();
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            if let Ok(ws) = tokio_tungstenite::accept_async(stream).await {
                Connection {
                    shared,
                    delivered: None,
                }
                .run(ws)
                .await;
            }
        });
    }
}

/// One client connection; `delivered` is the last sequence sent, `None` before identify/resume.
struct Connection {
    shared: Arc<Shared>,
    delivered: Option<u64>,
}

/// What to do after handling an incoming frame.
enum Next {
    Continue,
    Close,
}

impl Connection {
    async fn run(mut self, mut ws: Ws) {
        let interval = self.shared.with(|inner| {
            inner.gateway.connections += 1;
            inner.gateway.heartbeat_interval_ms
        });
        let hello = json!({ "op": 10, "d": { "heartbeat_interval": interval } });
        if send(&mut ws, &hello).await.is_err() {
            return;
        }
        let mut changes = self.shared.subscribe();
        loop {
            let next = tokio::select! {
                incoming = ws.next() => match incoming {
                    Some(Ok(Message::Text(text))) => self.on_frame(&mut ws, &text).await,
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => Next::Close,
                    Some(Ok(_)) => Next::Continue,
                },
                changed = changes.changed() => if changed.is_err() { Next::Close } else { Next::Continue },
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
                self.shared.with(|i| i.gateway.heartbeats += 1);
                if send(ws, &json!({ "op": 11 })).await.is_err() {
                    return Next::Close;
                }
            }
            Some(2) => self.delivered = Some(self.shared.with(|i| identify(i, &self.shared.scene, data))),
            Some(6) => match self.shared.with(|i| resume(i, &data)) {
                Some(from) => self.delivered = Some(from),
                None => {
                    let _ = send(ws, &json!({ "op": 9, "d": false })).await;
                }
            },
            _ => {}
        }
        Next::Continue
    }

    /// Sends the test's control request and every queued frame this connection has not sent.
    async fn flush(&mut self, ws: &mut Ws) -> Result<(), ()> {
        let Some(delivered) = self.delivered else {
            return Ok(());
        };
        let (control, frames) = self.shared.with_quiet(|inner| {
            let frames: Vec<(u64, Value)> = inner.gateway.session.as_ref().map_or_else(Vec::new, |s| {
                s.log.iter().filter(|(seq, _)| *seq > delivered).cloned().collect()
            });
            (inner.gateway.control.take(), frames)
        });
        match control {
            Some(Control::Drop) => return Err(()),
            Some(Control::Reconnect) => {
                // Anything queued from now on is replayed after the client resumes.
                self.delivered = None;
                return send(ws, &json!({ "op": 7, "d": null })).await;
            }
            None => {}
        }
        for (seq, frame) in frames {
            send(ws, &frame).await?;
            self.delivered = Some(seq);
        }
        Ok(())
    }
}

async fn send(ws: &mut Ws, frame: &Value) -> Result<(), ()> {
    ws.send(Message::Text(frame.to_string())).await.map_err(|_| ())
}

/// Starts a new session whose first frame is READY; returns the last sequence already sent (0).
fn identify(inner: &mut Inner, scene: &builders::Scene, data: Value) -> u64 {
    let token = data
        .get("token")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let intents = data.get("intents").and_then(Value::as_u64).unwrap_or(0);
    let session_id = format!("fake-session-{}", builders::next_id());
    let ready = ready_json(scene, &session_id, &inner.gateway_url);
    if let Err(e) = super::validate::dispatch("READY", &ready) {
        inner.fail(format!("READY is invalid: {e}"));
    }
    let frame = json!({ "op": 0, "s": 1, "t": "READY", "d": ready });
    inner.gateway.session = Some(Session {
        id: session_id,
        seq: 1,
        log: vec![(1, frame)],
    });
    inner.gateway.identifies.push(Identify {
        token,
        intents,
        raw: data,
    });
    0
}

fn ready_json(scene: &builders::Scene, session_id: &str, gateway_url: &str) -> Value {
    json!({
        "v": 10,
        "user": builders::user_json(scene.bot_user_id, &scene.bot_name, true),
        "guilds": [{ "id": scene.guild_id.to_string(), "unavailable": true }],
        "session_id": session_id,
        "resume_gateway_url": gateway_url,
        "application": { "id": scene.application_id.to_string(), "flags": 0 },
        "shard": [0, 1],
    })
}

/// Accepts a resume of the current session: queues RESUMED after the missed frames and returns
/// the client's last sequence so they are replayed. `None` when the session is unknown.
fn resume(inner: &mut Inner, data: &Value) -> Option<u64> {
    let session_id = data.get("session_id").and_then(Value::as_str)?.to_string();
    let seq = data.get("seq").and_then(Value::as_u64).unwrap_or(0);
    let session = inner.gateway.session.as_mut().filter(|s| s.id == session_id)?;
    session.seq += 1;
    let frame = json!({ "op": 0, "s": session.seq, "t": "RESUMED", "d": {} });
    session.log.push((session.seq, frame));
    inner.gateway.resumes.push(Resume { session_id, seq });
    Some(seq)
}
