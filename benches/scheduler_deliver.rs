//! Scheduler throughput: N open incidents' worth of queued notices with D reminders due in the
//! same minute, delivered through the local Discord-compatible server (TLS mode, serenity's
//! ratelimiter on) by `DiscordSender`; plus the cost of an idle `run_due` pass.
//!
//! This process seeds the database and runs the fake server; the scheduler runs in a child
//! process (this binary again, with `SCHED_BENCH_CHILD` set) like the bot would, so its peak
//! memory is the bot's alone.
//!
//! Sizes: SCHED_BENCH_OPEN (default 100000), SCHED_BENCH_DUE (default 10000).
//! Run: `cargo bench --bench scheduler_deliver` (quick: SCHED_BENCH_OPEN=2000 SCHED_BENCH_DUE=200).
//! Targets: all due delivered in <= 60 s within 50 requests/s, peak RSS <= 100 MB; idle pass an
//! index lookup.
//! All measured figures, with their ceilings and ratios: docs/performance.md.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use intakebot::app::scheduler::Scheduler;
use intakebot::app::{notices, App};
use intakebot::config::Config;
use intakebot::core::ids::{AccountId, OrderNumber, OrgId};
use intakebot::core::incident::Role;
use intakebot::core::plan::{PlanId, SignInKind};
use intakebot::core::policy::Clock;
use intakebot::core::rules::RuleId;
use intakebot::core::severity::{Coverage, Severity};
use intakebot::discord::{DiscordSender, Pacer};
use intakebot::store::*;
use intakebot_testkit::{client_trusting, FakeDiscord, Mode};
use poise::serenity_prelude::HttpBuilder;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

const CHILD: &str = "SCHED_BENCH_CHILD";

