//! The hand-computed fixture (issue 20): Easter week 2027 in Oslo, which has a weekend, three
//! holidays (Maundy Thursday 25 March, Good Friday 26 March, Easter Monday 29 March) and the
//! spring-forward night (28 March 01:00Z: CET UTC+1 before, CEST UTC+2 after); a 24x7 incident
//! on that night, a late first response, a split and a refund; and a second organisation on
//! the us-pacific calendar (PDT, UTC-7; Good Friday is a working day there).
//!
//! Period: 2027-03-22 .. 2027-03-29 in Europe/Oslo = [2027-03-21T23:00Z, 2027-03-28T22:00Z).
//! As of: Tuesday 2027-03-30T10:00Z (12:00 CEST).
//! Oslo is open 08:00-16:00 local: 07:00-15:00Z until the 26th, 06:00-14:00Z from the 30th.
//! Every number below was worked out by hand from these facts (B = 4, C = 8, A = 2 business
//! hours; 24x7 = clock hours).
//!
//! | #  | org      | sev | clock    | opened (Z)  | due (Z)     | first response (Z) | at as_of                    |
//! |----|----------|-----|----------|-------------|-------------|--------------------|-----------------------------|
//! | 1  | contoso  | B   | oslo     | Fri 19 12:00| Mon 22 08:00| none               | before the period: overdue  |
//! | 2  | contoso  | B   | oslo     | Mon 22 09:00| Mon 22 13:00| Tue 23 08:00 (late)| breached, 420 min, 180 late |
//! | 3  | contoso  | B   | oslo     | Mon 22 10:00| Mon 22 14:00| Mon 22 12:30       | met, 150 min                |
//! | 4  | contoso  | B   | oslo     | Tue 23 08:00| Tue 23 12:00| Tue 23 09:00       | met, 60 min (split on 24th) |
//! | 5  | contoso  | C   | oslo     | Tue 23 12:00| Wed 24 12:00| none, customer closed Tue 23 13:00, refunded 14:00 | withdrawn |
//! | 6  | contoso  | A   | oslo     | Wed 24 09:00| Wed 24 11:00| Wed 24 10:00       | met, 60 min (child of 4)    |
//! | 7  | contoso  | C   | oslo     | Wed 24 09:00| Tue 30 08:00| none               | breached, 120 late (child)  |
//! | 8  | contoso  | C   | oslo     | Wed 24 13:00| Tue 30 12:00| Tue 30 07:00       | met, 180 min                |
//! | 9  | fabrikam | B   | us-pac.  | Fri 26 23:00| Mon 29 19:00| Mon 29 16:30       | met, 90 min                 |
//! | 10 | fabrikam | A   | 24x7     | Sat 27 22:00| Sun 28 00:00| Sat 27 23:15       | met, 75 min                 |
//! | 11 | fabrikam | A   | 24x7     | Sun 28 00:30| Sun 28 02:30| Sun 28 03:10       | breached, 160 min, 40 late  |
//! | 12 | contoso  | C   | oslo     | Sun 28 12:00| Tue 30 14:00| none               | waiting                     |
//! | 13 | contoso  | B   | oslo     | Tue 30 08:00| Tue 30 12:00| none               | after the period: ignored   |

use super::support::*;
use crate::{csv_rows, sla_report, text_summary, OrgCalendars, Period, ReportInput, SlaReport};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::ids::IncidentNumber;
use intakebot_core::severity::{Coverage, Severity};
use intakebot_core::sla::CalendarSet;
use intakebot_store::{Incident, LedgerEntry, LedgerKind};

const B: Severity = Severity::B;
const BH: Coverage = Coverage::BusinessHours;
const X247: Coverage = Coverage::TwentyFourSeven;

