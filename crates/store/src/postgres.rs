//! The PostgreSQL backend for several bot instances: one pool, default isolation (read
//! committed) with conditional updates, row locks where a value is read then written,
//! `SKIP LOCKED` claims.

use super::migrate;
use super::ops::prelude::*;
use super::ops::{accounts, entitlements, incidents, ladder, marks, notes, outbox, report, support, transitions};
use super::StoreOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool, Postgres, Transaction};
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    pub(crate) const FOR_UPDATE: &'static str = " FOR UPDATE";

    pub(crate) async fn connect(url: &str, shown: &str, opts: &StoreOptions) -> Result<PgStore, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
            url: shown.to_string(),
            reason: e.to_string(),
        })?;
        // One direct attempt first: the pool would retry a refused connection until its timeout.
        let probe = PgConnection::connect_with(&options)
            .await
            .map_err(|source| StoreError::Unreachable {
                url: shown.to_string(),
                source,
            })?;
        probe.close().await.ok();
        let pool = super::pool::ping_when_idle(PgPoolOptions::new())
            .max_connections(opts.max_connections)
            .acquire_timeout(opts.timeout)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Unreachable {
                url: shown.to_string(),
                source,
            })?;
        migrate::apply_postgres(&pool).await?;
        Ok(PgStore { pool })
    }

    async fn write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    fn wpool(&self) -> &PgPool {
        &self.pool
    }

    fn read(&self) -> &PgPool {
        &self.pool
    }

    fn claim_sql() -> String {
        outbox::claim_sql(" FOR UPDATE SKIP LOCKED")
    }

    /// The pool, for tools and tests that need raw SQL.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

accounts::account_ops!(PgStore);
entitlements::entitlement_ops!(PgStore, Postgres);
incidents::incident_ops!(PgStore, Postgres);
transitions::transition_ops!(PgStore, Postgres);
notes::note_ops!(PgStore, Postgres);
marks::mark_ops!(PgStore);
ladder::ladder_ops!(PgStore, Postgres);
outbox::outbox_ops!(PgStore, Postgres);
report::report_ops!(PgStore);
support::support_ops!(PgStore, Postgres);
