//! Which instance holds the gateway: on PostgreSQL the one holding the leader lock
//! (`store::Election`), the others are hot standbys (database pool, config and HTTP up) that
//! try to take over every `database.leader_poll_every`, and end a leader whose heartbeat is
//! older than `database.leader_hang_after` (a hung process keeps its connection and lock). The
//! leader runs the gateway and the scheduler, so the instances together post at one instance's
//! rate. See docs/operations.md.

use crate::store::{Attempt, Election, Ending};
use intakebot_app::stop::{self, Stop};
use intakebot_app::App;
use intakebot_discord::HttpFactory;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// How often the leader beats on the connection holding its lock (each beat may take 2 s).
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// A new leader waits at most this long before opening the gateway: the longest a leader that
/// lost its connection takes to notice (1 s + 2 s) and close its session (5 s), counted from
/// the loss, so sessions never overlap.
pub const HANDOVER: Duration = Duration::from_secs(8);
/// The same bound counted from the leader's last beat instead: its next check fails at most
/// 1 s + 2 s after its last one answered (itself within 2 s of the beat), and its session is
/// closed 5 s later. A new leader that knows its predecessor's last beat waits only what is
/// left of this, e.g. after ending a leader silent for 6 s, 4 s at most.
const BEAT_TO_CLOSED: Duration = Duration::from_secs(10);

pub const LEADER_GAUGE: &str = "intakebot_leader";
pub const TAKEOVERS: &str = "intakebot_leader_takeovers_total";
pub const HANGS_ENDED: &str = "intakebot_leader_hangs_ended_total";

/// The role `/healthz` reports: true while this instance leads.
pub type Leading = Arc<AtomicBool>;

/// Why a leadership term (or a handover wait) ended.
enum Term {
    Stopped,
    Lost,
    /// The handover wait is over.
    Elapsed,
}

/// The standby's timings from the config.
struct Standby {
    poll: Duration,
    hang_after: Duration,
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
    let database = &app.config().app.database;
    let standby = Standby {
        poll: database.leader_poll_every.0.to_std().unwrap_or(Duration::from_secs(3)),
        hang_after: database.leader_hang_after.0.to_std().unwrap_or(Duration::from_secs(6)),
    };
    metrics::describe_gauge!(
        LEADER_GAUGE,
        "1 while this instance holds the gateway (leader), 0 as a standby"
    );
    metrics::describe_counter!(TAKEOVERS, "Times this instance became the gateway leader");
    metrics::describe_counter!(
        HANGS_ENDED,
        "Times this standby ended a leader whose heartbeat stopped (a hung process)"
    );
    // After losing the lock this instance lets a standby take over first: its database
    // connection was just ended or lost, whoever did that.
    let mut first_try_after = Duration::ZERO;
    loop {
        set_leading(&leading, false);
        if !become_leader(&mut election, &standby, first_try_after, &mut stop).await {
            return Ok(());
        }
        set_leading(&leading, true);
        metrics::counter!(TAKEOVERS).increment(1);
        let (handle, session_stop) = stop::channel();
        // A task of its own: however long a poll of the gateway's future takes, the beats in
        // `hold` below keep their pace (a late beat gets a healthy leader ended).
        let mut run = tokio::spawn(intakebot_discord::run(
            app.clone(),
            http.clone(),
            gateway_up.clone(),
            permissions.clone(),
            session_stop,
        ));
        let term = tokio::select! {
            ended = &mut run => {
                election.resign().await;
                return Ok(joined(ended, Err(intakebot_discord::RunError::Ended))?);
            }
            term = hold(&mut election, &mut stop, None) => term,
        };
        handle.stop();
        let ended = joined(run.await, Err(intakebot_discord::RunError::Ended));
        election.resign().await;
        match term {
            Term::Stopped | Term::Elapsed => return Ok(ended?),
            Term::Lost => {
                tracing::warn!("lost the leader lock's database connection: the gateway was closed, now a standby");
                ended?;
                first_try_after = standby.poll;
            }
        }
    }
}

/// The gateway task's result. Its panic goes on unwinding here, as before it had a task; it is
/// never cancelled (nothing aborts it), but that would read as the client stopping on its own.
fn joined<T>(result: Result<T, tokio::task::JoinError>, cancelled: T) -> T {
    match result {
        Ok(ended) => ended,
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        Err(_) => cancelled,
    }
}

/// Standby until the lock is ours and the handover wait is over (false: stopped first). Solo
/// instances lead at once.
async fn become_leader(election: &mut Election, standby: &Standby, first_try_after: Duration, stop: &mut Stop) -> bool {
    if election.is_solo() {
        return !stop.is_requested();
    }
    let mut saw_leader = false;
    let mut first_try_after = first_try_after;
    loop {
        let taken = take_lock(election, standby, first_try_after, stop, &mut saw_leader).await;
        let Some(predecessor_silent_for) = taken else {
            return false;
        };
        let wait = handover(saw_leader, predecessor_silent_for);
        if !saw_leader {
            tracing::info!("took the leader lock at the first try; opening the gateway");
            return !stop.is_requested();
        }
        if wait.is_zero() {
            tracing::info!(
                "took the leader lock from another instance; its last beat is old enough to open the gateway at once"
            );
            return !stop.is_requested();
        }
        tracing::info!(
            handover_s = wait.as_secs_f64(),
            "took the leader lock from another instance; opening the gateway after the handover wait"
        );
        // It beats while it waits: a standby would otherwise judge the new leader hung.
        match hold(election, stop, Some(Instant::now() + wait)).await {
            Term::Elapsed => return true,
            Term::Stopped => {
                election.resign().await;
                return false;
            }
            Term::Lost => {
                election.resign().await;
                tracing::warn!("lost the leader lock's database connection during the handover wait; a standby again");
                first_try_after = standby.poll;
            }
        }
    }
}

