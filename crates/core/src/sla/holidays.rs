//! Holiday rules (not lists): fixed dates, Easter offsets, one-off dates, nth weekdays,
//! and the US federal observed-day shift. Each rule answers "is this date closed?" for any year.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// When a holiday falls, before the observed-day shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayDate {
    Fixed {
        month: u32,
        day: u32,
    },
    /// Days after Easter Sunday (negative: before).
    Easter {
        offset: i32,
    },
    Once(NaiveDate),
    /// `nth` 1..=5 counts from the start of the month, -1..=-5 from its end.
    NthWeekday {
        month: u32,
        weekday: Weekday,
        nth: i32,
    },
}

/// One holiday: its date rule, the years it applies, and whether weekends shift it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub name: String,
    pub date: HolidayDate,
    /// Saturday → Friday, Sunday → Monday (US federal rule; 1 January on a Saturday is
    /// observed on 31 December of the previous year).
    pub observed: bool,
    pub from_year: Option<i32>,
    pub until_year: Option<i32>,
}

impl Holiday {
    /// The closed date this rule gives in `year` (the holiday's own year), if any.
    pub fn closed_date(&self, year: i32) -> Option<NaiveDate> {
        if self.from_year.is_some_and(|y| year < y) || self.until_year.is_some_and(|y| year > y) {
            return None;
        }
        let nominal = match self.date {
            HolidayDate::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day)?,
            HolidayDate::Easter { offset } => add_days(easter_sunday(year)?, offset)?,
            HolidayDate::Once(date) => (date.year() == year).then_some(date)?,
            HolidayDate::NthWeekday { month, weekday, nth } => nth_weekday(year, month, weekday, nth)?,
        };
        Some(if self.observed { observed(nominal) } else { nominal })
    }

    /// Whether this rule closes `date`. The observed shift moves a date at most one day,
    /// possibly into the neighbouring year, so the neighbouring years' holidays are checked too.
    pub fn closes(&self, date: NaiveDate) -> bool {
        let y = date.year();
        if self.observed {
            (y - 1..=y + 1).any(|year| self.closed_date(year) == Some(date))
        } else {
            self.closed_date(y) == Some(date)
        }
    }
}

/// Easter Sunday by the Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The nth (1-based) or nth-from-last (negative) `weekday` of a month.
pub fn nth_weekday(year: i32, month: u32, weekday: Weekday, nth: i32) -> Option<NaiveDate> {
    if nth > 0 {
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, u8::try_from(nth).ok()?)
    } else {
        let next_month = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let last = next_month.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        let date = add_days(last, -(back as i32) - 7 * (-nth - 1))?;
        (date.month() == month).then_some(date)
    }
}

fn observed(date: NaiveDate) -> NaiveDate {
    let shifted = match date.weekday() {
        Weekday::Sat => add_days(date, -1),
        Weekday::Sun => add_days(date, 1),
        _ => None,
    };
    shifted.unwrap_or(date)
}

fn add_days(date: NaiveDate, days: i32) -> Option<NaiveDate> {
    if days >= 0 {
        date.checked_add_days(Days::new(days as u64))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs() as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_matches_known_dates() {
        let known = [
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2049, 4, 18),
            (2095, 4, 24),
            (2100, 3, 28),
        ];
        for (y, m, day) in known {
            assert_eq!(easter_sunday(y), Some(d(y, m, day)), "{y}");
        }
    }

    #[test]
    fn nth_weekday_counts_from_both_ends() {
        assert_eq!(nth_weekday(2027, 1, Weekday::Mon, 3), Some(d(2027, 1, 18)));
        assert_eq!(nth_weekday(2027, 5, Weekday::Mon, -1), Some(d(2027, 5, 31)));
        assert_eq!(nth_weekday(2026, 11, Weekday::Thu, 4), Some(d(2026, 11, 26)));
        assert_eq!(nth_weekday(2026, 9, Weekday::Mon, 1), Some(d(2026, 9, 7)));
        assert_eq!(nth_weekday(2026, 2, Weekday::Mon, 5), None);
    }

    #[test]
    fn observed_new_year_on_saturday_moves_to_previous_year() {
        let ny = Holiday {
            name: "New Year".into(),
            date: HolidayDate::Fixed { month: 1, day: 1 },
            observed: true,
            from_year: None,
            until_year: None,
        };
        // 1 January 2022 was a Saturday: observed Friday 31 December 2021.
        assert!(ny.closes(d(2021, 12, 31)));
        assert!(!ny.closes(d(2022, 1, 1)));
        // 1 January 2023 was a Sunday: observed Monday 2 January.
        assert!(ny.closes(d(2023, 1, 2)));
    }

    #[test]
    fn year_bounds_limit_a_rule() {
        let juneteenth = Holiday {
            name: "Juneteenth".into(),
            date: HolidayDate::Fixed { month: 6, day: 19 },
            observed: true,
            from_year: Some(2021),
            until_year: None,
        };
        assert!(!juneteenth.closes(d(2020, 6, 19)));
        // 19 June 2021 was a Saturday: observed Friday 18 June.
        assert!(juneteenth.closes(d(2021, 6, 18)));
    }
}
