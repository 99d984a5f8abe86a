//! The report's period: whole local days `[from, to)` in the managers' zone, the named periods
//! of the Discord command, and the twelve ISO weeks of the chart that end with the period.

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// How many ISO weeks the chart shows, ending with the week of the period's last day.
pub const CHART_WEEKS: u64 = 12;

/// Whole days `[from, to)` in `zone`: from local midnight of `from` to local midnight of `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
    zone: Tz,
}

/// Why dates do not make a period (a user error: the dates are what the user typed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("the period must end after it starts: from {from} is not before to {to} (to is exclusive)")]
    NotIncreasing { from: NaiveDate, to: NaiveDate },
    #[error("{day} is outside the dates the SLA clock covers ({first} to {last})")]
    OutOfRange {
        day: NaiveDate,
        first: NaiveDate,
        last: NaiveDate,
    },
}

/// The periods a manager picks from in Discord (`/report sla period:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedPeriod {
    ThisWeek,
    LastWeek,
    ThisMonth,
    LastMonth,
}

impl NamedPeriod {
    /// The name a manager types: `this-week`, `last-week`, `this-month`, `last-month`.
    pub fn name(self) -> &'static str {
        match self {
            NamedPeriod::ThisWeek => "this-week",
            NamedPeriod::LastWeek => "last-week",
            NamedPeriod::ThisMonth => "this-month",
            NamedPeriod::LastMonth => "last-month",
        }
    }
}

impl std::str::FromStr for NamedPeriod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            NamedPeriod::ThisWeek,
            NamedPeriod::LastWeek,
            NamedPeriod::ThisMonth,
            NamedPeriod::LastMonth,
        ]
        .into_iter()
        .find(|p| p.name() == s.trim())
        .ok_or_else(|| format!("period {s:?}: use this-week, last-week, this-month or last-month"))
    }
}

/// The calendar's table covers 2000..2100; the chart reaches 12 weeks before `from`.
fn supported() -> (NaiveDate, NaiveDate) {
    (ymd(2001, 1, 1), ymd(2100, 12, 31))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate, zone: Tz) -> Result<Period, PeriodError> {
        let (first, last) = supported();
        if let Some(day) = [from, to].into_iter().find(|d| *d < first || *d > last) {
            return Err(PeriodError::OutOfRange { day, first, last });
        }
        if from >= to {
            return Err(PeriodError::NotIncreasing { from, to });
        }
        Ok(Period { from, to, zone })
    }

    /// A named period around `now` (weeks start on Monday, ISO 8601).
    pub fn named(which: NamedPeriod, now: DateTime<Utc>, zone: Tz) -> Result<Period, PeriodError> {
        let today = now.with_timezone(&zone).date_naive();
        let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
        let first_of_month = today.with_day(1).unwrap_or(today);
        let (from, to) = match which {
            NamedPeriod::ThisWeek => (monday, monday + Days::new(7)),
            NamedPeriod::LastWeek => (monday - Days::new(7), monday),
            NamedPeriod::ThisMonth => (first_of_month, first_of_month + Months::new(1)),
            NamedPeriod::LastMonth => (first_of_month - Months::new(1), first_of_month),
        };
        Period::new(from, to, zone)
    }

    pub fn from_day(&self) -> NaiveDate {
        self.from
    }

    /// The first day after the period.
    pub fn to_day(&self) -> NaiveDate {
        self.to
    }

    /// The period's last day (inclusive), for display.
    pub fn last_day(&self) -> NaiveDate {
        self.to.pred_opt().unwrap_or(self.to)
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    pub fn start(&self) -> DateTime<Utc> {
        local_midnight(self.zone, self.from)
    }

    pub fn end(&self) -> DateTime<Utc> {
        local_midnight(self.zone, self.to)
    }

    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start() <= t && t < self.end()
    }

    /// The chart's weeks, oldest first: the ISO week of the last day and the 11 before it.
    pub fn chart_weeks(&self) -> Vec<Week> {
        let last = self.last_day();
        let monday = last - Days::new(u64::from(last.weekday().num_days_from_monday()));
        let first = monday - Days::new(7 * (CHART_WEEKS - 1));
        (0..CHART_WEEKS)
            .map(|k| Week::starting(first + Days::new(7 * k), self.zone))
            .collect()
    }

    /// The earliest opening instant the report looks at: the period's start or the chart's.
    pub fn reads_from(&self) -> DateTime<Utc> {
        let chart = self.chart_weeks().first().map(|w| w.start).unwrap_or(self.start());
        chart.min(self.start())
    }
}

