//! A local Discord-compatible server (REST v10 + gateway) for end-to-end tests of the real
//! serenity/poise client. See docs/testing-discord.md.
//!
//! Layout: `state` holds everything the server knows; `rest/` answers HTTP routes; `gateway`
//! speaks the WebSocket protocol; `faults` scripts failures; `validate` checks every payload
//! against serenity's own types; `builders` makes valid payloads; `tls` is the HTTPS mode.

pub mod builders;
pub mod calls;
mod error;
pub mod faults;
mod gateway;
mod rest;
mod state;
mod tls;
pub mod validate;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use serenity::http::{Http, HttpBuilder};
use serenity::model::gateway::GatewayIntents;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use builders::{MemberSpec, Scene};
pub use calls::{Identify, InteractionResponse, RecordedCall, ResponseKind, Resume};
pub use error::TestkitError;
pub use faults::{Fault, FaultRule};
pub use rest::reply::Reply;

use state::{Control, Shared};
use tls::TestTls;

/// How serenity reaches the fake's REST side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Plain HTTP; serenity uses `HttpBuilder::proxy` with its ratelimiter disabled (serenity
    /// only honours the proxy then), so 429s come back to the bot as errors.
    Proxy,
    /// HTTPS for `discord.com` with a test CA; serenity's ratelimiter stays on and retries 429s.
    Tls,
}

/// The running fake. Dropping it stops the server, and panics if it saw problems (invalid
/// replies it built, routes it does not know) the test did not take with [`Self::take_failures`].
pub struct FakeDiscord {
    shared: Arc<Shared>,
    mode: Mode,
    rest_addr: SocketAddr,
    gateway_addr: SocketAddr,
    tls: Option<TestTls>,
    tasks: Vec<JoinHandle<()>>,
}

/// Default wait used by the convenience waits.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);

impl FakeDiscord {
    /// Binds REST and gateway on 127.0.0.1 (port 0) with a fresh [`Scene`].
    pub async fn start(mode: Mode) -> Result<Self, TestkitError> {
        Self::start_with(mode, Scene::new()).await
    }

    /// Like [`Self::start`] with chosen ids.
    pub async fn start_with(mode: Mode, scene: Scene) -> Result<Self, TestkitError> {
        let rest = TcpListener::bind("127.0.0.1:0").await?;
        let gateway = TcpListener::bind("127.0.0.1:0").await?;
        let (rest_addr, gateway_addr) = (rest.local_addr()?, gateway.local_addr()?);
        let tls = match mode {
            Mode::Tls => Some(TestTls::generate()?),
            Mode::Proxy => None,
        };
        let shared = Arc::new(Shared::new(scene));
        shared.with(|inner| inner.gateway_url = format!("ws://{gateway_addr}"));
        let acceptor = tls.as_ref().map(|t| t.acceptor.clone());
        let tasks = vec![
            tokio::spawn(rest::server::serve(rest, Arc::clone(&shared), acceptor)),
            tokio::spawn(gateway::serve(gateway, Arc::clone(&shared))),
        ];
        Ok(FakeDiscord {
            shared,
            mode,
            rest_addr,
            gateway_addr,
            tls,
            tasks,
        })
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The ids of the fake world (application, bot user, guild, intake channel).
    pub fn scene(&self) -> &Scene {
        &self.shared.scene
    }

    /// `http://127.0.0.1:PORT` (Proxy) or `https://discord.com` (Tls, resolved locally).
    pub fn rest_url(&self) -> String {
        match self.mode {
            Mode::Proxy => format!("http://{}", self.rest_addr),
            Mode::Tls => format!("https://{}", tls::DISCORD_HOST),
        }
    }

    pub fn rest_addr(&self) -> SocketAddr {
        self.rest_addr
    }

    /// `ws://127.0.0.1:PORT`, also what `GET /gateway` answers.
    pub fn gateway_url(&self) -> String {
        format!("ws://{}", self.gateway_addr)
    }

    /// An `HttpBuilder` pointed at this fake for `token` (the mode's settings applied).
    pub fn http_builder(&self, token: &str) -> Result<HttpBuilder, TestkitError> {
        let builder = HttpBuilder::new(token);
        match &self.tls {
            None => Ok(builder.proxy(self.rest_url()).ratelimiter_disabled(true)),
            Some(tls) => Ok(builder.client(tls.client(self.rest_addr)?)),
        }
    }

    /// A serenity `Http` pointed at this fake.
    pub fn http_for_bot(&self, token: &str) -> Result<Http, TestkitError> {
        Ok(self.http_builder(token)?.build())
    }

    /// A serenity `ClientBuilder` using [`Self::http_for_bot`]; add the framework and await it.
    pub fn client_builder(
        &self,
        token: &str,
        intents: GatewayIntents,
    ) -> Result<serenity::all::ClientBuilder, TestkitError> {
        Ok(serenity::all::ClientBuilder::new_with_http(
            self.http_for_bot(token)?,
            intents,
        ))
    }

    /// How many REST calls were recorded so far: the `seq` the next call will get. Use it as a
    /// mark to wait only for later calls (`c.seq >= mark`).
    pub fn call_count(&self) -> u64 {
        self.shared.read(|inner| inner.calls.len() as u64)
    }

    /// Changes the interaction callback deadline (Discord's is 3 s; `None` turns it off).
    pub fn set_interaction_deadline(&self, deadline: Option<Duration>) {
        self.shared
            .with(|inner| inner.interaction_deadline = deadline);
    }

    /// Every REST call so far, in order.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.shared.read(|inner| inner.calls.clone())
    }

