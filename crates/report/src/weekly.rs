//! The chart's series: per ISO week, % met per severity and the breaches, counted over the
//! incidents opened in that week (the same cohort rule as the period's figures).

use crate::figures::{SeverityWeek, WeekFigures};
use crate::outcome::Outcome;
use crate::period::Week;
use crate::tally::Tally;
use intakebot_core::severity::Severity;
use intakebot_store::Incident;

pub(crate) fn weekly(weeks: &[Week], judged: &[(&Incident, Outcome)]) -> Vec<WeekFigures> {
    weeks.iter().map(|w| week_figures(*w, judged)).collect()
}

fn week_figures(week: Week, judged: &[(&Incident, Outcome)]) -> WeekFigures {
    let mut tallies: [Tally; 3] = Default::default();
    for (incident, outcome) in judged.iter().filter(|(i, _)| week.contains(i.opened_at)) {
        tallies[severity_index(incident.severity)].add(outcome);
    }
    let severities: Vec<SeverityWeek> = Severity::ALL
        .iter()
        .zip(&tallies)
        .map(|(severity, t)| SeverityWeek {
            severity: *severity,
            counts: t.counts,
            pct_met: t.counts.pct_met(),
        })
        .collect();
    WeekFigures {
        week,
        breaches: severities.iter().map(|s| s.counts.breached).sum(),
        severities,
    }
}

pub(crate) fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::A => 0,
        Severity::B => 1,
        Severity::C => 2,
    }
}
