//! Property test of the SLA clock against a slow, obviously-right oracle that steps minute by
//! minute over local time. Random calendars (zones with and without DST, split days, fixed and
//! one-off holidays), starts across 2000–2100, durations up to 200 business hours.
//! `SLA_ORACLE_CASES=2000 cargo test --test sla_oracle` runs a heavier search.

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use intakebot::core::sla::{CalendarSet, CalendarSpec, CalendarsFile, HolidaySpec, WeekSpec};
use proptest::prelude::*;
use std::collections::BTreeMap;

const ZONES: [&str; 5] = [
    "Europe/Oslo",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
];

/// A random calendar in plain data: minute intervals per weekday (Monday first) and holidays.
#[derive(Debug, Clone)]
struct Model {
    zone: &'static str,
    week: Vec<Vec<(u32, u32)>>,
    fixed: Vec<(u32, u32)>,
    once: Vec<NaiveDate>,
}

impl Model {
    fn tz(&self) -> Tz {
        self.zone.parse().unwrap()
    }

    /// Open minutes of one local date, as local minute-of-day numbers.
    fn open_minutes(&self, date: NaiveDate) -> Vec<u32> {
        if self.once.contains(&date) || self.fixed.contains(&(date.month(), date.day())) {
            return Vec::new();
        }
        let day = &self.week[date.weekday().num_days_from_monday() as usize];
        day.iter().flat_map(|&(a, b)| a..b).collect()
    }

    /// UTC second of every open real minute whose local wall time lies on `date`. A local
    /// minute in the spring gap has no instant; one in the autumn overlap has two.
    fn utc_minutes(&self, date: NaiveDate, out: &mut Vec<i64>) {
        let tz = self.tz();
        for m in self.open_minutes(date) {
            let local = date.and_hms_opt(m / 60, m % 60, 0).unwrap();
            match tz.from_local_datetime(&local) {
                LocalResult::Single(t) => out.push(t.timestamp()),
                LocalResult::Ambiguous(a, b) => out.extend([a.timestamp(), b.timestamp()]),
                LocalResult::None => {}
            }
        }
    }

    /// Sorted open minutes (UTC start seconds) of local dates around `[a, a + span)`.
    fn minutes_covering(&self, a: i64, enough_after_a: i64) -> Vec<i64> {
        let tz = self.tz();
        let mut date = DateTime::from_timestamp(a, 0)
            .unwrap()
            .with_timezone(&tz)
            .date_naive()
            .pred_opt()
            .unwrap();
        let mut out = Vec::new();
        let mut extra_days = 0;
        loop {
            self.utc_minutes(date, &mut out);
            let after = out.iter().filter(|&&u| u + 60 > a).count() as i64 * 60;
            if after > enough_after_a {
                extra_days += 1;
                if extra_days > 2 {
                    break;
                }
            }
            date = date.succ_opt().unwrap();
        }
        out.sort_unstable();
        out
    }

    fn deadline(&self, a: i64, d: i64) -> i64 {
        if d == 0 {
            return a;
        }
        let mut acc = 0;
        for u in self.minutes_covering(a, d) {
            if u + 60 <= a {
                continue;
            }
            let from = u.max(a);
            let avail = u + 60 - from;
            if acc + avail >= d {
                return from + (d - acc);
            }
            acc += avail;
        }
        unreachable!("minutes_covering gathers enough")
    }

    fn between(&self, a: i64, b: i64) -> i64 {
        self.minutes_covering(a, b - a)
            .into_iter()
            .map(|u| ((u + 60).min(b) - u.max(a)).max(0))
            .sum()
    }

    fn is_open(&self, t: i64) -> bool {
        let local = DateTime::from_timestamp(t, 0)
            .unwrap()
            .with_timezone(&self.tz())
            .naive_local();
        let minute = local.time().signed_duration_since(chrono::NaiveTime::MIN).num_minutes() as u32;
        self.open_minutes(local.date()).contains(&minute)
    }

