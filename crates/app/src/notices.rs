//! The outbox rows an incident's life creates: reminders to its thread and the engineers'
//! channel, the breach alert to the managers, escalations, and expiry notices of packs.
//! Rows name a logical target; the sender resolves it to a channel when it posts, so a
//! config change of channel ids applies to notices already queued.

use crate::error::AppError;
use crate::App;
use chrono::{Duration, TimeZone, Utc};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::ids::{EntitlementId, OrgId};
use intakebot_core::reminders::{Notice, NoticeKind};
use intakebot_store::{NewNotification, Nonce, NotificationKind, NotificationTarget, SourceId};
use std::fmt;
use std::str::FromStr;

/// Where a notice goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The incident's own thread.
    Thread,
    /// The engineers' channel (with an Acknowledge button).
    Engineers,
    /// The managers' channel.
    Managers,
    /// The organisation's intake channel (pack expiry notices).
    Organisation(OrgId),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Thread => f.write_str("thread"),
            Target::Engineers => f.write_str("engineers"),
            Target::Managers => f.write_str("managers"),
            Target::Organisation(org) => write!(f, "org:{org}"),
        }
    }
}

impl FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "thread" => Ok(Target::Thread),
            "engineers" => Ok(Target::Engineers),
            "managers" => Ok(Target::Managers),
            other => other
                .strip_prefix("org:")
                .map(|org| Target::Organisation(OrgId::new(org)))
                .ok_or_else(|| format!("unknown notification target {other:?}")),
        }
    }
}

/// What a notice says; stored as the outbox row's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
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
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Reminder { step } => write!(f, "reminder-{step}"),
            Kind::Breach => f.write_str("breach"),
            Kind::Escalation { step } => write!(f, "escalation-{step}"),
            Kind::Expiry { entitlement, days } => write!(f, "expiry-{days}-{}", entitlement.0),
            Kind::ConfigProblem { channel } => write!(f, "config-problem-{channel}"),
        }
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("unknown notification kind {s:?}");
        if s == "breach" {
            return Ok(Kind::Breach);
        }
        if let Some(channel) = s.strip_prefix("config-problem-") {
            return channel
                .parse()
                .map(|channel| Kind::ConfigProblem { channel })
                .map_err(|_| bad());
        }
        if let Some(step) = s.strip_prefix("reminder-") {
            return step.parse().map(|step| Kind::Reminder { step }).map_err(|_| bad());
        }
        if let Some(step) = s.strip_prefix("escalation-") {
            return step.parse().map(|step| Kind::Escalation { step }).map_err(|_| bad());
        }
        let rest = s.strip_prefix("expiry-").ok_or_else(bad)?;
        let (days, id) = rest.split_once('-').ok_or_else(bad)?;
        Ok(Kind::Expiry {
            entitlement: EntitlementId(id.parse().map_err(|_| bad())?),
            days: days.parse().map_err(|_| bad())?,
        })
    }
}

impl From<NoticeKind> for Kind {
    fn from(kind: NoticeKind) -> Kind {
        match kind {
            NoticeKind::Reminder { step } => Kind::Reminder { step },
            NoticeKind::Breach => Kind::Breach,
            NoticeKind::Escalation { step } => Kind::Escalation { step },
        }
    }
}

/// Where each kind of notice goes.
pub fn targets_of(kind: Kind) -> Vec<Target> {
    match kind {
        Kind::Reminder { .. } => vec![Target::Thread, Target::Engineers],
        Kind::Breach | Kind::Escalation { .. } => vec![Target::Managers, Target::Thread],
        Kind::Expiry { .. } | Kind::ConfigProblem { .. } => Vec::new(),
    }
}

/// A stable nonce (≤ 25 characters) for one post, so a retried post is deduplicated by Discord.
pub fn nonce(scope: &str, kind: Kind, target: &Target) -> Nonce {
    let short_target = match target {
        Target::Thread => "t".to_string(),
        Target::Engineers => "e".to_string(),
        Target::Managers => "m".to_string(),
        Target::Organisation(_) => "o".to_string(),
    };
    let short_kind = match kind {
        Kind::Reminder { step } => format!("r{step}"),
        Kind::Breach => "b".to_string(),
        Kind::Escalation { step } => format!("x{step}"),
        Kind::Expiry { days, .. } => format!("d{days}"),
        Kind::ConfigProblem { .. } => "c".to_string(),
    };
    let text = format!("{scope}{short_kind}{short_target}");
    // Scopes are at most 13 base-36 digits, so this stays below 25 characters.
    Nonce::new(text.chars().take(25).collect::<String>()).expect("nonce of 1 to 25 characters")
}

