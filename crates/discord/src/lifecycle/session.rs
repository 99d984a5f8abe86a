//! One gateway session: serenity's client on the probed URL, until a stop, a fatal close, or
//! the shard stays disconnected for `LOST_AFTER` (then the caller's backoff takes over from
//! serenity's endless 5 s retries).

use super::RunError;
use crate::{commands, errors, events, forms, intents, Data, HttpFactory};
use intakebot_app::stop::Stop;
use intakebot_app::App;
use poise::serenity_prelude as serenity;
use serenity::gateway::{ConnectionStage, GatewayError, ShardRunnerInfo, ShardRunnerMessage};
use serenity::{ShardId, ShardManager, ShardMessenger};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Disconnected this long after having been connected: the session is given up. Serenity's
/// own resume takes milliseconds and a re-identify about 5 s.
const LOST_AFTER: Duration = Duration::from_secs(15);
/// How often the shard's stage is read.
const WATCH_EVERY: Duration = Duration::from_millis(500);
/// The longest a clean close (close frame to Discord) may take before it is abandoned.
pub const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// How a session ended without a fatal error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Stopped,
    Lost,
}

/// Runs one session on `ws_url` until it ends.
pub async fn run(
    app: &App,
    http: &HttpFactory,
    ws_url: String,
    gateway_up: &Arc<AtomicBool>,
    permissions: &crate::permissions::Status,
    caught_up: &Arc<tokio::sync::watch::Sender<bool>>,
    mut stop: Stop,
) -> Result<Ended, RunError> {
    let closing = Closing::default();
    let mut client = serenity::ClientBuilder::new_with_http(http(), intents())
        .framework(framework(app.clone(), caught_up.clone()))
        .raw_event_handler(closing.clone())
        .raw_event_handler(crate::permissions::Watch::new(
            Arc::new(app.config().clone()),
            permissions.clone(),
        ))
        .await
        .map_err(RunError::Gateway)?;
    // Serenity asked for the gateway URL itself and, had that failed, would dial Discord's real
    // host: the URL we probed is the one to use.
    *client.ws_url.lock().await = ws_url;
    let manager = client.shard_manager.clone();
    let messenger = Arc::new(Mutex::new(None));
    let ended = tokio::select! {
        started = client.start() => return Err(match started {
            Err(serenity::Error::Gateway(GatewayError::InvalidAuthentication)) => {
                RunError::TokenRefused { route: "the gateway's identify (close code 4004)" }
            }
            Err(err) => RunError::Gateway(err),
            Ok(()) => RunError::Ended,
        }),
        _ = stop.requested() => Ended::Stopped,
        () = watch(&manager, gateway_up, &messenger) => Ended::Lost,
    };
    set_up(gateway_up, false);
    closing.0.store(true, Ordering::Relaxed);
    close(&manager, &messenger).await;
    Ok(ended)
}

/// Raised once the session is being closed. Serenity may start a shard of its own at that very
/// moment (its reconnect racing the close, as when a stopped process wakes to a connection
/// Discord closed meanwhile); the close can miss that shard, which would leave a session open
/// in an instance that no longer leads. Its first event (READY) shuts it down.
#[derive(Debug, Clone, Default)]
struct Closing(Arc<AtomicBool>);

#[async_trait::async_trait]
impl serenity::RawEventHandler for Closing {
    async fn raw_event(&self, ctx: serenity::Context, _event: serenity::Event) {
        if self.0.load(Ordering::Relaxed) {
            tracing::info!("a gateway shard started while the session was closing; shutting it down");
            ctx.shard
                .send_to_shard(ShardRunnerMessage::Shutdown(ctx.shard_id, 1000));
        }
    }
}

/// poise with the bot's commands and handlers; `Data` is made when the session is ready.
fn framework(app: App, caught_up: Arc<tokio::sync::watch::Sender<bool>>) -> poise::Framework<Data, crate::Error> {
    let guild = serenity::GuildId::new(app.config().app.discord.guild_id.0);
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(errors::on_error(error)),
            event_handler: |framework, event| Box::pin(events::handle(framework, event)),
            ..Default::default()
        })
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(ctx, &framework.options().commands, guild).await?;
                Ok(Data {
                    app,
                    forms: forms::Pending::default(),
                    seen: forms::Seen::default(),
                    catch_up: crate::catch_up::Gate::default(),
                    caught_up,
                })
            })
        })
        .build()
}

/// Follows shard 0's stage into `gateway_up`; returns once it has been disconnected for
/// `LOST_AFTER` after having been connected. Keeps the shard's messenger for `close`.
async fn watch(manager: &Arc<ShardManager>, gateway_up: &Arc<AtomicBool>, messenger: &Mutex<Option<ShardMessenger>>) {
    let mut down_since: Option<Instant> = None;
    let mut was_up = false;
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        let connected = {
            let runners = manager.runners.lock().await;
            let shard = runners.get(&ShardId(0));
            if let Some(info) = shard {
                *lock(messenger) = Some(info.runner_tx.clone());
            }
            shard.is_some_and(|info| info.stage == ConnectionStage::Connected)
        };
        if connected != gateway_up.load(Ordering::Relaxed) {
            set_up(gateway_up, connected);
            if was_up && !connected {
                tracing::warn!("gateway disconnected; serenity is reconnecting");
            }
        }
        was_up |= connected;
        if connected || !was_up {
            down_since = None;
        } else if down_since.get_or_insert_with(Instant::now).elapsed() >= LOST_AFTER {
            tracing::warn!(after_s = LOST_AFTER.as_secs(), "gateway lost: starting over");
            return;
        }
    }
}

/// Closes the session (a close frame when connected) and stops serenity's shard queuer, which
/// otherwise keeps re-dialling. Serenity only reaches the queuer through a known runner, so a
/// runner already gone is put back from its kept messenger first.
async fn close(manager: &Arc<ShardManager>, messenger: &Mutex<Option<ShardMessenger>>) {
    let kept = lock(messenger).clone();
    if let Some(runner_tx) = kept {
        manager
            .runners
            .lock()
            .await
            .entry(ShardId(0))
            .or_insert(ShardRunnerInfo {
                latency: None,
                runner_tx,
                stage: ConnectionStage::Disconnected,
            });
    }
    if tokio::time::timeout(CLOSE_TIMEOUT, manager.shutdown_all())
        .await
        .is_err()
    {
        tracing::warn!("the gateway did not close within {} s", CLOSE_TIMEOUT.as_secs());
    }
}

fn set_up(gateway_up: &AtomicBool, up: bool) {
    gateway_up.store(up, Ordering::Relaxed);
    metrics::gauge!(intakebot_app::metrics::GATEWAY_SHARD_UP).set(if up { 1.0 } else { 0.0 });
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
