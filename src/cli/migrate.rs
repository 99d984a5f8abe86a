//! `intakebot migrate`: brings the database schema up to date and exits.

use crate::store::{supported_versions, Store, StoreError};
use std::fmt;

/// What `migrate` did, for the command to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrateReport {
    pub backend: &'static str,
    pub schema_version: i64,
}

impl fmt::Display for MigrateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} database is at schema version {}",
            self.backend, self.schema_version
        )
    }
}

/// Connecting applies the migrations (and refuses a newer schema); then the pools close.
pub async fn run(url: &str) -> Result<MigrateReport, StoreError> {
    let store = Store::connect(url).await?;
    let (sqlite, postgres) = supported_versions();
    let schema_version = match store {
        Store::Sqlite(_) => sqlite,
        Store::Postgres(_) => postgres,
    };
    let report = MigrateReport {
        backend: store.backend(),
        schema_version,
    };
    store.close().await;
    Ok(report)
}
