//! Operations the front ends and the scheduler need beyond the core contract: a health
//! ping, the next due notice (the console's clock), the incident of a Discord thread,
//! cancelling a claimed row that no longer applies, and an enqueue that is idempotent by nonce.

macro_rules! support_ops {
    ($store:ty, $db:ty) => {
        impl $store {
            /// A round trip to the database, for `/healthz`.
            pub async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query("SELECT 1").execute(self.read()).await?;
                Ok(())
            }

            /// When the earliest pending notice falls due (uses the `(state, due_at)` index).
            pub async fn next_due_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
                let row: Option<(DateTime<Utc>,)> =
                    sqlx::query_as("SELECT due_at FROM outbox WHERE state = 'pending' ORDER BY due_at LIMIT 1")
                        .fetch_optional(self.read())
                        .await?;
                Ok(row.map(|(t,)| t))
            }

            /// Notices waiting to be sent, and the due time of the oldest one already due.
            pub async fn outbox_backlog(&self, now: DateTime<Utc>) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
                let (waiting,): (i64,) =
                    sqlx::query_as("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'claimed')")
                        .fetch_one(self.read())
                        .await?;
                let oldest: Option<(DateTime<Utc>,)> = sqlx::query_as(
                    "SELECT due_at FROM outbox WHERE state = 'pending' AND due_at <= $1 ORDER BY due_at LIMIT 1",
                )
                .bind(ts(now))
                .fetch_optional(self.read())
                .await?;
                Ok((waiting, oldest.map(|(t,)| t)))
            }

            /// The incident whose Discord thread this is.
            pub async fn incident_by_thread(&self, thread: u64) -> Result<Option<Incident>, StoreError> {
                Ok(self
                    .fetch_incidents("discord_thread_id = $1", &[&thread.to_string()])
                    .await?
                    .pop())
            }

            /// Finishes a claimed row without posting (the incident was acknowledged meanwhile).
            pub async fn cancel_claimed(&self, id: OutboxId, attempt: i64) -> Result<(), StoreError> {
                let done = sqlx::query(
                    "UPDATE outbox SET state = 'cancelled', lease_until = NULL \
                     WHERE id = $1 AND attempts = $2 AND state = 'claimed'",
                )
                .bind(id.0)
                .bind(attempt)
                .execute(self.wpool())
                .await?;
                fenced(done.rows_affected(), id, attempt)
            }

            /// Adds rows whose nonce is new; a nonce already queued is skipped. Returns how many
            /// were added, so a retried step never queues the same escalation or report twice.
            pub async fn enqueue_once(
                &self,
                incident: Option<IncidentNumber>,
                rows: &[NewNotification],
            ) -> Result<u64, StoreError> {
                let mut added = 0;
                let mut tx = self.write().await?;
                for n in rows {
                    let done = sqlx::query(
                        "INSERT INTO outbox (incident, kind, target, due_at, nonce) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (nonce) DO NOTHING",
                    )
                    .bind(incident.map(|i| i.0))
                    .bind(n.kind.to_string())
                    .bind(n.target.to_string())
                    .bind(ts(n.due_at))
                    .bind(n.nonce.as_str().to_string())
                    .execute(&mut *tx)
                    .await?;
                    added += done.rows_affected();
                }
                tx.commit().await?;
                Ok(added)
            }
        }
    };
}
pub(crate) use support_ops;

use crate::types::{Incident, NewNotification, OutboxId};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use intakebot_core::ids::IncidentNumber;

/// `Store`'s forwarding of the operations above.
impl Store {
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.ping().await,
            Store::Postgres(s) => s.ping().await,
        }
    }

    pub async fn next_due_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        match self {
            Store::Sqlite(s) => s.next_due_at().await,
            Store::Postgres(s) => s.next_due_at().await,
        }
    }

    pub async fn outbox_backlog(&self, now: DateTime<Utc>) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
        match self {
            Store::Sqlite(s) => s.outbox_backlog(now).await,
            Store::Postgres(s) => s.outbox_backlog(now).await,
        }
    }

    pub async fn incident_by_thread(&self, thread: u64) -> Result<Option<Incident>, StoreError> {
        match self {
            Store::Sqlite(s) => s.incident_by_thread(thread).await,
            Store::Postgres(s) => s.incident_by_thread(thread).await,
        }
    }

    pub async fn cancel_claimed(&self, id: OutboxId, attempt: i64) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.cancel_claimed(id, attempt).await,
            Store::Postgres(s) => s.cancel_claimed(id, attempt).await,
        }
    }

    pub async fn enqueue_once(
        &self,
        incident: Option<IncidentNumber>,
        rows: &[NewNotification],
    ) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => s.enqueue_once(incident, rows).await,
            Store::Postgres(s) => s.enqueue_once(incident, rows).await,
        }
    }
}
