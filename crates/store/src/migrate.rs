//! Schema migrations (`migrations/sqlite`, `migrations/postgres`), embedded in the binary and
//! applied at start; a database already on a newer schema is refused and left untouched.

use super::error::StoreError;
use sqlx::migrate::Migrator;
use sqlx::{PgPool, SqlitePool};

static SQLITE: Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("../../migrations/postgres");

/// The newest schema version this binary knows.
pub fn supported_version(m: &Migrator) -> i64 {
    m.iter().map(|m| m.version).max().unwrap_or(0)
}

fn refuse_newer(found: Option<i64>, m: &Migrator) -> Result<(), StoreError> {
    let supported = supported_version(m);
    match found {
        Some(found) if found > supported => Err(StoreError::SchemaTooNew { found, supported }),
        _ => Ok(()),
    }
}

pub(crate) async fn apply_sqlite(pool: &SqlitePool) -> Result<(), StoreError> {
    let table: Option<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'")
            .fetch_optional(pool)
            .await?;
    if table.is_some() {
        let found: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?;
        refuse_newer(found, &SQLITE)?;
    }
    SQLITE.run(pool).await?;
    Ok(())
}

pub(crate) async fn apply_postgres(pool: &PgPool) -> Result<(), StoreError> {
    let table: Option<String> = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations')::text")
        .fetch_one(pool)
        .await?;
    if table.is_some() {
        let found: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?;
        refuse_newer(found, &POSTGRES)?;
    }
    POSTGRES.run(pool).await?;
    Ok(())
}

/// The newest schema version of each backend, for `intakebot migrate` to report.
pub fn supported_versions() -> (i64, i64) {
    (supported_version(&SQLITE), supported_version(&POSTGRES))
}
