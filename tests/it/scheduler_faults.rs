//! The scheduler under stress: an ack racing a due reminder, catch-up after downtime, a 429
//! storm, a permanent 403, digests split at 2,000 characters, and two instances on PostgreSQL.

use crate::helpers::sched::*;
use async_trait::async_trait;
use chrono::{DateTime, Duration, TimeZone, Utc};
use intakebot::app::scheduler::{NoticeSender, Scheduler, SendError};
use intakebot::app::Reply;
use intakebot::core::incident::IncidentState;
use intakebot::core::rules::RuleId;
use intakebot::core::severity::{Coverage, Severity};
use intakebot::store::{Author, Store, TransitionRecord};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 6, 1, 9, 0, 0).unwrap()
}

fn ack(f: &Fixture, number: intakebot::core::ids::IncidentNumber, at: DateTime<Utc>) -> TransitionRecord {
    TransitionRecord {
        number,
        from: IncidentState::Open,
        to: IncidentState::Acknowledged,
        first_response: true,
        author: Author::Account(f.seed.engineer.clone()),
        at,
        reason: "engineer acknowledged".into(),
        rules: vec![RuleId::Sev6],
        notifications: vec![],
    }
}

/// Counts posts that reach "Discord" while their incident is already acknowledged.
struct AckWatch {
    store: Store,
    posted: AtomicU64,
    after_ack: AtomicU64,
}

