//! One gateway leader among the instances sharing a PostgreSQL database: a session-level
//! advisory lock held on a connection of its own (not the pool's, whose connections come and
//! go). The server releases the lock when that connection ends, however it ends (exit, kill -9,
//! crash, network loss once the server notices), so a dead leader never holds it; the leader
//! checks its connection and steps down when it is gone (docs/operations.md). On SQLite the
//! instance lock already makes the one process the leader.
//!
//! A leader whose process hangs keeps its connection, and so the lock. Its check is therefore
//! a heartbeat: one row (`leader_heartbeat`, migration 0007) with the lock connection's backend
//! pid and the database's clock, written every second. A standby that finds the lock's holder
//! silent for longer than `database.leader_hang_after` ends that connection
//! (`pg_terminate_backend`), which frees the lock. Only the database's clock is compared, and
//! only the connection that holds the lock and wrote the row is ever ended.

use crate::{redact_url, StoreError};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};
use std::str::FromStr;
use std::time::{Duration, Instant};

/// The advisory lock's key: "intakebo" in ASCII, so `pg_locks` shows who holds it.
pub const LEADER_KEY: i64 = 0x696e_7461_6b65_626f;
/// A check of the leader's connection that takes longer than this counts as lost.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a standby that ended a silent leader waits for the lock that frees.
const TAKE_TIMEOUT: &str = "2s";

/// The row of `pg_locks` that is the leader lock: a bigint advisory key shows as classid (its
/// high 32 bits), objid (its low 32 bits) and objsubid 1, in this database only ($1, $2:
/// [`leader_lock_ids`]). Public for the tests that find the holder.
pub const LEADER_LOCK_ROW: &str = "l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
     AND l.classid::bigint = $1 AND l.objid::bigint = $2";

/// `LEADER_KEY` as `pg_locks` shows it: (classid, objid).
pub fn leader_lock_ids() -> (i64, i64) {
    let key = LEADER_KEY as u64;
    (i64::from((key >> 32) as u32), i64::from(key as u32))
}

/// The beat: on the lock's connection, in a statement of its own (never inside a transaction).
const BEAT: &str = "INSERT INTO leader_heartbeat (id, backend_pid, beat_at) \
     VALUES (1, pg_backend_pid(), clock_timestamp()) \
     ON CONFLICT (id) DO UPDATE SET backend_pid = EXCLUDED.backend_pid, beat_at = EXCLUDED.beat_at";

/// This instance's part in the election.
#[derive(Debug)]
pub struct Election {
    /// `None`: SQLite, always the leader.
    postgres: Option<Postgres>,
}

#[derive(Debug)]
struct Postgres {
    options: PgConnectOptions,
    shown: String,
    /// The connection that holds (or tries for) the lock.
    connection: Option<PgConnection>,
    /// The backend pid that held the lock at this standby's last try, and how long ago it
    /// had beaten then.
    seen_holder: Option<i32>,
    seen_silent: Option<Duration>,
}

/// One try for the lock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Attempt {
    /// Another instance holds it. `silent_for`: how long ago its connection last beat; `None`
    /// when the heartbeat row is not the holder's (a leader of a version without heartbeats,
    /// or one between taking the lock and its first beat), so nothing is known.
    Held { silent_for: Option<Duration> },
    /// The lock is ours. `predecessor_silent_for`: how long ago the holder this instance saw
    /// at its last try beat, when the heartbeat row is that holder's; `None` otherwise.
    Taken { predecessor_silent_for: Option<Duration> },
}

/// What [`Election::end_hung_leader`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Ending {
    /// Nothing: the holder beat again or let the lock go meanwhile, or none is known.
    Spared,
    /// The holder's lock connection was ended after `silent_for` without a beat; `took`:
    /// this instance then got the lock (and has beaten).
    Ended { silent_for: Duration, took: bool },
    /// The server refused (the database role may not signal that backend).
    NotAllowed { reason: String },
}

