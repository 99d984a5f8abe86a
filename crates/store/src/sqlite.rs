//! The SQLite backend: one file in WAL mode, written by one connection (every write a
//! `BEGIN IMMEDIATE` transaction, so a writer waits for the lock instead of failing with
//! SQLITE_BUSY), read by a pool of read-only connections beside it (WAL readers never block it).

use super::files;
use super::migrate;
use super::ops::prelude::*;
use super::ops::{accounts, entitlements, incidents, ladder, marks, notes, outbox, report, support, transitions};
use super::StoreOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
}

/// The connection options of a `sqlite:` URL, or `BadUrl`.
pub(crate) fn parse_url(url: &str) -> Result<SqliteConnectOptions, StoreError> {
    SqliteConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
        url: url.to_string(),
        reason: e.to_string(),
    })
}

/// An in-memory database lives in its one connection and has no file.
pub(crate) fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

impl SqliteStore {
    pub(crate) const FOR_UPDATE: &'static str = "";

    pub(crate) async fn connect(url: &str, opts: &StoreOptions) -> Result<SqliteStore, StoreError> {
        let base = parse_url(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode: a commit survives a crash or SIGKILL of the bot; a power loss may
            // drop the last commits, never corrupt the file.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(opts.timeout);
        let in_memory = is_in_memory(url);
        if !in_memory {
            files::create_private(base.get_filename())?;
        }
        let unreachable = |source| StoreError::Unreachable {
            url: url.to_string(),
            source,
        };
        let mut writer = super::pool::ping_when_idle(SqlitePoolOptions::new())
            // SQLite writes one transaction at a time anyway; with one connection the writers
            // of this process queue in the pool, in order, instead of sleeping in the busy handler.
            .max_connections(1)
            .acquire_timeout(opts.timeout);
        if in_memory {
            writer = writer.idle_timeout(None).max_lifetime(None);
        }
        let writer = writer.connect_with(base.clone()).await.map_err(unreachable)?;
        migrate::apply_sqlite(&writer).await?;
        let reader = if in_memory {
            writer.clone()
        } else {
            super::pool::ping_when_idle(SqlitePoolOptions::new())
                .max_connections(opts.max_connections)
                .acquire_timeout(opts.timeout)
                .connect_with(base.read_only(true))
                .await
                .map_err(unreachable)?
        };
        Ok(SqliteStore { writer, reader })
    }

    /// A write transaction that takes the write lock at once: a deferred one that reads then
    /// writes would fail with SQLITE_BUSY under contention instead of waiting.
    async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
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
        self.reader.close().await;
        self.writer.close().await;
    }
}

accounts::account_ops!(SqliteStore);
entitlements::entitlement_ops!(SqliteStore, Sqlite);
incidents::incident_ops!(SqliteStore, Sqlite);
transitions::transition_ops!(SqliteStore, Sqlite);
notes::note_ops!(SqliteStore, Sqlite);
marks::mark_ops!(SqliteStore);
ladder::ladder_ops!(SqliteStore, Sqlite);
outbox::outbox_ops!(SqliteStore, Sqlite);
report::report_ops!(SqliteStore);
support::support_ops!(SqliteStore, Sqlite);
