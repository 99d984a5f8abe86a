//! What can go wrong in the store: typed business refusals (no units left, order number
//! mismatch, a stale outbox claim), text the database cannot hold, and a second instance on
//! one SQLite file, apart from infrastructure failures.

use intakebot_core::ids::{AccountId, EntitlementId, IncidentNumber, OrgId};
use intakebot_core::incident::IncidentState;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("bad database URL {url:?}: {reason} (use sqlite://path/to/file.db or postgres://user@host:port/db)")]
    BadUrl { url: String, reason: String },
    #[error("cannot create the folder {path} for the SQLite database: {source}")]
    CreateFolder { path: String, source: std::io::Error },
    #[error("cannot create the SQLite database file {path}: {source}")]
    CreateFile { path: String, source: std::io::Error },
    /// A second bot on one SQLite file (`InstanceLock`); `path` is the database file.
    #[error("another intakebot is already running on {path}; SQLite serves one instance, use PostgreSQL for several")]
    AlreadyRunning { path: String },
    #[error("cannot take the instance lock {path}: {source}")]
    InstanceLock { path: String, source: std::io::Error },
    #[error("cannot connect to the database at {url}: {source}")]
    Unreachable { url: String, source: sqlx::Error },
    #[error(
        "the database schema is version {found}, newer than this binary supports ({supported}); \
         upgrade intakebot; the database was not modified"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    #[error("entitlement {0} has no units left")]
    NoUnitsLeft(EntitlementId),
    #[error("entitlement {0} has expired")]
    EntitlementExpired(EntitlementId),
    #[error("entitlement {0} does not exist")]
    EntitlementNotFound(EntitlementId),
    #[error("entitlement {entitlement} does not belong to organisation {organisation}")]
    WrongOrganisation {
        entitlement: EntitlementId,
        organisation: OrgId,
    },
    /// P-PLAN-4: units move only on proof of purchase.
    #[error("the order number does not match entitlement {0}'s order (P-PLAN-4)")]
    OrderNumberMismatch(EntitlementId),
    #[error("incident {0} does not exist")]
    IncidentNotFound(IncidentNumber),
    /// Someone else changed the incident first; the caller re-decides from `current`.
    #[error("incident {number} changed meanwhile; it is now {}", current.as_str())]
    StateChanged {
        number: IncidentNumber,
        current: IncidentState,
    },
    #[error("the unit of incident {0} was already refunded")]
    AlreadyRefunded(IncidentNumber),
    #[error("{number} was already taken over by {by}")]
    AlreadyTakenOver { number: IncidentNumber, by: AccountId },
    /// An outbox worker whose lease was taken over tried to finish the row.
    #[error("outbox row {id} is no longer claimed by attempt {attempt}")]
    StaleClaim { id: i64, attempt: i64 },
    /// Text with a NUL character reached the store: PostgreSQL cannot store one, so neither
    /// backend does. User text is cleaned at the edge (`intakebot_core::text::clean`).
    #[error("the {field} contains a NUL character, which the database cannot store; nothing was written")]
    NulInText { field: &'static str },
    /// A Discord id past what a signed 64-bit column holds (not before 2084).
    #[error("the Discord id {0} is too large to store")]
    SnowflakeOutOfRange(u64),
    #[error("unreadable value in the database: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(what.to_string())
    }
}

/// True when `e` is a unique-constraint violation (the idempotency keys rely on it).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// True when `e` is a foreign-key violation (an id that names no row).
pub(crate) fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_foreign_key_violation())
}
