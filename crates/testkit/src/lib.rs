//! A local Discord-compatible server (REST v10 + gateway) for end-to-end tests of the real
//! serenity/poise client. See docs/testing-discord.md.
//!
//! Layout: `state` holds everything the server knows; `rest/` answers HTTP routes; `gateway`
//! speaks the WebSocket protocol, `sessions` keeps its sessions and spans, `ready` builds their
//! first frames and `events` queues dispatches; `guild` and `permissions` model roles, members
//! and overwrites; `nonce` is the deduplication window; `faults` and `ratelimit` script failures;
//! `hanging` stages unreachable and silent servers; `validate` checks every payload against
//! serenity's own types; `builders` makes valid payloads; `tls` is the HTTPS mode.
//! `FakeDiscord` is the handle: started and wired to serenity here, read through `observe`,
//! `observe_gateway`, `posts` and `attempts`, driven through `script` and `script_guild`.
//! `remote` serves it in a process of its own (the `fake-discord` binary) and `load` drives a
//! steady command → modal → submit load from its side (the whole-bot bench).
//! `config_dir` writes a test copy of the shipped `config/` pointed at the fake (guild, proxy, database, ids).

mod attempts;
pub mod builders;
pub mod calls;
pub mod config_dir;
mod error;
mod events;
pub mod faults;
mod gateway;
pub mod glossary;
pub mod guild;
mod hanging;
pub mod load;
mod nonce;
mod observe;
mod observe_gateway;
mod permissions;
mod posts;
pub mod ratelimit;
mod ready;
pub mod remote;
mod rest;
mod script;
mod script_guild;
pub mod sessions;
mod state;
mod tls;
pub mod validate;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serenity::http::{Http, HttpBuilder};
use serenity::model::gateway::GatewayIntents;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use attempts::Attempt;
pub use builders::{MemberSpec, Scene};
pub use calls::{Identify, InteractionResponse, RecordedCall, ResponseKind, Resume, UploadedFile};
pub use config_dir::{write_config, Channels, ConfigOptions};
pub use error::TestkitError;
pub use faults::{Fault, FaultRule};
pub use guild::{Overwrite, OverwriteTarget, RoleSpec};
pub use hanging::{unreachable, HangingServer, Unreachable};
pub use posts::{Post, PostAttachment};
pub use ratelimit::{RateLimit, RetryAfterHeader};
pub use rest::reply::Reply;
pub use sessions::GatewaySpan;

use state::Shared;
pub use tls::client_trusting;
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
        let rest_base = match mode {
            Mode::Proxy => format!("http://{rest_addr}"),
            Mode::Tls => format!("https://{}", tls::DISCORD_HOST),
        };
        shared.with(|inner| {
            inner.gateway_url = format!("ws://{gateway_addr}");
            inner.rest_base = rest_base;
        });
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

    /// The test CA's certificate (DER) in TLS mode, for a client in another process.
    pub fn tls_ca_der(&self) -> Option<&[u8]> {
        self.tls.as_ref().map(|t| t.ca_der.as_slice())
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

    /// Makes serenity `Http`s pointed at this fake, as many as asked (one per gateway session).
    pub fn http_factory(&self, token: &str) -> Result<Arc<dyn Fn() -> Http + Send + Sync>, TestkitError> {
        let token = token.to_string();
        match &self.tls {
            None => {
                let url = self.rest_url();
                Ok(Arc::new(move || {
                    HttpBuilder::new(&token)
                        .proxy(url.as_str())
                        .ratelimiter_disabled(true)
                        .build()
                }))
            }
            Some(tls) => {
                // reqwest clients share their pool when cloned: one for all.
                let client = tls.client(self.rest_addr)?;
                Ok(Arc::new(move || {
                    HttpBuilder::new(&token).client(client.clone()).build()
                }))
            }
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

    /// Problems the server saw (invalid replies, unknown routes); clears them.
    pub fn take_failures(&self) -> Vec<String> {
        self.shared.with(|inner| std::mem::take(&mut inner.failures))
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
