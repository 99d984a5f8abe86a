//! Recording a state change decided by the core: the incident row, its event, a refund if
//! decided (P-CLOSE-4), cancelled reminders once acknowledged or closed, and new outbox rows.

macro_rules! transition_ops {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Writes `t` in one transaction if the incident is still in `t.from`, else `StateChanged`.
            pub async fn record_transition(&self, t: &TransitionRecord) -> Result<Incident, StoreError> {
                let mut tx = self.write().await?;
                let (from_state, from_outcome, from_refund) = state_to_db(t.from);
                let (to_state, to_outcome, to_refund) = state_to_db(t.to);
                let at = ts(t.at);
                let sql = format!(
                    "UPDATE incidents SET state = $1, outcome = $2, refund = $3, \
                     acknowledged_at = CASE WHEN $4 THEN $5 ELSE acknowledged_at END, \
                     acknowledged_by = CASE WHEN $4 THEN $6 ELSE acknowledged_by END, \
                     first_response_met = CASE WHEN $4 THEN ($5 <= first_response_due) ELSE first_response_met END, \
                     closed_at = CASE WHEN $1 = 'closed' THEN COALESCE(closed_at, $5) ELSE closed_at END \
                     WHERE id = $7 AND state = $8 AND COALESCE(outcome, '') = $9 AND COALESCE(refund, '') = $10 \
                     RETURNING {INCIDENT_COLUMNS}"
                );
                let row: Option<IncidentRow> = sqlx::query_as(&sql)
                    .bind(to_state)
                    .bind(to_outcome)
                    .bind(to_refund)
                    .bind(t.first_response)
                    .bind(at)
                    .bind(t.author.to_db())
                    .bind(t.number.0)
                    .bind(from_state)
                    .bind(from_outcome.unwrap_or(""))
                    .bind(from_refund.unwrap_or(""))
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else {
                    tx.rollback().await?;
                    return Err(match self.incident(t.number).await? {
                        None => StoreError::IncidentNotFound(t.number),
                        Some(i) => StoreError::StateChanged { number: t.number, current: i.state },
                    });
                };
                let updated = Incident::try_from(row)?;
                Self::event_row(&mut tx, t.number.0, t.at, &t.author, event_kind(t), Some(t.from), t.to, &t.reason, &t.rules)
                    .await?;
                if from_refund.is_none() && to_refund == Some("refund") {
                    Self::refund_in_tx(&mut tx, t.number, &t.author, &t.reason, t.at).await?;
                }
                if t.to != IncidentState::Open {
                    Self::cancel_pending(&mut tx, t.number).await?;
                }
                Self::outbox_rows(&mut tx, Some(t.number.0), &t.notifications).await?;
                tx.commit().await?;
                Ok(updated)
            }
        }
    };
}
pub(crate) use transition_ops;

use crate::types::{EventKind, TransitionRecord};
use intakebot_core::incident::IncidentState;

/// The event kind a transition is logged as.
pub(crate) fn event_kind(t: &TransitionRecord) -> EventKind {
    match (t.from, t.to) {
        (IncidentState::Closed { .. }, IncidentState::Closed { .. }) => EventKind::RefundDecided,
        (_, IncidentState::Closed { .. }) => EventKind::Closed,
        _ => EventKind::Acknowledged,
    }
}
