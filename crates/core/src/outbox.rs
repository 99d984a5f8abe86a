//! What an outbox row is and where it goes, as typed values; the store writes them as text
//! and parses them back when it reads a row.

use crate::ids::{EntitlementId, OrgId};
use crate::reminders::NoticeKind;
use std::fmt;
use std::str::FromStr;

/// Where a notice goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxTarget {
    /// The incident's own thread.
    Thread,
    /// The engineers' channel (with an Acknowledge button).
    Engineers,
    /// The managers' channel.
    Managers,
    /// The organisation's intake channel (pack expiry notices).
    Organisation(OrgId),
}

impl fmt::Display for OutboxTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutboxTarget::Thread => f.write_str("thread"),
            OutboxTarget::Engineers => f.write_str("engineers"),
            OutboxTarget::Managers => f.write_str("managers"),
            OutboxTarget::Organisation(org) => write!(f, "org:{org}"),
        }
    }
}

impl FromStr for OutboxTarget {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "thread" => Ok(OutboxTarget::Thread),
            "engineers" => Ok(OutboxTarget::Engineers),
            "managers" => Ok(OutboxTarget::Managers),
            other => other
                .strip_prefix("org:")
                .map(|org| OutboxTarget::Organisation(OrgId::new(org)))
                .ok_or_else(|| format!("unknown notification target {other:?}")),
        }
    }
}

/// What a notice says; stored as the outbox row's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxKind {
    Reminder {
        step: u8,
    },
    Breach,
    Escalation {
        step: u32,
    },
    /// Units of a pack expire in `days` days (0: they expired now and are written off).
    Expiry {
        entitlement: EntitlementId,
        days: u32,
    },
    /// A channel the bot cannot post to: told to the managers once (permanent failure).
    ConfigProblem {
        channel: u64,
    },
    /// Notices to a channel given up after the configured number of attempts (Discord kept
    /// answering 429 or 5xx): told to the managers once a day per channel.
    GaveUp {
        channel: u64,
    },
    /// The managers' digest of open breaches of `day`: incidents past their escalation ladder
    /// (or taken over) that still wait for a first response.
    BreachDigest {
        day: chrono::NaiveDate,
    },
    /// The managers' SLA report of the ISO week starting on Monday `week`, posted the Monday
    /// after it (issue 20).
    WeeklyReport {
        week: chrono::NaiveDate,
    },
}

impl fmt::Display for OutboxKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutboxKind::Reminder { step } => write!(f, "reminder-{step}"),
            OutboxKind::Breach => f.write_str("breach"),
            OutboxKind::Escalation { step } => write!(f, "escalation-{step}"),
            OutboxKind::Expiry { entitlement, days } => write!(f, "expiry-{days}-{}", entitlement.0),
            OutboxKind::ConfigProblem { channel } => write!(f, "config-problem-{channel}"),
            OutboxKind::GaveUp { channel } => write!(f, "gave-up-{channel}"),
            OutboxKind::BreachDigest { day } => write!(f, "breach-digest-{}", day.format("%Y-%m-%d")),
            OutboxKind::WeeklyReport { week } => write!(f, "weekly-report-{}", week.format("%Y-%m-%d")),
        }
    }
}

impl FromStr for OutboxKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("unknown notification kind {s:?}");
        if s == "breach" {
            return Ok(OutboxKind::Breach);
        }
        if let Some(channel) = s.strip_prefix("config-problem-") {
            return channel
                .parse()
                .map(|channel| OutboxKind::ConfigProblem { channel })
                .map_err(|_| bad());
        }
        if let Some(channel) = s.strip_prefix("gave-up-") {
            return channel
                .parse()
                .map(|channel| OutboxKind::GaveUp { channel })
                .map_err(|_| bad());
        }
        if let Some(day) = s.strip_prefix("breach-digest-") {
            return chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map(|day| OutboxKind::BreachDigest { day })
                .map_err(|_| bad());
        }
        if let Some(week) = s.strip_prefix("weekly-report-") {
            return chrono::NaiveDate::parse_from_str(week, "%Y-%m-%d")
                .map(|week| OutboxKind::WeeklyReport { week })
                .map_err(|_| bad());
        }
        if let Some(step) = s.strip_prefix("reminder-") {
            return step
                .parse()
                .map(|step| OutboxKind::Reminder { step })
                .map_err(|_| bad());
        }
        if let Some(step) = s.strip_prefix("escalation-") {
            return step
                .parse()
                .map(|step| OutboxKind::Escalation { step })
                .map_err(|_| bad());
        }
        let rest = s.strip_prefix("expiry-").ok_or_else(bad)?;
        let (days, id) = rest.split_once('-').ok_or_else(bad)?;
        Ok(OutboxKind::Expiry {
            entitlement: EntitlementId(id.parse().map_err(|_| bad())?),
            days: days.parse().map_err(|_| bad())?,
        })
    }
}

impl From<NoticeKind> for OutboxKind {
    fn from(kind: NoticeKind) -> OutboxKind {
        match kind {
            NoticeKind::Reminder { step } => OutboxKind::Reminder { step },
            NoticeKind::Breach => OutboxKind::Breach,
            NoticeKind::Escalation { step } => OutboxKind::Escalation { step },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_targets_round_trip_through_their_stored_text() {
        for kind in [
            OutboxKind::Reminder { step: 2 },
            OutboxKind::Breach,
            OutboxKind::Escalation { step: 12 },
            OutboxKind::Expiry {
                entitlement: EntitlementId(7),
                days: 30,
            },
            OutboxKind::ConfigProblem {
                channel: 1_100_000_000_000_000_010,
            },
            OutboxKind::GaveUp {
                channel: 1_100_000_000_000_000_011,
            },
            OutboxKind::BreachDigest {
                day: chrono::NaiveDate::from_ymd_opt(2027, 3, 2).unwrap(),
            },
            OutboxKind::WeeklyReport {
                week: chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            },
        ] {
            assert_eq!(kind.to_string().parse::<OutboxKind>().unwrap(), kind);
        }
        for target in [
            OutboxTarget::Thread,
            OutboxTarget::Engineers,
            OutboxTarget::Managers,
            OutboxTarget::Organisation(OrgId::new("contoso")),
        ] {
            assert_eq!(target.to_string().parse::<OutboxTarget>().unwrap(), target);
        }
        assert!("reminder-x".parse::<OutboxKind>().is_err());
        assert!("weekly-report-2027-13-01".parse::<OutboxKind>().is_err());
        assert!("customers".parse::<OutboxTarget>().is_err());
    }
}