/// The thirteen incidents of the table above (hand-computed deadlines in the comments).
pub fn incidents() -> Vec<Incident> {
    vec![
        // Fri 19 13:00 CET: 3 h on Friday (13-16), 1 h on Monday 22 (08-09 CET = 07-08Z).
        opened(
            incident(1, "contoso", 2, B, BH),
            "2027-03-19T12:00:00Z",
            "2027-03-22T08:00:00Z",
        ),
        // Mon 22 10:00 CET + 4 h = 14:00 CET. Answered Tue 09:00 CET: late.
        answered(
            opened(
                incident(2, "contoso", 1, B, BH),
                "2027-03-22T09:00:00Z",
                "2027-03-22T13:00:00Z",
            ),
            "2027-03-23T08:00:00Z",
        ),
        // Mon 22 11:00 CET + 4 h = 15:00 CET.
        answered(
            opened(
                incident(3, "contoso", 2, B, BH),
                "2027-03-22T10:00:00Z",
                "2027-03-22T14:00:00Z",
            ),
            "2027-03-22T12:30:00Z",
        ),
        // Tue 23 09:00 CET + 4 h = 13:00 CET; split into 6 and 7 on Wed 24 09:00Z.
        answered(
            opened(
                incident(4, "contoso", 1, B, BH),
                "2027-03-23T08:00:00Z",
                "2027-03-23T12:00:00Z",
            ),
            "2027-03-23T09:00:00Z",
        ),
        // Tue 23 13:00 CET: 3 h Tuesday (13-16) + 5 h Wednesday (08-13 CET = 12:00Z).
        customer_closed(
            opened(
                incident(5, "contoso", 2, Severity::C, BH),
                "2027-03-23T12:00:00Z",
                "2027-03-24T12:00:00Z",
            ),
            "2027-03-23T13:00:00Z",
        ),
        // Split child, A on business hours: Wed 24 10:00 CET + 2 h = 12:00 CET.
        answered(
            child_of(
                opened(
                    incident(6, "contoso", 1, Severity::A, BH),
                    "2027-03-24T09:00:00Z",
                    "2027-03-24T11:00:00Z",
                ),
                4,
            ),
            "2027-03-24T10:00:00Z",
        ),
        // Split child, C: Wed 24 10:00-16:00 CET = 6 h; Thu, Fri, Sat, Sun, Mon closed;
        // Tue 30 08:00 CEST + 2 h = 10:00 CEST = 08:00Z.
        child_of(
            opened(
                incident(7, "contoso", 1, Severity::C, BH),
                "2027-03-24T09:00:00Z",
                "2027-03-30T08:00:00Z",
            ),
            4,
        ),
        // Wed 24 14:00 CET: 2 h Wednesday; Tue 30 08:00 CEST + 6 h = 14:00 CEST = 12:00Z.
        answered(
            opened(
                incident(8, "contoso", 2, Severity::C, BH),
                "2027-03-24T13:00:00Z",
                "2027-03-30T12:00:00Z",
            ),
            "2027-03-30T07:00:00Z",
        ),
        // us-pacific, Fri 26 16:00 PDT: 1 h Friday (16-17), Mon 29 09:00 PDT + 3 h = 12:00 PDT.
        answered(
            opened(
                incident(9, "fabrikam", 3, B, BH),
                "2027-03-26T23:00:00Z",
                "2027-03-29T19:00:00Z",
            ),
            "2027-03-29T16:30:00Z",
        ),
        // 24x7: two clock hours.
        answered(
            opened(
                incident(10, "fabrikam", 3, Severity::A, X247),
                "2027-03-27T22:00:00Z",
                "2027-03-28T00:00:00Z",
            ),
            "2027-03-27T23:15:00Z",
        ),
        // 24x7 across the spring-forward instant (01:00Z): still two clock hours.
        answered(
            opened(
                incident(11, "fabrikam", 3, Severity::A, X247),
                "2027-03-28T00:30:00Z",
                "2027-03-28T02:30:00Z",
            ),
            "2027-03-28T03:10:00Z",
        ),
        // Sun 28 14:00 CEST: closed until Tue 30 08:00 CEST, + 8 h = 16:00 CEST = 14:00Z.
        opened(
            incident(12, "contoso", 2, Severity::C, BH),
            "2027-03-28T12:00:00Z",
            "2027-03-30T14:00:00Z",
        ),
        // Tue 30 10:00 CEST + 4 h = 14:00 CEST.
        opened(
            incident(13, "contoso", 2, B, BH),
            "2027-03-30T08:00:00Z",
            "2027-03-30T12:00:00Z",
        ),
    ]
}