#[async_trait]
impl NoticeSender for AckWatch {
    async fn post(&self, notice: &Reply, _nonce: &str) -> Result<u64, SendError> {
        let n = self.posted.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(number) = ack_button_of(notice) {
            if let Ok(Some(i)) = self.store.incident(number).await {
                if i.acknowledged_at.is_some() {
                    self.after_ack.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        Ok(n)
    }
}

// P-SEV-6: an ack racing a due reminder; repeated many times on a multi-threaded runtime.
// The engineers' copy carries the ack button, so the watcher sees its incident number.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ack_racing_a_due_reminder_is_never_followed_by_that_reminder() {
    let f = fixture(200).await;
    let watch = Arc::new(AckWatch {
        store: f.store.clone(),
        posted: AtomicU64::new(0),
        after_ack: AtomicU64::new(0),
    });
    let scheduler = Arc::new(Scheduler::new(f.app.clone(), watch.clone(), "race").with_batch(1));
    let reps = 100;
    for i in 0..reps {
        let opened = t0() + Duration::days(i);
        let number = open(
            &f,
            &format!("race-{i}"),
            Severity::A,
            Coverage::TwentyFourSeven,
            opened,
            9_000 + i as u64,
        )
        .await;
        let due = opened + Duration::hours(1);
        let store = f.store.clone();
        let record = ack(&f, number, due);
        let s = scheduler.clone();
        let late_before = watch.after_ack.load(Ordering::SeqCst);
        let (a, b) = tokio::join!(
            tokio::spawn(async move { store.record_transition(&record).await }),
            tokio::spawn(async move { s.run_due(due).await })
        );
        a.unwrap().unwrap();
        b.unwrap().unwrap();
        // At most the one post already past its re-check when the ack committed: every row
        // after it re-checks and stays silent (two reminders were due: thread and engineers).
        let late = watch.after_ack.load(Ordering::SeqCst) - late_before;
        assert!(late <= 1, "rep {i}: {late} posts after the ack committed");
        // Whatever the race's outcome, later passes send nothing for this incident.
        let before = watch.posted.load(Ordering::SeqCst);
        scheduler
            .run_due(opened + Duration::days(1) - Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(
            watch.posted.load(Ordering::SeqCst),
            before,
            "rep {i}: posted after the ack"
        );
    }
    // A post whose final re-check ran before the ack committed may still be in flight while the
    // ack commits (the post goes to an outside server): that reminder won the race, and it is
    // never repeated (asserted above). The ack that won is tested deterministically below.
    f.db.finish().await;
}

// P-SEV-6: the ack that won — committed before the scheduler looks — is never followed by a reminder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ack_committed_first_stops_the_due_reminder_every_time() {
    let f = fixture(200).await;
    let watch = Arc::new(AckWatch {
        store: f.store.clone(),
        posted: AtomicU64::new(0),
        after_ack: AtomicU64::new(0),
    });
    let scheduler = Scheduler::new(f.app.clone(), watch.clone(), "ack-first").with_batch(1);
    for i in 0..20 {
        let opened = t0() + Duration::days(i);
        let number = open(
            &f,
            &format!("ack-first-{i}"),
            Severity::A,
            Coverage::TwentyFourSeven,
            opened,
            19_000 + i as u64,
        )
        .await;
        let due = opened + Duration::hours(1);
        f.store.record_transition(&ack(&f, number, due)).await.unwrap();
        scheduler.run_due(due).await.unwrap();
        scheduler
            .run_due(opened + Duration::days(1) - Duration::minutes(1))
            .await
            .unwrap();
    }
    assert_eq!(
        watch.posted.load(Ordering::SeqCst),
        0,
        "a reminder after an ack that won"
    );
    f.db.finish().await;
}

// P-SEV-6: five hours of downtime: everything overdue goes out once, marked late; the engineers'
// channel gets one digest instead of nine messages; missed escalations are not replayed.
#[tokio::test]
async fn downtime_catch_up_is_sent_once_marked_late_and_digested() {
    let f = fixture(10).await;
    let rec = Arc::new(Recorder::default());
    let scheduler = Scheduler::new(f.app.clone(), rec.clone(), "w");
    for i in 0..3 {
        open(
            &f,
            &format!("down-{i}"),
            Severity::A,
            Coverage::TwentyFourSeven,
            t0(),
            9_100 + i,
        )
        .await;
    }
    let now = t0() + Duration::hours(5);
    rec.set_now(now);
    let report = scheduler.run_due(now).await.unwrap();
    let posts = rec.posts();
    let engineers: Vec<_> = posts.iter().filter(|p| p.channel == ENGINEERS).collect();
    assert_eq!(engineers.len(), 1, "one digest for nine reminders");
    assert_eq!(kind_of(&engineers[0].content), "digest");
    let single: Vec<_> = posts.iter().filter(|p| p.channel != ENGINEERS).collect();
    // Per incident: 3 reminders + breach in the thread, breach to the managers.
    assert_eq!(single.len(), 3 * 5, "{single:#?}");
    // Staff channels read English, Contoso's threads Norwegian.
    assert!(
        single
            .iter()
            .all(|p| p.content.contains("late by") || p.content.contains("forsinket: boten var frakoblet")),
        "every catch-up post is marked late: {single:#?}"
    );
    assert!(
        !posts.iter().any(|p| kind_of(&p.content).starts_with("escalation")),
        "missed escalations replayed"
    );
    assert_eq!(report.late, report.sent);
    // The chain resumes after now, once.
    let next = f.store.next_due_at().await.unwrap().expect("next escalation queued");
    assert!(next > now && next <= now + Duration::minutes(30), "{next}");
    rec.set_now(next);
    scheduler.run_due(next).await.unwrap();
    let escalations = rec
        .posts()
        .iter()
        .filter(|p| p.channel == MANAGERS && kind_of(&p.content).starts_with("escalation"))
        .count();
    assert_eq!(escalations, 3);
    f.db.finish().await;
}

// A 429 storm: nothing is lost or doubled; rows are retried later, each posted once.
#[tokio::test]
async fn a_rate_limit_storm_retries_later_and_posts_each_once() {
    let f = fixture(10).await;
    let rec = Arc::new(Recorder::default());
    let scheduler = Scheduler::new(f.app.clone(), rec.clone(), "w");
    open(&f, "storm", Severity::A, Coverage::TwentyFourSeven, t0(), 9_200).await;
    let due = t0() + Duration::hours(1);
    rec.set_all(Behaviour::RateLimited);
    for k in 0..5 {
        let report = scheduler.run_due(due + Duration::seconds(k * 2)).await.unwrap();
        assert_eq!(report.sent, 0);
    }
    assert!(rec.posts().is_empty());
    let retry_at = f.store.next_due_at().await.unwrap().unwrap();
    assert!(retry_at > due, "retried later, not at once");
    rec.set_all(Behaviour::Accept);
    let later = due + Duration::minutes(2);
    rec.set_now(later);
    let report = scheduler.run_due(later).await.unwrap();
    assert_eq!(report.sent, 2);
    scheduler.run_due(later + Duration::minutes(1)).await.unwrap();
    let nonces: Vec<String> = rec.accepted.lock().unwrap().clone();
    let unique: HashSet<&String> = nonces.iter().collect();
    assert_eq!(nonces.len(), 2);
    assert_eq!(unique.len(), 2);
    f.db.finish().await;
}

// A permanent 403 on the engineers' channel: its rows fail without retry, and the managers
// are told once, however many rows failed.
#[tokio::test]
async fn missing_access_fails_rows_once_and_tells_the_managers_once() {
    let f = fixture(10).await;
    let rec = Arc::new(Recorder::default());
    let scheduler = Scheduler::new(f.app.clone(), rec.clone(), "w");
    rec.set_channel(ENGINEERS, Behaviour::MissingAccess);
    for i in 0..3 {
        open(
            &f,
            &format!("403-{i}"),
            Severity::A,
            Coverage::TwentyFourSeven,
            t0() + Duration::minutes(i),
            9_300 + i as u64,
        )
        .await;
    }
    let end = t0() + Duration::minutes(100);
    let mut t = t0();
    while t <= end {
        rec.set_now(t);
        scheduler.run_due(t).await.unwrap();
        t += Duration::minutes(1);
    }
    let posts = rec.posts();
    let problems: Vec<_> = posts
        .iter()
        .filter(|p| kind_of(&p.content) == "config-problem")
        .collect();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].channel, MANAGERS);
    assert!(problems[0].content.contains(&ENGINEERS.to_string()));
    // 3 incidents x 2 reminders (60 and 90 min) within the window, tried once each, never retried.
    let tried = rec.attempts.load(Ordering::SeqCst) as usize;
    assert_eq!(
        tried,
        posts.len() + 6,
        "engineers' rows retried: {tried} attempts for {} posts",
        posts.len()
    );
    assert!(posts.iter().all(|p| p.channel != ENGINEERS));
    f.db.finish().await;
}

