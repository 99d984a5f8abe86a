//! Crash safety: a child process (this test binary re-run with SCHED_KILL_CHILD set) runs the
//! scheduler with `DiscordSender` against the fake server in this process (proxy mode) and is
//! SIGKILLed 20 times at random moments; every notice still reaches Discord exactly once.

use crate::helpers::sched::*;
use chrono::{Duration, Utc};
use intakebot::app::scheduler::Scheduler;
use intakebot::core::severity::{Coverage, Severity};
use intakebot_testkit::{FakeDiscord, Mode};
use rand::Rng;
use std::collections::HashMap;
use std::sync::Arc;

const CHILD: &str = "SCHED_KILL_CHILD";

/// The child: loops `run_due(now)` with small batches and a short lease until killed.
async fn child() {
    {
        let db = std::env::var("SCHED_KILL_DB").expect("db url");
        let rest = std::env::var("SCHED_KILL_REST").expect("rest url");
        let store = intakebot::store::Store::connect(&db).await.expect("store");
        let config = intakebot::config::Config::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config"))
            .expect("config");
        let app = intakebot::app::App::new(Arc::new(config.clone()), store);
        let http = poise::serenity_prelude::HttpBuilder::new("kill-token")
            .proxy(rest)
            .ratelimiter_disabled(true)
            .build();
        let sender = Arc::new(intakebot::discord::DiscordSender {
            http: Arc::new(http),
            pace: None,
        });
        let scheduler = Scheduler::new(app, sender, format!("child-{}", std::process::id()))
            .with_batch(5)
            .with_lease(Duration::seconds(1));
        loop {
            let _ = scheduler.run_due(Utc::now()).await;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkilled_twenty_times_every_notice_is_posted_exactly_once() {
    if std::env::var(CHILD).is_ok() {
        child().await;
        return;
    }
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    // Discord drops a repeated nonce for a few minutes only. Here the window is 10 s, far less
    // than the test's run: a notice counted once was posted once by the bot (or re-posted by it
    // within seconds of a kill, under its lease of 1 s), not hidden by a fake that never forgets.
    fake.set_nonce_window(std::time::Duration::from_secs(10));
    let engineers = fake.add_text_channel("engineers");
    let managers = fake.add_text_channel("managers");
    let f = fixture(300).await;
    // 200 incidents (A, 24x7) opened a day ago: 3 reminders + breach each, to two channels.
    let opened = Utc::now() - Duration::days(1);
    let mut threads = Vec::new();
    for i in 0..200 {
        let thread = fake.add_text_channel(&format!("inc-{i}"));
        threads.push(thread);
        open(
            &f,
            &format!("kill-{i}"),
            Severity::A,
            Coverage::TwentyFourSeven,
            opened,
            thread,
        )
        .await;
    }
    let exe = std::env::current_exe().unwrap();
    let spawn = || {
        std::process::Command::new(&exe)
            .args([
                "--exact",
                "scheduler_kill::sigkilled_twenty_times_every_notice_is_posted_exactly_once",
                "--nocapture",
            ])
            .env(CHILD, "1")
            .env("SCHED_KILL_DB", &f.db.url)
            .env("SCHED_KILL_REST", fake.rest_url())
            .env("INTAKEBOT_DISCORD__ENGINEERS_CHANNEL", engineers.to_string())
            .env("INTAKEBOT_DISCORD__MANAGERS_CHANNEL", managers.to_string())
            // Single posts only: a digest's grouping depends on the batch (see the report).
            .env("INTAKEBOT_REMINDERS__DIGEST_THRESHOLD", "100000")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut rng = rand::thread_rng();
    for _ in 0..20 {
        let mut c = spawn();
        tokio::time::sleep(std::time::Duration::from_millis(rng.gen_range(300..1500))).await;
        c.kill().unwrap(); // SIGKILL
        c.wait().unwrap();
    }
    // A last run to the end.
    let mut c = spawn();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let pending = f.store.next_due_at().await.unwrap();
        if pending.map_or(true, |t| t > Utc::now() + Duration::minutes(10)) || std::time::Instant::now() > deadline {
            break;
        }
    }
    c.kill().unwrap();
    c.wait().unwrap();
    let mut by_content: HashMap<String, usize> = HashMap::new();
    let mut by_nonce: HashMap<String, usize> = HashMap::new();
    let mut total = 0;
    for ch in threads.iter().chain([&engineers, &managers]) {
        for m in fake.messages(*ch) {
            total += 1;
            *by_content.entry(format!("{ch}:{}", m["content"])).or_default() += 1;
            *by_nonce.entry(format!("{ch}:{}", m["nonce"])).or_default() += 1;
        }
    }
    // Reminders and breaches: 200 x 4 x 2; escalations continue after the breach (A: every 30 min,
    // caught up once, so at most one per incident and target here).
    let firsts = 200 * 4 * 2;
    assert!(total >= firsts, "missing: {total} of at least {firsts}");
    assert!(by_nonce.values().all(|n| *n == 1), "a nonce posted twice");
    assert!(by_content.values().all(|n| *n == 1), "a content posted twice");
    f.db.finish().await;
}