pub fn packs() -> Vec<Entitlement> {
    vec![
        pack(1, "contoso", "2026-04-10", Some("2027-04-10")),
        pack(2, "contoso", "2027-01-15", Some("2028-01-15")),
        pack(3, "fabrikam", "2026-06-01", Some("2027-06-01")),
        // Expired long ago, untouched in the period: not listed.
        pack(4, "fabrikam", "2025-01-10", Some("2026-01-10")),
    ]
}

pub fn ledger() -> Vec<LedgerEntry> {
    use LedgerKind::*;
    vec![
        entry(1, Grant, 5, None, "2026-04-10T09:00:00Z"),
        entry(1, Consume, -1, Some(2), "2027-03-22T09:00:00Z"),
        entry(1, Consume, -1, Some(4), "2027-03-23T08:00:00Z"),
        // The split of 4: one unit per sub-incident (P-INC-3).
        entry(1, Consume, -1, Some(6), "2027-03-24T09:00:00Z"),
        entry(1, Consume, -1, Some(7), "2027-03-24T09:00:00Z"),
        entry(2, Grant, 5, None, "2027-01-15T09:00:00Z"),
        entry(2, Consume, -1, Some(1), "2027-03-19T12:00:00Z"),
        entry(2, Consume, -1, Some(3), "2027-03-22T10:00:00Z"),
        entry(2, Consume, -1, Some(5), "2027-03-23T12:00:00Z"),
        // The manager refunds 5 after the customer closed it (P-CLOSE-4).
        entry(2, Refund, 1, Some(5), "2027-03-23T14:00:00Z"),
        entry(2, Consume, -1, Some(8), "2027-03-24T13:00:00Z"),
        entry(2, Consume, -1, Some(12), "2027-03-28T12:00:00Z"),
        entry(2, Consume, -1, Some(13), "2027-03-30T08:00:00Z"),
        entry(3, Grant, 5, None, "2026-06-01T09:00:00Z"),
        entry(3, Consume, -1, Some(9), "2027-03-26T23:00:00Z"),
        entry(3, Consume, -1, Some(10), "2027-03-27T22:00:00Z"),
        entry(3, Consume, -1, Some(11), "2027-03-28T00:30:00Z"),
        entry(4, Grant, 5, None, "2025-01-10T09:00:00Z"),
        entry(4, Consume, -2, None, "2025-03-01T09:00:00Z"),
        entry(4, Expire, -3, None, "2026-01-10T00:00:00Z"),
    ]
}

pub fn report_for(set: &CalendarSet, organisation: Option<&str>) -> SlaReport {
    let zone = set.default_calendar().zone();
    let calendars = OrgCalendars::new(set.default_calendar()).with(org("fabrikam"), set.get("us-pacific").unwrap());
    let (incidents, ledger, packs) = (incidents(), ledger(), packs());
    let input = ReportInput {
        period: Period::new(day("2027-03-22"), day("2027-03-29"), zone).unwrap(),
        organisation: organisation.map(org),
        organisations: vec![org("contoso"), org("fabrikam"), org("northwind")],
        as_of: utc("2027-03-30T10:00:00Z"),
        incidents: &incidents,
        ledger: &ledger,
        packs: &packs,
        calendars: &calendars,
    };
    sla_report(&input).unwrap()
}

