//! `CalendarSet::build`: validates `calendars.toml` (zones, intervals, holiday rules, default)
//! into calendars, naming the key and the reason of the first problem.

use super::config::{CalendarSpec, CalendarsFile, HolidaySpec};
use super::holidays::{Holiday, HolidayDate};
use super::hours::{parse_day, OpenInterval};
use super::{Calendar, CalendarError};
use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// Every calendar, validated, with the default one.
#[derive(Debug, Clone)]
pub struct CalendarSet {
    calendars: BTreeMap<String, Calendar>,
    default: String,
}

impl CalendarSet {
    /// Validates every calendar and builds its table (about 20–40 ms per calendar).
    pub fn build(file: CalendarsFile) -> Result<CalendarSet, CalendarError> {
        let mut calendars = BTreeMap::new();
        for (name, spec) in file.calendars {
            let calendar = build_calendar(&name, spec)?;
            calendars.insert(name, calendar);
        }
        if !calendars.contains_key(&file.default) {
            let known = calendars.keys().cloned().collect::<Vec<_>>().join(", ");
            return Err(err(
                "default",
                format!("unknown calendar {:?} (known: {known})", file.default),
            ));
        }
        Ok(CalendarSet {
            calendars,
            default: file.default,
        })
    }

    pub fn names(&self) -> Vec<String> {
        self.calendars.keys().cloned().collect()
    }

    pub fn get(&self, name: &str) -> Option<&Calendar> {
        self.calendars.get(name)
    }

    /// The calendar named by `default` (checked at build).
    pub fn default_calendar(&self) -> &Calendar {
        &self.calendars[&self.default]
    }
}

fn err(key: impl Into<String>, reason: impl Into<String>) -> CalendarError {
    CalendarError {
        key: key.into(),
        reason: reason.into(),
    }
}

fn build_calendar(name: &str, spec: CalendarSpec) -> Result<Calendar, CalendarError> {
    let key = format!("calendars.{name}");
    let zone: Tz = spec
        .zone
        .parse()
        .map_err(|_| err(format!("{key}.zone"), format!("unknown time zone {:?}", spec.zone)))?;
    let w = spec.week;
    let raw_week = [
        ("mon", w.mon),
        ("tue", w.tue),
        ("wed", w.wed),
        ("thu", w.thu),
        ("fri", w.fri),
        ("sat", w.sat),
        ("sun", w.sun),
    ];
    let mut week: [Vec<OpenInterval>; 7] = Default::default();
    for (slot, (day, raw)) in week.iter_mut().zip(raw_week) {
        *slot = parse_day(&raw).map_err(|(i, r)| err(format!("{key}.week.{day}[{i}]"), r))?;
    }
    let holidays = spec
        .holidays
        .into_iter()
        .enumerate()
        .map(|(i, h)| holiday(h).map_err(|r| err(format!("{key}.holidays[{i}]"), r)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut days = BTreeMap::new();
    for (i, d) in spec.days.into_iter().enumerate() {
        let at = format!("{key}.days[{i}]");
        let date = parse_date(&d.date).map_err(|r| err(format!("{at}.date"), r))?;
        let hours = parse_day(&d.hours).map_err(|(j, r)| err(format!("{at}.hours[{j}]"), r))?;
        if days.insert(date, hours).is_some() {
            return Err(err(format!("{at}.date"), format!("{date} is listed twice")));
        }
    }
    let calendar = Calendar::new(name.to_string(), zone, week, holidays, days);
    if !calendar.has_open_time() {
        return Err(err(key, "the calendar has no open time at all"));
    }
    Ok(calendar)
}

fn holiday(spec: HolidaySpec) -> Result<Holiday, String> {
    let kinds = [
        spec.fixed.is_some(),
        spec.easter.is_some(),
        spec.date.is_some(),
        spec.nth_weekday.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() != 1 {
        return Err(format!(
            "holiday {:?} needs exactly one of fixed, easter, date, nth_weekday",
            spec.name
        ));
    }
    let date = if let Some(md) = &spec.fixed {
        let (month, day) = parse_month_day(md)?;
        HolidayDate::Fixed { month, day }
    } else if let Some(offset) = spec.easter {
        if offset.abs() > 200 {
            return Err(format!("easter offset {offset} is more than 200 days"));
        }
        HolidayDate::Easter { offset }
    } else if let Some(d) = &spec.date {
        HolidayDate::Once(parse_date(d)?)
    } else if let Some(n) = &spec.nth_weekday {
        let weekday: Weekday = n
            .weekday
            .parse()
            .map_err(|_| format!("unknown weekday {:?}", n.weekday))?;
        if !(1..=12).contains(&n.month) || n.nth == 0 || !(-5..=5).contains(&n.nth) {
            return Err("nth_weekday needs month 1..=12 and nth 1..=5 or -1..=-5".to_string());
        }
        HolidayDate::NthWeekday {
            month: n.month,
            weekday,
            nth: n.nth,
        }
    } else {
        return Err("no date rule".to_string());
    };
    if spec.observed && !matches!(date, HolidayDate::Fixed { .. }) {
        return Err("observed applies only to fixed dates".to_string());
    }
    Ok(Holiday {
        name: spec.name,
        date,
        observed: spec.observed,
        from_year: spec.from_year,
        until_year: spec.until_year,
    })
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("{text:?} is not a date like \"2027-05-17\""))
}

/// `"MM-DD"`; 29 February is allowed (it closes only in leap years).
fn parse_month_day(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{text:?} is not a month and day like \"12-25\"");
    let (m, d) = text.split_once('-').ok_or_else(bad)?;
    let (m, d): (u32, u32) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    NaiveDate::from_ymd_opt(2000, m, d).ok_or_else(bad)?;
    Ok((m, d))
}
