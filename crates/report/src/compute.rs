//! `sla_report`: the figures of a period from incidents, ledger rows and packs (pure).
//!
//! Counting rules (the edge cases, decided once):
//! - An incident belongs to the period in which it was **opened** (its cohort); a split's
//!   sub-incidents are incidents opened at the split, each on its own clock (P-INC-3), and the
//!   split incident stays where it opened. So `opened = met + breached + waiting + withdrawn`.
//! - Each outcome is judged at `as_of` (see `outcome.rs`): a waiting incident whose deadline has
//!   passed is breached; one before its deadline is waiting.
//! - % met = met / (met + breached): decided incidents only.
//! - Times to first response are measured on each incident's own clock (business time on its
//!   organisation's calendar, clock time on 24x7) and only for incidents that had one.
//! - Incidents opened earlier that still owe a first response past their deadline are listed
//!   apart (`overdue_from_earlier`), not counted in the period's figures.

use crate::clock::OrgCalendars;
use crate::error::ReportError;
use crate::figures::{BreachedIncident, PeriodInfo, SlaReport, SlaRow};
use crate::outcome::{judge, Breach, Outcome};
use crate::packs::pack_usage;
use crate::period::Period;
use crate::tally::Tally;
use crate::weekly::{severity_index, weekly};
use chrono::{DateTime, Utc};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::ids::OrgId;
use intakebot_core::severity::Severity;
use intakebot_store::{Incident, LedgerEntry};
use std::collections::BTreeMap;

/// Everything the figures are computed from; the store reads in `intakebot-store`'s
/// `report_incidents`, `report_ledger` and `report_packs` give exactly these.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    pub period: Period,
    /// One organisation, or `None` for all.
    pub organisation: Option<OrgId>,
    /// Organisations shown even without incidents (e.g. every configured one); ignored when
    /// `organisation` is set.
    pub organisations: Vec<OrgId>,
    /// The instant the figures stand at (usually now).
    pub as_of: DateTime<Utc>,
    pub incidents: &'a [Incident],
    pub ledger: &'a [LedgerEntry],
    pub packs: &'a [Entitlement],
    pub calendars: &'a OrgCalendars<'a>,
}

impl ReportInput<'_> {
    fn in_scope(&self, org: &OrgId) -> bool {
        self.organisation.as_ref().map_or(true, |o| o == org)
    }
}

/// The figures, the breached incidents, the packs and the chart's weeks.
pub fn sla_report(input: &ReportInput) -> Result<SlaReport, ReportError> {
    let period = input.period;
    let judged = judge_all(input)?;
    let cohort: Vec<(&Incident, Outcome)> = judged
        .iter()
        .filter(|(i, _)| period.contains(i.opened_at))
        .copied()
        .collect();
    let packs: Vec<Entitlement> = input
        .packs
        .iter()
        .filter(|p| input.in_scope(&p.organisation))
        .cloned()
        .collect();
    Ok(SlaReport {
        period: PeriodInfo {
            from: period.from_day(),
            last_day: period.last_day(),
            zone: period.zone().name().to_string(),
        },
        organisation: input.organisation.clone(),
        as_of: input.as_of,
        rows: rows(&cohort, organisations(input)),
        breached: breaches(&cohort, input.calendars, |_| true),
        overdue_from_earlier: breaches(&judged, input.calendars, |(i, b)| {
            i.opened_at < period.start() && b.still_waiting
        }),
        packs: pack_usage(&period, &packs, input.ledger),
        weeks: weekly(&period.chart_weeks(), &judged),
    })
}

/// Every incident in scope opened before the period's end, judged at `as_of`.
fn judge_all<'a>(input: &ReportInput<'a>) -> Result<Vec<(&'a Incident, Outcome)>, ReportError> {
    let end = input.period.end();
    input
        .incidents
        .iter()
        .filter(|i| input.in_scope(&i.organisation) && i.opened_at < end)
        .map(|i| {
            judge(i, input.as_of, input.calendars)
                .map(|o| (i, o))
                .map_err(|source| ReportError::Clock {
                    number: i.number,
                    source,
                })
        })
        .collect()
}

/// The organisations to show: the one asked for, or the listed ones.
fn organisations(input: &ReportInput) -> Vec<OrgId> {
    match &input.organisation {
        Some(org) => vec![org.clone()],
        None => input.organisations.clone(),
    }
}

/// Per organisation A, B, C, all (sorted by id; organisations found in the data are added),
/// then the same over all organisations.
fn rows(cohort: &[(&Incident, Outcome)], listed: Vec<OrgId>) -> Vec<SlaRow> {
    let mut by_org: BTreeMap<OrgId, [Tally; 3]> = listed.into_iter().map(|o| (o, Default::default())).collect();
    for (incident, outcome) in cohort {
        let tallies = by_org.entry(incident.organisation.clone()).or_default();
        tallies[severity_index(incident.severity)].add(outcome);
    }
    let mut everyone: [Tally; 3] = Default::default();
    let mut out = Vec::new();
    for (org, tallies) in &by_org {
        for (sum, t) in everyone.iter_mut().zip(tallies) {
            sum.merge(t);
        }
        out.extend(group_rows(Some(org), tallies));
    }
    out.extend(group_rows(None, &everyone));
    out
}

/// A, B, C and the all-severities row of one group.
fn group_rows(org: Option<&OrgId>, tallies: &[Tally; 3]) -> Vec<SlaRow> {
    let mut all = Tally::default();
    let mut out: Vec<SlaRow> = Severity::ALL
        .iter()
        .zip(tallies)
        .map(|(severity, t)| {
            all.merge(t);
            t.row(org.cloned(), Some(*severity))
        })
        .collect();
    out.push(all.row(org.cloned(), None));
    out
}

/// The breached incidents that pass `keep`, by incident number.
fn breaches(
    judged: &[(&Incident, Outcome)],
    calendars: &OrgCalendars,
    keep: impl Fn((&Incident, &Breach)) -> bool,
) -> Vec<BreachedIncident> {
    let mut out: Vec<BreachedIncident> = judged
        .iter()
        .filter_map(|(i, o)| match o {
            Outcome::Breached(b) if keep((i, b)) => Some(breached(i, b, calendars)),
            _ => None,
        })
        .collect();
    out.sort_by_key(|b| b.number);
    out
}

fn breached(i: &Incident, b: &Breach, calendars: &OrgCalendars) -> BreachedIncident {
    BreachedIncident {
        number: i.number,
        organisation: i.organisation.clone(),
        severity: i.severity,
        coverage: i.coverage,
        title: i.title.clone(),
        opened_at: i.opened_at,
        due: i.first_response_due,
        responded_at: b.responded_at,
        late_secs: b.late.num_seconds(),
        clock: calendars.clock_of(i),
    }
}
