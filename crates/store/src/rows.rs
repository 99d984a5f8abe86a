//! Raw rows as both backends return them, and their one-time parse into store types.

use super::error::StoreError;
use super::types::*;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::ids::{AccountId, EntitlementId, IncidentNumber, OrderNumber, OrgId};
use intakebot_core::incident::{IncidentState, Outcome, RefundDecision};
use intakebot_core::rules::RuleId;

/// Both backends keep microseconds; trimming at the edge makes what we return equal what we read.
pub(crate) fn ts(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

fn parse<T>(what: &str, s: &str, f: impl FnOnce(&str) -> Option<T>) -> Result<T, StoreError> {
    f(s).ok_or_else(|| StoreError::corrupt(format!("{what} {s:?}")))
}

fn discord_id(s: Option<String>) -> Result<Option<u64>, StoreError> {
    s.map(|s| parse("discord id", &s, |s| s.parse().ok())).transpose()
}

pub(crate) fn refund_to_db(r: Option<RefundDecision>) -> Option<&'static str> {
    r.map(|r| match r {
        RefundDecision::Refund => "refund",
        RefundDecision::Keep => "keep",
    })
}

fn refund_from_db(s: Option<&str>) -> Result<Option<RefundDecision>, StoreError> {
    match s {
        None => Ok(None),
        Some("refund") => Ok(Some(RefundDecision::Refund)),
        Some("keep") => Ok(Some(RefundDecision::Keep)),
        Some(other) => Err(StoreError::corrupt(format!("refund decision {other:?}"))),
    }
}

/// The three columns (state, outcome, refund) an `IncidentState` is stored in.
pub(crate) fn state_to_db(s: IncidentState) -> (&'static str, Option<&'static str>, Option<&'static str>) {
    match s {
        IncidentState::Open => ("open", None, None),
        IncidentState::Acknowledged => ("acknowledged", None, None),
        IncidentState::Closed { outcome, refund } => ("closed", Some(outcome.as_str()), refund_to_db(refund)),
    }
}

fn state_from_db(state: &str, outcome: Option<&str>, refund: Option<&str>) -> Result<IncidentState, StoreError> {
    match (state, outcome) {
        ("open", None) => Ok(IncidentState::Open),
        ("acknowledged", None) => Ok(IncidentState::Acknowledged),
        ("closed", Some(o)) => Ok(IncidentState::Closed {
            outcome: parse("outcome", o, |o| o.parse::<Outcome>().ok())?,
            refund: refund_from_db(refund)?,
        }),
        _ => Err(StoreError::corrupt(format!("incident state {state:?}/{outcome:?}"))),
    }
}

/// One-column label of a state for the event log: `open`, `closed/unresolved/refund`.
pub(crate) fn state_label(s: IncidentState) -> String {
    match state_to_db(s) {
        (state, None, _) => state.to_string(),
        (state, Some(outcome), None) => format!("{state}/{outcome}"),
        (state, Some(outcome), Some(refund)) => format!("{state}/{outcome}/{refund}"),
    }
}

fn state_from_label(label: &str) -> Result<IncidentState, StoreError> {
    let mut parts = label.splitn(3, '/');
    let state = parts.next().unwrap_or_default();
    state_from_db(state, parts.next(), parts.next())
}

pub(crate) fn rules_to_db(rules: &[RuleId]) -> String {
    rules.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" ")
}

fn rules_from_db(s: &str) -> Result<Vec<RuleId>, StoreError> {
    s.split_whitespace()
        .map(|r| parse("rule id", r, RuleId::parse))
        .collect()
}

pub(crate) fn flags_to_db(flags: &[IncidentFlag]) -> String {
    flags.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(",")
}

fn flags_from_db(s: &str) -> Result<Vec<IncidentFlag>, StoreError> {
    s.split(',')
        .filter(|f| !f.is_empty())
        .map(|f| parse("flag", f, IncidentFlag::parse))
        .collect()
}

#[derive(sqlx::FromRow)]
pub(crate) struct IncidentRow {
    id: i64,
    source_id: String,
    organisation: String,
    requester: String,
    entitlement: i64,
    parent: Option<i64>,
    product: String,
    version: String,
    severity: String,
    coverage: String,
    title: String,
    problem: String,
    language: String,
    flags: String,
    state: String,
    outcome: Option<String>,
    refund: Option<String>,
    opened_at: DateTime<Utc>,
    first_response_due: DateTime<Utc>,
    acknowledged_at: Option<DateTime<Utc>>,
    acknowledged_by: Option<String>,
    first_response_met: Option<bool>,
    closed_at: Option<DateTime<Utc>>,
    discord_channel_id: Option<String>,
    discord_thread_id: Option<String>,
    discord_message_id: Option<String>,
    assigned_to: Option<String>,
}

