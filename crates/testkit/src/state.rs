//! The fake server's shared state: recorded calls, channels and messages, interactions, the
//! gateway session, scripted faults and the problems found. One mutex guards it all; every change
//! bumps a watch counter so tests and gateway connections can wait without polling.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::watch;

use super::builders::{self, Scene};
use super::calls::{Identify, InteractionResponse, RecordedCall, Resume};
use super::error::TestkitError;
use super::faults::FaultRule;
use super::validate;

/// A channel (text channel or thread) with its messages.
#[derive(Debug, Clone)]
pub struct ChannelState {
    /// The channel object as `GET /channels/{id}` returns it.
    pub channel: Value,
    pub messages: Vec<Value>,
    /// `nonce` → message id, for `enforce_nonce` deduplication.
    pub nonces: HashMap<String, u64>,
    pub thread_members: Vec<u64>,
    /// (message id, emoji) pairs the bot reacted with.
    pub reactions: Vec<(u64, String)>,
}

impl ChannelState {
    pub fn new(channel: Value) -> Self {
        ChannelState {
            channel,
            messages: Vec::new(),
            nonces: HashMap::new(),
            thread_members: Vec::new(),
            reactions: Vec::new(),
        }
    }
}

/// An interaction the test dispatched, and what the bot answered.
#[derive(Debug, Clone)]
pub struct InteractionState {
    pub id: u64,
    /// When the test dispatched it (for the 3 s callback deadline).
    pub received: std::time::Instant,
    pub channel_id: u64,
    pub responses: Vec<InteractionResponse>,
    /// The original response message, once there is one.
    pub original: Option<Value>,
}

/// A request from a test to the live gateway connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Send op 7 Reconnect; the client should come back with op 6 Resume.
    Reconnect,
    /// Close the TCP connection without a close frame.
    Drop,
}

/// The gateway session the client identified (or resumed).
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub seq: u64,
    /// Every frame sent in this session, for replay on resume.
    pub log: Vec<(u64, Value)>,
}

#[derive(Debug)]
pub struct GatewayState {
    /// Announced in op 10; serenity heartbeats on this period.
    pub heartbeat_interval_ms: u64,
    pub session: Option<Session>,
    pub identifies: Vec<Identify>,
    pub resumes: Vec<Resume>,
    pub heartbeats: u64,
    pub connections: u64,
    pub control: Option<Control>,
}

impl Default for GatewayState {
    fn default() -> Self {
        GatewayState {
            // Discord's usual value: no heartbeat happens within a short test.
            heartbeat_interval_ms: 41_250,
            session: None,
            identifies: Vec::new(),
            resumes: Vec::new(),
            heartbeats: 0,
            connections: 0,
            control: None,
        }
    }
}

const INTENT_GUILDS: u64 = 1;
const INTENT_GUILD_MESSAGES: u64 = 1 << 9;

/// Discord refuses an interaction callback after 3 s.
pub const INTERACTION_DEADLINE: Duration = Duration::from_secs(3);

/// Everything behind the lock.
#[derive(Debug)]
pub struct Inner {
    pub gateway_url: String,
    /// `None` turns the callback deadline off.
    pub interaction_deadline: Option<Duration>,
    /// Whether REST changes are echoed as gateway events (the bot's own MESSAGE_CREATE, ...).
    pub echo_events: bool,
    pub calls: Vec<RecordedCall>,
    pub faults: Vec<FaultRule>,
    pub failures: Vec<String>,
    pub channels: HashMap<u64, ChannelState>,
    /// Keyed by interaction token.
    pub interactions: HashMap<String, InteractionState>,
    pub global_commands: Vec<Value>,
    pub guild_commands: HashMap<u64, Vec<Value>>,
    pub gateway: GatewayState,
}

impl Default for Inner {
    fn default() -> Self {
        Inner {
            gateway_url: String::new(),
            interaction_deadline: Some(INTERACTION_DEADLINE),
            echo_events: true,
            calls: Vec::new(),
            faults: Vec::new(),
            failures: Vec::new(),
            channels: HashMap::new(),
            interactions: HashMap::new(),
            global_commands: Vec::new(),
            guild_commands: HashMap::new(),
            gateway: GatewayState::default(),
        }
    }
}

impl Inner {
    /// Records a problem that must fail the test.
    pub fn fail(&mut self, problem: String) {
        tracing::error!(%problem, "fake discord");
        self.failures.push(problem);
    }

