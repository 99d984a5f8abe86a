//! SQLite opens go through one dedicated writer thread with its own connection (rusqlite).
//!
//! Through sqlx every statement is a hand-off to the connection's worker thread and back, two
//! thread wake-ups that cost far more than SQLite's own work (7 statements an open: ~2,000
//! opens/s here). This thread runs a whole open, and every open queued meanwhile, in one
//! `BEGIN IMMEDIATE` transaction (group commit) with one savepoint each, so a refused or
//! duplicate open rolls back alone; then it answers each caller. Values are written in the
//! exact text forms sqlx writes and reads (RFC 3339 timestamps, `YYYY-MM-DD` dates), because
//! the other operations compare them as text.

use super::ops::prelude::*;
use super::Durability;
use chrono::SecondsFormat;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// Opens written in one transaction at most; more wait for the next one.
const MAX_BATCH: usize = 64;
/// SQLite checkpoints inside the commit that grows the WAL past this many pages (its default is
/// 1,000). A checkpoint syncs the WAL and the database file whatever it copies, and an open
/// rewrites the same few pages (the tail of each table and index), so fewer, larger checkpoints
/// copy each page once for many opens: +12–18 % opens/s here, for a WAL of up to 8 MiB.
const WAL_PAGES_BEFORE_CHECKPOINT: u32 = 4000;
/// How long the writer polls for the next open before it sleeps.
const POLL_BEFORE_SLEEP: Duration = Duration::from_micros(100);

/// What the writer did with one open.
#[derive(Debug)]
pub(crate) enum Written {
    New(IncidentNumber),
    /// The source already opened an incident; nothing was written.
    Duplicate,
}

type Reply = oneshot::Sender<Result<Written, StoreError>>;

enum Message {
    Open(Box<NewIncident>, Reply),
    Close(oneshot::Sender<()>),
}

/// The handle the store keeps; clones share the one thread.
#[derive(Debug, Clone)]
pub(crate) struct Opener {
    jobs: mpsc::Sender<Message>,
}

impl Opener {
    /// Opens its connection now (so a problem shows at start) and starts the thread.
    pub(crate) fn start(file: &Path, durability: Durability, busy_timeout: Duration) -> Result<Opener, StoreError> {
        let conn = Connection::open(file)?;
        conn.busy_timeout(busy_timeout)?;
        conn.set_prepared_statement_cache_capacity(16);
        let synchronous = match durability {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        };
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = {synchronous}; \
             PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = {WAL_PAGES_BEFORE_CHECKPOINT};"
        ))?;
        let (jobs, inbox) = mpsc::channel();
        std::thread::Builder::new()
            .name("sqlite-opener".into())
            .spawn(move || serve(conn, inbox))
            .map_err(|e| StoreError::WriteFailed(format!("cannot start the SQLite writer: {e}")))?;
        Ok(Opener { jobs })
    }

    pub(crate) async fn open(&self, n: &NewIncident) -> Result<Written, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Message::Open(Box::new(n.clone()), reply))
            .map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Stops the thread after the opens queued before this call; its connection closes.
    pub(crate) async fn close(&self) {
        let (done, closed) = oneshot::channel();
        if self.jobs.send(Message::Close(done)).is_ok() {
            closed.await.ok();
        }
    }
}

