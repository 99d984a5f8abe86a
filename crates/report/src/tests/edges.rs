//! The counting rules at their edges: the deadline instant, events after `as_of`, a customer
//! close after the deadline, nothing decided, and the 30-day expiry window's two ends.

use super::support::*;
use crate::{sla_report, Counts, OrgCalendars, Period, ReportInput, SlaReport};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::severity::{Coverage, Severity};
use intakebot_store::{Incident, LedgerEntry, LedgerKind};

/// One 24x7 incident opened Mon 2027-03-01 10:00Z, due 12:00Z (clock time keeps it simple).
fn one() -> Incident {
    opened(
        incident(1, "contoso", 1, Severity::A, Coverage::TwentyFourSeven),
        "2027-03-01T10:00:00Z",
        "2027-03-01T12:00:00Z",
    )
}

fn report(incidents: &[Incident], packs: &[Entitlement], ledger: &[LedgerEntry], as_of: &str) -> SlaReport {
    let set = calendars();
    let calendars = OrgCalendars::new(set.default_calendar());
    let input = ReportInput {
        period: Period::new(day("2027-03-01"), day("2027-03-08"), set.default_calendar().zone()).unwrap(),
        organisation: None,
        organisations: vec![],
        as_of: utc(as_of),
        incidents,
        ledger,
        packs,
        calendars: &calendars,
    };
    sla_report(&input).unwrap()
}

fn counts(r: &SlaReport) -> Counts {
    r.total().unwrap().counts
}

fn counts_of(opened: u32, met: u32, breached: u32, waiting: u32, withdrawn: u32) -> Counts {
    Counts {
        opened,
        met,
        breached,
        waiting,
        withdrawn,
    }
}

// P-SEV-6: an answer at the deadline instant meets it (the store's `ack <= due`).
#[test]
fn an_answer_at_the_deadline_meets_it() {
    let r = report(
        &[answered(one(), "2027-03-01T12:00:00Z")],
        &[],
        &[],
        "2027-03-02T00:00:00Z",
    );
    assert_eq!(counts(&r), counts_of(1, 1, 0, 0, 0));
    let r = report(
        &[answered(one(), "2027-03-01T12:00:01Z")],
        &[],
        &[],
        "2027-03-02T00:00:00Z",
    );
    assert_eq!(counts(&r), counts_of(1, 0, 1, 0, 0));
    assert_eq!(r.breached[0].late_secs, 1);
}

// Waiting at the deadline instant is still waiting (it can still be met); a second later, breached.
#[test]
fn waiting_turns_breached_once_the_deadline_has_passed() {
    let r = report(&[one()], &[], &[], "2027-03-01T12:00:00Z");
    assert_eq!(counts(&r), counts_of(1, 0, 0, 1, 0));
    assert_eq!(r.total().unwrap().pct_met, None, "nothing decided: no % met");
    let r = report(&[one()], &[], &[], "2027-03-01T12:00:01Z");
    assert_eq!(counts(&r), counts_of(1, 0, 1, 0, 0));
    assert_eq!(r.total().unwrap().pct_met, Some(0.0));
    assert!(r.breached[0].responded_at.is_none());
}

// A report for an earlier instant ignores what happened after it.
#[test]
fn events_after_as_of_do_not_count_yet() {
    let late_answer = answered(one(), "2027-03-01T13:00:00Z");
    let r = report(std::slice::from_ref(&late_answer), &[], &[], "2027-03-01T11:00:00Z");
    assert_eq!(counts(&r), counts_of(1, 0, 0, 1, 0));
    let r = report(&[late_answer], &[], &[], "2027-03-01T14:00:00Z");
    assert_eq!(counts(&r), counts_of(1, 0, 1, 0, 0));
    assert_eq!(r.total().unwrap().median_response_secs, Some(3 * 3600));
}

// P-CLOSE-3: closed by the customer without an answer: before the deadline nothing was late
// (withdrawn, outside % met); after it, the deadline was missed (breached, late until the close).
#[test]
fn a_customer_close_without_answer_is_withdrawn_or_breached() {
    let before = customer_closed(one(), "2027-03-01T11:00:00Z");
    let r = report(&[before], &[], &[], "2027-03-02T00:00:00Z");
    assert_eq!(counts(&r), counts_of(1, 0, 0, 0, 1));
    assert_eq!(r.total().unwrap().pct_met, None);
    let after = customer_closed(one(), "2027-03-01T12:30:00Z");
    let r = report(&[after], &[], &[], "2027-03-02T00:00:00Z");
    assert_eq!(counts(&r), counts_of(1, 0, 1, 0, 0));
    assert_eq!(r.breached[0].late_secs, 30 * 60);
}

// P-PLAN-2: the period ends 2027-03-08; "soon" means usable on 7 March and not on 7 April.
#[test]
fn expiry_window_runs_thirty_days_from_the_period_end() {
    let expiring = |id: i64, on: &str| pack(id, "contoso", "2026-01-01", Some(on));
    let packs = [
        expiring(1, "2027-03-07"), // not usable on the last day: expired, not listed
        expiring(2, "2027-03-08"), // usable through the period: soon
        expiring(3, "2027-04-07"), // 30 days after the end: soon
        expiring(4, "2027-04-08"), // 31 days: not yet
        expiring(5, "2027-03-20"), // soon, but no unit left: not listed
    ];
    let ledger: Vec<LedgerEntry> = (1..=4)
        .map(|id| entry(id, LedgerKind::Grant, 1, None, "2026-01-01T09:00:00Z"))
        .collect();
    let r = report(&[], &packs, &ledger, "2027-03-08T08:00:00Z");
    let listed: Vec<(i64, bool)> = r.packs.iter().map(|p| (p.entitlement.0, p.expiring_soon)).collect();
    assert_eq!(listed, vec![(2, true), (3, true), (4, false)]);
}
