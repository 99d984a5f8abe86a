//! The PostgreSQL backend for several bot instances: default isolation (read committed) with
//! conditional updates, row locks where a value is read then written, `SKIP LOCKED` claims;
//! an incident opens in one statement (`postgres_open.rs`), opens queued together on a pack in
//! one statement for all (`postgres_lanes.rs`).

use super::migrate;
use super::ops::prelude::*;
use super::ops::{accounts, entitlements, incidents, notes, outbox, report, support, transitions};
use super::postgres_lanes::OpenLanes;
use super::StoreOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool, Postgres, Transaction};
use std::str::FromStr;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    lanes: Arc<OpenLanes>,
}

impl PgStore {
    pub(crate) const FOR_UPDATE: &'static str = " FOR UPDATE";

    pub(crate) async fn connect(url: &str, shown: &str, opts: &StoreOptions) -> Result<PgStore, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
            url: shown.to_string(),
            reason: e.to_string(),
        })?;
        let options = if opts.pg_synchronous_commit {
            options
        } else {
            options.options([("synchronous_commit", "off")])
        };
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
            .acquire_timeout(opts.acquire_timeout)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Unreachable {
                url: shown.to_string(),
                source,
            })?;
        migrate::apply_postgres(&pool).await?;
        Ok(PgStore {
            pool,
            lanes: Arc::default(),
        })
    }

    async fn write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    pub(crate) fn lanes(&self) -> &OpenLanes {
        &self.lanes
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
outbox::outbox_ops!(PgStore, Postgres);
report::report_ops!(PgStore);
support::support_ops!(PgStore, Postgres);
