//! One validated business-hours calendar: zone, weekly hours, holiday rules, dated
//! exceptions, and the clock queries answered from its precomputed span table.

use super::holidays::Holiday;
use super::hours::OpenInterval;
use super::table::{SpanTable, END_S, FIRST_S};
use super::{SlaError, UnixNanos};
use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

const NS: i64 = 1_000_000_000;

/// A calendar ready for queries. Queries are exact to the nanosecond for instants from
/// 2000-01-01T00:00:00Z to 2101-01-01T00:00:00Z; outside that range they return
/// [`SlaError::OutOfRange`] (except [`Calendar::is_open`], which reads the rules directly).
#[derive(Debug, Clone)]
pub struct Calendar {
    name: String,
    zone: Tz,
    rules: DayRules,
    table: SpanTable,
}

/// What decides a local date's hours.
#[derive(Debug, Clone)]
struct DayRules {
    /// Monday first.
    week: [Vec<OpenInterval>; 7],
    holidays: Vec<Holiday>,
    /// Dated exceptions: these hours replace the week's and any holiday.
    days: BTreeMap<NaiveDate, Vec<OpenInterval>>,
}

impl DayRules {
    fn hours_on(&self, date: NaiveDate) -> &[OpenInterval] {
        if let Some(hours) = self.days.get(&date) {
            return hours;
        }
        if self.holidays.iter().any(|h| h.closes(date)) {
            return &[];
        }
        &self.week[date.weekday().num_days_from_monday() as usize]
    }
}

impl Calendar {
    /// Validated parts in, table built (tens of milliseconds for 2000–2100).
    pub(crate) fn new(
        name: String,
        zone: Tz,
        week: [Vec<OpenInterval>; 7],
        holidays: Vec<Holiday>,
        days: BTreeMap<NaiveDate, Vec<OpenInterval>>,
    ) -> Calendar {
        let rules = DayRules { week, holidays, days };
        let table = SpanTable::build(zone, |date| rules.hours_on(date));
        Calendar {
            name,
            zone,
            rules,
            table,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Whether any business time exists in the supported range.
    pub(crate) fn has_open_time(&self) -> bool {
        self.table.total() > 0
    }

    /// The local opening intervals of a date: a dated exception, else closed on a holiday,
    /// else the weekday's hours.
    pub fn hours_on(&self, date: NaiveDate) -> &[OpenInterval] {
        self.rules.hours_on(date)
    }

    /// Whether `t`'s local wall time falls in an open interval of its local date.
    pub fn is_open(&self, t: DateTime<Utc>) -> bool {
        let local = t.with_timezone(&self.zone).naive_local();
        let second = local.num_seconds_from_midnight();
        self.hours_on(local.date()).iter().any(|iv| iv.contains(second))
    }

    /// `t` itself when open, else the start of the next open interval.
    pub fn next_open(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>, SlaError> {
        let ns = to_ns(t)?;
        from_ns(self.table.next_open(ns).map_err(|_| SlaError::OutOfRange { at: t })?)
    }

    /// The earliest instant at which `business` time has elapsed since `start`.
    pub fn deadline(&self, start: DateTime<Utc>, business: TimeDelta) -> Result<DateTime<Utc>, SlaError> {
        let ns = to_ns(start)?;
        self.deadline_nanos(UnixNanos(ns), business).map(UnixNanos::to_datetime)
    }

    /// [`Calendar::deadline`] on nanoseconds.
    pub fn deadline_nanos(&self, start: UnixNanos, business: TimeDelta) -> Result<UnixNanos, SlaError> {
        let out_of_range = || SlaError::OutOfRange {
            at: start.to_datetime(),
        };
        let d = business.num_nanoseconds().ok_or_else(out_of_range)?;
        if d < 0 {
            return Err(SlaError::NegativeDuration);
        }
        self.table
            .deadline(start.0, d)
            .map(UnixNanos)
            .map_err(|_| out_of_range())
    }

    /// Business time elapsed from `a` to `b`; negative when `b` is before `a`.
    pub fn business_time_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> Result<TimeDelta, SlaError> {
        let pa = self
            .table
            .position(to_ns(a)?)
            .map_err(|_| SlaError::OutOfRange { at: a })?;
        let pb = self
            .table
            .position(to_ns(b)?)
            .map_err(|_| SlaError::OutOfRange { at: b })?;
        Ok(TimeDelta::nanoseconds(pb - pa))
    }
}

/// UTC nanoseconds since 1970 for an instant in the supported range.
fn to_ns(t: DateTime<Utc>) -> Result<i64, SlaError> {
    let s = t.timestamp();
    if !(FIRST_S..=END_S).contains(&s) {
        return Err(SlaError::OutOfRange { at: t });
    }
    Ok(s * NS + i64::from(t.timestamp_subsec_nanos()))
}

fn from_ns(ns: i64) -> Result<DateTime<Utc>, SlaError> {
    let t = DateTime::from_timestamp(ns.div_euclid(NS), ns.rem_euclid(NS) as u32);
    t.ok_or(SlaError::OutOfRange {
        at: DateTime::<Utc>::MIN_UTC,
    })
}