/// The fixture's deadlines are what the SLA clock says (a check of the table, not the report).
#[test]
fn fixture_deadlines_agree_with_the_clock() {
    let set = calendars();
    for i in incidents() {
        let hours = match i.severity {
            Severity::A => 2,
            Severity::B => 4,
            Severity::C => 8,
        };
        let target = chrono::TimeDelta::hours(hours);
        let due = match (i.coverage, i.organisation.as_str()) {
            (Coverage::TwentyFourSeven, _) => i.opened_at + target,
            (_, "fabrikam") => set.get("us-pacific").unwrap().deadline(i.opened_at, target).unwrap(),
            _ => set.get("oslo").unwrap().deadline(i.opened_at, target).unwrap(),
        };
        assert_eq!(due, i.first_response_due, "{}", i.number);
    }
}

// Rows (opened, met, breached, waiting, withdrawn; % met; median, p90 in minutes), by hand:
// contoso A: 6 met (60)                       -> 1,1,0,0,0; 100.0; 60, 60
// contoso B: 2 late (420), 3 (150), 4 (60)    -> 3,2,1,0,0; 2/3 = 66.7; [60,150,420]: rank 2 = 150, rank ⌈2.7⌉=3 = 420
// contoso C: 5 withdrawn, 7 breached (no response), 8 met (180), 12 waiting
//                                             -> 4,1,1,1,1; 1/2 = 50.0; [180]: 180, 180
// contoso all: [60,60,150,180,420]            -> 8,4,2,1,1; 4/6 = 66.7; rank ⌈2.5⌉=3 = 150, rank ⌈4.5⌉=5 = 420
// fabrikam A: 10 met (75 clock), 11 late (160 clock) -> 2,1,1,0,0; 50.0; rank 1 = 75, rank ⌈1.8⌉=2 = 160
// fabrikam B: 9 met (90 business, us-pacific) -> 1,1,0,0,0; 100.0; 90, 90
// fabrikam C: none                            -> 0,0,0,0,0; -, -, -
// fabrikam all: [75,90,160]                   -> 3,2,1,0,0; 66.7; 90, 160
// northwind: listed, no incidents             -> zeros
// all A: [60,75,160]                          -> 3,2,1,0,0; 66.7; 75, 160
// all B: [60,90,150,420]                      -> 4,3,1,0,0; 75.0; rank 2 = 90, rank ⌈3.6⌉=4 = 420
// all C: as contoso C                         -> 4,1,1,1,1; 50.0; 180, 180
// all all: [60,60,75,90,150,160,180,420]      -> 11,6,3,1,1; 6/9 = 66.7; rank 4 = 90, rank ⌈7.2⌉=8 = 420
const EXPECTED_CSV: &str = "\
organisation,severity,opened,met,breached,waiting,withdrawn,pct_met,median_minutes,p90_minutes
contoso,A,1,1,0,0,0,100.0,60,60
contoso,B,3,2,1,0,0,66.7,150,420
contoso,C,4,1,1,1,1,50.0,180,180
contoso,all,8,4,2,1,1,66.7,150,420
fabrikam,A,2,1,1,0,0,50.0,75,160
fabrikam,B,1,1,0,0,0,100.0,90,90
fabrikam,C,0,0,0,0,0,,,
fabrikam,all,3,2,1,0,0,66.7,90,160
northwind,A,0,0,0,0,0,,,
northwind,B,0,0,0,0,0,,,
northwind,C,0,0,0,0,0,,,
northwind,all,0,0,0,0,0,,,
all,A,3,2,1,0,0,66.7,75,160
all,B,4,3,1,0,0,75.0,90,420
all,C,4,1,1,1,1,50.0,180,180
all,all,11,6,3,1,1,66.7,90,420
";

// P-SEV-1, P-SEV-2, P-SEV-3, P-SEV-4, P-SEV-6
#[test]
fn rows_match_the_hand_computed_figures() {
    let report = report_for(&calendars(), None);
    assert_eq!(csv_rows(&report).unwrap(), EXPECTED_CSV);
}