/// One ISO week (Monday to Monday, local midnight) in the period's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Week {
    /// ISO week-numbering year.
    pub year: i32,
    /// ISO week number, 1 to 53.
    pub week: u32,
    pub monday: NaiveDate,
    #[serde(skip)]
    pub start: DateTime<Utc>,
    #[serde(skip)]
    pub end: DateTime<Utc>,
}

impl Week {
    fn starting(monday: NaiveDate, zone: Tz) -> Week {
        let iso = monday.iso_week();
        Week {
            year: iso.year(),
            week: iso.week(),
            monday,
            start: local_midnight(zone, monday),
            end: local_midnight(zone, monday + Days::new(7)),
        }
    }

    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }

    /// `W09`: how managers in Norway name weeks ("uke 9").
    pub fn label(&self) -> String {
        format!("W{:02}", self.week)
    }
}

/// The instant a local day begins; where midnight falls in a DST gap, the first instant after it.
pub(crate) fn local_midnight(zone: Tz, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    (0..=8)
        .map(|k| midnight + TimeDelta::minutes(15 * k))
        .find_map(|local| zone.from_local_datetime(&local).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oslo(from: NaiveDate, to: NaiveDate) -> Period {
        Period::new(from, to, chrono_tz::Europe::Oslo).unwrap()
    }

    #[test]
    fn days_are_local_midnights_across_dst() {
        // 2027-03-28 is the spring-forward Sunday in Oslo: the period ends at 00:00 CEST.
        let p = oslo(ymd(2027, 3, 22), ymd(2027, 3, 29));
        assert_eq!(p.start().to_rfc3339(), "2027-03-21T23:00:00+00:00");
        assert_eq!(p.end().to_rfc3339(), "2027-03-28T22:00:00+00:00");
        assert_eq!(p.last_day(), ymd(2027, 3, 28));
    }

    #[test]
    fn bad_periods_say_why() {
        let zone = chrono_tz::Europe::Oslo;
        let d = ymd(2027, 3, 1);
        assert_eq!(
            Period::new(d, d, zone),
            Err(PeriodError::NotIncreasing { from: d, to: d })
        );
        assert!(matches!(
            Period::new(ymd(1999, 1, 1), d, zone),
            Err(PeriodError::OutOfRange { .. })
        ));
    }

    #[test]
    fn chart_weeks_end_with_the_week_of_the_last_day() {
        // A period ending on a Wednesday: its week is the twelfth.
        let weeks = oslo(ymd(2027, 3, 1), ymd(2027, 3, 4)).chart_weeks();
        assert_eq!(weeks.len(), 12);
        assert_eq!(
            (weeks[11].year, weeks[11].week, weeks[11].monday),
            (2027, 9, ymd(2027, 3, 1))
        );
        assert_eq!((weeks[0].year, weeks[0].week), (2026, 51));
        assert_eq!(weeks[11].label(), "W09");
    }

    #[test]
    fn named_periods_are_whole_weeks_and_months() {
        let now = DateTime::parse_from_rfc3339("2027-03-10T12:00:00Z").unwrap().to_utc();
        let zone = chrono_tz::Europe::Oslo;
        let get = |w| {
            let p = Period::named(w, now, zone).unwrap();
            (p.from_day(), p.to_day())
        };
        assert_eq!(get(NamedPeriod::ThisWeek), (ymd(2027, 3, 8), ymd(2027, 3, 15)));
        assert_eq!(get(NamedPeriod::LastWeek), (ymd(2027, 3, 1), ymd(2027, 3, 8)));
        assert_eq!(get(NamedPeriod::ThisMonth), (ymd(2027, 3, 1), ymd(2027, 4, 1)));
        assert_eq!(get(NamedPeriod::LastMonth), (ymd(2027, 2, 1), ymd(2027, 3, 1)));
        assert_eq!("last-month".parse::<NamedPeriod>(), Ok(NamedPeriod::LastMonth));
        assert!("yesterday".parse::<NamedPeriod>().is_err());
    }
}
