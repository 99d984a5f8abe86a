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
//! reads, on every (re)connect, what was posted while no session was open.

mod catch_up;
mod commands;
mod custom_id;
mod deliver;
mod dispatch;
mod errors;
mod events;
mod forms;
mod identity;
mod pace;
pub mod permissions;
mod render;
mod sender;

pub use commands::all as commands;
pub use custom_id::parse as parse_custom_id;
pub use pace::Pacer;
pub use sender::DiscordSender;

use intakebot_app::scheduler::Scheduler;
use intakebot_app::App;
use intakebot_config::Secret;
use poise::serenity_prelude as serenity;
use std::sync::atomic::{AtomicBool, Ordering};
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
}

/// The gateway intents the bot needs; message content is privileged (README: how to enable it).
pub fn intents() -> serenity::GatewayIntents {
    serenity::GatewayIntents::GUILDS
        | serenity::GatewayIntents::GUILD_MESSAGES
        | serenity::GatewayIntents::MESSAGE_CONTENT
        | serenity::GatewayIntents::GUILD_MEMBERS
}

/// The REST client: direct, or through the configured rate-limiting proxy.
pub fn http_client(app: &App, token: &Secret) -> serenity::Http {
    let mut builder = serenity::HttpBuilder::new(token.expose());
    if let Some(proxy) = &app.config().app.discord.proxy_url {
        // serenity only honours a proxy with its own ratelimiter off: the proxy limits instead.
        builder = builder.proxy(proxy.as_str()).ratelimiter_disabled(true);
    }
    builder.build()
}

/// Runs the bot until `shutdown` resolves: gateway, commands, and the notice scheduler.
pub async fn run(
    app: App,
    http: serenity::Http,
    gateway_up: Arc<AtomicBool>,
    permissions: permissions::Status,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let guild = serenity::GuildId::new(app.config().app.discord.guild_id.0);
    let data_app = app.clone();
    let gateway = gateway_up.clone();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(errors::on_error(error)),
            event_handler: |framework, event| Box::pin(events::handle(framework, event)),
            ..Default::default()
        })
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(ctx, &framework.options().commands, guild).await?;
                gateway.store(true, Ordering::Relaxed);
                metrics::gauge!(intakebot_app::metrics::GATEWAY_SHARD_UP).set(1.0);
                Ok(Data {
                    app: data_app,
                    forms: forms::Pending::default(),
                    seen: forms::Seen::default(),
                    catch_up: catch_up::Gate::default(),
                })
            })
        })
        .build();
    let mut client = serenity::ClientBuilder::new_with_http(http, intents())
        .framework(framework)
        .raw_event_handler(permissions::Watch::new(Arc::new(app.config().clone()), permissions))
        .await?;
    let scheduler = Scheduler::new(app.clone(), Arc::new(sender_for(&app, &client.http)), worker_id());
    let every = app
        .config()
        .app
        .reminders
        .poll_every
        .0
        .to_std()
        .unwrap_or(std::time::Duration::from_secs(5));
    let scheduler_task = tokio::spawn(async move { scheduler.run_every(every).await });
    let shard_manager = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        shard_manager.shutdown_all().await;
    });
    let result = client.start().await;
    gateway_up.store(false, Ordering::Relaxed);
    metrics::gauge!(intakebot_app::metrics::GATEWAY_SHARD_UP).set(0.0);
    scheduler_task.abort();
    result
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