/// Polls for the lock (the first time after `first_try_after`), ending a hung leader on the
/// way, and notes in `saw_leader` whether another instance held it. Returns, once the lock is
/// ours, how long ago the predecessor last beat when that is known (`None` outside: stopped
/// first).
async fn take_lock(
    election: &mut Election,
    standby: &Standby,
    first_try_after: Duration,
    stop: &mut Stop,
    saw_leader: &mut bool,
) -> Option<Option<Duration>> {
    tracing::info!(
        poll_s = standby.poll.as_secs(),
        hang_after_s = standby.hang_after.as_secs(),
        "standby: waiting for the leader lock"
    );
    tokio::select! {
        _ = stop.requested() => return None,
        _ = tokio::time::sleep(first_try_after) => {}
    }
    let mut refusal_logged = false;
    loop {
        let taken = match election.try_lead().await {
            Ok(Attempt::Taken { predecessor_silent_for }) => Some(predecessor_silent_for),
            Ok(Attempt::Held { silent_for }) => {
                *saw_leader = true;
                if silent_for.is_some_and(|silent| silent > standby.hang_after) {
                    end_hung_leader(election, standby, &mut refusal_logged).await
                } else {
                    None
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "standby: cannot reach the database for the leader lock");
                None
            }
        };
        if taken.is_some() {
            return taken;
        }
        tokio::select! {
            _ = stop.requested() => return None,
            _ = tokio::time::sleep(standby.poll) => {}
        }
    }
}

/// Ends the lock holder's connection when it is still silent; `Some` (its silence) when this
/// instance then took the lock. A refusal is logged once per standby term.
async fn end_hung_leader(
    election: &mut Election,
    standby: &Standby,
    refusal_logged: &mut bool,
) -> Option<Option<Duration>> {
    match election.end_hung_leader(standby.hang_after).await {
        Ok(Ending::Spared) => None,
        Ok(Ending::Ended { silent_for, took }) => {
            tracing::warn!(
                silent_s = silent_for.as_secs_f64(),
                took_lock = took,
                "the leader stopped answering for {} s; its lock connection was ended",
                silent_for.as_secs()
            );
            metrics::counter!(HANGS_ENDED).increment(1);
            took.then_some(Some(silent_for))
        }
        Ok(Ending::NotAllowed { reason }) => {
            if !*refusal_logged {
                tracing::warn!(
                    %reason,
                    "the leader stopped answering, but the database refused to end its connection: run all \
                     instances as one database role, or grant theirs pg_signal_backend; waiting"
                );
                *refusal_logged = true;
            }
            None
        }
        Err(err) => {
            tracing::warn!(error = %err, "standby: cannot reach the database to end a hung leader");
            None
        }
    }
}

/// How long a new leader waits before opening the gateway. Only a leader that was seen may
/// still be closing its session: an instance that finds the lock free at its first try (the
/// usual start, or a restart of the only instance) opens at once; see docs/operations.md for
/// the one case this leaves. A predecessor whose last beat is known has closed its session
/// within `BEAT_TO_CLOSED` of it.
fn handover(saw_leader: bool, predecessor_silent_for: Option<Duration>) -> Duration {
    if !saw_leader {
        return Duration::ZERO;
    }
    match predecessor_silent_for {
        Some(silent) => HANDOVER.min(BEAT_TO_CLOSED.saturating_sub(silent)),
        None => HANDOVER,
    }
}

/// The leader's term: beats until a stop, the loss of the lock's connection, or `until`.
async fn hold(election: &mut Election, stop: &mut Stop, until: Option<Instant>) -> Term {
    loop {
        let next = Instant::now() + CHECK_EVERY;
        let pause = until.map_or(next, |until| until.min(next));
        tokio::select! {
            _ = stop.requested() => return Term::Stopped,
            _ = tokio::time::sleep_until(pause) => {}
        }
        if until.is_some_and(|until| Instant::now() >= until) {
            return Term::Elapsed;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handover_wait_counts_from_the_predecessors_last_beat_when_known() {
        let s = Duration::from_secs;
        assert_eq!(handover(false, None), Duration::ZERO, "first try");
        assert_eq!(handover(true, None), HANDOVER, "an unknown predecessor");
        assert_eq!(
            handover(true, Some(s(1))),
            HANDOVER,
            "a fresh beat: the loss-based bound is shorter"
        );
        assert_eq!(handover(true, Some(s(7))), s(3), "a hung leader ended after 7 s");
        assert_eq!(handover(true, Some(s(12))), Duration::ZERO);
    }
}
