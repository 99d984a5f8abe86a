//! Business-hours calendars and the SLA clock (pure; time passed in).
//!
//! A [`Calendar`] (from `calendars.toml`, validated by [`CalendarSet::build`]) knows its zone,
//! weekly hours and holiday rules; at construction it precomputes its open spans from 2000 to
//! 2100 as UTC instants, so [`deadline`] and [`business_time_between`] are table lookups.
//! "Open" means: the instant's local wall time falls in an open interval of its local date.
//! Business time is real elapsed time while open, so the spring-forward gap adds nothing and
//! both repetitions of the autumn overlap count. Instants outside 2000-01-01T00:00Z ..
//! 2101-01-01T00:00Z give [`SlaError::OutOfRange`] rather than a guess.
//! Zone offsets come from chrono-tz, whose tables (0.10) hold no DST change after 2099: in 2100
//! every zone keeps its standard time all year.

mod calendar;
mod config;
mod deadline;
mod holidays;
mod hours;
mod set;
mod table;
mod unix_nanos;

pub use calendar::Calendar;
pub use config::{CalendarSpec, CalendarsFile, DaySpec, HolidaySpec, NthWeekdaySpec, WeekSpec};
pub use deadline::{sla_deadline, Deadline};
pub use holidays::{easter_sunday, nth_weekday, Holiday, HolidayDate};
pub use hours::{DaySecond, OpenInterval};
pub use set::CalendarSet;
pub use unix_nanos::UnixNanos;

use crate::severity::Severity;
use chrono::{DateTime, TimeDelta, Utc};

/// A load-time problem in `calendars.toml`: the key and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {reason}")]
pub struct CalendarError {
    pub key: String,
    pub reason: String,
}

/// Why a clock query has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlaError {
    #[error(
        "{at} is outside the supported range 2000-01-01T00:00:00Z .. 2101-01-01T00:00:00Z (or the answer would be)"
    )]
    OutOfRange { at: DateTime<Utc> },
    #[error("a business duration cannot be negative")]
    NegativeDuration,
    /// P-SEV-4: 24x7 coverage is offered only for some severities.
    #[error("24x7 coverage is not offered for severity {severity}; it counts business hours")]
    CoverageNotAllowed { severity: Severity },
}

/// The earliest instant at which `business` time has elapsed since `start`.
pub fn deadline(calendar: &Calendar, start: DateTime<Utc>, business: TimeDelta) -> Result<DateTime<Utc>, SlaError> {
    calendar.deadline(start, business)
}

/// `start` plus `clock` hours around the clock (24x7 coverage). Held to the same supported
/// range as the business-hours queries, so no answer lies past 2101 (or past year 9999).
pub fn clock_deadline(start: DateTime<Utc>, clock: TimeDelta) -> Result<DateTime<Utc>, SlaError> {
    let ns = UnixNanos::from_datetime(start).ok_or(SlaError::OutOfRange { at: start })?;
    clock_deadline_nanos(ns, clock).map(UnixNanos::to_datetime)
}

/// [`clock_deadline`] on nanoseconds.
pub fn clock_deadline_nanos(start: UnixNanos, clock: TimeDelta) -> Result<UnixNanos, SlaError> {
    let out_of_range = || SlaError::OutOfRange {
        at: start.to_datetime(),
    };
    if !(table::FIRST_NS..table::END_NS).contains(&start.0) {
        return Err(out_of_range());
    }
    let clock = clock.num_nanoseconds().ok_or_else(out_of_range)?;
    if clock < 0 {
        return Err(SlaError::NegativeDuration);
    }
    match start.0.checked_add(clock) {
        Some(end) if end <= table::END_NS => Ok(UnixNanos(end)),
        _ => Err(out_of_range()),
    }
}

/// Business time from `a` to `b` (negative when `b < a`).
pub fn business_time_between(calendar: &Calendar, a: DateTime<Utc>, b: DateTime<Utc>) -> Result<TimeDelta, SlaError> {
    calendar.business_time_between(a, b)
}

/// Whether the calendar is open at `t`.
pub fn is_open(calendar: &Calendar, t: DateTime<Utc>) -> bool {
    calendar.is_open(t)
}

/// `t` when open, else the start of the next open interval.
pub fn next_open(calendar: &Calendar, t: DateTime<Utc>) -> Result<DateTime<Utc>, SlaError> {
    calendar.next_open(t)
}