    /// The first call (already made or still to come) for which `predicate` holds.
    pub async fn wait_for_call(
        &self,
        predicate: impl Fn(&RecordedCall) -> bool,
        timeout: Duration,
    ) -> Result<RecordedCall, TestkitError> {
        self.shared
            .wait_until("a matching REST call", timeout, |inner| {
                inner.calls.iter().find(|c| predicate(c)).cloned()
            })
            .await
    }

    /// Waits for the `n`th (1-based) Identify of this fake.
    pub async fn identified_nth(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Result<Identify, TestkitError> {
        self.shared
            .wait_until("gateway identify", timeout, |inner| {
                inner.gateway.identifies.get(n - 1).cloned()
            })
            .await
    }

    /// Waits for the first Identify (the client got READY right after).
    pub async fn identified(&self) -> Result<Identify, TestkitError> {
        self.identified_nth(1, DEFAULT_WAIT).await
    }

    /// Waits for the `n`th (1-based) Resume.
    pub async fn resumed(&self, n: usize, timeout: Duration) -> Result<Resume, TestkitError> {
        self.shared
            .wait_until("gateway resume", timeout, |inner| {
                inner.gateway.resumes.get(n - 1).cloned()
            })
            .await
    }

    /// Heartbeats (op 1) received so far.
    pub fn heartbeats(&self) -> u64 {
        self.shared.read(|inner| inner.gateway.heartbeats)
    }

    /// The heartbeat interval announced to connections opened from now on (default 41.25 s,
    /// so short tests see no heartbeat).
    pub fn set_heartbeat_interval(&self, interval: Duration) {
        let ms = u64::try_from(interval.as_millis()).unwrap_or(u64::MAX);
        self.shared
            .with(|inner| inner.gateway.heartbeat_interval_ms = ms);
    }

    /// Waits until at least `n` heartbeats were answered with op 11.
    pub async fn wait_for_heartbeats(
        &self,
        n: u64,
        timeout: Duration,
    ) -> Result<u64, TestkitError> {
        self.shared
            .wait_until("heartbeats", timeout, |inner| {
                (inner.gateway.heartbeats >= n).then_some(inner.gateway.heartbeats)
            })
            .await
    }

    /// Gateway connections accepted so far.
    pub fn gateway_connections(&self) -> u64 {
        self.shared.read(|inner| inner.gateway.connections)
    }

    /// Validates `data` as serenity would parse event `event` and sends it; returns its `s`.
    /// Fails (sending nothing) if serenity would turn it into `Event::Unknown`.
    pub fn dispatch(&self, event: &str, data: Value) -> Result<u64, TestkitError> {
        self.shared.push_dispatch(event, data)
    }

    /// Every dispatch frame (`{"op":0,"s","t","d"}`) of the current session, READY first:
    /// test dispatches and the echoes of the bot's own REST changes.
    pub fn sent_events(&self) -> Vec<Value> {
        self.shared.read(|inner| {
            inner
                .gateway
                .session
                .as_ref()
                .map_or_else(Vec::new, |s| s.log.iter().map(|(_, f)| f.clone()).collect())
        })
    }

    /// Whether the bot's own REST changes come back as gateway events, as on Discord
    /// (MESSAGE_CREATE for its messages, THREAD_CREATE for its threads). On by default.
    pub fn set_echo_events(&self, on: bool) {
        self.shared.with(|inner| inner.echo_events = on);
    }

    /// Sends op 7 Reconnect on the live connection; the client should resume (op 6).
    pub fn request_reconnect(&self) {
        self.shared
            .with(|inner| inner.gateway.control = Some(Control::Reconnect));
    }

    /// Drops the live gateway connection without a close frame.
    pub fn drop_gateway_connection(&self) {
        self.shared
            .with(|inner| inner.gateway.control = Some(Control::Drop));
    }

    /// Scripts a fault for the next matching REST calls.
    pub fn inject(&self, rule: FaultRule) {
        self.shared.with(|inner| inner.faults.push(rule));
    }

    /// Everything the bot answered to interaction `interaction_id`, in order.
    pub fn interaction_responses(&self, interaction_id: u64) -> Vec<InteractionResponse> {
        self.shared
            .read(|inner| {
                inner
                    .interaction_by_id(interaction_id)
                    .map(|i| i.responses.clone())
            })
            .unwrap_or_default()
    }

    /// Waits until interaction `interaction_id` has at least `n` answers; returns them all.
    pub async fn wait_for_responses(
        &self,
        interaction_id: u64,
        n: usize,
        timeout: Duration,
    ) -> Result<Vec<InteractionResponse>, TestkitError> {
        self.shared
            .wait_until("interaction responses", timeout, |inner| {
                let responses = &inner.interaction_by_id(interaction_id)?.responses;
                (responses.len() >= n).then(|| responses.clone())
            })
            .await
    }

    /// The interaction's original response message (after a type 4 callback or an `@original`
    /// edit), e.g. to build the `message` of a button press on it.
    pub fn original_response(&self, interaction_id: u64) -> Option<Value> {
        self.shared
            .read(|inner| inner.interaction_by_id(interaction_id)?.original.clone())
    }

    /// The messages stored in a channel or thread, oldest first.
    pub fn messages(&self, channel_id: u64) -> Vec<Value> {
        self.shared.read(|inner| {
            inner
                .channels
                .get(&channel_id)
                .map(|c| c.messages.clone())
                .unwrap_or_default()
        })
    }

    /// The channel or thread object, if it exists.
    pub fn channel(&self, channel_id: u64) -> Option<Value> {
        self.shared
            .read(|inner| inner.channels.get(&channel_id).map(|c| c.channel.clone()))
    }

    /// User ids added to a thread (the bot is added on creation).
    pub fn thread_members(&self, thread_id: u64) -> Vec<u64> {
        self.shared.read(|inner| {
            inner
                .channels
                .get(&thread_id)
                .map(|c| c.thread_members.clone())
                .unwrap_or_default()
        })
    }

    /// Adds a guild text channel; returns its id.
    pub fn add_text_channel(&self, name: &str) -> u64 {
        let id = builders::next_id();
        let channel = builders::text_channel_json(id, self.scene().guild_id, name);
        self.shared
            .with(|inner| inner.channels.insert(id, state::ChannelState::new(channel)));
        id
    }

    /// Problems the server saw (invalid replies, unknown routes); clears them.
    pub fn take_failures(&self) -> Vec<String> {
        self.shared
            .with(|inner| std::mem::take(&mut inner.failures))
    }

    /// `Err` with the problems the server saw, without clearing them.
    pub fn check(&self) -> Result<(), TestkitError> {
        let failures = self.shared.read(|inner| inner.failures.clone());
        if failures.is_empty() {
            Ok(())
        } else {
            Err(TestkitError::Failures(failures))
        }
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        if let Err(e) = self.check() {
            if !std::thread::panicking() {
                panic!("fake Discord: {e}");
            }
        }
    }
}
