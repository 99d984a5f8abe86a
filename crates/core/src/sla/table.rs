//! The precomputed clock: every open span of a calendar from 2000 to 2100 as UTC nanoseconds,
//! with the business time elapsed before each span, so a deadline is a table lookup.
//!
//! Built once per calendar: local open intervals are mapped to UTC through the zone's offset
//! periods (found by sampling the zone and bisecting each change to the second), so the
//! spring-forward gap opens nothing and the autumn overlap counts both repetitions.

use super::hours::OpenInterval;
use chrono::{DateTime, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

const NS: i64 = 1_000_000_000;
const DAY_S: i64 = 86_400;
const DAY_NS: i64 = DAY_S * NS;
/// 2000-01-01T00:00:00Z, the first supported instant.
pub const FIRST_S: i64 = 946_684_800;
/// 2101-01-01T00:00:00Z, the end of the supported range (exclusive for starts).
pub const END_S: i64 = 4_133_980_800;
pub const FIRST_NS: i64 = FIRST_S * NS;
pub const END_NS: i64 = END_S * NS;
/// Wider than any UTC offset, so every local day that touches the range is mapped.
const OFFSET_MARGIN_S: i64 = 18 * 3600;

/// One open stretch of real time, `[start, end)` in UTC nanoseconds, and the business
/// time in all earlier spans.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: i64,
    end: i64,
    before: i64,
}

/// The open spans of one calendar over the supported range.
#[derive(Debug, Clone)]
pub struct SpanTable {
    /// Sorted, disjoint, non-touching; ends with a sentinel at `i64::MAX`.
    spans: Vec<Span>,
    /// For each UTC day from 2000-01-01, the first span that ends after the day starts.
    day_index: Vec<u32>,
    total: i64,
}

/// A UTC nanosecond outside 2000-01-01 ..= 2101-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfTable;

impl SpanTable {
    /// Maps every local day's open intervals (from `hours`) to UTC spans.
    pub fn build<'a>(zone: Tz, hours: impl Fn(NaiveDate) -> &'a [OpenInterval]) -> SpanTable {
        let periods = offset_periods(zone, FIRST_S - 3 * DAY_S, END_S + 3 * DAY_S);
        let mut pieces = local_days_to_utc(&periods, hours);
        pieces.sort_unstable();
        SpanTable::from_pieces(merge_and_clip(pieces))
    }

    fn from_pieces(pieces: Vec<(i64, i64)>) -> SpanTable {
        let mut spans = Vec::with_capacity(pieces.len() + 1);
        let mut before = 0;
        for (start, end) in pieces {
            spans.push(Span {
                start: start * NS,
                end: end * NS,
                before,
            });
            before += (end - start) * NS;
        }
        spans.push(Span {
            start: i64::MAX,
            end: i64::MAX,
            before,
        });
        let days = ((END_S - FIRST_S) / DAY_S) as usize;
        let mut day_index = Vec::with_capacity(days + 1);
        let mut i = 0;
        for day in 0..=days as i64 {
            let day_start = FIRST_NS + day * DAY_NS;
            while spans[i].end <= day_start {
                i += 1;
            }
            day_index.push(i as u32);
        }
        SpanTable {
            spans,
            day_index,
            total: before,
        }
    }

    /// Total business time in the table, in nanoseconds.
    pub fn total(&self) -> i64 {
        self.total
    }

    /// Index of the first span ending after `t` (the sentinel if none).
    #[inline]
    fn locate(&self, t: i64) -> usize {
        let mut i = self.day_index[((t - FIRST_NS) / DAY_NS) as usize] as usize;
        while self.spans[i].end <= t {
            i += 1;
        }
        i
    }

    #[inline]
    fn check(t: i64) -> Result<(), OutOfTable> {
        if (FIRST_NS..=END_NS).contains(&t) {
            Ok(())
        } else {
            Err(OutOfTable)
        }
    }

    /// Business time elapsed from 2000-01-01 to `t`.
    #[inline]
    pub fn position(&self, t: i64) -> Result<i64, OutOfTable> {
        Self::check(t)?;
        let span = self.spans[self.locate(t)];
        Ok(span.before + (t - span.start).max(0))
    }

    /// The earliest instant at which `business` nanoseconds (≥ 0) have elapsed since `start`.
    #[inline]
    pub fn deadline(&self, start: i64, business: i64) -> Result<i64, OutOfTable> {
        Self::check(start)?;
        if business == 0 {
            return Ok(start);
        }
        let i = self.locate(start);
        let span = self.spans[i];
        let target = span.before + (start - span.start).max(0) + business;
        if business > self.total || target > self.total {
            return Err(OutOfTable);
        }
        // Short durations end within a few spans: walk, then bisect the rest.
        let mut k = i + 1;
        let mut steps = 0;
        while self.spans[k].before < target {
            k += 1;
            steps += 1;
            if steps == 8 {
                k += self.spans[k..].partition_point(|s| s.before < target);
                break;
            }
        }
        let last = self.spans[k - 1];
        Ok(last.start + (target - last.before))
    }

    /// The start of the first open span at or after `t` (`t` itself when open).
    pub fn next_open(&self, t: i64) -> Result<i64, OutOfTable> {
        Self::check(t)?;
        let span = self.spans[self.locate(t)];
        if span.start == i64::MAX {
            return Err(OutOfTable);
        }
        Ok(span.start.max(t))
    }
}

