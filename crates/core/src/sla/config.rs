//! `calendars.toml` as written: raw serde structs, validated into calendars by `CalendarSet::build`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The whole file: the global default calendar and every named calendar.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarsFile {
    /// Name of the calendar used when an organisation names none.
    pub default: String,
    #[serde(default)]
    pub calendars: BTreeMap<String, CalendarSpec>,
}

/// One calendar: zone, weekly hours, holiday rules and dated exceptions.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA zone name, e.g. `Europe/Oslo`.
    pub zone: String,
    #[serde(default)]
    pub week: WeekSpec,
    #[serde(default)]
    pub holidays: Vec<HolidaySpec>,
    /// Dated exceptions with their own hours (`hours = []` closes the day).
    #[serde(default)]
    pub days: Vec<DaySpec>,
}

/// Opening intervals per weekday, each `"HH:MM-HH:MM"` in local time (`24:00` allowed as an end).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekSpec {
    #[serde(default)]
    pub mon: Vec<String>,
    #[serde(default)]
    pub tue: Vec<String>,
    #[serde(default)]
    pub wed: Vec<String>,
    #[serde(default)]
    pub thu: Vec<String>,
    #[serde(default)]
    pub fri: Vec<String>,
    #[serde(default)]
    pub sat: Vec<String>,
    #[serde(default)]
    pub sun: Vec<String>,
}

/// One holiday rule. Exactly one of `fixed`, `easter`, `date`, `nth_weekday` is set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidaySpec {
    pub name: String,
    /// Every year on this month and day, `"MM-DD"`.
    pub fixed: Option<String>,
    /// Days after Easter Sunday (negative: before), e.g. -2 for Good Friday.
    pub easter: Option<i32>,
    /// Once, on this date, `"YYYY-MM-DD"`.
    pub date: Option<String>,
    /// The nth weekday of a month, e.g. third Monday of January.
    pub nth_weekday: Option<NthWeekdaySpec>,
    /// Move a fixed date that falls on Saturday to Friday and on Sunday to Monday (US federal).
    #[serde(default)]
    pub observed: bool,
    /// First year the rule applies (inclusive).
    pub from_year: Option<i32>,
    /// Last year the rule applies (inclusive).
    pub until_year: Option<i32>,
}

/// `{ month = 1, weekday = "mon", nth = 3 }`; `nth = -1` is the last one in the month.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NthWeekdaySpec {
    pub month: u32,
    pub weekday: String,
    pub nth: i32,
}

/// A dated exception: the day opens exactly these hours (none: closed).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaySpec {
    pub date: String,
    #[serde(default)]
    pub hours: Vec<String>,
}
