//! RFC 3339 instants for the `sla deadline` stream, parsed and printed without allocating.
//!
//! The stream spends more time reading and writing instants than computing deadlines, so the
//! usual shape, `2027-03-05T15:00:00Z` or `…T15:00:00.5+01:00`, takes a hand-written path of
//! fixed-position digit reads; anything else (lower-case `t`, a space, a leap second, more
//! than nine fraction digits) goes to chrono's parser, which is also the fast path's oracle in
//! the tests. Printing is the fixed layout `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z`.

use crate::core::sla::UnixNanos;
use chrono::DateTime;

const DAY_S: i64 = 86_400;

/// Parses one RFC 3339 instant (chrono's rules); `None` also past the ±292 years of
/// [`UnixNanos`], which no calendar reaches.
pub fn parse(text: &[u8]) -> Option<UnixNanos> {
    fast(text).or_else(|| {
        let text = std::str::from_utf8(text).ok()?;
        UnixNanos::from_datetime(DateTime::parse_from_rfc3339(text).ok()?.to_utc())
    })
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`, or `None` to let chrono decide.
fn fast(b: &[u8]) -> Option<UnixNanos> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let (month, day) = (digits(&b[5..7])?, digits(&b[8..10])?);
    let (hour, minute, second) = (digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let (nanos, rest) = fraction(&b[19..])?;
    let offset = offset_seconds(rest)?;
    let days = days_from_civil(year, month, day);
    let secs = days * DAY_S + i64::from(hour * 3600 + minute * 60 + second) - offset;
    UnixNanos::from_parts(secs, nanos)
}

/// An optional `.` and 1 to 9 digits, as nanoseconds, and what follows them.
fn fraction(b: &[u8]) -> Option<(u32, &[u8])> {
    let Some(rest) = b.strip_prefix(b".") else {
        return Some((0, b));
    };
    let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 9 {
        return None;
    }
    let value = digits(&rest[..n])?;
    Some((value * 10u32.pow(9 - n as u32), &rest[n..]))
}

/// `Z` or `±HH:MM` (nothing after it), as seconds east of UTC.
fn offset_seconds(b: &[u8]) -> Option<i64> {
    match b {
        b"Z" => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (hours, minutes) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let secs = i64::from(hours * 3600 + minutes * 60);
            Some(if *sign == b'-' { -secs } else { secs })
        }
        _ => None,
    }
}

/// ASCII digits as a number; `None` on anything else.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter()
        .try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to 0000-03-01, where the civil-date eras below start.
const EPOCH_FROM_0000_03_01: u32 = 719_468;
/// Days in a 400-year era.
const ERA_DAYS: u32 = 146_097;

/// Days since 1970-01-01 of a date in years 0000..=9999 (H. Hinnant's `days_from_civil`, in
/// unsigned arithmetic: the year is shifted one era up so that it stays positive).
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    let y = year + 400 - u32::from(month <= 2);
    let (era, yoe) = (y / 400, y % 400);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i64::from(era * ERA_DAYS + doe) - i64::from(ERA_DAYS + EPOCH_FROM_0000_03_01)
}

/// The date of a day count since 0000-03-01 (H. Hinnant's `civil_from_days`, unsigned).
fn civil_from_days(days: u32) -> (u32, u32, u32) {
    let z = days;
    let (era, doe) = (z / ERA_DAYS, z % ERA_DAYS);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + u32::from(month <= 2), month, day)
}

/// The longest line [`write_line`] produces: 30 bytes and a newline.
pub const MAX_LINE: usize = 31;

/// Writes `t` as `2027-03-01T15:00:00Z` and a newline into `buf`, with a 3-, 6- or 9-digit
/// fraction when there is one; returns the length. `None` for years outside 0000..=9999,
/// which RFC 3339 cannot write.
pub fn write_line(buf: &mut [u8; MAX_LINE], t: UnixNanos) -> Option<usize> {
    // Seconds since 0000-03-01: unsigned from there on, and below 10000-01-01 to print.
    let secs = u64::try_from(t.secs() + i64::from(EPOCH_FROM_0000_03_01) * DAY_S).ok()?;
    let (days, in_day) = ((secs / DAY_S as u64) as u32, (secs % DAY_S as u64) as u32);
    let (year, month, day) = civil_from_days(days);
    if year > 9999 {
        return None;
    }
    let two = |b: &mut [u8], v: u32| {
        b[0] = b'0' + (v / 10) as u8;
        b[1] = b'0' + (v % 10) as u8;
    };
    two(&mut buf[0..2], year / 100);
    two(&mut buf[2..4], year % 100);
    buf[4] = b'-';
    two(&mut buf[5..7], month);
    buf[7] = b'-';
    two(&mut buf[8..10], day);
    buf[10] = b'T';
    two(&mut buf[11..13], in_day / 3600);
    buf[13] = b':';
    two(&mut buf[14..16], in_day / 60 % 60);
    buf[16] = b':';
    two(&mut buf[17..19], in_day % 60);
    let len = 19 + write_fraction(&mut buf[19..], t.subsec_nanos());
    buf[len] = b'Z';
    buf[len + 1] = b'\n';
    Some(len + 2)
}

/// `.fff`, `.ffffff` or `.fffffffff` (the shortest that is exact), or nothing for 0.
fn write_fraction(buf: &mut [u8], nanos: u32) -> usize {
    if nanos == 0 {
        return 0;
    }
    let digits = match nanos {
        n if n % 1_000_000 == 0 => 3,
        n if n % 1_000 == 0 => 6,
        _ => 9,
    };
    buf[0] = b'.';
    let mut v = nanos / 10u32.pow(9 - digits as u32);
    for i in (1..=digits).rev() {
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    digits + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{SecondsFormat, Utc};
    use proptest::prelude::*;

    fn printed(t: DateTime<Utc>) -> String {
        let mut buf = [0; MAX_LINE];
        let n = write_line(&mut buf, UnixNanos::from_datetime(t).unwrap()).unwrap();
        String::from_utf8(buf[..n].to_vec()).unwrap()
    }

    #[test]
    fn the_usual_shapes_take_the_fast_path() {
        for text in [
            "2027-03-05T15:00:00Z",
            "2027-03-05T15:00:00.5+01:00",
            "2024-02-29T23:59:59.123456789-08:00",
        ] {
            let chrono = DateTime::parse_from_rfc3339(text).unwrap().to_utc();
            assert_eq!(fast(text.as_bytes()), UnixNanos::from_datetime(chrono), "{text}");
        }
    }

    #[test]
    fn other_shapes_fall_back_to_chrono() {
        for text in [
            "2027-03-05t15:00:00z",
            "2027-03-05 15:00:00Z",
            "2016-12-31T23:59:60Z",
            "2027-03-05T24:00:00Z",
        ] {
            assert_eq!(fast(text.as_bytes()), None, "{text}");
            let chrono = DateTime::parse_from_rfc3339(text).ok().map(|t| t.to_utc());
            assert_eq!(
                parse(text.as_bytes()),
                chrono.and_then(UnixNanos::from_datetime),
                "{text}"
            );
        }
    }

    #[test]
    fn printing_matches_chrono() {
        for text in [
            "2027-03-01T15:00:00Z",
            "2000-01-01T00:00:00.5Z",
            "2100-12-31T23:59:59.000001Z",
        ] {
            let t = DateTime::parse_from_rfc3339(text).unwrap().to_utc();
            assert_eq!(
                printed(t),
                format!("{}\n", t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            );
        }
    }

    /// Text near the RFC 3339 shape: valid instants, and the same with one byte changed.
    fn near_rfc3339() -> impl Strategy<Value = String> {
        let valid = (0i64..=9999, 1u32..=12, 1u32..=31, 0u32..=24, 0u32..=60, 0u32..=60)
            .prop_flat_map(|d| {
                (
                    Just(d),
                    "(\\.[0-9]{1,10})?",
                    "(Z|z|[+-](0[0-9]|1[0-9]|2[0-4]):[0-5][0-9])",
                )
            })
            .prop_map(|((y, mo, d, h, mi, s), frac, off)| {
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{off}")
            });
        (valid, any::<prop::sample::Index>(), any::<u8>()).prop_map(|(text, at, byte)| {
            let mut bytes = text.into_bytes();
            if byte % 4 == 0 {
                let i = at.index(bytes.len());
                bytes[i] = b"0123456789-:T.Z+ x"[byte as usize % 18];
            }
            String::from_utf8(bytes).unwrap()
        })
    }

    proptest! {
        // Parsing is cheap and a wrong fast path shows in few of the near-misses: many cases.
        #![proptest_config(ProptestConfig::with_cases(8192))]

        #[test]
        fn parsing_agrees_with_chrono(text in near_rfc3339()) {
            let chrono = DateTime::parse_from_rfc3339(&text).ok().map(|t| t.to_utc());
            prop_assert_eq!(parse(text.as_bytes()), chrono.and_then(UnixNanos::from_datetime));
        }

        #[test]
        fn printing_agrees_with_chrono(secs in -9_000_000_000i64..9_000_000_000, nanos in 0u32..1_000_000_000) {
            let t = DateTime::from_timestamp(secs, nanos).unwrap();
            prop_assert_eq!(printed(t), format!("{}\n", t.to_rfc3339_opts(SecondsFormat::AutoSi, true)));
        }
    }
}
