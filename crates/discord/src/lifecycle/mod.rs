//! `run`'s life: probe Discord (a refused token is fatal, an unreachable Discord is retried
//! with capped backoff), hold one gateway session, start over when it is lost, and stop on
//! request in every state. The scheduler starts once Discord first answered and is given a
//! bounded time to finish its pass at a stop.

mod backoff;
mod probe;
mod session;

use crate::{sender_for, worker_id, HttpFactory};
use intakebot_app::scheduler::Scheduler;
use intakebot_app::stop::{self, Stop};
use intakebot_app::App;
use poise::serenity_prelude as serenity;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How long a stop waits for a scheduler pass under way; it runs beside the gateway's close,
/// so both fit in the 10 s a service manager gives (README: Operations).
const SCHEDULER_GRACE: Duration = Duration::from_secs(6);

/// Why `run` ended other than by a stop.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(
        "Discord refused the bot token (401 Unauthorized on {route}): it is wrong, was reset or was \
         revoked; put the bot's current token from the developer portal in DISCORD_TOKEN"
    )]
    TokenRefused { route: &'static str },
    #[error("the Discord gateway ended the session for good: {0}")]
    Gateway(serenity::Error),
    #[error("the Discord client stopped on its own")]
    Ended,
}

/// Runs the bot until `stop` is asked for (`Ok`) or Discord refuses it for good (`Err`).
pub async fn run(
    app: App,
    http: HttpFactory,
    gateway_up: Arc<AtomicBool>,
    permissions: crate::permissions::Status,
    stop: Stop,
) -> Result<(), RunError> {
    let mut scheduler = None;
    let caught_up = Arc::new(tokio::sync::watch::channel(false).0);
    let result = supervise(&app, &http, &gateway_up, &permissions, &caught_up, stop, &mut scheduler).await;
    if let Some((handle, task)) = scheduler {
        handle.stop();
        finish(task).await;
    }
    result
}

async fn supervise(
    app: &App,
    http: &HttpFactory,
    gateway_up: &Arc<AtomicBool>,
    permissions: &crate::permissions::Status,
    caught_up: &Arc<tokio::sync::watch::Sender<bool>>,
    mut stop: Stop,
    scheduler: &mut Option<(stop::StopHandle, JoinHandle<()>)>,
) -> Result<(), RunError> {
    let rest = http();
    loop {
        let Some(ws_url) = probe::until_reachable(&rest, &mut stop).await? else {
            return Ok(());
        };
        if scheduler.is_none() {
            *scheduler = Some(start_scheduler(app, http, caught_up.subscribe(), stop.clone()));
        }
        match session::run(app, http, ws_url, gateway_up, permissions, caught_up, stop.clone()).await? {
            session::Ended::Stopped => return Ok(()),
            session::Ended::Lost => continue,
        }
    }
}

/// The scheduler's loop, stopped by `outer` or by its own handle (a fatal end of `run`).
fn start_scheduler(
    app: &App,
    http: &HttpFactory,
    mut caught_up: tokio::sync::watch::Receiver<bool>,
    mut outer: Stop,
) -> (stop::StopHandle, JoinHandle<()>) {
    let scheduler = Scheduler::new(app.clone(), Arc::new(sender_for(app, &Arc::new(http()))), worker_id());
    let every = app
        .config()
        .app
        .reminders
        .poll_every
        .0
        .to_std()
        .unwrap_or(Duration::from_secs(5));
    let (handle, mut own) = stop::channel();
    let task = tokio::spawn(async move {
        let (forward, inner) = stop::channel();
        let relay = async move {
            tokio::select! {
                _ = outer.requested() => {}
                _ = own.requested() => {}
            }
            forward.stop();
        };
        // Nothing is judged late before what was posted during downtime has been read.
        let run = async move {
            let mut waiting = inner.clone();
            tokio::select! {
                // The borrow `wait_for` returns is not `Send`: keep only whether it came.
                ready = async { caught_up.wait_for(|done| *done).await.is_ok() } => {
                    if ready {
                        scheduler.run_until(every, inner).await;
                    }
                }
                _ = waiting.requested() => {}
            }
        };
        tokio::join!(relay, run);
    });
    (handle, task)
}

/// Waits for the scheduler's pass under way, at most `SCHEDULER_GRACE`; past that it is
/// dropped and its claimed rows return to the outbox when their lease ends (the nonce keeps a
/// repeat post from showing twice).
async fn finish(mut task: JoinHandle<()>) {
    if tokio::time::timeout(SCHEDULER_GRACE, &mut task).await.is_err() {
        tracing::warn!(
            "the scheduler pass did not finish within {} s; left to the lease",
            SCHEDULER_GRACE.as_secs()
        );
        task.abort();
    }
}
