//! Fast-forward lives of incidents: the scheduler is stepped over the store's `next_due_at()`
//! with a recording sender, and the exact set of (instant, channel, kind) posts is checked,
//! across weekends, Norwegian holidays and both DST changes in Oslo.

use crate::helpers::sched::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use intakebot::app::scheduler::Scheduler;
use intakebot::core::ids::IncidentNumber;
use intakebot::core::incident::IncidentState;
use intakebot::core::rules::RuleId;
use intakebot::core::severity::{Coverage, Severity};
use intakebot::store::{Author, TransitionRecord};
use std::sync::Arc;

const THREAD: u64 = 9_001;

fn z(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// Runs every pass due up to `until` (inclusive), at exactly the instant each row falls due.
pub async fn fast_forward(f: &Fixture, scheduler: &Scheduler, rec: &Recorder, until: DateTime<Utc>) {
    for _ in 0..10_000 {
        let Some(t) = f.store.next_due_at().await.unwrap() else {
            return;
        };
        if t > until {
            return;
        }
        rec.set_now(t);
        scheduler.run_due(t).await.unwrap();
    }
    panic!("the outbox never drains");
}

pub async fn acknowledge(f: &Fixture, number: IncidentNumber, at: DateTime<Utc>) {
    f.store
        .record_transition(&TransitionRecord {
            number,
            from: IncidentState::Open,
            to: IncidentState::Acknowledged,
            first_response: true,
            author: Author::Account(f.seed.engineer.clone()),
            at,
            reason: "engineer acknowledged".into(),
            rules: vec![RuleId::Sev6],
            notifications: vec![],
        })
        .await
        .unwrap();
}

/// Opens one incident, runs until `ack_at`, acknowledges, runs a week more; returns the posts.
async fn life(
    severity: Severity,
    coverage: Coverage,
    opened: DateTime<Utc>,
    ack_at: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, u64, String)> {
    let f = fixture(10).await;
    let rec = Arc::new(Recorder::default());
    let scheduler = Scheduler::new(f.app.clone(), rec.clone(), "w1");
    let number = open(&f, "life", severity, coverage, opened, THREAD).await;
    fast_forward(&f, &scheduler, &rec, ack_at).await;
    acknowledge(&f, number, ack_at).await;
    let before_ack = rec.posts().len();
    fast_forward(&f, &scheduler, &rec, ack_at + Duration::days(7)).await;
    // P-SEV-6: nothing after the acknowledgement.
    assert_eq!(
        rec.posts().len(),
        before_ack,
        "posted after the ack: {:?}",
        &rec.posts()[before_ack..]
    );
    assert_eq!(
        f.store.next_due_at().await.unwrap(),
        None,
        "rows left pending after the ack"
    );
    let mut seen: Vec<_> = rec
        .posts()
        .into_iter()
        .map(|p| (p.at, p.channel, kind_of(&p.content)))
        .collect();
    seen.sort();
    f.db.finish().await;
    seen
}

fn expect(items: &[(DateTime<Utc>, &str)]) -> Vec<(DateTime<Utc>, u64, String)> {
    let mut out = Vec::new();
    for (at, kind) in items {
        let channels: &[u64] = if kind.starts_with("reminder") {
            &[THREAD, ENGINEERS]
        } else {
            &[MANAGERS, THREAD]
        };
        for c in channels {
            out.push((*at, *c, kind.to_string()));
        }
    }
    out.sort();
    out
}

// P-SEV-1, P-SEV-6: A on 24x7 counts wall time, straight through the October DST change
// (Oslo 31 Oct 2027 03:00 CEST -> 02:00 CET); escalations every 30 min until acknowledged.
#[tokio::test]
async fn severity_a_on_24x7_through_the_autumn_dst_change() {
    let seen = life(
        Severity::A,
        Coverage::TwentyFourSeven,
        z(2027, 10, 31, 0, 30),
        z(2027, 10, 31, 3, 40),
    )
    .await;
    assert_eq!(
        seen,
        expect(&[
            (z(2027, 10, 31, 1, 30), "reminder"),
            (z(2027, 10, 31, 2, 0), "reminder"),
            (z(2027, 10, 31, 2, 20), "reminder"),
            (z(2027, 10, 31, 2, 30), "breach"),
            (z(2027, 10, 31, 3, 0), "escalation-1"),
            (z(2027, 10, 31, 3, 30), "escalation-2"),
        ])
    );
}

// P-SEV-1, P-SEV-6: A on business hours opened Wed 24 Mar 2027 15:30 CET: Maundy Thursday,
// Good Friday, the weekend (with the spring DST change on Easter Sunday) and Easter Monday are
// skipped; the clock resumes Tue 30 Mar 08:00 CEST (06:00Z). Deadline 09:30 CEST = 07:30Z.
#[tokio::test]
async fn severity_a_business_across_easter_and_the_spring_dst_change() {
    let seen = life(
        Severity::A,
        Coverage::BusinessHours,
        z(2027, 3, 24, 14, 30),
        z(2027, 3, 30, 8, 45),
    )
    .await;
    assert_eq!(
        seen,
        expect(&[
            (z(2027, 3, 30, 6, 30), "reminder"),
            (z(2027, 3, 30, 7, 0), "reminder"),
            (z(2027, 3, 30, 7, 20), "reminder"),
            (z(2027, 3, 30, 7, 30), "breach"),
            (z(2027, 3, 30, 8, 0), "escalation-1"),
            (z(2027, 3, 30, 8, 30), "escalation-2"),
        ])
    );
}

// P-SEV-2: B (4 h business) opened Fri 14 May 2027 13:30 CEST: 50% at 15:30 Fri; the weekend
// and Mon 17 May (Constitution Day and Whit Monday) are skipped; 1 h before at Tue 08:30,
// deadline Tue 09:30 CEST (07:30Z); escalations every 2 business hours.
#[tokio::test]
async fn severity_b_across_a_weekend_and_17_may() {
    let seen = life(
        Severity::B,
        Coverage::BusinessHours,
        z(2027, 5, 14, 11, 30),
        z(2027, 5, 18, 12, 0),
    )
    .await;
    assert_eq!(
        seen,
        expect(&[
            (z(2027, 5, 14, 13, 30), "reminder"),
            (z(2027, 5, 18, 6, 30), "reminder"),
            (z(2027, 5, 18, 7, 30), "breach"),
            (z(2027, 5, 18, 9, 30), "escalation-1"),
            (z(2027, 5, 18, 11, 30), "escalation-2"),
        ])
    );
}

// P-SEV-3: C (8 h business) opened Fri 29 Oct 2027 12:30 CEST: 3.5 h on Friday, then Mon 1 Nov
// on CET: 50% at 08:30 CET (07:30Z), 1 h before 11:30 (10:30Z), deadline 12:30 (11:30Z);
// escalation 1 at 14:30 CET, escalation 2 crosses the night to Tue 08:30 CET (07:30Z).
#[tokio::test]
async fn severity_c_across_a_weekend_and_the_autumn_dst_change() {
    let seen = life(
        Severity::C,
        Coverage::BusinessHours,
        z(2027, 10, 29, 10, 30),
        z(2027, 11, 2, 8, 0),
    )
    .await;
    assert_eq!(
        seen,
        expect(&[
            (z(2027, 11, 1, 7, 30), "reminder"),
            (z(2027, 11, 1, 10, 30), "reminder"),
            (z(2027, 11, 1, 11, 30), "breach"),
            (z(2027, 11, 1, 13, 30), "escalation-1"),
            (z(2027, 11, 2, 7, 30), "escalation-2"),
        ])
    );
}

// P-SEV-6: acknowledged before any reminder: nothing is ever posted.
#[tokio::test]
async fn an_early_ack_means_no_notice_at_all() {
    let seen = life(
        Severity::A,
        Coverage::TwentyFourSeven,
        z(2027, 6, 1, 9, 0),
        z(2027, 6, 1, 9, 5),
    )
    .await;
    assert_eq!(seen, vec![]);
}

// Escalations ping on-call in the managers' channel and never ping in the customer's thread.
#[tokio::test]
async fn escalation_pings_stay_in_the_managers_channel() {
    let f = fixture(10).await;
    let rec = Arc::new(Recorder::default());
    let scheduler = Scheduler::new(f.app.clone(), rec.clone(), "w1");
    open(
        &f,
        "pings",
        Severity::A,
        Coverage::TwentyFourSeven,
        z(2027, 6, 1, 9, 0),
        THREAD,
    )
    .await;
    fast_forward(&f, &scheduler, &rec, z(2027, 6, 1, 11, 35)).await;
    let posts = rec.posts();
    assert!(posts
        .iter()
        .filter(|p| p.channel == THREAD)
        .all(|p| p.message.pings.is_empty()));
    let esc = posts
        .iter()
        .find(|p| p.channel == MANAGERS && kind_of(&p.content) == "escalation-1")
        .expect("escalation");
    assert_eq!(
        esc.message.pings.iter().map(|p| p.role).collect::<Vec<_>>(),
        vec![intakebot::app::reply::PingRole::OnCall]
    );
    assert!(esc.ack_button().is_some());
    f.db.finish().await;
}
