//! Incidents: opening one (the same plain transaction on both backends), lookups, Discord ids,
//! splits (P-INC-3).

macro_rules! incident_ops {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Opens an incident, or returns the one this source already opened (one unit either
            /// way): the incident, its first event, its ledger row and its reminders, and the
            /// unit, in one transaction.
            pub async fn open_incident(&self, n: &NewIncident) -> Result<Opened, StoreError> {
                let mut tx = self.write().await?;
                let requester = Author::Account(n.requester.clone());
                match Self::insert_incident(&mut tx, n, None, &requester, "opened").await {
                    Ok(Some(number)) => {
                        tx.commit().await?;
                        Ok(Opened::New(incident_from_new(number, n, None)))
                    }
                    Ok(None) => {
                        tx.rollback().await?;
                        let first = self.incident_by_source(&n.source).await?;
                        first
                            .map(Opened::AlreadyOpened)
                            .ok_or_else(|| StoreError::corrupt("source id vanished"))
                    }
                    Err(StoreError::Database(e)) if is_foreign_key_violation(&e) => {
                        // End the transaction first: an in-memory SQLite database reads through its one
                        // connection, which the transaction holds.
                        drop(tx);
                        match self.entitlement(n.entitlement).await? {
                            None => Err(StoreError::EntitlementNotFound(n.entitlement)),
                            Some(_) => Err(e.into()),
                        }
                    }
                    Err(e) => Err(e),
                }
            }

            /// Writes an incident and everything that comes with it; `None` if the source exists
            /// (nothing spent). The unit is taken last: on PostgreSQL its update locks the pack's
            /// row until the commit, so concurrent opens on one pack wait only for that
            /// statement and the commit, not for the inserts before it. A waiting update
            /// re-checks `units_left > 0` on the row the other committed (P-PLAN-6).
            async fn insert_incident(
                tx: &mut sqlx::Transaction<'static, $db>,
                n: &NewIncident,
                parent: Option<IncidentNumber>,
                author: &Author,
                reason: &str,
            ) -> Result<Option<IncidentNumber>, StoreError> {
                n.refuse_nul()?;
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO incidents (source_id, organisation, requester, entitlement, parent, product, \
                     version, severity, coverage, title, problem, language, flags, state, opened_at, \
                     first_response_due) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
                     'open', $14, $15) ON CONFLICT (source_id) DO NOTHING RETURNING id",
                )
                .bind(&n.source.0)
                .bind(n.organisation.as_str())
                .bind(n.requester.as_str())
                .bind(n.entitlement.0)
                .bind(parent.map(|p| p.0))
                .bind(&n.product)
                .bind(&n.version)
                .bind(n.severity.as_str())
                .bind(n.coverage.as_str())
                .bind(&n.title)
                .bind(&n.problem)
                .bind(n.language.as_str())
                .bind(flags_to_db(&n.flags))
                .bind(ts(n.opened_at))
                .bind(ts(n.first_response_due))
                .fetch_optional(&mut **tx)
                .await?;
                let Some(id) = id else { return Ok(None) };
                Self::event_row(
                    tx,
                    id,
                    n.opened_at,
                    author,
                    EventKind::Opened,
                    None,
                    IncidentState::Open,
                    reason,
                    &n.rules,
                )
                .await?;
                Self::ledger_row(
                    tx,
                    n.entitlement.0,
                    LedgerKind::Consume,
                    -1,
                    author,
                    Some(id),
                    reason,
                    n.opened_at,
                )
                .await?;
                Self::outbox_rows(tx, Some(id), &n.notifications).await?;
                Self::consume_unit(tx, n).await?;
                Ok(Some(IncidentNumber(id)))
            }

            /// P-PLAN-6: one conditional update, never read-then-write; a refusal says why.
            async fn consume_unit(tx: &mut sqlx::Transaction<'static, $db>, n: &NewIncident) -> Result<(), StoreError> {
                let today = n.opened_at.date_naive();
                let spent = sqlx::query(
                    "UPDATE entitlements SET units_left = units_left - 1 WHERE id = $1 AND organisation = $2 \
                     AND units_left > 0 AND (expires_on IS NULL OR expires_on > $3)",
                )
                .bind(n.entitlement.0)
                .bind(n.organisation.as_str())
                .bind(today)
                .execute(&mut **tx)
                .await?
                .rows_affected();
                if spent == 1 {
                    return Ok(());
                }
                let found: Option<(String, Option<NaiveDate>)> =
                    sqlx::query_as("SELECT organisation, expires_on FROM entitlements WHERE id = $1")
                        .bind(n.entitlement.0)
                        .fetch_optional(&mut **tx)
                        .await?;
                let id = n.entitlement;
                Err(match found {
                    None => StoreError::EntitlementNotFound(id),
                    Some((org, _)) if org != n.organisation.as_str() => StoreError::WrongOrganisation {
                        entitlement: id,
                        organisation: n.organisation.clone(),
                    },
                    Some((_, Some(expiry))) if expiry <= today => StoreError::EntitlementExpired(id),
                    Some(_) => StoreError::NoUnitsLeft(id),
                })
            }

            #[allow(clippy::too_many_arguments)]
            async fn event_row(
                tx: &mut sqlx::Transaction<'static, $db>,
                incident: i64,
                at: DateTime<Utc>,
                author: &Author,
                kind: EventKind,
                from: Option<IncidentState>,
                to: IncidentState,
                reason: &str,
                rules: &[RuleId],
            ) -> Result<(), StoreError> {
                refuse_nul("reason", reason)?;
                sqlx::query(
                    "INSERT INTO incident_events (incident, at, author, kind, from_state, to_state, reason, rules) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(incident)
                .bind(ts(at))
                .bind(author.to_db())
                .bind(kind.as_str())
                .bind(from.map(state_label))
                .bind(state_label(to))
                .bind(reason)
                .bind(rules_to_db(rules))
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn fetch_incidents(&self, filter: &str, binds: &[&str]) -> Result<Vec<Incident>, StoreError> {
                let sql = format!("SELECT {INCIDENT_COLUMNS} FROM incidents WHERE {filter} ORDER BY id");
                let mut q = sqlx::query_as::<_, IncidentRow>(&sql);
                for b in binds {
                    q = q.bind(*b);
                }
                let rows = q.fetch_all(self.read()).await?;
                rows.into_iter().map(Incident::try_from).collect()
            }

            pub async fn incident(&self, number: IncidentNumber) -> Result<Option<Incident>, StoreError> {
                let sql = format!("SELECT {INCIDENT_COLUMNS} FROM incidents WHERE id = $1");
                let row: Option<IncidentRow> = sqlx::query_as(&sql)
                    .bind(number.0)
                    .fetch_optional(self.read())
                    .await?;
                row.map(Incident::try_from).transpose()
            }

            /// The incident only if it belongs to `org` (what a customer may see).
            pub async fn incident_in_org(
                &self,
                org: &OrgId,
                number: IncidentNumber,
            ) -> Result<Option<Incident>, StoreError> {
                Ok(self.incident(number).await?.filter(|i| &i.organisation == org))
            }

            pub async fn incident_by_source(&self, source: &SourceId) -> Result<Option<Incident>, StoreError> {
                Ok(self.fetch_incidents("source_id = $1", &[&source.0]).await?.pop())
            }

            /// An organisation's incidents, oldest first, optionally in one state.
            pub async fn list_incidents(
                &self,
                org: &OrgId,
                filter: Option<StateFilter>,
            ) -> Result<Vec<Incident>, StoreError> {
                match filter {
                    None => self.fetch_incidents("organisation = $1", &[org.as_str()]).await,
                    Some(f) => {
                        let state = match f {
                            StateFilter::Open => "open",
                            StateFilter::Acknowledged => "acknowledged",
                            StateFilter::Closed => "closed",
                        };
                        self.fetch_incidents("organisation = $1 AND state = $2", &[org.as_str(), state])
                            .await
                    }
                }
            }

            pub async fn children(&self, parent: IncidentNumber) -> Result<Vec<Incident>, StoreError> {
                let sql = format!("SELECT {INCIDENT_COLUMNS} FROM incidents WHERE parent = $1 ORDER BY id");
                let rows: Vec<IncidentRow> = sqlx::query_as(&sql).bind(parent.0).fetch_all(self.read()).await?;
                rows.into_iter().map(Incident::try_from).collect()
            }

            pub async fn events(&self, number: IncidentNumber) -> Result<Vec<IncidentEvent>, StoreError> {
                let rows: Vec<EventRow> = sqlx::query_as(
                    "SELECT incident, at, author, kind, from_state, to_state, reason, rules \
                     FROM incident_events WHERE incident = $1 ORDER BY id",
                )
                .bind(number.0)
                .fetch_all(self.read())
                .await?;
                rows.into_iter().map(IncidentEvent::try_from).collect()
            }

            /// Stores the Discord ids given (`None` keeps what is there).
            pub async fn set_discord_ids(&self, number: IncidentNumber, ids: &DiscordIds) -> Result<(), StoreError> {
                let done = sqlx::query(
                    "UPDATE incidents SET discord_channel_id = COALESCE($1, discord_channel_id), \
                     discord_thread_id = COALESCE($2, discord_thread_id), \
                     discord_message_id = COALESCE($3, discord_message_id) WHERE id = $4",
                )
                .bind(ids.channel.map(|i| i.to_string()))
                .bind(ids.thread.map(|i| i.to_string()))
                .bind(ids.message.map(|i| i.to_string()))
                .bind(number.0)
                .execute(self.wpool())
                .await?
                .rows_affected();
                if done == 0 {
                    return Err(StoreError::IncidentNotFound(number));
                }
                Ok(())
            }

            /// P-INC-3: N children, each consuming a unit of the parent's entitlement; all or nothing.
            pub async fn split_incident(&self, req: &SplitRequest) -> Result<Split, StoreError> {
                let parent = self
                    .incident(req.parent)
                    .await?
                    .ok_or(StoreError::IncidentNotFound(req.parent))?;
                let mut tx = self.write().await?;
                let mut made = Vec::with_capacity(req.children.len());
                for (k, child) in req.children.iter().enumerate() {
                    let new = child_of(&parent, req, k + 1, child);
                    let reason = format!("split from {}", parent.number);
                    match Self::insert_incident(&mut tx, &new, Some(parent.number), &req.author, &reason).await? {
                        Some(number) => made.push(incident_from_new(number, &new, Some(parent.number))),
                        None => {
                            tx.rollback().await?;
                            return Ok(Split::AlreadySplit(self.split_children(req).await?));
                        }
                    }
                }
                let reason = format!(
                    "{}: split into {}",
                    req.reason,
                    made.iter()
                        .map(|i| i.number.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                Self::event_row(
                    &mut tx,
                    parent.number.0,
                    req.at,
                    &req.author,
                    EventKind::Split,
                    Some(parent.state),
                    parent.state,
                    &reason,
                    &req.rules,
                )
                .await?;
                tx.commit().await?;
                Ok(Split::New(made))
            }

            async fn split_children(&self, req: &SplitRequest) -> Result<Vec<Incident>, StoreError> {
                let prefix = format!("{}#", req.source.0);
                let all = self.children(req.parent).await?;
                Ok(all
                    .into_iter()
                    .filter(|i| i.source.0.starts_with(&prefix))
                    .collect())
            }
        }
    };
}
pub(crate) use incident_ops;

use crate::types::{Incident, NewChild, NewIncident, SourceId, SplitRequest};

/// The `NewIncident` of the k-th child: the parent's organisation, requester, product and entitlement.
pub(crate) fn child_of(parent: &Incident, req: &SplitRequest, k: usize, c: &NewChild) -> NewIncident {
    NewIncident {
        source: SourceId(format!("{}#{k}", req.source.0)),
        organisation: parent.organisation.clone(),
        requester: parent.requester.clone(),
        entitlement: parent.entitlement,
        product: parent.product.clone(),
        version: parent.version.clone(),
        severity: c.severity,
        coverage: c.coverage,
        title: c.title.clone(),
        problem: c.problem.clone(),
        language: parent.language,
        flags: parent.flags.clone(),
        opened_at: req.at,
        first_response_due: c.first_response_due,
        rules: req.rules.clone(),
        notifications: c.notifications.clone(),
    }
}
