//! The report as plain data (serde): what every renderer (text, CSV, chart, a Discord embed in
//! English or Norwegian) draws from. Durations are whole seconds on each incident's own clock.

use crate::clock::Clock;
use crate::period::Week;
use chrono::{DateTime, NaiveDate, Utc};
use intakebot_core::ids::{EntitlementId, IncidentNumber, OrgId};
use intakebot_core::plan::PlanId;
use intakebot_core::severity::{Coverage, Severity};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaReport {
    pub period: PeriodInfo,
    /// The one organisation asked for; `None`: all of them.
    pub organisation: Option<OrgId>,
    /// The instant the figures stand at: later responses and closes are not counted yet.
    pub as_of: DateTime<Utc>,
    /// Per organisation A, B, C and all, then the same over all organisations.
    pub rows: Vec<SlaRow>,
    /// Incidents opened in the period whose first response was late or still is.
    pub breached: Vec<BreachedIncident>,
    /// Incidents opened before the period, still without a first response, deadline passed.
    pub overdue_from_earlier: Vec<BreachedIncident>,
    pub packs: Vec<PackUsage>,
    /// The chart's weeks, oldest first.
    pub weeks: Vec<WeekFigures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodInfo {
    pub from: NaiveDate,
    /// Inclusive, for display; the period ends at the next local midnight.
    pub last_day: NaiveDate,
    /// The zone whose midnights bound the period and the weeks.
    pub zone: String,
}

/// Incidents by how their first response stands (`outcome.rs` defines each).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub opened: u32,
    pub met: u32,
    pub breached: u32,
    pub waiting: u32,
    pub withdrawn: u32,
}

impl Counts {
    /// opened, met, breached, waiting, withdrawn: the order of the table and the CSV.
    pub fn in_order(&self) -> [u32; 5] {
        [self.opened, self.met, self.breached, self.waiting, self.withdrawn]
    }

    /// % met of the decided incidents: met / (met + breached) × 100. Waiting ones are not
    /// decided yet and withdrawn ones never will be; `None` when nothing is decided.
    pub fn pct_met(&self) -> Option<f64> {
        let decided = self.met + self.breached;
        (decided > 0).then(|| f64::from(self.met) * 100.0 / f64::from(decided))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaRow {
    /// `None`: all organisations in the report.
    pub organisation: Option<OrgId>,
    /// `None`: all severities.
    pub severity: Option<Severity>,
    pub counts: Counts,
    pub pct_met: Option<f64>,
    /// Nearest-rank median of the times to first response (incidents that had one).
    pub median_response_secs: Option<i64>,
    /// Nearest-rank 90th percentile of the same.
    pub p90_response_secs: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreachedIncident {
    pub number: IncidentNumber,
    pub organisation: OrgId,
    pub severity: Severity,
    pub coverage: Coverage,
    pub title: String,
    pub opened_at: DateTime<Utc>,
    pub due: DateTime<Utc>,
    /// `None`: no first response yet (or closed without one).
    pub responded_at: Option<DateTime<Utc>>,
    /// From the deadline to the response (or `as_of`, or the close), on `clock`.
    pub late_secs: i64,
    pub clock: Clock,
}

/// One pack's units in the period, as its ledger says (P-PLAN-2, P-PLAN-6, P-INC-3, P-CLOSE-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackUsage {
    pub entitlement: EntitlementId,
    pub organisation: OrgId,
    pub plan: PlanId,
    /// `consume` rows in the period: one per incident opened, one per sub-incident of a split.
    pub consumed: u32,
    /// `refund` rows in the period (a refund gives one unit back, whenever it was consumed).
    pub refunded: u32,
    /// Units that expired in the period (`expire` rows, P-PLAN-2).
    pub expired: u32,
    /// consumed − refunded.
    pub used: i64,
    /// What the ledger adds up to at the period's end.
    pub units_left: i64,
    /// First day the units can no longer be used.
    pub expires_on: Option<NaiveDate>,
    /// Units left and expiring within 30 days of the period's end.
    pub expiring_soon: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekFigures {
    #[serde(flatten)]
    pub week: Week,
    /// A, B and C in that order, each with its counts and % met.
    pub severities: Vec<SeverityWeek>,
    /// Breached incidents opened in the week (all severities).
    pub breaches: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeverityWeek {
    pub severity: Severity,
    pub counts: Counts,
    pub pct_met: Option<f64>,
}

impl SlaRow {
    /// The organisation and the severity as shown, `all` for a total.
    pub fn labels(&self) -> [String; 2] {
        [
            self.organisation.as_ref().map_or("all".to_string(), |o| o.to_string()),
            self.severity.map_or("all".to_string(), |s| s.to_string()),
        ]
    }

    /// The labels and the counts as text: the first seven cells of a table or CSV row.
    pub(crate) fn leading_cells(&self) -> impl Iterator<Item = String> {
        let counts = self.counts.in_order().map(|n| n.to_string());
        self.labels().into_iter().chain(counts)
    }
}

impl SlaReport {
    /// The row of one organisation (`None`: all) and severity (`None`: all).
    pub fn row(&self, organisation: Option<&OrgId>, severity: Option<Severity>) -> Option<&SlaRow> {
        self.rows
            .iter()
            .find(|r| r.organisation.as_ref() == organisation && r.severity == severity)
    }

    /// The all-organisations, all-severities row.
    pub fn total(&self) -> Option<&SlaRow> {
        self.row(None, None)
    }
}