    fn calendars(&self) -> CalendarSet {
        let hm = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
        let day = |i: usize| {
            self.week[i]
                .iter()
                .map(|&(a, b)| format!("{}-{}", hm(a), hm(b)))
                .collect()
        };
        let mut holidays: Vec<HolidaySpec> = self
            .fixed
            .iter()
            .map(|&(m, d)| HolidaySpec {
                name: "f".into(),
                fixed: Some(format!("{m:02}-{d:02}")),
                ..Default::default()
            })
            .collect();
        holidays.extend(self.once.iter().map(|d| HolidaySpec {
            name: "o".into(),
            date: Some(d.to_string()),
            ..Default::default()
        }));
        let spec = CalendarSpec {
            zone: self.zone.into(),
            week: WeekSpec {
                mon: day(0),
                tue: day(1),
                wed: day(2),
                thu: day(3),
                fri: day(4),
                sat: day(5),
                sun: day(6),
            },
            holidays,
            days: Vec::new(),
        };
        CalendarSet::build(CalendarsFile {
            default: "r".into(),
            calendars: BTreeMap::from([("r".to_string(), spec)]),
        })
        .expect("random calendar is valid")
    }
}

/// 0–2 intervals in a day from sorted distinct minute cut points (so none overlap).
fn day_strategy() -> impl Strategy<Value = Vec<(u32, u32)>> {
    prop_oneof![
        1 => Just(Vec::new()),
        3 => proptest::collection::btree_set(0u32..=1440, 2..=4).prop_map(|cuts| {
            let cuts: Vec<u32> = cuts.into_iter().collect();
            cuts.chunks_exact(2).map(|c| (c[0], c[1])).collect()
        }),
    ]
}

/// A start second across 2000–2100, half the time in a DST-change month.
fn start_strategy() -> impl Strategy<Value = i64> {
    let first = Utc.with_ymd_and_hms(2000, 1, 2, 0, 0, 0).unwrap().timestamp();
    let last = Utc.with_ymd_and_hms(2100, 6, 1, 0, 0, 0).unwrap().timestamp();
    prop_oneof![
        first..last,
        (
            2000i32..2100,
            prop::sample::select(vec![3u32, 4, 10, 11]),
            1u32..=28,
            0i64..86_400
        )
            .prop_map(|(y, m, d, s)| { Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap().timestamp() + s }),
    ]
}

fn model_strategy() -> impl Strategy<Value = (Model, i64)> {
    (
        prop::sample::select(ZONES.to_vec()),
        proptest::collection::vec(day_strategy(), 7),
        proptest::collection::vec((1u32..=12, 1u32..=28), 0..4),
        start_strategy(),
        proptest::collection::vec(0i64..40, 0..4),
    )
        .prop_filter("at least 6 open hours a week", |(_, week, ..)| {
            week.iter().flatten().map(|(a, b)| b - a).sum::<u32>() >= 360
        })
        .prop_map(|(zone, week, fixed, start, once_days)| {
            let base = DateTime::from_timestamp(start, 0).unwrap().date_naive();
            let once = once_days.iter().map(|&d| base + TimeDelta::days(d)).collect();
            (
                Model {
                    zone,
                    week,
                    fixed,
                    once,
                },
                start,
            )
        })
}

fn cases() -> u32 {
    std::env::var("SLA_ORACLE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

fn at(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(s, 0).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn deadline_and_elapsed_agree_with_the_minute_oracle(
        (model, start) in model_strategy(),
        business in 0i64..=200 * 3600,
        probes in proptest::collection::vec(0i64..14 * 86_400, 8),
    ) {
        let set = model.calendars();
        let cal = set.default_calendar();
        let d = TimeDelta::seconds(business);
        let got = cal.deadline(at(start), d).unwrap();
        prop_assert_eq!(got.timestamp(), model.deadline(start, business));
        prop_assert_eq!(cal.business_time_between(at(start), got).unwrap(), d);
        for p in probes {
            let t = start + p;
            prop_assert_eq!(cal.is_open(at(t)), model.is_open(t), "is_open at {}", at(t));
            prop_assert_eq!(cal.business_time_between(at(start), at(t)).unwrap().num_seconds(), model.between(start, t));
        }
    }
}
