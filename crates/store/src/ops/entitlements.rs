//! Entitlements and their append-only ledger: grant, transfer (P-PLAN-4), expire (P-PLAN-2),
//! refund (P-CLOSE-4), and the check that units left always equal what the ledger says (P-PLAN-6).

/// Units left beside the ledger's sums per kind, for one or all entitlements.
pub(crate) const BALANCE_SQL: &str = "SELECT e.id, e.units_left, \
    CAST(COALESCE(SUM(CASE WHEN l.kind = 'grant' THEN l.delta END), 0) AS BIGINT) AS granted, \
    CAST(COALESCE(SUM(CASE WHEN l.kind = 'consume' THEN -l.delta END), 0) AS BIGINT) AS consumed, \
    CAST(COALESCE(SUM(CASE WHEN l.kind = 'refund' THEN l.delta END), 0) AS BIGINT) AS refunded, \
    CAST(COALESCE(SUM(CASE WHEN l.kind = 'expire' THEN -l.delta END), 0) AS BIGINT) AS expired \
    FROM entitlements e LEFT JOIN ledger l ON l.entitlement = e.id";

macro_rules! entitlement_ops {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Appends one ledger row inside the caller's transaction.
            #[allow(clippy::too_many_arguments)]
            async fn ledger_row(
                tx: &mut sqlx::Transaction<'static, $db>,
                entitlement: i64,
                kind: LedgerKind,
                delta: i64,
                actor: &Author,
                incident: Option<i64>,
                reason: &str,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                refuse_nul("reason", reason)?;
                sqlx::query(
                    "INSERT INTO ledger (entitlement, kind, delta, actor, incident, reason, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(entitlement)
                .bind(kind.as_str())
                .bind(delta)
                .bind(actor.to_db())
                .bind(incident)
                .bind(reason)
                .bind(ts(at))
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            /// Records a purchase with its `grant` ledger row.
            pub async fn grant_entitlement(
                &self,
                e: &NewEntitlement,
                actor: &Author,
                at: DateTime<Utc>,
            ) -> Result<Entitlement, StoreError> {
                let mut tx = self.write().await?;
                let sql = format!(
                    "INSERT INTO entitlements (plan, organisation, owner, units_granted, units_left, \
                     purchased_on, expires_on, order_number) VALUES ($1, $2, $3, $4, $4, $5, $6, $7) \
                     RETURNING {ENTITLEMENT_COLUMNS}"
                );
                let row: EntitlementRow = sqlx::query_as(&sql)
                    .bind(e.plan.as_str())
                    .bind(e.organisation.as_str())
                    .bind(e.owner.as_str())
                    .bind(i64::from(e.units))
                    .bind(e.purchased_on)
                    .bind(e.expires_on)
                    .bind(e.order_number.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
                let granted = Entitlement::try_from(row)?;
                let reason = format!("order {}", e.order_number);
                Self::ledger_row(
                    &mut tx,
                    granted.id.0,
                    LedgerKind::Grant,
                    i64::from(e.units),
                    actor,
                    None,
                    &reason,
                    at,
                )
                .await?;
                tx.commit().await?;
                Ok(granted)
            }

            pub async fn entitlement(&self, id: EntitlementId) -> Result<Option<Entitlement>, StoreError> {
                let sql = format!("SELECT {ENTITLEMENT_COLUMNS} FROM entitlements WHERE id = $1");
                let row: Option<EntitlementRow> = sqlx::query_as(&sql)
                    .bind(id.0)
                    .fetch_optional(self.read())
                    .await?;
                row.map(Entitlement::try_from).transpose()
            }

            /// An organisation's entitlements, oldest first, with units left.
            pub async fn list_entitlements(&self, org: &OrgId) -> Result<Vec<Entitlement>, StoreError> {
                let sql = format!("SELECT {ENTITLEMENT_COLUMNS} FROM entitlements WHERE organisation = $1 ORDER BY id");
                let rows: Vec<EntitlementRow> = sqlx::query_as(&sql)
                    .bind(org.as_str())
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter().map(Entitlement::try_from).collect()
            }

            /// The organisation's packs that can still be charged on `day` (units left, not
            /// expired: the same test as the open's conditional update), oldest first. An
            /// organisation's spent and expired packs pile up over the years; an open reads only
            /// these (docs/performance.md).
            pub async fn usable_entitlements(
                &self,
                org: &OrgId,
                day: NaiveDate,
            ) -> Result<Vec<Entitlement>, StoreError> {
                let sql = format!(
                    "SELECT {ENTITLEMENT_COLUMNS} FROM entitlements WHERE organisation = $1 AND units_left > 0 \
                     AND (expires_on IS NULL OR expires_on > $2) ORDER BY id"
                );
                let rows: Vec<EntitlementRow> = sqlx::query_as(&sql)
                    .bind(org.as_str())
                    .bind(day)
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter().map(Entitlement::try_from).collect()
            }

            /// Moves an entitlement to a new owner when the order number matches (P-PLAN-4).
            pub async fn transfer_entitlement(
                &self,
                id: EntitlementId,
                order_number: &OrderNumber,
                new_owner: &AccountId,
                actor: &Author,
                at: DateTime<Utc>,
            ) -> Result<Entitlement, StoreError> {
                let mut tx = self.write().await?;
                let lock = format!(
                    "SELECT owner, order_number FROM entitlements WHERE id = $1{}",
                    Self::FOR_UPDATE
                );
                let current: Option<(String, String)> =
                    sqlx::query_as(&lock).bind(id.0).fetch_optional(&mut *tx).await?;
                let (old_owner, order) = current.ok_or(StoreError::EntitlementNotFound(id))?;
                if order != order_number.as_str() {
                    return Err(StoreError::OrderNumberMismatch(id));
                }
                // The row is locked (PostgreSQL) or the database is (SQLite); the compare-and-set is a second guard.
                let sql = format!(
                    "UPDATE entitlements SET owner = $1 WHERE id = $2 AND order_number = $3 AND owner = $4 \
                     RETURNING {ENTITLEMENT_COLUMNS}"
                );
                let row: Option<EntitlementRow> = sqlx::query_as(&sql)
                    .bind(new_owner.as_str())
                    .bind(id.0)
                    .bind(order_number.as_str())
                    .bind(&old_owner)
                    .fetch_optional(&mut *tx)
                    .await?;
                let moved = Entitlement::try_from(
                    row.ok_or_else(|| StoreError::corrupt("owner changed during transfer; retry"))?,
                )?;
                let reason = format!("owner {old_owner} -> {new_owner} on order {order_number}");
                Self::ledger_row(&mut tx, id.0, LedgerKind::Transfer, 0, actor, None, &reason, at).await?;
                tx.commit().await?;
                Ok(moved)
            }

            /// Expires every unit left (P-PLAN-2); returns how many expired.
            pub async fn expire_units(
                &self,
                id: EntitlementId,
                actor: &Author,
                reason: &str,
                at: DateTime<Utc>,
            ) -> Result<u32, StoreError> {
                let mut tx = self.write().await?;
                let lock = format!(
                    "SELECT units_left FROM entitlements WHERE id = $1{}",
                    Self::FOR_UPDATE
                );
                let left: Option<i64> = sqlx::query_scalar(&lock)
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let left = left.ok_or(StoreError::EntitlementNotFound(id))?;
                if left == 0 {
                    return Ok(0);
                }
                // Locked as above; the compare-and-set makes a missed lock fail rather than go negative.
                let done = sqlx::query("UPDATE entitlements SET units_left = 0 WHERE id = $1 AND units_left = $2")
                    .bind(id.0)
                    .bind(left)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if done != 1 {
                    return Err(StoreError::corrupt("units changed during expiry; retry"));
                }
                Self::ledger_row(&mut tx, id.0, LedgerKind::Expire, -left, actor, None, reason, at).await?;
                tx.commit().await?;
                u32::try_from(left).map_err(StoreError::corrupt)
            }

            /// Gives back the unit an incident consumed, inside the caller's transaction, once.
            async fn refund_in_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                number: IncidentNumber,
                actor: &Author,
                reason: &str,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let entitlement: Option<i64> = sqlx::query_scalar("SELECT entitlement FROM incidents WHERE id = $1")
                    .bind(number.0)
                    .fetch_optional(&mut **tx)
                    .await?;
                let entitlement = entitlement.ok_or(StoreError::IncidentNotFound(number))?;
                let refunded: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM ledger WHERE incident = $1 AND kind = 'refund'")
                        .bind(number.0)
                        .fetch_optional(&mut **tx)
                        .await?;
                if refunded.is_some() {
                    return Err(StoreError::AlreadyRefunded(number));
                }
                // The unique index on refund rows backs the check above under concurrency.
                Self::ledger_row(
                    tx,
                    entitlement,
                    LedgerKind::Refund,
                    1,
                    actor,
                    Some(number.0),
                    reason,
                    at,
                )
                .await
                .map_err(|e| match e {
                    StoreError::Database(ref db) if is_unique_violation(db) => StoreError::AlreadyRefunded(number),
                    other => other,
                })?;
                sqlx::query("UPDATE entitlements SET units_left = units_left + 1 WHERE id = $1")
                    .bind(entitlement)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }

            /// Refunds the unit of an incident (P-CLOSE-4); a second refund is `AlreadyRefunded`.
            pub async fn refund_unit(
                &self,
                number: IncidentNumber,
                actor: &Author,
                reason: &str,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let mut tx = self.write().await?;
                Self::refund_in_tx(&mut tx, number, actor, reason, at).await?;
                tx.commit().await?;
                Ok(())
            }

            pub async fn ledger(&self, id: EntitlementId) -> Result<Vec<LedgerEntry>, StoreError> {
                let rows: Vec<LedgerRow> = sqlx::query_as(
                    "SELECT id, entitlement, kind, delta, actor, incident, reason, at FROM ledger \
                     WHERE entitlement = $1 ORDER BY id",
                )
                .bind(id.0)
                .fetch_all(self.read())
                .await?;
                rows.into_iter().map(LedgerEntry::try_from).collect()
            }

            /// Recomputes one entitlement's units from its ledger.
            pub async fn check_ledger(&self, id: EntitlementId) -> Result<LedgerBalance, StoreError> {
                let sql = format!("{BALANCE_SQL} WHERE e.id = $1 GROUP BY e.id, e.units_left");
                let row: Option<BalanceRow> = sqlx::query_as(&sql)
                    .bind(id.0)
                    .fetch_optional(self.read())
                    .await?;
                row.map(LedgerBalance::from)
                    .ok_or(StoreError::EntitlementNotFound(id))
            }

            /// The entitlements whose units left disagree with their ledger (empty when all is well).
            pub async fn check_all_ledgers(&self) -> Result<Vec<LedgerBalance>, StoreError> {
                let sql = format!("{BALANCE_SQL} GROUP BY e.id, e.units_left ORDER BY e.id");
                let rows: Vec<BalanceRow> = sqlx::query_as(&sql).fetch_all(self.read()).await?;
                Ok(rows
                    .into_iter()
                    .map(LedgerBalance::from)
                    .filter(|b| !b.is_balanced())
                    .collect())
            }
        }
    };
}
pub(crate) use entitlement_ops;
