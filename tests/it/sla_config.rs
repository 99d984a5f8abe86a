//! Loading `calendars.toml`: the shipped file, and every rejection with its key and reason.

use crate::helpers::sla::{parse, shipped};
use intakebot::core::sla::CalendarError;

fn rejected(text: &str) -> CalendarError {
    parse(text).expect_err("should be rejected")
}

const WEEK: &str = r#"week = { mon = ["08:00-16:00"] }"#;

#[test]
fn shipped_file_has_oslo_default_and_us_pacific() {
    let set = shipped();
    assert_eq!(set.names(), vec!["oslo".to_string(), "us-pacific".to_string()]);
    assert_eq!(set.default_calendar().name(), "oslo");
    assert_eq!(set.get("us-pacific").unwrap().zone(), chrono_tz::America::Los_Angeles);
    assert!(set.get("paris").is_none());
}

#[test]
fn unknown_zone_is_rejected() {
    let e = rejected(&format!(
        "default = \"x\"\n[calendars.x]\nzone = \"Europe/Atlantis\"\n{WEEK}"
    ));
    assert_eq!(e.key, "calendars.x.zone");
    assert!(e.reason.contains("unknown time zone"));
}

#[test]
fn bad_intervals_are_rejected_with_their_key() {
    let cases = [
        (r#"mon = ["08:00-08:00"]"#, "calendars.x.week.mon[0]", "empty"),
        (
            r#"tue = ["16:00-08:00"]"#,
            "calendars.x.week.tue[0]",
            "ends before it starts",
        ),
        (
            r#"wed = ["08:00-12:00", "11:00-16:00"]"#,
            "calendars.x.week.wed[1]",
            "overlaps",
        ),
    ];
    for (week, key, reason) in cases {
        let e = rejected(&format!(
            "default = \"x\"\n[calendars.x]\nzone = \"UTC\"\nweek = {{ {week} }}"
        ));
        assert_eq!(e.key, key);
        assert!(e.reason.contains(reason), "{}", e.reason);
    }
}

#[test]
fn a_calendar_without_open_time_is_rejected() {
    let e = rejected("default = \"x\"\n[calendars.x]\nzone = \"UTC\"\n");
    assert_eq!(e.key, "calendars.x");
    assert!(e.reason.contains("no open time"));
}

#[test]
fn unknown_default_is_rejected() {
    let e = rejected(&format!("default = \"y\"\n[calendars.x]\nzone = \"UTC\"\n{WEEK}"));
    assert_eq!(e.key, "default");
}

#[test]
fn holiday_rules_are_checked() {
    let holiday = |h: &str| {
        rejected(&format!(
            "default = \"x\"\n[calendars.x]\nzone = \"UTC\"\n{WEEK}\nholidays = [{h}]"
        ))
    };
    assert_eq!(
        holiday(r#"{ name = "a", fixed = "13-01" }"#).key,
        "calendars.x.holidays[0]"
    );
    assert!(holiday(r#"{ name = "a", fixed = "01-01", easter = 1 }"#)
        .reason
        .contains("exactly one"));
    assert!(holiday(r#"{ name = "a", easter = 1, observed = true }"#)
        .reason
        .contains("observed"));
    let nth = r#"{ name = "a", nth_weekday = { month = 1, weekday = "funday", nth = 1 } }"#;
    assert!(holiday(nth).reason.contains("weekday"));
}

#[test]
fn unknown_keys_are_rejected_by_serde() {
    let text = format!("default = \"x\"\n[calendars.x]\nzone = \"UTC\"\ntimezone = \"UTC\"\n{WEEK}");
    assert!(toml::from_str::<intakebot::core::sla::CalendarsFile>(&text).is_err());
}

#[test]
fn dated_exceptions_close_or_open_a_day() {
    let text = r#"
default = "x"
[calendars.x]
zone = "UTC"
week = { mon = ["08:00-16:00"] }
days = [ { date = "2027-03-01", hours = [] }, { date = "2027-03-06", hours = ["10:00-12:00"] } ]
"#;
    let set = parse(text).unwrap();
    let cal = set.default_calendar();
    let t = crate::helpers::sla::utc;
    assert!(!cal.is_open(t("2027-03-01T10:00:00Z")));
    assert!(cal.is_open(t("2027-03-06T11:00:00Z")));
    assert!(cal.is_open(t("2027-03-08T11:00:00Z")));
}