/// `(first UTC second, offset in seconds)` for each stretch of constant offset.
fn offset_periods(zone: Tz, from: i64, to: i64) -> Vec<(i64, i64)> {
    const STEP: i64 = 6 * 3600;
    let mut periods = vec![(i64::MIN, offset_at(zone, from))];
    let mut t = from;
    while t < to {
        let (current, next) = (periods[periods.len() - 1].1, offset_at(zone, t + STEP));
        if next != current {
            periods.push((first_change(zone, t, t + STEP, current), next));
        }
        t += STEP;
    }
    periods
}

/// The first second in `(lo, hi]` whose offset differs from `current` (one change assumed).
fn first_change(zone: Tz, mut lo: i64, mut hi: i64, current: i64) -> i64 {
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if offset_at(zone, mid) == current {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

fn offset_at(zone: Tz, second: i64) -> i64 {
    DateTime::from_timestamp(second, 0)
        .map(|t| i64::from(zone.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc()))
        .unwrap_or(0)
}

/// UTC pieces of every local open interval: the instants whose local wall time falls in it.
fn local_days_to_utc<'a>(periods: &[(i64, i64)], hours: impl Fn(NaiveDate) -> &'a [OpenInterval]) -> Vec<(i64, i64)> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let first_day = (FIRST_S - OFFSET_MARGIN_S).div_euclid(DAY_S) - 1;
    let last_day = (END_S + OFFSET_MARGIN_S).div_euclid(DAY_S) + 1;
    let mut pieces = Vec::new();
    for day in first_day..=last_day {
        let Some(date) = epoch.checked_add_signed(chrono::TimeDelta::days(day)) else {
            continue;
        };
        for iv in hours(date) {
            let (l1, l2) = (day * DAY_S + i64::from(iv.start), day * DAY_S + i64::from(iv.end));
            push_pieces(periods, l1, l2, &mut pieces);
        }
    }
    pieces
}

/// For each offset period `p`, the instants `t` in `p` with `t + offset` in `[l1, l2)`.
fn push_pieces(periods: &[(i64, i64)], l1: i64, l2: i64, out: &mut Vec<(i64, i64)>) {
    let mut p = periods
        .partition_point(|&(start, _)| start <= l1 - OFFSET_MARGIN_S)
        .saturating_sub(1);
    while p < periods.len() && periods[p].0 < l2 + OFFSET_MARGIN_S {
        let (p_start, offset) = periods[p];
        let p_end = periods.get(p + 1).map_or(i64::MAX, |n| n.0);
        let (a, b) = ((l1 - offset).max(p_start), (l2 - offset).min(p_end));
        if a < b {
            out.push((a, b));
        }
        p += 1;
    }
}

/// Joins touching pieces and keeps only the supported range.
fn merge_and_clip(pieces: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(pieces.len());
    for (a, b) in pieces {
        let (a, b) = (a.max(FIRST_S), b.min(END_S));
        if a >= b {
            continue;
        }
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_constants_are_the_documented_instants() {
        let first = DateTime::parse_from_rfc3339("2000-01-01T00:00:00Z").unwrap();
        let end = DateTime::parse_from_rfc3339("2101-01-01T00:00:00Z").unwrap();
        assert_eq!(first.timestamp(), FIRST_S);
        assert_eq!(end.timestamp(), END_S);
    }

    #[test]
    fn oslo_offset_periods_find_2027_changes_to_the_second() {
        let zone: Tz = "Europe/Oslo".parse().unwrap();
        let periods = offset_periods(zone, FIRST_S, END_S);
        // 2027-03-28T01:00:00Z to CEST, 2027-10-31T01:00:00Z back to CET.
        assert!(periods.contains(&(1_806_195_600, 7200)));
        assert!(periods.contains(&(1_824_944_400, 3600)));
        // chrono-tz 0.10's tables end with 2099: it has no DST changes in 2100.
        assert_eq!(periods.len(), 1 + 2 * 100);
    }
}
