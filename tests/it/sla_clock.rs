//! Table tests of the SLA clock at exact boundaries, on the shipped calendars
//! (P-SEV-1..P-SEV-4).

use crate::helpers::sla::{parse, policy, shipped, utc};
use chrono::{DateTime, TimeDelta, Utc};
use intakebot::core::severity::{Coverage, Severity};
use intakebot::core::sla::{sla_deadline, Calendar, CalendarSet, SlaError};

fn h(hours: i64) -> TimeDelta {
    TimeDelta::hours(hours)
}

fn oslo(set: &CalendarSet) -> &Calendar {
    set.get("oslo").unwrap()
}

fn check(cal: &Calendar, start: &str, d: TimeDelta, expected: &str) {
    let start = utc(start);
    let got = cal.deadline(start, d).unwrap();
    assert_eq!(got, utc(expected), "{} from {start} + {d}", cal.name());
    assert_eq!(cal.business_time_between(start, got).unwrap(), d);
}

#[test]
fn eight_business_hours_from_monday_0800_is_monday_1600_not_tuesday() {
    // P-SEV-3
    let set = shipped();
    check(
        oslo(&set),
        "2027-03-01T08:00:00+01:00",
        h(8),
        "2027-03-01T16:00:00+01:00",
    );
}

#[test]
fn closing_second_boundary_1559_59_vs_1600_00() {
    let set = shipped();
    let cal = oslo(&set);
    assert!(cal.is_open(utc("2027-03-01T15:59:59+01:00")));
    assert!(!cal.is_open(utc("2027-03-01T16:00:00+01:00")));
    assert!(cal.is_open(utc("2027-03-01T08:00:00+01:00")));
    assert!(!cal.is_open(utc("2027-03-01T07:59:59+01:00")));
    check(
        cal,
        "2027-03-01T15:59:59+01:00",
        TimeDelta::seconds(1),
        "2027-03-01T16:00:00+01:00",
    );
    check(
        cal,
        "2027-03-01T15:59:59+01:00",
        TimeDelta::seconds(2),
        "2027-03-02T08:00:01+01:00",
    );
    check(cal, "2027-03-01T16:00:00+01:00", h(4), "2027-03-02T12:00:00+01:00");
    assert_eq!(
        cal.next_open(utc("2027-03-01T16:00:00+01:00")).unwrap(),
        utc("2027-03-02T08:00:00+01:00")
    );
    assert_eq!(
        cal.next_open(utc("2027-03-01T15:59:59+01:00")).unwrap(),
        utc("2027-03-01T15:59:59+01:00")
    );
}

#[test]
fn easter_week_skips_maundy_thursday_good_friday_and_easter_monday() {
    // P-SEV-2: Easter 2027 is 28 March.
    let set = shipped();
    let cal = oslo(&set);
    for closed in [
        "2027-03-25T10:00:00+01:00",
        "2027-03-26T10:00:00+01:00",
        "2027-03-29T10:00:00+02:00",
    ] {
        assert!(!cal.is_open(utc(closed)), "{closed}");
    }
    check(cal, "2027-03-24T14:00:00+01:00", h(4), "2027-03-30T10:00:00+02:00");
    // Ascension (Easter + 39) and Whit Monday (Easter + 50, which is also 17 May in 2027).
    assert!(!cal.is_open(utc("2027-05-06T10:00:00+02:00")));
    assert!(!cal.is_open(utc("2027-05-17T10:00:00+02:00")));
}

#[test]
fn constitution_day_on_a_sunday_is_not_moved_in_norway() {
    let set = shipped();
    check(
        oslo(&set),
        "2026-05-15T14:00:00+02:00",
        h(4),
        "2026-05-18T10:00:00+02:00",
    );
}

#[test]
fn constitution_day_on_a_weekday_is_closed() {
    let set = shipped();
    check(
        oslo(&set),
        "2028-05-16T14:00:00+02:00",
        h(4),
        "2028-05-18T10:00:00+02:00",
    );
}

#[test]
fn oslo_business_week_across_each_dst_change() {
    let set = shipped();
    let cal = oslo(&set);
    // Spring forward on Sunday 29 March 2026; autumn back on Sunday 25 October 2026.
    check(cal, "2026-03-27T14:00:00+01:00", h(4), "2026-03-30T10:00:00+02:00");
    check(cal, "2026-10-23T14:00:00+02:00", h(4), "2026-10-26T10:00:00+01:00");
}