impl Election {
    pub fn new(url: &str) -> Result<Election, StoreError> {
        if !url.starts_with("postgres") {
            return Ok(Election { postgres: None });
        }
        let shown = redact_url(url);
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
            url: shown.clone(),
            reason: e.to_string(),
        })?;
        Ok(Election {
            postgres: Some(Postgres {
                options,
                shown,
                connection: None,
                seen_holder: None,
                seen_silent: None,
            }),
        })
    }

    /// True when there is nothing to elect (one instance by construction).
    pub fn is_solo(&self) -> bool {
        self.postgres.is_none()
    }

    /// Tries once to become the leader. On success the first beat is written at once, so a
    /// standby never judges the new leader by its predecessor's row.
    pub async fn try_lead(&mut self) -> Result<Attempt, StoreError> {
        let Some(pg) = &mut self.postgres else {
            return Ok(Attempt::Taken {
                predecessor_silent_for: None,
            });
        };
        let result = pg.try_lead().await;
        if result.is_err() {
            pg.connection = None;
        }
        result.map_err(|source| pg.unreachable(source))
    }

    /// A standby's judgement after an [`Attempt::Held`]: when the holder it saw has not beaten
    /// for longer than `hang_after` (by the database's clock) and still holds the lock, its
    /// lock connection is ended and the lock taken (waiting up to 2 s for it to free). The
    /// condition is checked again in the statement that ends it, so a leader that beats
    /// meanwhile is spared.
    pub async fn end_hung_leader(&mut self, hang_after: Duration) -> Result<Ending, StoreError> {
        let Some(pg) = &mut self.postgres else {
            return Ok(Ending::Spared);
        };
        let result = pg.end_hung_leader(hang_after).await;
        if result.is_err() {
            pg.connection = None;
        }
        result.map_err(|source| pg.unreachable(source))
    }

    /// The leader's check, every second: the beat on its lock's connection. True while it
    /// answers within `CHECK_TIMEOUT`, counted on this process's monotonic clock, so a reply
    /// that was waiting while the process was stopped does not count. On false the connection
    /// is dropped (the server frees the lock if it still thought it held).
    pub async fn still_leading(&mut self) -> bool {
        let Some(pg) = &mut self.postgres else {
            return true;
        };
        let Some(connection) = pg.connection.as_mut() else {
            return false;
        };
        let started = Instant::now();
        let beat = tokio::time::timeout(CHECK_TIMEOUT, sqlx::query(BEAT).execute(connection)).await;
        let alive = matches!(beat, Ok(Ok(_))) && started.elapsed() <= CHECK_TIMEOUT;
        if !alive {
            pg.connection = None;
        }
        alive
    }

    /// Gives the lead up (at a stop): the lock is released with its connection.
    pub async fn resign(&mut self) {
        if let Some(connection) = self.postgres.as_mut().and_then(|pg| pg.connection.take()) {
            let _ = connection.close().await;
        }
    }
}

impl Postgres {
    fn unreachable(&self, source: sqlx::Error) -> StoreError {
        StoreError::Unreachable {
            url: self.shown.clone(),
            source,
        }
    }

    async fn connection(&mut self) -> Result<&mut PgConnection, sqlx::Error> {
        if self.connection.is_none() {
            let mut connection = PgConnection::connect_with(&self.options).await?;
            // A beat need not survive a server crash (the lock does not either), so it never
            // waits for the disk; waiting for the freed lock is bounded.
            sqlx::query("SET synchronous_commit = off")
                .execute(&mut connection)
                .await?;
            sqlx::query(&format!("SET lock_timeout = '{TAKE_TIMEOUT}'"))
                .execute(&mut connection)
                .await?;
            self.connection = Some(connection);
        }
        match self.connection.as_mut() {
            Some(connection) => Ok(connection),
            None => Err(sqlx::Error::PoolClosed),
        }
    }

