//! Storage: SQLite by default, PostgreSQL for several instances, behind one type, `Store`.
//!
//! Layout:
//! - `types`: what the app writes and reads (NewIncident, Incident, LedgerEntry, Notification...).
//! - `ops/`: every operation, written once as SQL both backends accept, expanded per backend.
//! - `sqlite`, `postgres`: connections and transactions, the only backend-specific code.
//! - `files`: the SQLite file's folder and owner-only mode; `instance`: one bot per SQLite file;
//!   `leader`: one gateway leader among instances on PostgreSQL (an advisory lock and a
//!   heartbeat).
//! - `text`: the store's refusal of a NUL character (user text is cleaned before it comes here).
//! - `migrate`: embedded migrations and the refusal of a schema newer than the binary.
//! - `rows`: raw rows and their parse into types; `error`: `StoreError`.
//!
//! Invariants: opening an incident is one plain transaction (`ops/incidents.rs`, the same code
//! on both backends) that consumes a unit with a conditional update (P-PLAN-6), idempotent on
//! the source id; the ledger is append-only and always adds up to the units left
//! (`check_ledger`); the outbox is claimed atomically and fenced by attempt.

mod dispatch;
mod error;
mod files;
mod instance;
mod leader;
mod migrate;
mod ops;
mod pool;
mod postgres;
mod rows;
mod sqlite;
mod text;
mod types;

pub use error::StoreError;
pub use instance::InstanceLock;
pub use leader::{
    leader_lock_ids, Attempt, Election, Ending, CHECK_TIMEOUT as LEADER_CHECK_TIMEOUT, LEADER_KEY, LEADER_LOCK_ROW,
};
pub use migrate::supported_versions;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use types::*;

use std::time::Duration;

/// The database the bot uses; cheap to clone (pools inside).
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// Connection settings; `StoreOptions::default()` is what `Store::connect` uses.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Read connections (SQLite, which writes through one connection) or the pool (PostgreSQL).
    pub max_connections: u32,
    /// How long a call waits for a connection, or for SQLite's write lock, before it fails.
    pub timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_connections: 8,
            timeout: Duration::from_secs(30),
        }
    }
}

impl Store {
    /// Opens (and creates, for SQLite) the database at `url` and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, &StoreOptions::default()).await
    }

    pub async fn connect_with(url: &str, opts: &StoreOptions) -> Result<Store, StoreError> {
        let shown = redact_url(url);
        if url.starts_with("sqlite:") {
            Ok(Store::Sqlite(SqliteStore::connect(url, opts).await?))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(PgStore::connect(url, &shown, opts).await?))
        } else {
            Err(StoreError::BadUrl {
                url: shown,
                reason: "unknown scheme".into(),
            })
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(s) => s.close().await,
            Store::Postgres(s) => s.close().await,
        }
    }
}

/// The URL without its password, fit for messages and logs (also when it does not parse).
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url as redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://bot:s3cret@db:5432/x"),
            "postgres://bot:***@db:5432/x"
        );
        assert_eq!(
            redact("postgres://bot:s3cret@db:port/x"),
            "postgres://bot:***@db:port/x"
        );
        assert_eq!(redact("postgres://bot@db/x"), "postgres://bot@db/x");
        assert_eq!(redact("sqlite://data/intakebot.db"), "sqlite://data/intakebot.db");
    }
}