/// A short stable scope for the nonces of one incident: its source id hashed (FNV-1a, base 36),
/// because the incident number is only known after the insert that writes these rows.
pub fn scope_of(source: &SourceId) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in source.0.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut digits = Vec::new();
    while hash > 0 {
        digits.push(char::from_digit((hash % 36) as u32, 36).unwrap_or('0'));
        hash /= 36;
    }
    digits.into_iter().rev().collect()
}

/// Outbox rows for planned notices of one incident, one per target.
pub fn incident_rows(source: &SourceId, notices: &[Notice]) -> Vec<NewNotification> {
    let scope = scope_of(source);
    notices
        .iter()
        .flat_map(|notice| {
            let kind = Kind::from(notice.kind);
            let scope = &scope;
            targets_of(kind).into_iter().map(move |target| NewNotification {
                due_at: notice.due_at,
                kind: NotificationKind(kind.to_string()),
                nonce: nonce(scope.as_str(), kind, &target),
                target: NotificationTarget(target.to_string()),
            })
        })
        .collect()
}

/// Pack expiry (P-PLAN-2): notices to the organisation before units expire, and the write-off
/// on the expiry day; re-checked when due (units left, not yet expired).
pub(crate) async fn enqueue_expiry(app: &App, entitlement: &Entitlement) -> Result<(), AppError> {
    let Some(expires_on) = entitlement.expires_on else {
        return Ok(());
    };
    let expiry = Utc.from_utc_datetime(&expires_on.and_hms_opt(0, 0, 0).unwrap_or_default());
    let target = Target::Organisation(entitlement.organisation.clone());
    let scope = format!("p{}", entitlement.id.0);
    let mut days: Vec<u32> = app.config.app.reminders.expiry_notice_days.clone();
    days.push(0);
    let rows: Vec<NewNotification> = days
        .into_iter()
        .map(|days| {
            let kind = Kind::Expiry {
                entitlement: entitlement.id,
                days,
            };
            NewNotification {
                due_at: expiry - Duration::days(i64::from(days)),
                kind: NotificationKind(kind.to_string()),
                nonce: nonce(&scope, kind, &target),
                target: NotificationTarget(target.to_string()),
            }
        })
        .collect();
    app.store.enqueue(None, &rows).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn kinds_and_targets_round_trip_through_their_stored_text() {
        for kind in [
            Kind::Reminder { step: 2 },
            Kind::Breach,
            Kind::Escalation { step: 12 },
            Kind::Expiry {
                entitlement: EntitlementId(7),
                days: 30,
            },
            Kind::ConfigProblem {
                channel: 1_100_000_000_000_000_010,
            },
        ] {
            assert_eq!(kind.to_string().parse::<Kind>().unwrap(), kind);
        }
        for target in [
            Target::Thread,
            Target::Engineers,
            Target::Managers,
            Target::Organisation(OrgId::new("contoso")),
        ] {
            assert_eq!(target.to_string().parse::<Target>().unwrap(), target);
        }
        assert!("reminder-x".parse::<Kind>().is_err());
    }

    #[test]
    fn every_row_of_an_incident_has_its_own_short_stable_nonce() {
        let t = Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap();
        let notices = [
            Notice {
                due_at: t,
                kind: NoticeKind::Reminder { step: 1 },
            },
            Notice {
                due_at: t,
                kind: NoticeKind::Breach,
            },
        ];
        let source = SourceId("1234567890123456789".into());
        let rows = incident_rows(&source, &notices);
        assert_eq!(rows.len(), 4);
        let mut nonces: Vec<&str> = rows.iter().map(|r| r.nonce.as_str()).collect();
        assert!(nonces.iter().all(|n| n.len() <= 25));
        nonces.sort();
        nonces.dedup();
        assert_eq!(nonces.len(), 4);
        assert_eq!(incident_rows(&source, &notices), rows, "stable");
        assert_ne!(scope_of(&SourceId("1234567890123456788".into())), scope_of(&source));
    }
}
