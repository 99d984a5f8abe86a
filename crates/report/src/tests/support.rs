//! Builders for the report's tests: incidents, ledger rows, packs and two calendars that copy
//! the shipped oslo and us-pacific ones (so an operator's edit of config/ cannot move the
//! hand-computed answers).

use chrono::{DateTime, NaiveDate, Utc};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::ids::{AccountId, EntitlementId, IncidentNumber, OrderNumber, OrgId};
use intakebot_core::incident::{IncidentState, Outcome as Closed};
use intakebot_core::plan::PlanId;
use intakebot_core::severity::{Coverage, Severity};
use intakebot_core::sla::{CalendarSet, CalendarsFile};
use intakebot_store::{Author, DiscordIds, FirstResponse, Incident, LedgerEntry, LedgerKind, SourceId};

pub const CALENDARS: &str = r#"
default = "oslo"

[calendars.oslo]
zone = "Europe/Oslo"
week = { mon = ["08:00-16:00"], tue = ["08:00-16:00"], wed = ["08:00-16:00"], thu = ["08:00-16:00"], fri = ["08:00-16:00"] }
holidays = [
  { name = "New Year's Day", fixed = "01-01" },
  { name = "Maundy Thursday", easter = -3 },
  { name = "Good Friday", easter = -2 },
  { name = "Easter Monday", easter = 1 },
  { name = "Labour Day", fixed = "05-01" },
  { name = "Constitution Day", fixed = "05-17" },
  { name = "Ascension Day", easter = 39 },
  { name = "Whit Monday", easter = 50 },
  { name = "Christmas Day", fixed = "12-25" },
  { name = "Boxing Day", fixed = "12-26" },
]

[calendars.us-pacific]
zone = "America/Los_Angeles"
week = { mon = ["09:00-17:00"], tue = ["09:00-17:00"], wed = ["09:00-17:00"], thu = ["09:00-17:00"], fri = ["09:00-17:00"] }
holidays = [
  { name = "New Year's Day", fixed = "01-01", observed = true },
  { name = "Martin Luther King Jr. Day", nth_weekday = { month = 1, weekday = "mon", nth = 3 } },
  { name = "Washington's Birthday", nth_weekday = { month = 2, weekday = "mon", nth = 3 } },
  { name = "Memorial Day", nth_weekday = { month = 5, weekday = "mon", nth = -1 } },
  { name = "Juneteenth", fixed = "06-19", observed = true, from_year = 2021 },
  { name = "Independence Day", fixed = "07-04", observed = true },
  { name = "Labor Day", nth_weekday = { month = 9, weekday = "mon", nth = 1 } },
  { name = "Columbus Day", nth_weekday = { month = 10, weekday = "mon", nth = 2 } },
  { name = "Veterans Day", fixed = "11-11", observed = true },
  { name = "Thanksgiving Day", nth_weekday = { month = 11, weekday = "thu", nth = 4 } },
  { name = "Christmas Day", fixed = "12-25", observed = true },
]
"#;

pub fn calendars() -> CalendarSet {
    let file: CalendarsFile = toml::from_str(CALENDARS).expect("test calendars parse");
    CalendarSet::build(file).expect("test calendars are valid")
}

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("test instant").to_utc()
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

pub fn org(s: &str) -> OrgId {
    OrgId::new(s)
}

/// An open incident on pack `pack`; set `acknowledged_at`, `closed_at`, `state` as needed.
pub fn incident(number: i64, org_id: &str, pack: i64, severity: Severity, coverage: Coverage) -> Incident {
    Incident {
        number: IncidentNumber(number),
        source: SourceId(format!("src-{number}")),
        organisation: org(org_id),
        requester: AccountId::new(format!("{org_id}-cust")),
        entitlement: EntitlementId(pack),
        parent: None,
        product: "SQL Server".into(),
        version: "2022".into(),
        severity,
        coverage,
        title: format!("Problem {number}"),
        problem: String::new(),
        language: intakebot_core::language::Language::En,
        flags: vec![],
        state: IncidentState::Open,
        opened_at: utc("2027-01-01T00:00:00Z"),
        first_response_due: utc("2027-01-01T00:00:00Z"),
        acknowledged_at: None,
        acknowledged_by: None,
        first_response: FirstResponse::Pending,
        closed_at: None,
        discord: DiscordIds::default(),
        assigned_to: None,
    }
}

/// Opened at `opened`, due at `due` (RFC3339).
pub fn opened(mut i: Incident, opened: &str, due: &str) -> Incident {
    i.opened_at = utc(opened);
    i.first_response_due = utc(due);
    i
}

/// First response by an engineer at `at` (acknowledged, the store's `ack <= due` stamp).
pub fn answered(mut i: Incident, at: &str) -> Incident {
    let at = utc(at);
    i.state = IncidentState::Acknowledged;
    i.acknowledged_at = Some(at);
    i.acknowledged_by = Some(Author::Account(AccountId::new("eng")));
    i.first_response = if at <= i.first_response_due {
        FirstResponse::Met
    } else {
        FirstResponse::Breached
    };
    i
}

/// Closed by the customer at `at` without a first response (P-CLOSE-3).
pub fn customer_closed(mut i: Incident, at: &str) -> Incident {
    i.state = IncidentState::Closed {
        outcome: Closed::CustomerClosed,
        refund: None,
    };
    i.closed_at = Some(utc(at));
    i
}

pub fn child_of(mut i: Incident, parent: i64) -> Incident {
    i.parent = Some(IncidentNumber(parent));
    i
}

pub fn pack(id: i64, org_id: &str, purchased: &str, expires: Option<&str>) -> Entitlement {
    Entitlement {
        id: EntitlementId(id),
        plan: PlanId::FivePack,
        organisation: org(org_id),
        units_left: 0,
        purchased_on: day(purchased),
        expires_on: expires.map(day),
        owner: AccountId::new(format!("{org_id}-cust")),
        order_number: OrderNumber::new(format!("ORD-{id}")),
    }
}

/// A ledger row; `incident` for consume and refund rows.
pub fn entry(pack: i64, kind: LedgerKind, delta: i64, incident: Option<i64>, at: &str) -> LedgerEntry {
    LedgerEntry {
        id: 0,
        entitlement: EntitlementId(pack),
        kind,
        delta,
        actor: Author::System,
        incident: incident.map(IncidentNumber),
        reason: kind.as_str().into(),
        at: utc(at),
    }
}
