//! The SQLite backend: one file, WAL, `BEGIN IMMEDIATE` writes (so the app never sees
//! SQLITE_BUSY) through the writer pool, opens through the writer thread of `sqlite_opener`,
//! and a pool of readers beside them.

use super::migrate;
use super::ops::prelude::*;
use super::ops::{accounts, entitlements, incidents, notes, outbox, report, support, transitions};
use super::sqlite_opener::{Opener, Written};
use super::{Durability, StoreOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// Bytes per page of a new database file (SQLite's default is 4,096).
const PAGE_SIZE: u32 = 2048;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    /// Opens on a file database (an in-memory one lives in its single sqlx connection).
    opener: Option<Opener>,
}

impl SqliteStore {
    pub(crate) const FOR_UPDATE: &'static str = "";

    pub(crate) async fn connect(url: &str, opts: &StoreOptions) -> Result<SqliteStore, StoreError> {
        let base = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::BadUrl {
                url: url.to_string(),
                reason: e.to_string(),
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match opts.durability {
                Durability::Normal => SqliteSynchronous::Normal,
                Durability::Full => SqliteSynchronous::Full,
            })
            .foreign_keys(true)
            // New files only (a database keeps the page size it was created with). A commit
            // writes every page it changed to the WAL whole, and an open changes ~14 pages (one
            // per table and index it touches) for ~1 KiB of rows: 2 KiB pages halve those bytes
            // (+20 % opens/s here) and still hold a typical incident row.
            .page_size(PAGE_SIZE)
            .busy_timeout(opts.busy_timeout);
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        if !in_memory {
            create_folder(base.get_filename())?;
        }
        let unreachable = |source| StoreError::Unreachable {
            url: url.to_string(),
            source,
        };
        let writer = super::pool::ping_when_idle(SqlitePoolOptions::new())
            .max_connections(if in_memory { 1 } else { opts.sqlite_writers.max(1) })
            .acquire_timeout(opts.acquire_timeout)
            // An in-memory database lives only as long as its one connection.
            .idle_timeout((!in_memory).then_some(Duration::from_secs(600)))
            .max_lifetime((!in_memory).then_some(Duration::from_secs(1800)))
            .connect_with(base.clone())
            .await
            .map_err(unreachable)?;
        migrate::apply_sqlite(&writer).await?;
        let reader = if in_memory {
            writer.clone()
        } else {
            super::pool::ping_when_idle(SqlitePoolOptions::new())
                .max_connections(opts.max_connections)
                .acquire_timeout(opts.acquire_timeout)
                .connect_with(base.clone().read_only(true))
                .await
                .map_err(unreachable)?
        };
        let opener = if in_memory {
            None
        } else {
            Some(Opener::start(base.get_filename(), opts.durability, opts.busy_timeout)?)
        };
        Ok(SqliteStore { writer, reader, opener })
    }

    /// A write transaction that takes the write lock at once: a deferred one that reads then
    /// writes would fail with SQLITE_BUSY under contention instead of waiting.
    async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Opens an incident, or returns the one this source already opened (one unit either way).
    pub async fn open_incident(&self, n: &NewIncident) -> Result<Opened, StoreError> {
        let Some(opener) = &self.opener else {
            return self.open_incident_in_steps(n).await;
        };
        match opener.open(n).await? {
            Written::New(number) => Ok(Opened::New(incident_from_new(number, n, None))),
            Written::Duplicate => self
                .incident_by_source(&n.source)
                .await?
                .map(Opened::AlreadyOpened)
                .ok_or_else(|| StoreError::corrupt("source id vanished")),
        }
    }

    /// The same open through sqlx, statement by statement (in-memory databases).
    async fn open_incident_in_steps(&self, n: &NewIncident) -> Result<Opened, StoreError> {
        let mut tx = self.write().await?;
        let requester = Author::Account(n.requester.clone());
        let inserted = Self::insert_incident(&mut tx, n, None, &requester, "opened").await;
        if let Err(StoreError::Database(e)) = &inserted {
            if is_foreign_key_violation(e) && self.entitlement(n.entitlement).await?.is_none() {
                return Err(StoreError::EntitlementNotFound(n.entitlement));
            }
        }
        match inserted? {
            Some(number) => {
                tx.commit().await?;
                Ok(Opened::New(incident_from_new(number, n, None)))
            }
            None => {
                tx.rollback().await?;
                let first = self.incident_by_source(&n.source).await?;
                first
                    .map(Opened::AlreadyOpened)
                    .ok_or_else(|| StoreError::corrupt("source id vanished"))
            }
        }
    }

    fn wpool(&self) -> &SqlitePool {
        &self.writer
    }

    fn read(&self) -> &SqlitePool {
        &self.reader
    }

    fn claim_sql() -> String {
        outbox::claim_sql("")
    }

    /// The writer pool, for tools and tests that need raw SQL.
    pub fn pool(&self) -> &SqlitePool {
        &self.writer
    }

    pub async fn close(&self) {
        if let Some(opener) = &self.opener {
            opener.close().await;
        }
        self.reader.close().await;
        self.writer.close().await;
    }
}

fn create_folder(file: &std::path::Path) -> Result<(), StoreError> {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateFolder {
                path: dir.display().to_string(),
                source,
            })
        }
        _ => Ok(()),
    }
}

accounts::account_ops!(SqliteStore);
entitlements::entitlement_ops!(SqliteStore, Sqlite);
incidents::incident_ops!(SqliteStore, Sqlite);
transitions::transition_ops!(SqliteStore, Sqlite);
notes::note_ops!(SqliteStore, Sqlite);
outbox::outbox_ops!(SqliteStore, Sqlite);
report::report_ops!(SqliteStore);
support::support_ops!(SqliteStore, Sqlite);
