//! One gateway leader among the instances sharing a PostgreSQL database: a session-level
//! advisory lock held on a connection of its own (not the pool's, whose connections come and
//! go). The server releases the lock when that connection ends, however it ends (exit, kill -9,
//! crash, network loss once the server notices), so a dead leader never holds it; the leader
//! checks its connection and steps down when it is gone (docs/operations.md). On SQLite the
//! instance lock already makes the one process the leader.

use crate::{redact_url, StoreError};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};
use std::str::FromStr;
use std::time::Duration;

/// The advisory lock's key: "intakebo" in ASCII, so `pg_locks` shows who holds it.
pub const LEADER_KEY: i64 = 0x696e_7461_6b65_626f;
/// A check of the leader's connection that takes longer than this counts as lost.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

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
            }),
        })
    }

    /// True when there is nothing to elect (one instance by construction).
    pub fn is_solo(&self) -> bool {
        self.postgres.is_none()
    }

    /// Tries once to become the leader; `Ok(false)` while another instance leads.
    pub async fn try_lead(&mut self) -> Result<bool, StoreError> {
        let Some(pg) = &mut self.postgres else {
            return Ok(true);
        };
        let shown = pg.shown.clone();
        let unreachable = |source| StoreError::Unreachable {
            url: shown.clone(),
            source,
        };
        if pg.connection.is_none() {
            pg.connection = Some(PgConnection::connect_with(&pg.options).await.map_err(unreachable)?);
        }
        let Some(connection) = pg.connection.as_mut() else {
            return Ok(false);
        };
        let got = sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1)")
            .bind(LEADER_KEY)
            .fetch_one(connection)
            .await;
        match got {
            Ok(got) => Ok(got),
            Err(source) => {
                pg.connection = None;
                Err(unreachable(source))
            }
        }
    }

    /// The leader's check: true while its lock's connection answers. On false the connection
    /// is dropped (the server frees the lock if it still thought it held).
    pub async fn still_leading(&mut self) -> bool {
        let Some(pg) = &mut self.postgres else {
            return true;
        };
        let Some(connection) = pg.connection.as_mut() else {
            return false;
        };
        let check = tokio::time::timeout(CHECK_TIMEOUT, sqlx::query("SELECT 1").execute(connection)).await;
        let alive = matches!(check, Ok(Ok(_)));
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