    async fn try_lead(&mut self) -> Result<Attempt, sqlx::Error> {
        let connection = self.connection().await?;
        let got = sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1)")
            .bind(LEADER_KEY)
            .fetch_one(&mut *connection)
            .await?;
        if got {
            let predecessor_silent_for = self.take_over().await?;
            return Ok(Attempt::Taken { predecessor_silent_for });
        }
        let (classid, objid) = leader_lock_ids();
        let holder: Option<(i32, Option<f64>)> = sqlx::query_as(&format!(
            "SELECT l.pid, \
                    CASE WHEN h.backend_pid = l.pid \
                         THEN EXTRACT(EPOCH FROM clock_timestamp() - h.beat_at)::float8 END \
             FROM pg_locks l LEFT JOIN leader_heartbeat h ON h.id = 1 \
             WHERE {LEADER_LOCK_ROW} LIMIT 1"
        ))
        .bind(classid)
        .bind(objid)
        .fetch_optional(&mut *connection)
        .await?;
        self.seen_holder = holder.map(|(pid, _)| pid);
        self.seen_silent = holder.and_then(|(_, silent)| silent).map(seconds);
        Ok(Attempt::Held {
            silent_for: self.seen_silent,
        })
    }

    /// The lock was just taken: reads how long ago the predecessor beat (when the row is the
    /// holder seen last), then writes this connection's first beat.
    async fn take_over(&mut self) -> Result<Option<Duration>, sqlx::Error> {
        let seen = self.seen_holder.take();
        let connection = self.connection().await?;
        let row: Option<(i32, f64)> = sqlx::query_as(
            "SELECT backend_pid, EXTRACT(EPOCH FROM clock_timestamp() - beat_at)::float8 \
             FROM leader_heartbeat WHERE id = 1",
        )
        .fetch_optional(&mut *connection)
        .await?;
        sqlx::query(BEAT).execute(&mut *connection).await?;
        Ok(row
            .filter(|(pid, _)| Some(*pid) == seen)
            .map(|(_, silent)| seconds(silent)))
    }

    async fn end_hung_leader(&mut self, hang_after: Duration) -> Result<Ending, sqlx::Error> {
        let Some(holder) = self.seen_holder else {
            return Ok(Ending::Spared);
        };
        let (classid, objid) = leader_lock_ids();
        let seen_silent = self.seen_silent.unwrap_or(hang_after);
        let connection = self.connection().await?;
        // One statement from the judgement to the lock: this standby queues for the lock in the
        // same instant it ends the holder, before the ended backend can exit and free it, so
        // another standby's try cannot slip in between; the server grants the freed lock to
        // the one queued. Nested CASEs, not ANDs: PostgreSQL may evaluate the conditions of an
        // AND in any order, and each step must run only once the one before it held.
        let ended: Result<Option<(f64, Option<bool>)>, sqlx::Error> = sqlx::query_as(&format!(
            "SELECT silent_s, \
                    CASE WHEN stale AND holds THEN \
                         CASE WHEN pg_terminate_backend(pid) \
                              THEN pg_advisory_lock($5)::text IS NOT NULL ELSE false END \
                    END \
             FROM (SELECT h.backend_pid AS pid, \
                          EXTRACT(EPOCH FROM clock_timestamp() - h.beat_at)::float8 AS silent_s, \
                          clock_timestamp() - h.beat_at > make_interval(secs => $4) AS stale, \
                          EXISTS (SELECT 1 FROM pg_locks l \
                                  WHERE {LEADER_LOCK_ROW} AND l.pid = h.backend_pid) AS holds \
                   FROM leader_heartbeat h WHERE h.id = 1 AND h.backend_pid = $3) AS beat"
        ))
        .bind(classid)
        .bind(objid)
        .bind(holder)
        .bind(hang_after.as_secs_f64())
        .bind(LEADER_KEY)
        .fetch_optional(&mut *connection)
        .await;
        match ended {
            Ok(Some((silent, Some(true)))) => {
                sqlx::query(BEAT).execute(&mut *connection).await?;
                self.seen_holder = None;
                Ok(Ending::Ended {
                    silent_for: seconds(silent),
                    took: true,
                })
            }
            Ok(_) => Ok(Ending::Spared),
            Err(err) if is_permission_denied(&err) => Ok(Ending::NotAllowed {
                reason: err.to_string(),
            }),
            // Only the wait for the lock can time out, after the holder was ended (another
            // standby that ended it too was queued first).
            Err(err) if is_lock_timeout(&err) => Ok(Ending::Ended {
                silent_for: seen_silent,
                took: false,
            }),
            Err(err) => Err(err),
        }
    }
}

fn seconds(value: f64) -> Duration {
    Duration::try_from_secs_f64(value.max(0.0)).unwrap_or(Duration::MAX)
}

fn sql_state(err: &sqlx::Error) -> Option<String> {
    err.as_database_error()
        .and_then(|db| db.code())
        .map(|code| code.into_owned())
}

/// 42501 insufficient_privilege: `pg_terminate_backend` on a backend of another role.
fn is_permission_denied(err: &sqlx::Error) -> bool {
    sql_state(err).as_deref() == Some("42501")
}

/// 55P03 lock_not_available: `lock_timeout` ran out.
fn is_lock_timeout(err: &sqlx::Error) -> bool {
    sql_state(err).as_deref() == Some("55P03")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_splits_into_high_and_low_halves_as_pg_locks_shows_them() {
        assert_eq!(leader_lock_ids(), (0x696e_7461, 0x6b65_626f));
    }
}