#[test]
fn us_pacific_business_week_across_each_dst_change() {
    let set = shipped();
    let cal = set.get("us-pacific").unwrap();
    // Spring forward Sunday 14 March 2027; back on Sunday 7 November 2027.
    check(cal, "2027-03-12T15:00:00-08:00", h(4), "2027-03-15T11:00:00-07:00");
    check(cal, "2027-11-05T15:00:00-07:00", h(4), "2027-11-08T11:00:00-08:00");
}

const NIGHT: &str = r#"
default = "oslo-night"
[calendars.oslo-night]
zone = "Europe/Oslo"
week = { mon = ["01:00-04:00"], tue = ["01:00-04:00"], wed = ["01:00-04:00"], thu = ["01:00-04:00"], fri = ["01:00-04:00"], sat = ["01:00-04:00"], sun = ["01:00-04:00"] }
[calendars.la-night]
zone = "America/Los_Angeles"
week = { mon = ["00:30-03:00"], tue = ["00:30-03:00"], wed = ["00:30-03:00"], thu = ["00:30-03:00"], fri = ["00:30-03:00"], sat = ["00:30-03:00"], sun = ["00:30-03:00"] }
[calendars.oslo-always]
zone = "Europe/Oslo"
week = { mon = ["00:00-24:00"], tue = ["00:00-24:00"], wed = ["00:00-24:00"], thu = ["00:00-24:00"], fri = ["00:00-24:00"], sat = ["00:00-24:00"], sun = ["00:00-24:00"] }
"#;

