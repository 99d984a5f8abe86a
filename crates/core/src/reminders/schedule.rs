//! The notices of one incident's first-response life: reminders before the deadline,
//! the breach alert at it, then escalations until someone acknowledges.

use super::lead::Lead;
use crate::severity::Severity;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

/// Reminder settings of one severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeverityReminders {
    /// Reminders before the deadline, e.g. `60m, 30m, 10m` or `50%, 1h`.
    pub before: Vec<Lead>,
    /// Escalate again this often after a breach, until acknowledged.
    pub escalate_every: Duration,
    /// How many escalations follow the breach alert at most; after the last the incident is
    /// listed in the managers' daily digest of breaches instead (a bounded ladder).
    pub escalation_steps: u32,
}

/// Reminder settings of every severity (config `[reminders]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderPolicy {
    pub severities: BTreeMap<Severity, SeverityReminders>,
}

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NoticeKind {
    /// The `step`-th reminder before the deadline (1-based), with its lead.
    Reminder { step: u8 },
    /// The deadline passed without a first response.
    Breach,
    /// The `step`-th escalation after the breach (1-based).
    Escalation { step: u32 },
}

/// One notice due at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    pub due_at: DateTime<Utc>,
    pub kind: NoticeKind,
}

/// Reminders and the breach alert of an incident opened at `opened_at` with a first-response
/// `target`. `advance(t, d)` moves `t` forward by `d` on the incident's clock (wall or business).
/// A reminder whose lead is longer than the target is skipped; reminders are ordered in time.
pub fn first_response_notices(
    settings: &SeverityReminders,
    opened_at: DateTime<Utc>,
    target: Duration,
    advance: impl Fn(DateTime<Utc>, Duration) -> DateTime<Utc>,
) -> Vec<Notice> {
    let mut leads: Vec<Duration> = settings
        .before
        .iter()
        .map(|lead| lead.before_deadline(target))
        .filter(|lead| *lead > Duration::zero() && *lead < target)
        .collect();
    leads.sort_by(|a, b| b.cmp(a));
    leads.dedup();
    let mut notices: Vec<Notice> = leads
        .into_iter()
        .zip(1u8..)
        .map(|(lead, step)| Notice {
            due_at: advance(opened_at, target - lead),
            kind: NoticeKind::Reminder { step },
        })
        .collect();
    notices.push(Notice {
        due_at: advance(opened_at, target),
        kind: NoticeKind::Breach,
    });
    notices
}

/// The escalation after the breach or after escalation `step - 1`, due one interval later on
/// the incident's clock; `None` past the ladder's last step. Only scheduled while the incident is
/// still unacknowledged.
pub fn next_escalation(
    settings: &SeverityReminders,
    previous_due: DateTime<Utc>,
    step: u32,
    advance: impl Fn(DateTime<Utc>, Duration) -> DateTime<Utc>,
) -> Option<Notice> {
    (step <= settings.escalation_steps).then(|| Notice {
        due_at: advance(previous_due, settings.escalate_every),
        kind: NoticeKind::Escalation { step },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn wall(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
        t + d
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, h, m, 0).unwrap()
    }

    fn a() -> SeverityReminders {
        SeverityReminders {
            before: vec![
                Lead::Before(Duration::minutes(60)),
                Lead::Before(Duration::minutes(30)),
                Lead::Before(Duration::minutes(10)),
            ],
            escalate_every: Duration::minutes(30),
            escalation_steps: 3,
        }
    }

    #[test]
    fn escalations_follow_a_bounded_ladder() {
        let breach = at(11, 0);
        let steps: Vec<_> = (1..=5)
            .map_while(|step| next_escalation(&a(), breach, step, wall))
            .map(|n| n.kind)
            .collect();
        assert_eq!(
            steps,
            vec![
                NoticeKind::Escalation { step: 1 },
                NoticeKind::Escalation { step: 2 },
                NoticeKind::Escalation { step: 3 },
            ]
        );
        let none = SeverityReminders {
            escalation_steps: 0,
            ..a()
        };
        assert_eq!(next_escalation(&none, breach, 1, wall), None);
    }

    #[test]
    fn severity_a_reminds_at_60_30_10_minutes_then_breaches() {
        let notices = first_response_notices(&a(), at(9, 0), Duration::hours(2), wall);
        let due: Vec<_> = notices.iter().map(|n| (n.due_at, n.kind)).collect();
        assert_eq!(
            due,
            vec![
                (at(10, 0), NoticeKind::Reminder { step: 1 }),
                (at(10, 30), NoticeKind::Reminder { step: 2 }),
                (at(10, 50), NoticeKind::Reminder { step: 3 }),
                (at(11, 0), NoticeKind::Breach),
            ]
        );
    }

    #[test]
    fn half_target_and_one_hour_before_for_b() {
        let b = SeverityReminders {
            before: vec![Lead::PercentLeft(50), Lead::Before(Duration::hours(1))],
            escalate_every: Duration::hours(2),
            escalation_steps: 3,
        };
        let notices = first_response_notices(&b, at(8, 0), Duration::hours(4), wall);
        let due: Vec<_> = notices.iter().map(|n| n.due_at).collect();
        assert_eq!(due, vec![at(10, 0), at(11, 0), at(12, 0)]);
    }

    #[test]
    fn leads_longer_than_the_target_are_skipped_and_duplicates_merged() {
        let odd = SeverityReminders {
            before: vec![
                Lead::Before(Duration::hours(3)),
                Lead::PercentLeft(50),
                Lead::Before(Duration::hours(1)),
            ],
            escalate_every: Duration::hours(1),
            escalation_steps: 3,
        };
        let notices = first_response_notices(&odd, at(8, 0), Duration::hours(2), wall);
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert_eq!(notices[0].kind, NoticeKind::Reminder { step: 1 });
    }

    #[test]
    fn escalations_follow_the_interval_on_the_incidents_clock() {
        let next = next_escalation(&a(), at(11, 0), 1, wall);
        assert_eq!(
            next,
            Some(Notice {
                due_at: at(11, 30),
                kind: NoticeKind::Escalation { step: 1 }
            })
        );
        // The interval is measured by the clock passed in, not by wall time.
        let slow_clock = |t: DateTime<Utc>, d: Duration| t + d * 2;
        assert_eq!(
            next_escalation(&a(), at(11, 0), 2, slow_clock).unwrap().due_at,
            at(12, 0)
        );
    }
}
