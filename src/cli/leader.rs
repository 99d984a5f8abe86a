//! Which instance holds the gateway: on PostgreSQL the one holding the leader lock
//! (`store::Election`), the others are hot standbys (database pool, config and HTTP up) that
//! try to take over every `database.leader_poll_every`. The leader runs the gateway and the
//! scheduler, so the instances together post at one instance's rate. See docs/operations.md.

use crate::store::Election;
use intakebot_app::stop::{self, Stop};
use intakebot_app::App;
use intakebot_discord::HttpFactory;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often the leader checks the connection holding its lock (each check may take 2 s).
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// A new leader waits this long before opening the gateway: the longest a leader that lost its
/// connection takes to notice (1 s + 2 s) and close its session (5 s), so sessions never overlap.
pub const HANDOVER: Duration = Duration::from_secs(8);

pub const LEADER_GAUGE: &str = "intakebot_leader";
pub const TAKEOVERS: &str = "intakebot_leader_takeovers_total";

/// The role `/healthz` reports: true while this instance leads.
pub type Leading = Arc<AtomicBool>;

/// Why a leadership term ended.
enum Term {
    Stopped,
    Lost,
}

/// Alternates standby and leader terms until `stop`; a fatal Discord error ends it.
pub async fn serve(
    app: App,
    http: HttpFactory,
    gateway_up: Arc<AtomicBool>,
    leading: Leading,
    permissions: intakebot_discord::permissions::Status,
    mut stop: Stop,
) -> Result<(), super::run::RunError> {
    let mut election = Election::new(&app.config().app.database.url)?;
    let poll = app
        .config()
        .app
        .database
        .leader_poll_every
        .0
        .to_std()
        .unwrap_or(Duration::from_secs(3));
    metrics::describe_gauge!(
        LEADER_GAUGE,
        "1 while this instance holds the gateway (leader), 0 as a standby"
    );
    metrics::describe_counter!(TAKEOVERS, "Times this instance became the gateway leader");
    loop {
        set_leading(&leading, false);
        if !become_leader(&mut election, poll, &mut stop).await {
            return Ok(());
        }
        set_leading(&leading, true);
        metrics::counter!(TAKEOVERS).increment(1);
        let (handle, session_stop) = stop::channel();
        let run = intakebot_discord::run(
            app.clone(),
            http.clone(),
            gateway_up.clone(),
            permissions.clone(),
            session_stop,
        );
        tokio::pin!(run);
        let term = tokio::select! {
            ended = &mut run => {
                election.resign().await;
                return Ok(ended?);
            }
            term = hold(&mut election, &mut stop) => term,
        };
        handle.stop();
        let ended = run.await;
        election.resign().await;
        match term {
            Term::Stopped => return Ok(ended?),
            Term::Lost => {
                tracing::warn!("lost the leader lock's database connection: the gateway was closed, now a standby");
                ended?;
            }
        }
    }
}

/// Standby until the lock is ours (false: stopped first). Solo instances lead at once.
async fn become_leader(election: &mut Election, poll: Duration, stop: &mut Stop) -> bool {
    if election.is_solo() {
        return !stop.is_requested();
    }
    tracing::info!(poll_s = poll.as_secs(), "standby: waiting for the leader lock");
    let mut saw_leader = false;
    loop {
        match election.try_lead().await {
            Ok(true) => break,
            Ok(false) => saw_leader = true,
            Err(err) => tracing::warn!(error = %err, "standby: cannot reach the database for the leader lock"),
        }
        tokio::select! {
            _ = stop.requested() => return false,
            _ = tokio::time::sleep(poll) => {}
        }
    }
    // Only a leader that was seen may still be closing its session. An instance that finds the
    // lock free at its first try (the usual start, or a restart of the only instance) opens the
    // gateway at once; see docs/operations.md for the one case this leaves.
    if !saw_leader {
        tracing::info!("took the leader lock at the first try; opening the gateway");
        return !stop.is_requested();
    }
    tracing::info!(
        handover_s = HANDOVER.as_secs(),
        "took the leader lock from another instance; opening the gateway after the handover wait"
    );
    tokio::select! {
        _ = stop.requested() => {
            election.resign().await;
            false
        }
        _ = tokio::time::sleep(HANDOVER) => true,
    }
}

/// The leader's term: until a stop, or the lock's connection is gone.
async fn hold(election: &mut Election, stop: &mut Stop) -> Term {
    loop {
        tokio::select! {
            _ = stop.requested() => return Term::Stopped,
            _ = tokio::time::sleep(CHECK_EVERY) => {}
        }
        if !election.still_leading().await {
            return Term::Lost;
        }
    }
}

fn set_leading(leading: &Leading, on: bool) {
    leading.store(on, Ordering::Relaxed);
    metrics::gauge!(LEADER_GAUGE).set(if on { 1.0 } else { 0.0 });
    if on {
        tracing::info!(role = "leader", "this instance is the gateway leader");
    }
}