#[test]
fn the_spring_gap_opens_nothing_and_the_autumn_overlap_counts_twice() {
    let set = parse(NIGHT).unwrap();
    let between = |name: &str, a: &str, b: &str| set.get(name).unwrap().business_time_between(utc(a), utc(b)).unwrap();
    // Oslo 01:00-04:00: 2 h on the spring night (02:00-03:00 never happens), 4 h in autumn.
    assert_eq!(
        between("oslo-night", "2026-03-29T00:00:00+01:00", "2026-03-29T12:00:00+02:00"),
        h(2)
    );
    assert_eq!(
        between("oslo-night", "2026-10-25T00:00:00+02:00", "2026-10-25T12:00:00+01:00"),
        h(4)
    );
    // Los Angeles 00:30-03:00: 1.5 h in spring, 3.5 h in autumn (01:00-02:00 twice).
    let la_spring = between("la-night", "2027-03-14T00:00:00-08:00", "2027-03-14T12:00:00-07:00");
    assert_eq!(la_spring, TimeDelta::minutes(90));
    let la_autumn = between("la-night", "2027-11-07T00:00:00-07:00", "2027-11-07T12:00:00-08:00");
    assert_eq!(la_autumn, TimeDelta::minutes(210));
    // Always open: the spring Sunday has 23 real hours, the autumn one 25.
    assert_eq!(
        between("oslo-always", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"),
        h(23)
    );
    assert_eq!(
        between("oslo-always", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"),
        h(25)
    );
    // 2.5 h from 01:00 on the autumn night ends in the second 02:30 (CET).
    let night = set.get("oslo-night").unwrap();
    check(
        night,
        "2026-10-25T01:00:00+02:00",
        TimeDelta::minutes(150),
        "2026-10-25T02:30:00+01:00",
    );
    // 1.5 h from 01:00 on the spring night jumps the gap to 03:30 CEST.
    check(
        night,
        "2026-03-29T01:00:00+01:00",
        TimeDelta::minutes(90),
        "2026-03-29T03:30:00+02:00",
    );
}

#[test]
fn year_end_skips_new_year_in_oslo() {
    let set = shipped();
    check(
        oslo(&set),
        "2026-12-31T14:00:00+01:00",
        h(4),
        "2027-01-04T10:00:00+01:00",
    );
}

#[test]
fn us_new_year_on_saturday_is_observed_on_the_previous_friday() {
    let set = shipped();
    let cal = set.get("us-pacific").unwrap();
    assert!(!cal.is_open(utc("2021-12-31T10:00:00-08:00")));
    check(cal, "2021-12-30T15:00:00-08:00", h(4), "2022-01-03T11:00:00-08:00");
}

#[test]
fn us_federal_holidays_follow_their_rules() {
    let set = shipped();
    let cal = set.get("us-pacific").unwrap();
    let closed = [
        "2027-01-18T10:00:00-08:00", // MLK, 3rd Monday of January
        "2027-02-15T10:00:00-08:00", // Washington's Birthday
        "2027-05-31T10:00:00-07:00", // Memorial Day, last Monday of May
        "2021-06-18T10:00:00-07:00", // Juneteenth 2021 on Saturday, observed Friday
        "2027-07-05T10:00:00-07:00", // Independence Day on Sunday, observed Monday
        "2027-09-06T10:00:00-07:00", // Labor Day
        "2027-10-11T10:00:00-07:00", // Columbus Day
        "2027-11-11T10:00:00-08:00", // Veterans Day
        "2026-11-26T10:00:00-08:00", // Thanksgiving, 4th Thursday
        "2027-12-24T10:00:00-08:00", // Christmas on Saturday, observed Friday
    ];
    for t in closed {
        assert!(!cal.is_open(utc(t)), "{t} should be closed");
    }
    assert!(
        cal.is_open(utc("2020-06-19T10:00:00-07:00")),
        "no Juneteenth before 2021"
    );
    assert!(cal.is_open(utc("2027-07-02T10:00:00-07:00")));
}

#[test]
fn many_weeks_of_business_time() {
    let set = shipped();
    // 400 h = 50 business days: Monday 2 August to Friday 8 October 2027, ending at 16:00.
    check(
        oslo(&set),
        "2027-08-02T08:00:00+02:00",
        h(400),
        "2027-10-08T16:00:00+02:00",
    );
}

#[test]
fn starts_on_holidays_and_weekends_wait_for_the_next_opening() {
    let set = shipped();
    check(
        oslo(&set),
        "2027-12-25T12:00:00+01:00",
        h(4),
        "2027-12-27T12:00:00+01:00",
    );
    check(
        oslo(&set),
        "2027-03-06T03:00:00+01:00",
        h(1),
        "2027-03-08T09:00:00+01:00",
    );
}

#[test]
fn fractional_seconds_are_kept() {
    let set = shipped();
    check(
        oslo(&set),
        "2027-03-01T10:00:00.250+01:00",
        h(1),
        "2027-03-01T11:00:00.250+01:00",
    );
}

#[test]
fn sla_deadline_uses_clock_hours_only_for_a_on_24x7() {
    // P-SEV-1, P-SEV-4
    let (set, policy) = (shipped(), policy());
    let cal = oslo(&set);
    let friday = utc("2027-03-05T15:00:00+01:00");
    let at = |s, c| sla_deadline(&policy, s, c, cal, friday).map(|d| d.at());
    assert_eq!(
        at(Severity::A, Coverage::TwentyFourSeven),
        Ok(utc("2027-03-05T17:00:00+01:00"))
    );
    assert_eq!(
        at(Severity::A, Coverage::BusinessHours),
        Ok(utc("2027-03-08T09:00:00+01:00"))
    );
    // P-SEV-2, P-SEV-3
    assert_eq!(
        at(Severity::B, Coverage::BusinessHours),
        Ok(utc("2027-03-08T11:00:00+01:00"))
    );
    assert_eq!(
        at(Severity::C, Coverage::BusinessHours),
        Ok(utc("2027-03-08T15:00:00+01:00"))
    );
    assert_eq!(
        at(Severity::B, Coverage::TwentyFourSeven),
        Err(SlaError::CoverageNotAllowed { severity: Severity::B })
    );
}

#[test]
fn outside_2000_to_2100_is_a_typed_error() {
    let set = shipped();
    let cal = oslo(&set);
    let early = utc("1999-12-31T12:00:00Z");
    assert_eq!(cal.deadline(early, h(1)), Err(SlaError::OutOfRange { at: early }));
    let late = utc("2100-12-31T15:00:00+01:00");
    assert!(matches!(cal.deadline(late, h(8)), Err(SlaError::OutOfRange { .. })));
    assert!(cal.deadline(late, TimeDelta::minutes(30)).is_ok());
    assert_eq!(cal.deadline(late, h(-1)), Err(SlaError::NegativeDuration));
    let first: DateTime<Utc> = utc("2000-01-03T08:00:00+01:00");
    assert_eq!(cal.deadline(first, h(8)).unwrap(), utc("2000-01-03T16:00:00+01:00"));
}
