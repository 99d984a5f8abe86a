//! Opening incidents on PostgreSQL in one statement (one round trip instead of seven): the
//! conditional unit update drives data-modifying CTEs that write the incident, its first event,
//! its ledger row and its reminders. A single statement is atomic in autocommit, so either all
//! of it happens or none; a duplicate source id fails the whole statement on the unique index
//! (also when two deliveries race), and the first incident is returned instead.
//!
//! Opens that queue up together (`postgres_lanes`) are written by one statement per pack (and
//! organisation and day): it takes all their units in one conditional update (`units_left >=
//! k`), so the pack's row lock and the commit's WAL flush are paid once for all of them. When
//! that cannot go through whole (too few units, a duplicate source, a refusal), nothing of it is
//! written and each open is tried alone, which gives every caller its exact answer. Each
//! statement is atomic on its own and locks one pack, so packs need no common transaction; two
//! instances' statements can still wait on each other's new source ids, which PostgreSQL
//! breaks as a deadlock, and then each open is tried alone too.

use super::ops::prelude::*;
use super::postgres::PgStore;
use sqlx::Postgres;
use std::collections::{BTreeMap, HashMap};

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

/// Opens on one pack for one day, all or none: `$1` entitlement, `$2` organisation, `$3` how
/// many, `$4` the day; then one array per incident column and one per reminder column.
const OPEN_MANY_SQL: &str = "\
WITH unit AS (
    UPDATE entitlements SET units_left = units_left - $3
    WHERE id = $1 AND organisation = $2 AND units_left >= $3 AND (expires_on IS NULL OR expires_on > $4)
    RETURNING id
), req AS (
    SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
        $12::text[], $13::text[], $14::text[], $15::timestamptz[], $16::timestamptz[], $17::text[])
        WITH ORDINALITY AS r(source_id, requester, product, version, severity, coverage, title, problem,
            language, flags, opened_at, first_response_due, rules, ord)
), incident AS (
    INSERT INTO incidents (source_id, organisation, requester, entitlement, product, version, severity,
        coverage, title, problem, language, flags, state, opened_at, first_response_due)
    SELECT req.source_id, $2, req.requester, unit.id, req.product, req.version, req.severity, req.coverage,
        req.title, req.problem, req.language, req.flags, 'open', req.opened_at, req.first_response_due
    FROM unit, req ORDER BY req.ord
    RETURNING id, source_id
), event AS (
    INSERT INTO incident_events (incident, at, author, kind, from_state, to_state, reason, rules)
    SELECT incident.id, req.opened_at, req.requester, 'opened', NULL, 'open', 'opened', req.rules
    FROM incident JOIN req USING (source_id)
), spent AS (
    INSERT INTO ledger (entitlement, kind, delta, actor, incident, reason, at)
    SELECT $1, 'consume', -1, req.requester, incident.id, 'opened', req.opened_at
    FROM incident JOIN req USING (source_id)
), reminders AS (
    INSERT INTO outbox (incident, kind, target, due_at, nonce)
    SELECT incident.id, r.kind, r.target, r.due_at, r.nonce
    FROM incident JOIN unnest($18::text[], $19::text[], $20::text[], $21::timestamptz[], $22::text[])
        AS r(source_id, kind, target, due_at, nonce) USING (source_id)
)
SELECT id, source_id FROM incident";

/// Opens that one `OPEN_MANY_SQL` can write: same pack, organisation and day.
type GroupKey = (i64, String, NaiveDate);

