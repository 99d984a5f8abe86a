//! The outbox of notifications: written with the change that causes them, claimed by senders
//! under a lease, finished with the attempt number as a fencing token (a stale worker cannot).

/// Rows due now, or claimed by a worker whose lease ran out. `{lock}` is the backend's row lock.
pub(crate) fn claim_sql(lock: &str) -> String {
    format!(
        "UPDATE outbox SET state = 'claimed', attempts = attempts + 1, lease_until = $1, worker = $2 \
         WHERE id IN (SELECT id FROM outbox WHERE (state = 'pending' AND due_at <= $3) \
         OR (state = 'claimed' AND lease_until <= $3) ORDER BY due_at, id LIMIT $4{lock}) \
         RETURNING {}",
        crate::rows::OUTBOX_COLUMNS
    )
}

macro_rules! outbox_ops {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn outbox_rows(
                tx: &mut sqlx::Transaction<'static, $db>,
                incident: Option<i64>,
                rows: &[NewNotification],
            ) -> Result<(), StoreError> {
                if rows.is_empty() {
                    return Ok(());
                }
                let mut q =
                    sqlx::QueryBuilder::<$db>::new("INSERT INTO outbox (incident, kind, target, due_at, nonce) ");
                q.push_values(rows, |mut b, n| {
                    b.push_bind(incident)
                        .push_bind(n.kind.to_string())
                        .push_bind(n.target.to_string())
                        .push_bind(ts(n.due_at))
                        .push_bind(n.nonce.as_str().to_string());
                });
                q.build().execute(&mut **tx).await?;
                Ok(())
            }

            async fn cancel_pending(
                tx: &mut sqlx::Transaction<'static, $db>,
                number: IncidentNumber,
            ) -> Result<u64, StoreError> {
                let done =
                    sqlx::query("UPDATE outbox SET state = 'cancelled' WHERE incident = $1 AND state = 'pending'")
                        .bind(number.0)
                        .execute(&mut **tx)
                        .await?;
                Ok(done.rows_affected())
            }

            /// Adds notifications outside any incident change (e.g. an alert to managers).
            pub async fn enqueue(
                &self,
                incident: Option<IncidentNumber>,
                rows: &[NewNotification],
            ) -> Result<(), StoreError> {
                let mut tx = self.write().await?;
                Self::outbox_rows(&mut tx, incident.map(|i| i.0), rows).await?;
                tx.commit().await?;
                Ok(())
            }

            /// Claims up to `limit` due rows for `worker` until `now + lease_for`; each claim bumps `attempts`.
            pub async fn claim_due(
                &self,
                now: DateTime<Utc>,
                limit: u32,
                lease_for: chrono::Duration,
                worker: &str,
            ) -> Result<Vec<Notification>, StoreError> {
                let mut tx = self.write().await?;
                let rows: Vec<OutboxRow> = sqlx::query_as(&Self::claim_sql())
                    .bind(ts(now + lease_for))
                    .bind(worker)
                    .bind(ts(now))
                    .bind(i64::from(limit))
                    .fetch_all(&mut *tx)
                    .await?;
                tx.commit().await?;
                let mut claimed = Vec::with_capacity(rows.len());
                for row in rows {
                    let (id, attempts) = (OutboxId(row.id), row.attempts);
                    match Notification::try_from(row) {
                        Ok(notification) => claimed.push(notification),
                        // Written by hand, or by a newer version: failed, so one bad row never
                        // blocks the notices behind it.
                        Err(err) => {
                            tracing::error!(row = id.0, %err, "unreadable outbox row; marked failed");
                            self.fail(id, attempts, &format!("unreadable row: {err}"), None).await?;
                        }
                    }
                }
                claimed.sort_by_key(|n| (n.due_at, n.id));
                Ok(claimed)
            }

            /// Marks a claimed row sent, if `attempt` still holds the claim.
            pub async fn complete(
                &self,
                id: OutboxId,
                attempt: i64,
                message_id: Option<u64>,
            ) -> Result<(), StoreError> {
                let done = sqlx::query(
                    "UPDATE outbox SET state = 'sent', message_id = $3, lease_until = NULL, last_error = NULL \
                     WHERE id = $1 AND attempts = $2 AND state = 'claimed'",
                )
                .bind(id.0)
                .bind(attempt)
                .bind(message_id.map(|m| m.to_string()))
                .execute(self.wpool())
                .await?;
                fenced(done.rows_affected(), id, attempt)
            }

            /// Records a failed send: back to pending at `retry_at`, or `failed` for good when `None`.
            pub async fn fail(
                &self,
                id: OutboxId,
                attempt: i64,
                error: &str,
                retry_at: Option<DateTime<Utc>>,
            ) -> Result<(), StoreError> {
                let (state, due) = match retry_at {
                    Some(at) => ("pending", Some(ts(at))),
                    None => ("failed", None),
                };
                let done = sqlx::query(
                    "UPDATE outbox SET state = $3, due_at = COALESCE($4, due_at), last_error = $5, lease_until = NULL \
                     WHERE id = $1 AND attempts = $2 AND state = 'claimed'",
                )
                .bind(id.0)
                .bind(attempt)
                .bind(state)
                .bind(due)
                .bind(error)
                .execute(self.wpool())
                .await?;
                fenced(done.rows_affected(), id, attempt)
            }

            /// Extends the lease of a row still being sent.
            pub async fn heartbeat(
                &self,
                id: OutboxId,
                attempt: i64,
                lease_until: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let done = sqlx::query(
                    "UPDATE outbox SET lease_until = $3 WHERE id = $1 AND attempts = $2 AND state = 'claimed'",
                )
                .bind(id.0)
                .bind(attempt)
                .bind(ts(lease_until))
                .execute(self.wpool())
                .await?;
                fenced(done.rows_affected(), id, attempt)
            }

            /// Cancels an incident's pending notifications; returns how many.
            pub async fn cancel_for_incident(&self, number: IncidentNumber) -> Result<u64, StoreError> {
                let mut tx = self.write().await?;
                let n = Self::cancel_pending(&mut tx, number).await?;
                tx.commit().await?;
                Ok(n)
            }

            pub async fn outbox_for_incident(&self, number: IncidentNumber) -> Result<Vec<Notification>, StoreError> {
                let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE incident = $1 ORDER BY id");
                let rows: Vec<OutboxRow> = sqlx::query_as(&sql).bind(number.0).fetch_all(self.read()).await?;
                rows.into_iter().map(Notification::try_from).collect()
            }
        }
    };
}
pub(crate) use outbox_ops;

use crate::error::StoreError;
use crate::types::OutboxId;

/// A fenced update that touched no row means another attempt owns (or finished) the row.
pub(crate) fn fenced(rows: u64, id: OutboxId, attempt: i64) -> Result<(), StoreError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(StoreError::StaleClaim { id: id.0, attempt })
    }
}