// An incident whose thread Discord never created (the customer was told its number): the
// engineers' copy goes out, the thread copy waits 10 minutes for the thread, then gives up
// instead of being retried forever.
#[tokio::test]
async fn a_thread_copy_without_a_thread_gives_up_after_ten_minutes() {
    let f = fixture(10).await;
    let rec = Arc::new(Recorder::default());
    let scheduler = Scheduler::new(f.app.clone(), rec.clone(), "w");
    open_without_thread(&f, "no-thread", Severity::A, Coverage::TwentyFourSeven, t0()).await;
    let first_reminder = t0() + Duration::minutes(60);
    let mut t = first_reminder;
    while t <= first_reminder + Duration::minutes(20) {
        rec.set_now(t);
        scheduler.run_due(t).await.unwrap();
        t += Duration::seconds(30);
    }
    let posts = rec.posts();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    assert_eq!(posts[0].channel, ENGINEERS);
    assert_eq!(posts[0].at, first_reminder);
    let next = f.store.next_due_at().await.unwrap().unwrap();
    assert_eq!(
        next,
        t0() + Duration::minutes(90),
        "the thread copy is no longer pending"
    );
    f.db.finish().await;
}

// A thread created after its first reminder fell due still gets that reminder's copy.
#[tokio::test]
async fn a_thread_created_late_gets_the_reminder_it_missed() {
    let f = fixture(10).await;
    let rec = Arc::new(Recorder::default());
    let scheduler = Scheduler::new(f.app.clone(), rec.clone(), "w");
    let number = open_without_thread(&f, "late-thread", Severity::A, Coverage::TwentyFourSeven, t0()).await;
    let first_reminder = t0() + Duration::minutes(60);
    rec.set_now(first_reminder);
    let report = scheduler.run_due(first_reminder).await.unwrap();
    assert_eq!((report.sent, report.retried), (1, 1), "{report:?}");
    set_thread(&f, number, 9_400).await;
    let later = first_reminder + Duration::minutes(1);
    rec.set_now(later);
    scheduler.run_due(later).await.unwrap();
    let posts = rec.posts();
    let channels: Vec<u64> = posts.iter().map(|p| p.channel).collect();
    assert_eq!(channels, vec![ENGINEERS, 9_400], "{posts:#?}");
    f.db.finish().await;
}

