//! The Discord front end (serenity + poise): it turns gateway events and interactions into the
//! app's `Request`s and shows the app's `Reply`s as Discord messages, embeds, buttons and
//! modals. It decides nothing: no role, language, state or policy outcome is worked out here,
//! and the database is out of reach (this crate does not depend on the store).
//!
//! Layout: `commands/` declares the slash commands (names and options in English and
//! Norwegian) and hands each to `dispatch`; `events` does the same for messages, buttons and
//! form submits; `deliver` carries out the replies of one request; `render` builds Discord
//! payloads within Discord's limits; `custom_id` and `forms` carry typed actions and pending
//! forms through Discord's string ids; `sender` posts the scheduler's notices; `catch_up`
//! reads, on every (re)connect, what was posted while no session was open; `lifecycle`
//! runs it all: token and reachability checks, gateway sessions, backoff, stopping.

mod catch_up;
mod commands;
mod custom_id;
mod deliver;
mod dispatch;
mod errors;
mod events;
mod forms;
mod identity;
mod lifecycle;
mod pace;
pub mod permissions;
mod render;
mod sender;

pub use commands::all as commands;
pub use custom_id::parse as parse_custom_id;
pub use lifecycle::{run, RunError};
pub use pace::Pacer;
pub use sender::DiscordSender;

use intakebot_app::App;
use intakebot_config::Secret;
use poise::serenity_prelude as serenity;
use std::sync::Arc;

/// Errors of the front end itself (Discord refused or could not be reached); what users did
/// wrong never becomes one of these: the app answers it.
pub type Error = serenity::Error;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// What every handler can reach.
pub struct Data {
    pub app: App,
    /// Forms shown and not yet submitted, by their custom id.
    pub(crate) forms: forms::Pending,
    /// Events handled lately, so a replayed one is answered once.
    pub(crate) seen: forms::Seen,
    /// One catch-up pass at a time (`catch_up`).
    pub(crate) catch_up: catch_up::Gate,
    /// Set once the first catch-up pass has run: the scheduler waits for it, so a reply an
    /// engineer posted during downtime counts before any breach alert is judged.
    pub(crate) caught_up: Arc<tokio::sync::watch::Sender<bool>>,
}

/// The gateway intents the bot needs; message content is privileged (README: how to enable it).
pub fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::GUILDS
        | serenity::GatewayIntents::GUILD_MESSAGES
        | serenity::GatewayIntents::MESSAGE_CONTENT
        | serenity::GatewayIntents::GUILD_MEMBERS
}

/// Makes serenity REST clients; each gateway session needs its own (serenity takes it by
/// value), and the scheduler has one that outlives sessions.
pub type HttpFactory = Arc<dyn Fn() -> serenity::Http + Send + Sync>;

/// REST clients, direct or through the configured rate-limiting proxy.
pub fn http_client(app: &App, token: &Secret) -> HttpFactory {
    let token = token.clone();
    let proxy = app.config().app.discord.proxy_url.clone();
    Arc::new(move || {
        let mut builder = serenity::HttpBuilder::new(token.expose());
        if let Some(proxy) = &proxy {
            // serenity only honours a proxy with its own ratelimiter off: the proxy limits instead.
            builder = builder.proxy(proxy.as_str()).ratelimiter_disabled(true);
        }
        builder.build()
    })
}

fn sender_for(app: &App, http: &Arc<serenity::Http>) -> DiscordSender {
    DiscordSender {
        http: http.clone(),
        pace: Some(Arc::new(Pacer::per_second(
            app.config().app.reminders.max_posts_per_second,
        ))),
    }
}

/// A worker name that tells instances apart in the outbox's lease column.
fn worker_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "intakebot".into());
    format!("{host}-{}", std::process::id())
}
