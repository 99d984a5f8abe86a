//! An instant as UTC nanoseconds since 1970, the form the clock's tables use. Bulk callers
//! (the `sla deadline` stream) pass it to skip calendar-date conversions per query.

use chrono::{DateTime, Utc};

const NS: i64 = 1_000_000_000;

/// UTC nanoseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixNanos(pub i64);

impl UnixNanos {
    /// `None` past the ±292 years that i64 nanoseconds hold.
    #[inline]
    pub fn from_parts(secs: i64, subsec_nanos: u32) -> Option<UnixNanos> {
        secs.checked_mul(NS)?
            .checked_add(i64::from(subsec_nanos))
            .map(UnixNanos)
    }

    #[inline]
    pub fn from_datetime(t: DateTime<Utc>) -> Option<UnixNanos> {
        UnixNanos::from_parts(t.timestamp(), t.timestamp_subsec_nanos())
    }

    #[inline]
    pub fn secs(self) -> i64 {
        self.0.div_euclid(NS)
    }

    #[inline]
    pub fn subsec_nanos(self) -> u32 {
        self.0.rem_euclid(NS) as u32
    }

    #[inline]
    pub fn to_datetime(self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.secs(), self.subsec_nanos()).expect("i64 nanoseconds are within chrono's range")
    }
}
