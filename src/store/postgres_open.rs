//! Opening an incident on PostgreSQL in one statement (one round trip instead of seven): the
//! conditional unit update drives data-modifying CTEs that write the incident, its first event,
//! its ledger row and its reminders. A single statement is atomic in autocommit, so either all
//! of it happens or none; a duplicate source id fails the whole statement on the unique index
//! (also when two deliveries race), and the first incident is returned instead.

use super::ops::prelude::*;
use super::postgres::PgStore;

const OPEN_SQL: &str = "\
WITH unit AS (
    UPDATE entitlements SET units_left = units_left - 1
    WHERE id = $4 AND organisation = $2 AND units_left > 0 AND (expires_on IS NULL OR expires_on > $16)
    RETURNING id
), incident AS (
    INSERT INTO incidents (source_id, organisation, requester, entitlement, product, version, severity,
        coverage, title, problem, language, flags, state, opened_at, first_response_due)
    SELECT $1, $2, $3, unit.id, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13, $14 FROM unit
    RETURNING id
), event AS (
    INSERT INTO incident_events (incident, at, author, kind, from_state, to_state, reason, rules)
    SELECT incident.id, $13, $3, 'opened', NULL, 'open', 'opened', $15 FROM incident
), spent AS (
    INSERT INTO ledger (entitlement, kind, delta, actor, incident, reason, at)
    SELECT $4, 'consume', -1, $3, incident.id, 'opened', $13 FROM incident
), reminders AS (
    INSERT INTO outbox (incident, kind, target, due_at, nonce)
    SELECT incident.id, r.kind, r.target, r.due_at, r.nonce
    FROM incident, unnest($17::text[], $18::text[], $19::timestamptz[], $20::text[]) AS r(kind, target, due_at, nonce)
)
SELECT id FROM incident";

impl PgStore {
    /// Opens an incident, or returns the one this source already opened (one unit either way).
    pub async fn open_incident(&self, n: &NewIncident) -> Result<Opened, StoreError> {
        let (mut kinds, mut targets, mut dues, mut nonces) = (vec![], vec![], vec![], vec![]);
        for r in &n.notifications {
            kinds.push(r.kind.0.as_str());
            targets.push(r.target.0.as_str());
            dues.push(ts(r.due_at));
            nonces.push(r.nonce.as_str());
        }
        let inserted: Result<Option<i64>, sqlx::Error> = sqlx::query_scalar(OPEN_SQL)
            .bind(&n.source.0)
            .bind(n.organisation.as_str())
            .bind(n.requester.as_str())
            .bind(n.entitlement.0)
            .bind(&n.product)
            .bind(&n.version)
            .bind(n.severity.as_str())
            .bind(n.coverage.as_str())
            .bind(&n.title)
            .bind(&n.problem)
            .bind(&n.language)
            .bind(flags_to_db(&n.flags))
            .bind(ts(n.opened_at))
            .bind(ts(n.first_response_due))
            .bind(rules_to_db(&n.rules))
            .bind(n.opened_at.date_naive())
            .bind(&kinds)
            .bind(&targets)
            .bind(&dues)
            .bind(&nonces)
            .fetch_optional(self.pool())
            .await;
        match inserted {
            Ok(Some(id)) => Ok(Opened::New(incident_from_new(IncidentNumber(id), n, None))),
            Ok(None) => self.not_opened(n).await,
            Err(e) if is_unique_violation(&e) => match self.incident_by_source(&n.source).await? {
                Some(first) => Ok(Opened::AlreadyOpened(first)),
                None => Err(e.into()),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// No unit was spent: the source already opened one (idempotent), or the entitlement says why.
    async fn not_opened(&self, n: &NewIncident) -> Result<Opened, StoreError> {
        if let Some(first) = self.incident_by_source(&n.source).await? {
            return Ok(Opened::AlreadyOpened(first));
        }
        let id = n.entitlement;
        let today = n.opened_at.date_naive();
        Err(match self.entitlement(id).await? {
            None => StoreError::EntitlementNotFound(id),
            Some(e) if e.organisation != n.organisation => StoreError::WrongOrganisation {
                entitlement: id,
                organisation: n.organisation.clone(),
            },
            Some(e) if e.expires_on.is_some_and(|expiry| expiry <= today) => StoreError::EntitlementExpired(id),
            Some(_) => StoreError::NoUnitsLeft(id),
        })
    }
}