pub(crate) const INCIDENT_COLUMNS: &str = "id, source_id, organisation, requester, entitlement, parent, \
    product, version, severity, coverage, title, problem, language, flags, state, outcome, refund, \
    opened_at, first_response_due, acknowledged_at, acknowledged_by, first_response_met, closed_at, \
    discord_channel_id, discord_thread_id, discord_message_id, assigned_to";

impl TryFrom<IncidentRow> for Incident {
    type Error = StoreError;
    fn try_from(r: IncidentRow) -> Result<Incident, StoreError> {
        Ok(Incident {
            number: IncidentNumber(r.id),
            source: SourceId(r.source_id),
            organisation: OrgId(r.organisation),
            requester: AccountId(r.requester),
            entitlement: EntitlementId(r.entitlement),
            parent: r.parent.map(IncidentNumber),
            product: r.product,
            version: r.version,
            severity: parse("severity", &r.severity, |s| s.parse().ok())?,
            coverage: parse("coverage", &r.coverage, |s| s.parse().ok())?,
            title: r.title,
            problem: r.problem,
            language: parse("language", &r.language, |s| s.parse().ok())?,
            flags: flags_from_db(&r.flags)?,
            state: state_from_db(&r.state, r.outcome.as_deref(), r.refund.as_deref())?,
            opened_at: r.opened_at,
            first_response_due: r.first_response_due,
            acknowledged_at: r.acknowledged_at,
            acknowledged_by: r.acknowledged_by.map(Author::from_db),
            first_response: match r.first_response_met {
                None => FirstResponse::Pending,
                Some(true) => FirstResponse::Met,
                Some(false) => FirstResponse::Breached,
            },
            closed_at: r.closed_at,
            discord: DiscordIds {
                channel: discord_id(r.discord_channel_id)?,
                thread: discord_id(r.discord_thread_id)?,
                message: discord_id(r.discord_message_id)?,
            },
            assigned_to: r.assigned_to.map(AccountId),
        })
    }
}

