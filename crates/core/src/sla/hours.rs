//! Opening intervals within one local day, parsed from `"HH:MM-HH:MM"` and validated.

use std::fmt;

/// Seconds since local midnight, `0..=86_400`.
pub type DaySecond = u32;

/// A half-open local interval `[start, end)` of one day, in seconds since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct OpenInterval {
    pub start: DaySecond,
    pub end: DaySecond,
}

impl OpenInterval {
    pub fn contains(&self, second: DaySecond) -> bool {
        self.start <= second && second < self.end
    }
}

impl fmt::Display for OpenInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |s: u32| format!("{:02}:{:02}", s / 3600, s % 3600 / 60);
        write!(f, "{}-{}", hm(self.start), hm(self.end))
    }
}

/// Parses a day's intervals, sorts them and rejects empty, reversed and overlapping ones.
/// Touching intervals (`08:00-12:00`, `12:00-16:00`) are allowed.
pub fn parse_day(raw: &[String]) -> Result<Vec<OpenInterval>, (usize, String)> {
    let mut out = Vec::with_capacity(raw.len());
    for (i, text) in raw.iter().enumerate() {
        out.push(parse_interval(text).map_err(|r| (i, r))?);
    }
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|&i| out[i]);
    for pair in order.windows(2) {
        let (a, b) = (out[pair[0]], out[pair[1]]);
        if b.start < a.end {
            return Err((pair[1], format!("interval {b} overlaps {a}")));
        }
    }
    out.sort();
    Ok(out)
}

fn parse_interval(text: &str) -> Result<OpenInterval, String> {
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| format!("{text:?} is not an interval like \"08:00-16:00\""))?;
    let start = parse_clock(a.trim())?;
    let end = parse_clock(b.trim())?;
    if end == start {
        return Err(format!("interval {text:?} is empty"));
    }
    if end < start {
        return Err(format!("interval {text:?} ends before it starts"));
    }
    Ok(OpenInterval { start, end })
}

/// `HH:MM` or `HH:MM:SS`, up to `24:00`.
fn parse_clock(text: &str) -> Result<DaySecond, String> {
    let bad = || format!("{text:?} is not a time like \"08:00\"");
    let mut parts = text.split(':');
    let mut field = |max: u32| -> Result<Option<u32>, String> {
        match parts.next() {
            None => Ok(None),
            Some(p) if p.len() == 2 && p.bytes().all(|c| c.is_ascii_digit()) => {
                let v: u32 = p.parse().map_err(|_| bad())?;
                if v > max {
                    Err(bad())
                } else {
                    Ok(Some(v))
                }
            }
            Some(_) => Err(bad()),
        }
    };
    let h = field(24)?.ok_or_else(bad)?;
    let m = field(59)?.ok_or_else(bad)?;
    let s = field(59)?.unwrap_or(0);
    if parts.next().is_some() {
        return Err(bad());
    }
    let total = h * 3600 + m * 60 + s;
    if total > 86_400 {
        return Err(bad());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(v: &[&str]) -> Result<Vec<OpenInterval>, (usize, String)> {
        parse_day(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn parses_and_sorts_split_days() {
        let d = day(&["12:00-16:00", "08:00-11:30"]).unwrap();
        assert_eq!(
            d[0],
            OpenInterval {
                start: 8 * 3600,
                end: 11 * 3600 + 1800
            }
        );
        assert_eq!(d[1].end, 16 * 3600);
    }

    #[test]
    fn accepts_midnight_end_and_touching_intervals() {
        assert!(day(&["00:00-12:00", "12:00-24:00"]).is_ok());
    }

    #[test]
    fn rejects_empty_reversed_overlapping_and_malformed() {
        assert!(day(&["08:00-08:00"]).unwrap_err().1.contains("empty"));
        assert!(day(&["16:00-08:00"]).unwrap_err().1.contains("ends before"));
        assert!(day(&["08:00-12:00", "11:00-16:00"]).unwrap_err().1.contains("overlaps"));
        assert!(day(&["8-16"]).is_err());
        assert!(day(&["08:00-24:01"]).is_err());
        assert!(day(&["08:60-09:00"]).is_err());
    }
}