fn serve(mut conn: Connection, inbox: mpsc::Receiver<Message>) {
    let mut batch: Vec<(Box<NewIncident>, Reply)> = Vec::with_capacity(MAX_BATCH);
    while let Ok(first) = next_message(&inbox) {
        let mut closing = None;
        match first {
            Message::Open(n, reply) => batch.push((n, reply)),
            Message::Close(done) => closing = Some(done),
        }
        while closing.is_none() && batch.len() < MAX_BATCH {
            match inbox.try_recv() {
                Ok(Message::Open(n, reply)) => batch.push((n, reply)),
                Ok(Message::Close(done)) => closing = Some(done),
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            let results = write_batch(&mut conn, &batch);
            for ((_, reply), result) in batch.drain(..).zip(results) {
                // The caller may have gone (a cancelled request); the open stands either way.
                let _ = reply.send(result);
            }
        }
        if let Some(done) = closing {
            drop(conn);
            let _ = done.send(());
            return;
        }
    }
}

/// The next message, polling briefly before the thread sleeps: a caller opening incidents one
/// after another sends its next open within microseconds of its answer, and waking a sleeping
/// thread costs tens of microseconds on a virtual machine, a large part of an open.
fn next_message(inbox: &mpsc::Receiver<Message>) -> Result<Message, mpsc::RecvError> {
    let until = Instant::now() + POLL_BEFORE_SLEEP;
    loop {
        match inbox.try_recv() {
            Ok(message) => return Ok(message),
            Err(mpsc::TryRecvError::Disconnected) => return Err(mpsc::RecvError),
            Err(mpsc::TryRecvError::Empty) if Instant::now() < until => std::thread::yield_now(),
            Err(mpsc::TryRecvError::Empty) => return inbox.recv(),
        }
    }
}

/// One transaction for the batch, one savepoint per open when there are several; every caller
/// gets its own answer. Control statements are cached like the others (rusqlite's own
/// transaction API prepares them anew each time).
fn write_batch(conn: &mut Connection, batch: &[(Box<NewIncident>, Reply)]) -> Vec<Result<Written, StoreError>> {
    let failed_all = |e: StoreError| -> Vec<Result<Written, StoreError>> {
        let reason = e.to_string();
        batch
            .iter()
            .map(|_| Err(StoreError::WriteFailed(reason.clone())))
            .collect()
    };
    if let Err(e) = run(conn, "BEGIN IMMEDIATE") {
        return failed_all(e);
    }
    let mut results = Vec::with_capacity(batch.len());
    let mut wrote = false;
    if let [(n, _)] = batch {
        let written = write_one(conn, n);
        wrote = matches!(written, Ok(Written::New(_)));
        results.push(written);
    } else {
        for (n, _) in batch {
            if let Err(e) = run(conn, "SAVEPOINT open") {
                return abandon(conn, e, failed_all);
            }
            let written = write_one(conn, n);
            let kept = matches!(written, Ok(Written::New(_)));
            let closed = if kept {
                run(conn, "RELEASE open")
            } else {
                run(conn, "ROLLBACK TO open").and_then(|()| run(conn, "RELEASE open"))
            };
            // An open that cannot be undone alone (or SQLite already rolled everything back)
            // takes the batch with it: no half-written open may be committed.
            if let Err(e) = closed {
                return abandon(conn, e, failed_all);
            }
            wrote |= kept;
            results.push(written);
        }
    }
    let end = if wrote {
        run(conn, "COMMIT")
    } else {
        run(conn, "ROLLBACK")
    };
    match end {
        Ok(()) => results,
        Err(e) => abandon(conn, e, failed_all),
    }
}

/// Rolls back whatever is left of the transaction; every caller of the batch gets `e`.
fn abandon(
    conn: &Connection,
    e: StoreError,
    failed_all: impl Fn(StoreError) -> Vec<Result<Written, StoreError>>,
) -> Vec<Result<Written, StoreError>> {
    if !conn.is_autocommit() {
        let _ = run(conn, "ROLLBACK");
    }
    failed_all(e)
}

fn run(conn: &Connection, sql: &str) -> Result<(), StoreError> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

const CONSUME_UNIT: &str = "UPDATE entitlements SET units_left = units_left - 1 WHERE id = ?1 AND organisation = ?2 \
     AND units_left > 0 AND (expires_on IS NULL OR expires_on > ?3)";

const INSERT_INCIDENT: &str =
    "INSERT INTO incidents (source_id, organisation, requester, entitlement, parent, product, \
     version, severity, coverage, title, problem, language, flags, state, opened_at, first_response_due) \
     VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'open', ?13, ?14) \
     ON CONFLICT (source_id) DO NOTHING";

const INSERT_EVENT: &str =
    "INSERT INTO incident_events (incident, at, author, kind, from_state, to_state, reason, rules) \
     VALUES (?1, ?2, ?3, 'opened', NULL, 'open', 'opened', ?4)";

const INSERT_LEDGER: &str = "INSERT INTO ledger (entitlement, kind, delta, actor, incident, reason, at) \
     VALUES (?1, 'consume', -1, ?2, ?3, 'opened', ?4)";

const INSERT_OUTBOX: &str = "INSERT INTO outbox (incident, kind, target, due_at, nonce) VALUES (?1, ?2, ?3, ?4, ?5)";

/// P-PLAN-6: the unit by one conditional update, then the incident, its first event, its
/// ledger row and its reminders. The caller rolls the savepoint back unless this says `New`.
fn write_one(conn: &Connection, n: &NewIncident) -> Result<Written, StoreError> {
    let today = day_text(n.opened_at.date_naive());
    // Row counts instead of RETURNING, which makes SQLite fill a temporary table per statement.
    let spent = conn
        .prepare_cached(CONSUME_UNIT)?
        .execute(params![n.entitlement.0, n.organisation.as_str(), today])?;
    if spent == 0 {
        return refusal(conn, n, &today);
    }
    let opened_at = time_text(n.opened_at);
    let inserted = conn.prepare_cached(INSERT_INCIDENT)?.execute(params![
        n.source.0,
        n.organisation.as_str(),
        n.requester.as_str(),
        n.entitlement.0,
        n.product,
        n.version,
        n.severity.as_str(),
        n.coverage.as_str(),
        n.title,
        n.problem,
        n.language.as_str(),
        flags_to_db(&n.flags),
        opened_at,
        time_text(n.first_response_due),
    ])?;
    if inserted == 0 {
        return Ok(Written::Duplicate);
    }
    let id = conn.last_insert_rowid();
    conn.prepare_cached(INSERT_EVENT)?
        .execute(params![id, opened_at, n.requester.as_str(), rules_to_db(&n.rules)])?;
    conn.prepare_cached(INSERT_LEDGER)?
        .execute(params![n.entitlement.0, n.requester.as_str(), id, opened_at])?;
    let mut reminder = conn.prepare_cached(INSERT_OUTBOX)?;
    for r in &n.notifications {
        reminder.execute(params![id, r.kind.0, r.target.0, time_text(r.due_at), r.nonce.as_str()])?;
    }
    Ok(Written::New(IncidentNumber(id)))
}

/// No unit was spent: a duplicate source (idempotent), or the entitlement says why.
fn refusal(conn: &Connection, n: &NewIncident, today: &str) -> Result<Written, StoreError> {
    let seen: Option<i64> = conn
        .prepare_cached("SELECT id FROM incidents WHERE source_id = ?1")?
        .query_row(params![n.source.0], |r| r.get(0))
        .optional()?;
    if seen.is_some() {
        return Ok(Written::Duplicate);
    }
    let found: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT organisation, expires_on FROM entitlements WHERE id = ?1")?
        .query_row(params![n.entitlement.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let id = n.entitlement;
    Err(match found {
        None => StoreError::EntitlementNotFound(id),
        Some((org, _)) if org != n.organisation.as_str() => StoreError::WrongOrganisation {
            entitlement: id,
            organisation: n.organisation.clone(),
        },
        // Both `YYYY-MM-DD`, so text order is date order.
        Some((_, Some(expiry))) if expiry.as_str() <= today => StoreError::EntitlementExpired(id),
        Some(_) => StoreError::NoUnitsLeft(id),
    })
}

/// The text sqlx writes for a `DateTime<Utc>` in SQLite.
fn time_text(t: DateTime<Utc>) -> String {
    ts(t).to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// The text sqlx writes for a `NaiveDate` in SQLite.
fn day_text(d: NaiveDate) -> String {
    d.format("%F").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use sqlx::Connection as _;

    /// The other operations compare these columns as text with values sqlx bound.
    #[tokio::test]
    async fn values_are_written_as_sqlx_writes_them() {
        let mut sqlx_conn = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
        for micros in [0, 250_000, 123_456] {
            let t = Utc.with_ymd_and_hms(2027, 3, 28, 1, 30, 5).unwrap() + chrono::Duration::microseconds(micros);
            let (time, day): (String, String) = sqlx::query_as("SELECT $1, $2")
                .bind(ts(t))
                .bind(t.date_naive())
                .fetch_one(&mut sqlx_conn)
                .await
                .unwrap();
            assert_eq!(time_text(t), time);
            assert_eq!(day_text(t.date_naive()), day);
        }
    }
}