// Digests stay within Discord's 2,000 characters and lose no incident.
#[tokio::test]
async fn a_burst_is_digested_and_split_below_2000_characters() {
    let f = fixture(100).await;
    let rec = Arc::new(Recorder::default());
    let scheduler = Scheduler::new(f.app.clone(), rec.clone(), "w");
    let mut numbers = Vec::new();
    for i in 0..60 {
        numbers.push(
            open(
                &f,
                &format!("burst-{i}"),
                Severity::A,
                Coverage::TwentyFourSeven,
                t0(),
                9_400 + i,
            )
            .await,
        );
    }
    let due = t0() + Duration::hours(1);
    scheduler.run_due(due).await.unwrap();
    let digests: Vec<_> = rec.posts().into_iter().filter(|p| p.channel == ENGINEERS).collect();
    assert!(digests.len() > 1, "split into several messages");
    assert!(digests.iter().all(|p| p.content.chars().count() <= 2000));
    let all: String = digests
        .iter()
        .map(|p| p.content.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for n in numbers {
        assert_eq!(all.matches(&format!("{n} ·")).count(), 1, "{n} once in the digests");
    }
    f.db.finish().await;
}

// A burst (more thread copies due at once than `thread_burst`, 50) stays within Discord's global
// limit: the thread copies are folded into the engineers' digest, not posted one per thread;
// below the burst every thread gets its own copy.
#[tokio::test]
async fn in_a_burst_thread_copies_are_folded_into_the_digest() {
    let f = fixture(100).await;
    let rec = Arc::new(Recorder::default());
    let scheduler = Scheduler::new(f.app.clone(), rec.clone(), "w");
    let burst = f.app.config().app.reminders.thread_burst as u64;
    for i in 0..burst + 10 {
        open(
            &f,
            &format!("fold-{i}"),
            Severity::A,
            Coverage::TwentyFourSeven,
            t0(),
            9_600 + i,
        )
        .await;
    }
    let report = scheduler.run_due(t0() + Duration::hours(1)).await.unwrap();
    assert_eq!(report.folded as u64, burst + 10, "{report:?}");
    assert_eq!(report.sent as u64, burst + 10, "the engineers' copies: {report:?}");
    let posts = rec.posts();
    assert!(
        posts.iter().all(|p| p.channel == ENGINEERS),
        "no post to a thread in a burst"
    );
    assert!(report.digests >= 1 && posts.len() == report.digests, "{report:?}");
    // Folded rows are finished: a later pass before the next reminder posts nothing.
    let again = scheduler
        .run_due(t0() + Duration::hours(1) + Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(again.claimed, 0, "{again:?}");

    f.db.finish().await;

    // Ten incidents due together (below the burst): each thread gets its own copy.
    let f = fixture(100).await;
    let rec = Arc::new(Recorder::default());
    let scheduler = Scheduler::new(f.app.clone(), rec.clone(), "w");
    for i in 0..10 {
        open(
            &f,
            &format!("calm-{i}"),
            Severity::A,
            Coverage::TwentyFourSeven,
            t0(),
            9_800 + i,
        )
        .await;
    }
    let report = scheduler.run_due(t0() + Duration::hours(1)).await.unwrap();
    assert_eq!(report.folded, 0, "{report:?}");
    let threads: Vec<u64> = rec
        .posts()
        .iter()
        .map(|p| p.channel)
        .filter(|c| *c != ENGINEERS)
        .collect();
    assert_eq!(threads, (9_800..9_810).collect::<Vec<u64>>(), "one copy per thread");
    f.db.finish().await;
}

// Two scheduler instances with their own pools on one PostgreSQL database: each row posted once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres_post_every_reminder_once() {
    let Some(db) = crate::helpers::db::TestDb::new(crate::helpers::db::Backend::Postgres).await else {
        return;
    };
    let url = db.url.clone();
    let f = fixture_on(db, 100).await;
    for i in 0..50 {
        open(
            &f,
            &format!("pg-{i}"),
            Severity::A,
            Coverage::TwentyFourSeven,
            t0(),
            9_500 + i,
        )
        .await;
    }
    let other = Store::connect(&url).await.unwrap();
    let app2 = intakebot::app::App::new(std::sync::Arc::new(f.app.config().clone()), other);
    let rec = Arc::new(Recorder::default());
    let s1 = Arc::new(Scheduler::new(f.app.clone(), rec.clone(), "one").with_batch(7));
    let s2 = Arc::new(Scheduler::new(app2, rec.clone(), "two").with_batch(7));
    let due = t0() + Duration::minutes(61);
    let (a, b) = tokio::join!(
        {
            let s = s1.clone();
            tokio::spawn(async move { s.run_due(due).await })
        },
        {
            let s = s2.clone();
            tokio::spawn(async move { s.run_due(due).await })
        }
    );
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert!(a.claimed > 0 && b.claimed > 0, "both instances worked: {a:?} {b:?}");
    let nonces = rec.accepted.lock().unwrap().clone();
    let unique: HashSet<&String> = nonces.iter().collect();
    assert_eq!(nonces.len(), unique.len(), "a row was posted twice");
    // 50 incidents: reminder 1 to thread (single) and engineers (digest).
    assert_eq!(rec.posts().iter().filter(|p| p.channel != ENGINEERS).count(), 50);
    f.db.finish().await;
}