fn env_size(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

#[tokio::main]
async fn main() {
    if std::env::var(CHILD).is_ok() {
        return child().await;
    }
    let open_n = env_size("SCHED_BENCH_OPEN", 100_000);
    let due_n = env_size("SCHED_BENCH_DUE", 10_000).min(open_n);
    let fake = FakeDiscord::start(Mode::Tls).await.expect("fake discord");
    let mut config = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config")).expect("config");
    config.app.discord.engineers_channel.0 = fake.add_text_channel("engineers");
    config.app.discord.managers_channel.0 = fake.add_text_channel("managers");
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::connect(&format!("sqlite://{}/data/bench.db", dir.path().display()))
        .await
        .expect("store");
    let db_url = format!("sqlite://{}/data/bench.db", dir.path().display());
    let app = App::new(Arc::new(config.clone()), store.clone());

    // Seed: one organisation, a pack, `due_n` real incidents whose first reminder falls due in
    // the same minute, and the queued future notices of `open_n - due_n` more open incidents.
    let org = OrgId::new("contoso");
    store.upsert_organisation(&org, "Contoso").await.unwrap();
    let owner = AccountId::new("contoso-cust");
    store
        .upsert_account(&Account {
            id: owner.clone(),
            organisation: org.clone(),
            role: Role::Customer,
            sign_in: SignInKind::Personal,
        })
        .await
        .unwrap();
    let t0 = Utc.with_ymd_and_hms(2027, 6, 1, 9, 0, 0).unwrap();
    let pack = store
        .grant_entitlement(
            &NewEntitlement {
                plan: PlanId::FivePack,
                organisation: org.clone(),
                owner: owner.clone(),
                units: due_n as u32 + 1,
                purchased_on: NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
                expires_on: NaiveDate::from_ymd_opt(2028, 1, 10),
                order_number: OrderNumber::new("ORD-BENCH"),
            },
            &Author::System,
            t0,
        )
        .await
        .unwrap();
    let seeding = Instant::now();
    for i in 0..due_n {
        let opened = t0 + Duration::milliseconds((i as i64 * 59_000) / due_n.max(1) as i64);
        let plan = app.sla_plan(&org, Severity::A, Clock::ClockHours, opened).unwrap();
        let source = SourceId(format!("bench-{i}"));
        let opened_incident = store
            .open_incident(&NewIncident {
                source: source.clone(),
                organisation: org.clone(),
                requester: owner.clone(),
                entitlement: pack.id,
                product: "SQL Server".into(),
                version: "2022".into(),
                severity: Severity::A,
                coverage: Coverage::TwentyFourSeven,
                title: "Down".into(),
                problem: "Production is down".into(),
                language: intakebot::core::language::Language::En,
                flags: vec![],
                opened_at: opened,
                first_response_due: plan.deadline,
                rules: vec![RuleId::Sev6],
                notifications: notices::incident_rows(&source, &plan.notices),
            })
            .await
            .unwrap();
        let thread = fake.add_text_channel(&format!("inc-{i}"));
        store
            .set_discord_ids(
                opened_incident.incident().number,
                &DiscordIds {
                    channel: None,
                    thread: Some(thread),
                    message: None,
                },
            )
            .await
            .unwrap();
    }
    // Future notices of the other open incidents (due next week), enqueued in chunks.
    let future = t0 + Duration::days(7);
    let mut chunk = Vec::with_capacity(4_000);
    for i in due_n..open_n {
        let plan = app
            .sla_plan(
                &org,
                Severity::B,
                Clock::ClockHours,
                future + Duration::seconds(i as i64),
            )
            .unwrap();
        chunk.extend(notices::incident_rows(&SourceId(format!("idle-{i}")), &plan.notices));
        if chunk.len() >= 4_000 {
            store.enqueue(None, &chunk).await.unwrap();
            chunk.clear();
        }
    }
    store.enqueue(None, &chunk).await.unwrap();
    println!(
        "seeded {due_n} due + {} idle incidents in {:.1} s",
        open_n - due_n,
        seeding.elapsed().as_secs_f64()
    );

    store.close().await;

    let ca = dir.path().join("ca.der");
    std::fs::write(&ca, fake.tls_ca_der().expect("TLS mode")).expect("ca");
    let calls_before = fake.calls().len();
    let status = tokio::process::Command::new(std::env::current_exe().expect("exe"))
        .env(CHILD, "1")
        .env("SCHED_BENCH_DB", &db_url)
        .env("SCHED_BENCH_REST", fake.rest_addr().to_string())
        .env("SCHED_BENCH_CA", &ca)
        .env(
            "SCHED_BENCH_ENGINEERS",
            config.app.discord.engineers_channel.0.to_string(),
        )
        .env(
            "SCHED_BENCH_MANAGERS",
            config.app.discord.managers_channel.0.to_string(),
        )
        .env("SCHED_BENCH_T0", t0.to_rfc3339())
        .status()
        .await
        .expect("child");
    assert!(status.success(), "the scheduler process failed");
    let posted = fake
        .calls()
        .iter()
        .skip(calls_before)
        .filter(|c| c.method == "POST" && c.path.ends_with("/messages"))
        .count();
    // Fewer messages than rows: bursts to one channel go out as digests.
    println!(
        "the server received {posted} message posts for the {} due rows",
        2 * due_n
    );
    fake.check().expect("every request the fake served was valid");
}

/// The bot's side: the scheduler with `DiscordSender` on serenity's `Http` (ratelimiter on).
async fn child() {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} not set"));
    let due_n = env_size("SCHED_BENCH_DUE", 10_000).min(env_size("SCHED_BENCH_OPEN", 100_000));
    let open_n = env_size("SCHED_BENCH_OPEN", 100_000);
    let mut config = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config")).expect("config");
    config.app.discord.engineers_channel.0 = var("SCHED_BENCH_ENGINEERS").parse().expect("id");
    config.app.discord.managers_channel.0 = var("SCHED_BENCH_MANAGERS").parse().expect("id");
    let t0 = chrono::DateTime::parse_from_rfc3339(&var("SCHED_BENCH_T0"))
        .expect("t0")
        .with_timezone(&Utc);
    let store = Store::connect(&var("SCHED_BENCH_DB")).await.expect("store");
    let app = App::new(Arc::new(config.clone()), store.clone());
    let ca = std::fs::read(var("SCHED_BENCH_CA")).expect("ca");
    let addr = var("SCHED_BENCH_REST").parse().expect("addr");
    let client = client_trusting(&ca, addr).expect("client");
    let http = Arc::new(HttpBuilder::new("bench-token").client(client).build()); // ratelimiter on
    let sender = Arc::new(DiscordSender {
        http,
        pace: Some(Arc::new(Pacer::per_second(config.app.reminders.max_posts_per_second))),
    });
    let scheduler = Scheduler::new(app, sender, "bench");

    // Idle pass: nothing due yet.
    let idle_at = t0 + Duration::minutes(30);
    let started = Instant::now();
    let rounds = 100;
    for _ in 0..rounds {
        let r = scheduler.run_due(idle_at).await.unwrap();
        assert_eq!(r.claimed, 0);
    }
    println!(
        "idle run_due with {open_n} open: {:.3} ms per pass",
        started.elapsed().as_secs_f64() * 1000.0 / rounds as f64
    );

    // The due minute.
    let due_at = t0 + Duration::hours(1) + Duration::minutes(1);
    let started = Instant::now();
    let report = scheduler.run_due(due_at).await.unwrap();
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "delivered {} rows ({} claimed, {} posted, {} thread copies folded into digests, {} digest messages, {} retried, {} failed) in {elapsed:.1} s (target <= 60 s)",
        report.sent + report.folded,
        report.claimed,
        report.sent,
        report.folded,
        report.digests,
        report.retried,
        report.failed
    );
    println!("scheduler process peak RSS {:.1} MB (target <= 100 MB)", peak_rss_mb());
    assert_eq!(
        report.sent + report.folded,
        2 * due_n,
        "every due reminder delivered (thread copies folded in the burst)"
    );
}
