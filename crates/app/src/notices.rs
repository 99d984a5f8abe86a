//! The outbox rows an incident's life creates: reminders to its thread and the engineers'
//! channel, the breach alert to the managers, escalations, and expiry notices of packs.
//! Rows name a logical target; the sender resolves it to a channel when it posts, so a
//! config change of channel ids applies to notices already queued.

use crate::error::AppError;
use crate::App;
use chrono::{Duration, TimeZone, Utc};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::reminders::Notice;
use intakebot_store::{NewNotification, Nonce, SourceId};

pub use intakebot_core::outbox::{OutboxKind as Kind, OutboxTarget as Target};

/// Where each kind of notice goes.
pub fn targets_of(kind: Kind) -> Vec<Target> {
    match kind {
        Kind::Reminder { .. } => vec![Target::Thread, Target::Engineers],
        Kind::Breach | Kind::Escalation { .. } => vec![Target::Managers, Target::Thread],
        Kind::Expiry { .. }
        | Kind::ConfigProblem { .. }
        | Kind::GaveUp { .. }
        | Kind::BreachDigest { .. }
        | Kind::WeeklyReport { .. } => Vec::new(),
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
        Kind::GaveUp { .. } => "g".to_string(),
        Kind::BreachDigest { .. } => "bd".to_string(),
        Kind::WeeklyReport { .. } => "wr".to_string(),
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
                kind,
                nonce: nonce(scope.as_str(), kind, &target),
                target: target.clone(),
            })
        })
        .collect()
}

/// The managers' digest of open breaches at the first digest time after `after` (the
/// configured time of day in the staff calendar's zone); its nonce names the day, so however
/// many incidents ask for it, one row is queued per day.
pub(crate) fn breach_digest_row(app: &App, after: chrono::DateTime<Utc>) -> NewNotification {
    let zone = app.staff_zone();
    let at = app.config.app.reminders.breach_digest_at.0;
    let local = after.with_timezone(&zone);
    let mut day = local.date_naive();
    let due = loop {
        let candidate = day
            .and_time(at)
            .and_local_timezone(zone)
            .earliest()
            .map(|t| t.with_timezone(&Utc));
        match candidate {
            Some(t) if t > after => break t,
            _ => day = day.succ_opt().unwrap_or(day),
        }
    };
    let kind = Kind::BreachDigest { day };
    NewNotification {
        due_at: due,
        kind,
        nonce: nonce(&day.format("%Y%m%d").to_string(), kind, &Target::Managers),
        target: Target::Managers,
    }
}

/// When the managers' weekly SLA report is posted: Mondays at 08:00 in the staff calendar's zone.
const WEEKLY_REPORT_AT: chrono::NaiveTime = match chrono::NaiveTime::from_hms_opt(8, 0, 0) {
    Some(t) => t,
    None => chrono::NaiveTime::MIN,
};

/// The managers' weekly SLA report at the first Monday 08:00 after `after`, reporting the week
/// before that Monday. Its nonce names the week, so it is queued (and posted) once per week
/// however many instances, restarts and sends ask for it.
pub(crate) fn weekly_report_row(zone: chrono_tz::Tz, after: chrono::DateTime<Utc>) -> NewNotification {
    use chrono::Datelike;
    let today = after.with_timezone(&zone).date_naive();
    let mut monday = today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()));
    let due = loop {
        let candidate = monday
            .and_time(WEEKLY_REPORT_AT)
            .and_local_timezone(zone)
            .earliest()
            .map(|t| t.with_timezone(&Utc));
        match candidate {
            Some(t) if t > after => break t,
            _ => monday = monday + chrono::Days::new(7),
        }
    };
    let week = monday - chrono::Days::new(7);
    let kind = Kind::WeeklyReport { week };
    NewNotification {
        due_at: due,
        kind,
        nonce: nonce(&week.format("%Y%m%d").to_string(), kind, &Target::Managers),
        target: Target::Managers,
    }
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
                kind,
                nonce: nonce(&scope, kind, &target),
                target: target.clone(),
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
    use intakebot_core::reminders::NoticeKind;

    #[test]
    fn the_weekly_report_falls_on_monday_0800_oslo_and_names_the_week_before() {
        let oslo = chrono_tz::Europe::Oslo;
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let row = |t| weekly_report_row(oslo, t);
        // 07:59:59 on Monday (CET): today at 08:00, for the week before.
        let before = Utc.with_ymd_and_hms(2027, 3, 1, 6, 59, 59).unwrap();
        assert_eq!(row(before).due_at, Utc.with_ymd_and_hms(2027, 3, 1, 7, 0, 0).unwrap());
        assert_eq!(row(before).kind, Kind::WeeklyReport { week: day(2027, 2, 22) });
        // 08:00 itself: next Monday's.
        let at = Utc.with_ymd_and_hms(2027, 3, 1, 7, 0, 0).unwrap();
        assert_eq!(row(at).kind, Kind::WeeklyReport { week: day(2027, 3, 1) });
        // Across the spring DST change: 08:00 CEST is 06:00 UTC.
        let sunday = Utc.with_ymd_and_hms(2027, 3, 28, 12, 0, 0).unwrap();
        assert_eq!(row(sunday).due_at, Utc.with_ymd_and_hms(2027, 3, 29, 6, 0, 0).unwrap());
        // One nonce per week, whoever queues it and when.
        let wednesday = Utc.with_ymd_and_hms(2027, 3, 24, 9, 0, 0).unwrap();
        assert_eq!(row(wednesday).nonce, row(sunday).nonce);
        assert_ne!(row(wednesday).nonce, row(at).nonce);
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
