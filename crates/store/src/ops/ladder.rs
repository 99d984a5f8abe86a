//! After a breach: a manager takes the incident over (its escalations stop), and a waiting
//! incident's coverage and deadline can change (a switch to 24x7), its notices replaced.

macro_rules! ladder_ops {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Assigns the incident to `manager` and cancels its pending escalations, once.
            pub async fn take_over(
                &self,
                number: IncidentNumber,
                manager: &AccountId,
                at: DateTime<Utc>,
            ) -> Result<Incident, StoreError> {
                let mut tx = self.write().await?;
                let sql = format!(
                    "UPDATE incidents SET assigned_to = $1 WHERE id = $2 AND assigned_to IS NULL \
                     RETURNING {INCIDENT_COLUMNS}"
                );
                let row: Option<IncidentRow> = sqlx::query_as(&sql)
                    .bind(manager.as_str())
                    .bind(number.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else {
                    tx.rollback().await?;
                    return Err(match self.incident(number).await? {
                        Some(Incident {
                            assigned_to: Some(by),
                            ..
                        }) => StoreError::AlreadyTakenOver { number, by },
                        _ => StoreError::IncidentNotFound(number),
                    });
                };
                let incident = Incident::try_from(row)?;
                let author = Author::Account(manager.clone());
                let reason = format!("taken over by {manager}");
                Self::event_row(
                    &mut tx,
                    number.0,
                    at,
                    &author,
                    EventKind::TakenOver,
                    Some(incident.state),
                    incident.state,
                    &reason,
                    &[],
                )
                .await?;
                sqlx::query(
                    "UPDATE outbox SET state = 'cancelled' WHERE incident = $1 AND state = 'pending' \
                     AND kind LIKE 'escalation-%'",
                )
                .bind(number.0)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(incident)
            }

            /// A new coverage and deadline for an incident still waiting for its first response:
            /// its pending notices are cancelled and `r.notifications` written instead.
            pub async fn reschedule(&self, r: &Reschedule) -> Result<Incident, StoreError> {
                let mut tx = self.write().await?;
                let sql = format!(
                    "UPDATE incidents SET coverage = $1, first_response_due = $2 WHERE id = $3 AND state = 'open' \
                     RETURNING {INCIDENT_COLUMNS}"
                );
                let row: Option<IncidentRow> = sqlx::query_as(&sql)
                    .bind(r.coverage.as_str())
                    .bind(ts(r.first_response_due))
                    .bind(r.number.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else {
                    tx.rollback().await?;
                    return Err(match self.incident(r.number).await? {
                        Some(i) => StoreError::StateChanged {
                            number: r.number,
                            current: i.state,
                        },
                        None => StoreError::IncidentNotFound(r.number),
                    });
                };
                let incident = Incident::try_from(row)?;
                Self::event_row(
                    &mut tx,
                    r.number.0,
                    r.at,
                    &r.author,
                    EventKind::CoverageChanged,
                    Some(incident.state),
                    incident.state,
                    &r.reason,
                    &r.rules,
                )
                .await?;
                Self::cancel_pending(&mut tx, r.number).await?;
                Self::outbox_rows(&mut tx, Some(r.number.0), &r.notifications).await?;
                tx.commit().await?;
                Ok(incident)
            }
        }
    };
}
pub(crate) use ladder_ops;
