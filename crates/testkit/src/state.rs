//! The fake server's shared state: recorded calls, channels and messages, interactions, gateway
//! sessions, the guild's roles and members, uploaded files, scripted faults and the problems
//! found. One mutex guards it all; every change bumps a watch counter so tests and gateway
//! connections can wait without polling.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hyper::body::Bytes;
use serde_json::Value;
use serenity::model::Permissions;
use tokio::sync::watch;

use super::builders::{self, Scene};
use super::calls::{InteractionResponse, RecordedCall};
use super::error::TestkitError;
use super::faults::FaultRule;
use super::guild::GuildState;
use super::nonce::{NonceBook, DEFAULT_NONCE_WINDOW};
use super::permissions::{self, ChannelView};
use super::sessions::GatewayState;

/// A channel (text channel or thread) with its messages.
#[derive(Debug, Clone)]
pub struct ChannelState {
    /// The channel object as `GET /channels/{id}` returns it.
    pub channel: Value,
    /// Oldest first (ids increase).
    pub messages: Vec<Value>,
    /// `enforce_nonce` memory, within the server's nonce window.
    pub nonces: NonceBook,
    pub thread_members: Vec<u64>,
    /// (message id, emoji) pairs the bot reacted with.
    pub reactions: Vec<(u64, String)>,
}

impl ChannelState {
    pub fn new(channel: Value) -> Self {
        ChannelState {
            channel,
            messages: Vec::new(),
            nonces: NonceBook::default(),
            thread_members: Vec::new(),
            reactions: Vec::new(),
        }
    }

    pub fn parent_id(&self) -> Option<u64> {
        self.channel.get("parent_id")?.as_str()?.parse().ok()
    }
}

/// An interaction the test dispatched, and what the bot answered.
#[derive(Debug, Clone)]
pub struct InteractionState {
    pub id: u64,
    /// When the test dispatched it, on the server's clock (for the 3 s callback deadline).
    pub received: Instant,
    pub channel_id: u64,
    pub responses: Vec<InteractionResponse>,
    /// The original response message, once there is one.
    pub original: Option<Value>,
}

/// Discord refuses an interaction callback after 3 s.
pub const INTERACTION_DEADLINE: Duration = Duration::from_secs(3);

/// Discord's default upload limit per file (reference docs, "Uploading Files").
pub const DEFAULT_UPLOAD_LIMIT: u64 = 10 * 1024 * 1024;

/// Everything behind the lock.
#[derive(Debug)]
pub struct Inner {
    pub gateway_url: String,
    /// What attachment URLs start with (the REST side's URL).
    pub rest_base: String,
    /// `None` turns the callback deadline off.
    pub interaction_deadline: Option<Duration>,
    /// Whether REST changes are echoed as gateway events (the bot's own MESSAGE_CREATE, ...).
    pub echo_events: bool,
    /// Added to the real clock for Discord's time windows (nonces, interaction deadline,
    /// session resume), so a test can jump ahead instead of sleeping.
    pub clock_offset: Duration,
    /// How long a repeated `enforce_nonce` create returns the original; zero: never.
    pub nonce_window: Duration,
    /// Largest file a message may carry, in bytes.
    pub upload_limit: u64,
    /// Tokens (without the `Bot ` prefix) answered 401 / closed with 4004.
    pub refused_tokens: HashSet<String>,
    pub calls: Vec<RecordedCall>,
    pub faults: Vec<FaultRule>,
    pub failures: Vec<String>,
    pub channels: HashMap<u64, ChannelState>,
    /// Keyed by interaction token.
    pub interactions: HashMap<String, InteractionState>,
    pub global_commands: Vec<Value>,
    pub guild_commands: HashMap<u64, Vec<Value>>,
    pub gateway: GatewayState,
    pub guild: GuildState,
    /// Uploaded attachment contents by attachment id.
    pub files: HashMap<u64, Bytes>,
}

impl Inner {
    pub fn new(scene: &Scene) -> Self {
        Inner {
            gateway_url: String::new(),
            rest_base: String::new(),
            interaction_deadline: Some(INTERACTION_DEADLINE),
            echo_events: true,
            clock_offset: Duration::ZERO,
            nonce_window: DEFAULT_NONCE_WINDOW,
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            refused_tokens: HashSet::new(),
            calls: Vec::new(),
            faults: Vec::new(),
            failures: Vec::new(),
            channels: HashMap::new(),
            interactions: HashMap::new(),
            global_commands: Vec::new(),
            guild_commands: HashMap::new(),
            gateway: GatewayState::default(),
            guild: GuildState::new(scene),
            files: HashMap::new(),
        }
    }

    /// The server's clock: real time plus what the test skipped ahead.
    pub fn now(&self) -> Instant {
        Instant::now() + self.clock_offset
    }

    /// Records a problem that must fail the test.
    pub fn fail(&mut self, problem: String) {
        tracing::error!(%problem, "fake discord");
        self.failures.push(problem);
    }

    pub fn interaction_by_id(&self, id: u64) -> Option<&InteractionState> {
        self.interactions.values().find(|i| i.id == id)
    }

    /// Whether `Authorization: Bot <token>` names a token the test made the server refuse.
    pub fn refuses(&self, authorization: Option<&str>) -> bool {
        let token = authorization.map(|a| a.strip_prefix("Bot ").unwrap_or(a));
        token.is_some_and(|t| self.refused_tokens.contains(t))
    }

    /// The bot's effective permissions in a channel or thread (`None` for an unknown channel).
    pub fn bot_permissions(&self, scene: &Scene, channel_id: u64) -> Option<Permissions> {
        let state = self.channels.get(&channel_id)?;
        let parent = state.parent_id().and_then(|p| self.channels.get(&p));
        let view = ChannelView {
            channel: &state.channel,
            parent: parent.map(|p| &p.channel),
        };
        Some(permissions::in_channel(
            &self.guild,
            scene.guild_id,
            scene.bot_user_id,
            view,
        ))
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
        let mut inner = Inner::new(&scene);
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
}