impl PgStore {
    /// Writes `opens` (queued together) and answers each, in their order: one statement per
    /// group (pack, organisation, day), the groups at once since they lock different packs.
    pub(crate) async fn open_together(&self, opens: &[&NewIncident]) -> Vec<Result<Opened, StoreError>> {
        let mut groups: BTreeMap<GroupKey, Vec<usize>> = BTreeMap::new();
        for (i, n) in opens.iter().enumerate() {
            let key = (
                n.entitlement.0,
                n.organisation.as_str().to_string(),
                n.opened_at.date_naive(),
            );
            groups.entry(key).or_default().push(i);
        }
        let written = groups.iter().map(|(key, members)| async move {
            let group: Vec<&NewIncident> = members.iter().map(|&i| opens[i]).collect();
            members.iter().copied().zip(self.open_group(key, &group).await)
        });
        let mut answers: Vec<Option<Result<Opened, StoreError>>> = opens.iter().map(|_| None).collect();
        for (i, answer) in futures::future::join_all(written).await.into_iter().flatten() {
            answers[i] = Some(answer);
        }
        answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Err(StoreError::corrupt("an open was not answered"))))
            .collect()
    }

    /// One group's answers, in its order. When the group cannot go through whole (too few
    /// units, a refusal, a source already used) each open runs alone for its exact answer; when
    /// the database fails, each gets the failure at once rather than a retry that would wait as
    /// long again.
    async fn open_group(&self, key: &GroupKey, group: &[&NewIncident]) -> Vec<Result<Opened, StoreError>> {
        if let [one] = group {
            return vec![self.open_one(one).await];
        }
        let written = match self.write_group(key, group).await {
            Ok(Some(written)) => written,
            Ok(None) => {
                let mut answers = Vec::with_capacity(group.len());
                for n in group {
                    answers.push(self.open_one(n).await);
                }
                return answers;
            }
            Err(e) => {
                tracing::warn!(error = %e, opens = group.len(), "opening incidents together failed");
                let reason = e.to_string();
                return group
                    .iter()
                    .map(|_| Err(StoreError::WriteFailed(reason.clone())))
                    .collect();
            }
        };
        group
            .iter()
            .map(|n| match written.get(&n.source.0) {
                Some(&number) => Ok(Opened::New(incident_from_new(IncidentNumber(number), n, None))),
                None => Err(StoreError::corrupt("a source opened together has no incident")),
            })
            .collect()
    }

    /// Opens an incident alone, or returns the one this source already opened (one unit either way).
    pub(crate) async fn open_one(&self, n: &NewIncident) -> Result<Opened, StoreError> {
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
            .bind(n.language.as_str())
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

    /// One `OPEN_MANY_SQL` for `group`: the incident number of each source, or `None` when the pack
    /// could not give all the units or a source was already used (nothing written).
    async fn write_group(
        &self,
        (entitlement, organisation, day): &GroupKey,
        group: &[&NewIncident],
    ) -> Result<Option<HashMap<String, i64>>, StoreError> {
        let column = |f: &dyn Fn(&NewIncident) -> String| group.iter().map(|n| f(n)).collect::<Vec<String>>();
        let times = |f: &dyn Fn(&NewIncident) -> DateTime<Utc>| group.iter().map(|n| ts(f(n))).collect::<Vec<_>>();
        let reminders = group.iter().flat_map(|n| n.notifications.iter().map(move |r| (n, r)));
        let (mut r_sources, mut r_kinds, mut r_targets, mut r_dues, mut r_nonces) =
            (vec![], vec![], vec![], vec![], vec![]);
        for (n, r) in reminders {
            r_sources.push(n.source.0.as_str());
            r_kinds.push(r.kind.0.as_str());
            r_targets.push(r.target.0.as_str());
            r_dues.push(ts(r.due_at));
            r_nonces.push(r.nonce.as_str());
        }
        let rows: Vec<(i64, String)> = sqlx::query_as::<Postgres, (i64, String)>(OPEN_MANY_SQL)
            .bind(entitlement)
            .bind(organisation)
            .bind(group.len() as i64)
            .bind(day)
            .bind(column(&|n| n.source.0.clone()))
            .bind(column(&|n| n.requester.as_str().to_string()))
            .bind(column(&|n| n.product.clone()))
            .bind(column(&|n| n.version.clone()))
            .bind(column(&|n| n.severity.as_str().to_string()))
            .bind(column(&|n| n.coverage.as_str().to_string()))
            .bind(column(&|n| n.title.clone()))
            .bind(column(&|n| n.problem.clone()))
            .bind(column(&|n| n.language.as_str().to_string()))
            .bind(column(&|n| flags_to_db(&n.flags)))
            .bind(times(&|n| n.opened_at))
            .bind(times(&|n| n.first_response_due))
            .bind(column(&|n| rules_to_db(&n.rules)))
            .bind(&r_sources)
            .bind(&r_kinds)
            .bind(&r_targets)
            .bind(&r_dues)
            .bind(&r_nonces)
            .fetch_all(self.pool())
            .await
            .or_else(|e| if try_alone(&e) { Ok(vec![]) } else { Err(e) })?;
        if rows.len() != group.len() {
            return Ok(None);
        }
        Ok(Some(rows.into_iter().map(|(id, source)| (source, id)).collect()))
    }
}

/// Errors after which the group's opens are tried alone: a source already used (each alone
/// tells which), or a deadlock with another instance's group on a source both inserted.
fn try_alone(e: &sqlx::Error) -> bool {
    const DEADLOCK_DETECTED: &str = "40P01";
    is_unique_violation(e) || matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some(DEADLOCK_DETECTED))
}