/// The incident just inserted, built from what was written (saves a read in the hot path).
pub(crate) fn incident_from_new(number: IncidentNumber, n: &NewIncident, parent: Option<IncidentNumber>) -> Incident {
    Incident {
        number,
        source: n.source.clone(),
        organisation: n.organisation.clone(),
        requester: n.requester.clone(),
        entitlement: n.entitlement,
        parent,
        product: n.product.clone(),
        version: n.version.clone(),
        severity: n.severity,
        coverage: n.coverage,
        title: n.title.clone(),
        problem: n.problem.clone(),
        language: n.language,
        flags: n.flags.clone(),
        state: IncidentState::Open,
        opened_at: ts(n.opened_at),
        first_response_due: ts(n.first_response_due),
        acknowledged_at: None,
        acknowledged_by: None,
        first_response: FirstResponse::Pending,
        closed_at: None,
        discord: DiscordIds::default(),
        assigned_to: None,
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    id: String,
    organisation: String,
    role: String,
    sign_in: String,
}

impl TryFrom<AccountRow> for Account {
    type Error = StoreError;
    fn try_from(r: AccountRow) -> Result<Account, StoreError> {
        Ok(Account {
            id: AccountId(r.id),
            organisation: OrgId(r.organisation),
            role: parse("role", &r.role, |s| s.parse().ok())?,
            sign_in: parse("sign-in kind", &r.sign_in, |s| s.parse().ok())?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EntitlementRow {
    id: i64,
    plan: String,
    organisation: String,
    owner: String,
    units_left: i64,
    purchased_on: NaiveDate,
    expires_on: Option<NaiveDate>,
    order_number: String,
}

pub(crate) const ENTITLEMENT_COLUMNS: &str =
    "id, plan, organisation, owner, units_left, purchased_on, expires_on, order_number";

impl TryFrom<EntitlementRow> for Entitlement {
    type Error = StoreError;
    fn try_from(r: EntitlementRow) -> Result<Entitlement, StoreError> {
        Ok(Entitlement {
            id: EntitlementId(r.id),
            plan: parse("plan", &r.plan, |s| s.parse().ok())?,
            organisation: OrgId(r.organisation),
            units_left: u32::try_from(r.units_left).map_err(StoreError::corrupt)?,
            purchased_on: r.purchased_on,
            expires_on: r.expires_on,
            owner: AccountId(r.owner),
            order_number: OrderNumber(r.order_number),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    incident: i64,
    at: DateTime<Utc>,
    author: String,
    kind: String,
    from_state: Option<String>,
    to_state: String,
    reason: String,
    rules: String,
}

impl TryFrom<EventRow> for IncidentEvent {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<IncidentEvent, StoreError> {
        Ok(IncidentEvent {
            incident: IncidentNumber(r.incident),
            at: r.at,
            author: Author::from_db(r.author),
            kind: parse("event kind", &r.kind, EventKind::parse)?,
            from: r.from_state.as_deref().map(state_from_label).transpose()?,
            to: state_from_label(&r.to_state)?,
            reason: r.reason,
            rules: rules_from_db(&r.rules)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct LedgerRow {
    id: i64,
    entitlement: i64,
    kind: String,
    delta: i64,
    actor: String,
    incident: Option<i64>,
    reason: String,
    at: DateTime<Utc>,
}

impl TryFrom<LedgerRow> for LedgerEntry {
    type Error = StoreError;
    fn try_from(r: LedgerRow) -> Result<LedgerEntry, StoreError> {
        Ok(LedgerEntry {
            id: r.id,
            entitlement: EntitlementId(r.entitlement),
            kind: parse("ledger kind", &r.kind, LedgerKind::parse)?,
            delta: r.delta,
            actor: Author::from_db(r.actor),
            incident: r.incident.map(IncidentNumber),
            reason: r.reason,
            at: r.at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct BalanceRow {
    id: i64,
    units_left: i64,
    granted: i64,
    consumed: i64,
    refunded: i64,
    expired: i64,
}

impl From<BalanceRow> for LedgerBalance {
    fn from(r: BalanceRow) -> LedgerBalance {
        LedgerBalance {
            entitlement: EntitlementId(r.id),
            units_left: r.units_left,
            granted: r.granted,
            consumed: r.consumed,
            refunded: r.refunded,
            expired: r.expired,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OutboxRow {
    pub(crate) id: i64,
    incident: Option<i64>,
    kind: String,
    target: String,
    due_at: DateTime<Utc>,
    state: String,
    pub(crate) attempts: i64,
    lease_until: Option<DateTime<Utc>>,
    nonce: String,
    message_id: Option<String>,
    last_error: Option<String>,
}

pub(crate) const OUTBOX_COLUMNS: &str =
    "id, incident, kind, target, due_at, state, attempts, lease_until, nonce, message_id, last_error";

impl TryFrom<OutboxRow> for Notification {
    type Error = StoreError;
    fn try_from(r: OutboxRow) -> Result<Notification, StoreError> {
        Ok(Notification {
            id: OutboxId(r.id),
            incident: r.incident.map(IncidentNumber),
            kind: parse("outbox kind", &r.kind, |s| s.parse().ok())?,
            target: parse("outbox target", &r.target, |s| s.parse().ok())?,
            due_at: r.due_at,
            state: parse("outbox state", &r.state, OutboxState::parse)?,
            attempts: r.attempts,
            lease_until: r.lease_until,
            nonce: Nonce::new(r.nonce).map_err(StoreError::corrupt)?,
            message_id: discord_id(r.message_id)?,
            last_error: r.last_error,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_columns_and_labels() {
        for s in [
            IncidentState::Open,
            IncidentState::Acknowledged,
            IncidentState::Closed {
                outcome: Outcome::Unresolved,
                refund: None,
            },
            IncidentState::Closed {
                outcome: Outcome::CustomerClosed,
                refund: Some(RefundDecision::Refund),
            },
        ] {
            let (state, outcome, refund) = state_to_db(s);
            assert_eq!(state_from_db(state, outcome, refund).unwrap(), s);
            assert_eq!(state_from_label(&state_label(s)).unwrap(), s);
        }
        assert!(state_from_db("closed", None, None).is_err());
    }

    #[test]
    fn rules_and_flags_round_trip() {
        let rules = vec![RuleId::Inc3, RuleId::Plan6];
        assert_eq!(rules_from_db(&rules_to_db(&rules)).unwrap(), rules);
        assert_eq!(
            flags_from_db(&flags_to_db(&[IncidentFlag::BorderlineScope])).unwrap(),
            vec![IncidentFlag::BorderlineScope]
        );
        assert_eq!(flags_from_db("").unwrap(), vec![]);
        assert!(flags_from_db("nope").is_err());
    }
}