// Breached, by number, late on each incident's own clock:
// 2: due Mon 22 14:00 CET, answered Tue 23 09:00 CET: Mon 14-16 (2 h) + Tue 08-09 (1 h) = 180 min
//    business (clock time would say 19 h);
// 7: due Tue 30 10:00 CEST, unanswered at 12:00 CEST: 120 min business;
// 11: due 02:30Z, answered 03:10Z: 40 min clock (24x7).
// Overdue from before the period: 1, due Mon 22 09:00 CET, unanswered at Tue 30 12:00 CEST:
//    Mon 09-16 (7 h) + Tue 23 (8 h) + Wed 24 (8 h) + holidays and weekend (0) + Tue 30 08-12 (4 h)
//    = 27 h = 1620 min business.
#[test]
fn breached_incidents_say_how_late_on_which_clock() {
    let report = report_for(&calendars(), None);
    let late: Vec<(i64, i64, String, bool)> = report
        .breached
        .iter()
        .map(|b| {
            (
                b.number.0,
                b.late_secs / 60,
                b.clock.describe(),
                b.responded_at.is_some(),
            )
        })
        .collect();
    assert_eq!(
        late,
        vec![
            (2, 180, "business hours (oslo)".to_string(), true),
            (7, 120, "business hours (oslo)".to_string(), false),
            (11, 40, "clock time (24x7)".to_string(), true),
        ]
    );
    let earlier: Vec<(i64, i64)> = report
        .overdue_from_earlier
        .iter()
        .map(|b| (b.number.0, b.late_secs / 60))
        .collect();
    assert_eq!(earlier, vec![(1, 1620)]);
}

// P-PLAN-2, P-PLAN-6, P-INC-3, P-CLOSE-4. Period end day 2027-03-29; "soon" = by 2027-04-28.
// E1: consumes 2, 4, 6, 7 (the split's two children) -> consumed 4, used 4, left 5-4 = 1,
//     expires 2027-04-10: soon.
// E2: consumes 3, 5, 8, 12 in the period (1 before, 13 after), refund of 5 -> consumed 4,
//     refunded 1, used 3, left 5-1-4+1 = 1 at the period's end (13's unit is later).
// E3: consumes 9, 10, 11 -> used 3, left 2, expires 2027-06-01: not soon.
// E4: expired in January 2026, untouched: not listed.
#[test]
fn packs_count_what_the_ledger_says() {
    let report = report_for(&calendars(), None);
    let packs: Vec<(String, u32, u32, i64, i64, bool)> = report
        .packs
        .iter()
        .map(|p| {
            (
                p.entitlement.to_string(),
                p.consumed,
                p.refunded,
                p.used,
                p.units_left,
                p.expiring_soon,
            )
        })
        .collect();
    assert_eq!(
        packs,
        vec![
            ("E1".to_string(), 4, 0, 4, 1, true),
            ("E2".to_string(), 4, 1, 3, 1, false),
            ("E3".to_string(), 3, 0, 3, 2, false),
        ]
    );
}

// Weeks W01..W12 of 2027. W11 (15-21 March): incident 1, B, breached -> B 0.0 %, 1 breach.
// W12 (22-28 March): A 2 of 3 = 66.7 %, B 3 of 4 = 75.0 %, C 1 of 2 = 50.0 %, 3 breaches.
// Every other week: no incidents, no % and no breach.
#[test]
fn weekly_series_counts_each_week_opened() {
    let report = report_for(&calendars(), None);
    let weeks: Vec<(String, Vec<Option<String>>, u32)> = report
        .weeks
        .iter()
        .map(|w| {
            let pct = w
                .severities
                .iter()
                .map(|s| s.pct_met.map(|p| format!("{p:.1}")))
                .collect();
            (w.week.label(), pct, w.breaches)
        })
        .collect();
    assert_eq!(weeks.len(), 12);
    assert_eq!((weeks[0].0.as_str(), report.weeks[0].week.year), ("W01", 2027));
    let s = |v: &str| Some(v.to_string());
    assert_eq!(weeks[10], ("W11".to_string(), vec![None, s("0.0"), None], 1));
    assert_eq!(weeks[11], ("W12".to_string(), vec![s("66.7"), s("75.0"), s("50.0")], 3));
    assert!(weeks[..10]
        .iter()
        .all(|(_, pct, n)| pct.iter().all(Option::is_none) && *n == 0));
}