    /// Queues the event Discord itself sends after a REST change (the bot's own message, a
    /// thread it created) when a session exists and its intents ask for it.
    pub fn echo(&mut self, event: &str, mut data: Value) {
        let needed = if event == "MESSAGE_CREATE" {
            INTENT_GUILD_MESSAGES
        } else {
            INTENT_GUILDS
        };
        let intents = self.gateway.identifies.last().map_or(0, |i| i.intents);
        if !self.echo_events || intents & needed == 0 {
            return;
        }
        if event == "MESSAGE_CREATE" && data.get("guild_id").is_some() {
            data["member"] = json!({
                "roles": [], "joined_at": "2024-01-01T00:00:00.000Z",
                "deaf": false, "mute": false, "flags": 0,
            });
        }
        if let Err(e) = validate::dispatch(event, &data) {
            self.fail(format!("echoed {event} is invalid: {e}"));
            return;
        }
        if let Some(session) = self.gateway.session.as_mut() {
            append(session, event, data);
        }
    }

    pub fn interaction_by_id(&self, id: u64) -> Option<&InteractionState> {
        self.interactions.values().find(|i| i.id == id)
    }
}

/// The state plus its change counter.
#[derive(Debug)]
pub struct Shared {
    pub scene: Scene,
    inner: Mutex<Inner>,
    changed: watch::Sender<u64>,
}

impl Shared {
    pub fn new(scene: Scene) -> Self {
        let mut inner = Inner::default();
        let channel = builders::text_channel_json(scene.channel_id, scene.guild_id, "intake");
        inner.channels.insert(scene.channel_id, ChannelState::new(channel));
        Shared {
            scene,
            inner: Mutex::new(inner),
            changed: watch::Sender::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep going.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads or changes the state, then wakes every waiter.
    pub fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let result = f(&mut self.lock());
        self.changed.send_modify(|n| *n += 1);
        result
    }

    /// Changes the state without waking anyone (gateway delivery bookkeeping: waking would make
    /// every connection flush again, forever).
    pub fn with_quiet<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        f(&mut self.lock())
    }

    /// Reads the state without waking anyone.
    pub fn read<R>(&self, f: impl FnOnce(&Inner) -> R) -> R {
        f(&self.lock())
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// Waits until `probe` returns `Some`, re-checking after every change.
    pub async fn wait_until<R>(
        &self,
        what: &str,
        timeout: Duration,
        mut probe: impl FnMut(&Inner) -> Option<R>,
    ) -> Result<R, TestkitError> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut changes = self.subscribe();
        loop {
            if let Some(found) = self.read(&mut probe) {
                return Ok(found);
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                _ => return Err(TestkitError::Timeout(timeout, what.to_string())),
            }
        }
    }

    /// Validates and queues a dispatch in the current session; returns its sequence number.
    pub fn push_dispatch(&self, event: &str, data: Value) -> Result<u64, TestkitError> {
        validate::dispatch(event, &data).map_err(|e| TestkitError::InvalidDispatch {
            event: event.to_string(),
            reason: e.0,
            payload: data.to_string(),
        })?;
        self.with(|inner| {
            match event {
                "INTERACTION_CREATE" => remember_interaction(inner, &data),
                "MESSAGE_CREATE" => remember_message(inner, &data),
                "THREAD_CREATE" => remember_thread(inner, &data),
                _ => {}
            }
            let session = inner.gateway.session.as_mut().ok_or(TestkitError::NotConnected)?;
            Ok(append(session, event, data))
        })
    }
}

/// Adds a dispatch frame to the session log; returns its sequence number.
fn append(session: &mut Session, event: &str, data: Value) -> u64 {
    session.seq += 1;
    let frame = json!({ "op": 0, "s": session.seq, "t": event, "d": data });
    session.log.push((session.seq, frame));
    session.seq
}

fn id_of(value: &Value, key: &str) -> u64 {
    value
        .get(key)
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn remember_interaction(inner: &mut Inner, data: &Value) {
    let Some(token) = data.get("token").and_then(Value::as_str) else {
        return;
    };
    let state = InteractionState {
        id: id_of(data, "id"),
        received: std::time::Instant::now(),
        channel_id: id_of(data, "channel_id"),
        responses: Vec::new(),
        original: None,
    };
    inner.interactions.insert(token.to_string(), state);
}

/// A user's message the test dispatches also exists for later REST calls (threads, reactions).
fn remember_message(inner: &mut Inner, data: &Value) {
    if let Some(channel) = inner.channels.get_mut(&id_of(data, "channel_id")) {
        let mut message = data.clone();
        if let Some(object) = message.as_object_mut() {
            object.remove("member");
        }
        channel.messages.push(message);
    }
}

/// A thread the test announces exists for later REST calls.
fn remember_thread(inner: &mut Inner, data: &Value) {
    let mut thread = data.clone();
    if let Some(object) = thread.as_object_mut() {
        object.remove("newly_created");
    }
    inner
        .channels
        .entry(id_of(data, "id"))
        .or_insert_with(|| ChannelState::new(thread));
}
