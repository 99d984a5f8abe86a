//! The Discord adapter: poise commands and event handlers translating Discord to the app's
//! use cases and back. Handlers stay thin; every decision lives in `app` and `core`.

mod announce;
mod autocomplete;
mod buttons;
mod commands;
mod custom_id;
mod errors;
mod events;
mod identity;
mod messages;
mod pace;
mod render;
mod sender;

pub use custom_id::ComponentId;
pub use pace::Pacer;
pub use sender::DiscordSender;

use crate::app::{App, AppError};
use crate::config::Secret;
use crate::scheduler::Scheduler;
use poise::serenity_prelude as serenity;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub type Error = AppError;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// What every handler can reach.
pub struct Data {
    pub app: App,
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
    if let Some(proxy) = &app.config.app.discord.proxy_url {
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
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), AppError> {
    let guild = serenity::GuildId::new(app.config.app.discord.guild_id.0);
    let data_app = app.clone();
    let gateway = gateway_up.clone();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(errors::on_error(error)),
            pre_command: |ctx| {
                Box::pin(async move {
                    tracing::info!(
                        guild = ctx.guild_id().map(|g| g.get()),
                        channel = ctx.channel_id().get(),
                        user = ctx.author().id.get(),
                        command = %ctx.command().qualified_name,
                        "command"
                    );
                })
            },
            event_handler: |framework, event| Box::pin(events::handle(framework, event)),
            ..Default::default()
        })
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(ctx, &framework.options().commands, guild).await?;
                gateway.store(true, Ordering::Relaxed);
                metrics::gauge!(crate::ops::metrics::GATEWAY_SHARD_UP).set(1.0);
                Ok(Data { app: data_app })
            })
        })
        .build();
    let mut client = serenity::ClientBuilder::new_with_http(http, intents())
        .framework(framework)
        .await?;
    let scheduler = Scheduler::new(
        app.clone(),
        Arc::new(DiscordSender {
            http: client.http.clone(),
            discord: app.config.app.discord.clone(),
            pace: Some(Arc::new(Pacer::per_second(
                app.config.app.reminders.max_posts_per_second,
            ))),
        }),
        worker_id(),
    );
    let poll = app
        .config
        .app
        .reminders
        .poll_every
        .0
        .to_std()
        .unwrap_or(std::time::Duration::from_secs(5));
    let scheduler_task = tokio::spawn(async move { scheduler_loop(scheduler, poll).await });
    let shard_manager = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        shard_manager.shutdown_all().await;
    });
    let result = client.start().await;
    gateway_up.store(false, Ordering::Relaxed);
    metrics::gauge!(crate::ops::metrics::GATEWAY_SHARD_UP).set(0.0);
    scheduler_task.abort();
    result.map_err(AppError::from)
}

/// The scheduler on a timer: started once per process, not from `Ready` (which fires on
/// every reconnect), so one loop runs however often the gateway reconnects.
async fn scheduler_loop(scheduler: Scheduler, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = chrono::Utc::now();
        match scheduler.run_due(now).await {
            Ok(report) if report.claimed > 0 => tracing::info!(?report, "scheduler pass"),
            Ok(_) => {}
            Err(err) => tracing::error!(error = %err, "scheduler pass failed"),
        }
        scheduler.record_backlog(now).await;
    }
}

/// A worker name that tells instances apart in the outbox's lease column.
fn worker_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "intakebot".into());
    format!("{host}-{}", std::process::id())
}