// One organisation: fabrikam's rows, and the all-organisations rows are fabrikam's;
// breached 11 only; E3 only; W12: A 1 of 2 = 50.0 %, B 100.0 %, C none, 1 breach.
#[test]
fn one_organisation_is_the_whole_report() {
    let report = report_for(&calendars(), Some("fabrikam"));
    let csv = csv_rows(&report).unwrap();
    assert_eq!(
        csv,
        "\
organisation,severity,opened,met,breached,waiting,withdrawn,pct_met,median_minutes,p90_minutes
fabrikam,A,2,1,1,0,0,50.0,75,160
fabrikam,B,1,1,0,0,0,100.0,90,90
fabrikam,C,0,0,0,0,0,,,
fabrikam,all,3,2,1,0,0,66.7,90,160
all,A,2,1,1,0,0,50.0,75,160
all,B,1,1,0,0,0,100.0,90,90
all,C,0,0,0,0,0,,,
all,all,3,2,1,0,0,66.7,90,160
"
    );
    assert_eq!(
        report.breached.iter().map(|b| b.number).collect::<Vec<_>>(),
        vec![IncidentNumber(11)]
    );
    assert!(report.overdue_from_earlier.is_empty());
    assert_eq!(report.packs.len(), 1);
    let w12 = &report.weeks[11];
    assert_eq!(
        w12.severities.iter().map(|s| s.pct_met).collect::<Vec<_>>(),
        vec![Some(50.0), Some(100.0), None]
    );
    assert_eq!(w12.breaches, 1);
}

#[test]
fn text_summary_names_the_late_ones_and_the_packs() {
    let text = text_summary(&report_for(&calendars(), None));
    let expected = [
        "SLA report, first responses: 2027-03-22 to 2027-03-28 (Europe/Oslo), all organisations",
        "As of 2027-03-30 12:00 CEST.",
        "all           all      11    6         3        1          1   66.7  1h 30m  7h 00m",
        "Breached (3):",
        "  INC-000002 contoso B \"Problem 2\": due 2027-03-22 14:00 CET, 3h 00m late on business hours (oslo), answered 2027-03-23 09:00 CET",
        "  INC-000007 contoso C \"Problem 7\": due 2027-03-30 10:00 CEST, 2h 00m late on business hours (oslo), no first response",
        "  INC-000011 fabrikam A \"Problem 11\": due 2027-03-28 04:30 CEST, 40m late on clock time (24x7), answered 2027-03-28 05:10 CEST",
        "Opened before the period, still without a first response (1):",
        "  INC-000001 contoso B \"Problem 1\": due 2027-03-22 09:00 CET, 27h 00m late on business hours (oslo), no first response",
        "  E1 contoso five-pack: used 4 (4 consumed, 0 refunded), 1 left, expires 2027-04-10 (within 30 days)",
        "  E2 contoso five-pack: used 3 (4 consumed, 1 refunded), 1 left, expires 2028-01-15",
        "  E3 fabrikam five-pack: used 3 (3 consumed, 0 refunded), 2 left, expires 2027-06-01",
    ];
    for line in expected {
        assert!(text.lines().any(|l| l == line), "missing line {line:?} in\n{text}");
    }
}

#[test]
fn figures_serialize_for_other_renderers() {
    let json = serde_json::to_value(report_for(&calendars(), None)).unwrap();
    assert_eq!(json["rows"][15]["counts"]["opened"], 11);
    assert_eq!(json["breached"][2]["clock"]["kind"], "24x7");
    assert_eq!(json["weeks"][11]["week"], 12);
}
