//! A reminder's lead time: a fixed time before the deadline, or a share of the target left.

use chrono::Duration;
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::str::FromStr;

/// How long before the first-response deadline a reminder falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// This much (clock or business) time before the deadline: `60m`, `1h`.
    Before(Duration),
    /// When this share of the target is left: `50%` of a 4 h target is 2 h before.
    PercentLeft(u8),
}

impl Lead {
    /// The lead as time before the deadline, for a target of `target`.
    pub fn before_deadline(self, target: Duration) -> Duration {
        match self {
            Lead::Before(d) => d,
            Lead::PercentLeft(p) => Duration::seconds(target.num_seconds() * i64::from(p) / 100),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a lead time: write minutes or hours (`30m`, `1h`) or a share of the target (`50%`)")]
pub struct LeadParseError(pub String);

/// Parses `90s`, `30m`, `2h`, `1h30m`, `1d` into a duration.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let mut total = 0i64;
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        total += n * match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return None,
        };
    }
    (number.is_empty() && total > 0).then(|| Duration::seconds(total))
}

impl FromStr for Lead {
    type Err = LeadParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || LeadParseError(s.to_string());
        if let Some(p) = s.trim().strip_suffix('%') {
            return match p.trim().parse::<u8>() {
                Ok(p) if (1..100).contains(&p) => Ok(Lead::PercentLeft(p)),
                _ => Err(bad()),
            };
        }
        parse_duration(s).map(Lead::Before).ok_or_else(bad)
    }
}

impl<'de> Deserialize<'de> for Lead {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Lead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lead::Before(d) => write!(f, "{}m", d.num_minutes()),
            Lead::PercentLeft(p) => write!(f, "{p}%"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leads_parse_durations_and_shares() {
        assert_eq!("60m".parse::<Lead>().unwrap(), Lead::Before(Duration::minutes(60)));
        assert_eq!("1h30m".parse::<Lead>().unwrap(), Lead::Before(Duration::minutes(90)));
        assert_eq!("50%".parse::<Lead>().unwrap(), Lead::PercentLeft(50));
        for bad in ["", "0m", "5x", "m", "100%", "0%", "12"] {
            assert!(bad.parse::<Lead>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn share_of_target_is_time_before_deadline() {
        assert_eq!(
            Lead::PercentLeft(50).before_deadline(Duration::hours(4)),
            Duration::hours(2)
        );
        assert_eq!(
            Lead::Before(Duration::hours(1)).before_deadline(Duration::hours(8)),
            Duration::hours(1)
        );
    }
}
