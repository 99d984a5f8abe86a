//! Reads for the managers' SLA report (`intakebot-report`): the incidents a period and its chart
//! look at, the ledger up to the period's end, and the packs; each for one organisation or all.
//! No index serves `opened_at`: a report reads a few thousand rows at most, once a week or on
//! a manager's request.

macro_rules! report_ops {
    ($store:ty) => {
        impl $store {
            /// Incidents opened in `[from, to)`, and those opened before `from` that had neither a
            /// first response nor a close by `from` (they may still be overdue); by number.
            pub async fn report_incidents(
                &self,
                from: DateTime<Utc>,
                to: DateTime<Utc>,
                org: Option<&OrgId>,
            ) -> Result<Vec<Incident>, StoreError> {
                let sql = format!(
                    "SELECT {INCIDENT_COLUMNS} FROM incidents WHERE opened_at < $2 \
                     AND (opened_at >= $1 OR ((acknowledged_at IS NULL OR acknowledged_at >= $1) \
                     AND (closed_at IS NULL OR closed_at >= $1))) \
                     AND ($3 IS NULL OR organisation = $3) ORDER BY id"
                );
                let rows: Vec<IncidentRow> = sqlx::query_as(&sql)
                    .bind(ts(from))
                    .bind(ts(to))
                    .bind(org.map(OrgId::as_str))
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter().map(Incident::try_from).collect()
            }

            /// Every ledger row before `to` of the organisation's packs (all packs when `None`),
            /// in the order written: enough to add up units left at `to` and the period's use.
            pub async fn report_ledger(
                &self,
                to: DateTime<Utc>,
                org: Option<&OrgId>,
            ) -> Result<Vec<LedgerEntry>, StoreError> {
                let rows: Vec<LedgerRow> = sqlx::query_as(
                    "SELECT l.id, l.entitlement, l.kind, l.delta, l.actor, l.incident, l.reason, l.at \
                     FROM ledger l JOIN entitlements e ON e.id = l.entitlement \
                     WHERE l.at < $1 AND ($2 IS NULL OR e.organisation = $2) ORDER BY l.id",
                )
                .bind(ts(to))
                .bind(org.map(OrgId::as_str))
                .fetch_all(self.read())
                .await?;
                rows.into_iter().map(LedgerEntry::try_from).collect()
            }

            /// The organisation's packs (every pack when `None`), by id.
            pub async fn report_packs(&self, org: Option<&OrgId>) -> Result<Vec<Entitlement>, StoreError> {
                let sql = format!(
                    "SELECT {ENTITLEMENT_COLUMNS} FROM entitlements \
                     WHERE ($1 IS NULL OR organisation = $1) ORDER BY id"
                );
                let rows: Vec<EntitlementRow> = sqlx::query_as(&sql)
                    .bind(org.map(OrgId::as_str))
                    .fetch_all(self.read())
                    .await?;
                rows.into_iter().map(Entitlement::try_from).collect()
            }
        }
    };
}
pub(crate) use report_ops;

use crate::types::{Incident, LedgerEntry};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::ids::OrgId;

/// `Store`'s forwarding of the reads above.
impl Store {
    pub async fn report_incidents(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        org: Option<&OrgId>,
    ) -> Result<Vec<Incident>, StoreError> {
        match self {
            Store::Sqlite(s) => s.report_incidents(from, to, org).await,
            Store::Postgres(s) => s.report_incidents(from, to, org).await,
        }
    }

    pub async fn report_ledger(&self, to: DateTime<Utc>, org: Option<&OrgId>) -> Result<Vec<LedgerEntry>, StoreError> {
        match self {
            Store::Sqlite(s) => s.report_ledger(to, org).await,
            Store::Postgres(s) => s.report_ledger(to, org).await,
        }
    }

    pub async fn report_packs(&self, org: Option<&OrgId>) -> Result<Vec<Entitlement>, StoreError> {
        match self {
            Store::Sqlite(s) => s.report_packs(org).await,
            Store::Postgres(s) => s.report_packs(org).await,
        }
    }
}
