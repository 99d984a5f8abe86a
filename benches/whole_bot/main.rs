//! Whole-bot figures: the real `intakebot run` binary in its own process, on a database with
//! 100k open incidents and 1M ledger rows, against the local Discord server in another process.
//! Reports start-up to ready (`/healthz`), resident memory idle, during a 10k-notice burst and
//! after opens, CPU seconds per idle hour, and `/incident open` latency at 50 opens/s driven
//! from the server's side. The figures and how they compare: docs/performance.md.
//!
//! `cargo bench --bench whole_bot` (SQLite; PostgreSQL too with
//! `INTAKEBOT_BENCH_PG=postgres://postgres@127.0.0.1:5432/postgres`, which gets a fresh
//! database of its own). Quick check: `INTAKEBOT_BENCH_SCALE=0.01 INTAKEBOT_BENCH_IDLE_SECS=10
//! INTAKEBOT_BENCH_OPEN_SECS=5`. Other knobs: `INTAKEBOT_BENCH_OPEN_RATE` (default 50/s),
//! `INTAKEBOT_BENCH_BIN` (default the release `intakebot`; e.g. `target/dist/intakebot`),
//! `INTAKEBOT_BENCH_FAKE` (a built `fake-discord`; default this binary in a second process),
//! `INTAKEBOT_BENCH_ONLY=postgres` (skip SQLite), `INTAKEBOT_BENCH_LOG` (the bot's log filter).
//! Targets: ready ≤ 1 s, idle RSS ≤ 60 MB, burst RSS ≤ 80 MB, open p99 < 50 ms.

mod bot;
mod fake;
mod procfs;
mod seed;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::Utc;
use fake::FakeProcess;
use intakebot::store::Store;
use serde_json::{json, Value};

struct Settings {
    scale: f64,
    idle: Duration,
    open_secs: u64,
    open_rate: u64,
    bin: PathBuf,
    pg: Option<String>,
    /// `postgres`: skip SQLite.
    only: Option<String>,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

impl Settings {
    fn from_env() -> Settings {
        Settings {
            scale: env_or("INTAKEBOT_BENCH_SCALE", 1.0),
            idle: Duration::from_secs(env_or("INTAKEBOT_BENCH_IDLE_SECS", 300)),
            open_secs: env_or("INTAKEBOT_BENCH_OPEN_SECS", 60),
            open_rate: env_or("INTAKEBOT_BENCH_OPEN_RATE", 50),
            bin: env_or("INTAKEBOT_BENCH_BIN", PathBuf::from(env!("CARGO_BIN_EXE_intakebot"))),
            pg: std::env::var("INTAKEBOT_BENCH_PG").ok().filter(|u| !u.is_empty()),
            only: std::env::var("INTAKEBOT_BENCH_ONLY").ok(),
        }
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if std::env::var(fake::CHILD).is_ok() {
        if let Err(e) = runtime.block_on(intakebot_testkit::remote::serve_stdio()) {
            eprintln!("fake Discord: {e}");
            std::process::exit(1);
        }
        return;
    }
    runtime.block_on(run());
}

async fn run() {
    let s = Settings::from_env();
    println!(
        "whole_bot: {} (scale {}, idle window {} s, opens {}/s for {} s)",
        s.bin.display(),
        s.scale,
        s.idle.as_secs(),
        s.open_rate,
        s.open_secs
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = format!("sqlite://{}/bench.db", dir.path().display());
    if s.only.as_deref() != Some("postgres") {
        bench("SQLite", &sqlite, &s, dir.path()).await;
    }
    if let Some(admin) = &s.pg {
        let (url, name) = fresh_pg(admin).await;
        bench("PostgreSQL", &url, &s, dir.path()).await;
        let mut db = seed::Db::connect(admin).await.expect("PostgreSQL");
        let _ = db.exec(&format!("DROP DATABASE {name} WITH (FORCE)")).await;
    }
}

/// A new, empty database beside the one `admin` names.
async fn fresh_pg(admin: &str) -> (String, String) {
    let name = format!("intakebot_bench_{}", std::process::id());
    let mut db = seed::Db::connect(admin).await.expect("PostgreSQL");
    db.exec(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
    let mut url = url::Url::parse(admin).expect("PostgreSQL URL");
    url.set_path(&name);
    (url.to_string(), name)
}

async fn bench(label: &str, db_url: &str, s: &Settings, tmp: &std::path::Path) {
    let dir = tempfile::tempdir_in(tmp).expect("config dir");
    let mut fake = FakeProcess::start().await;
    let channels = bot::Channels {
        contoso_intake: fake.channels("contoso-support", 1).await[0],
        fabrikam_intake: fake.channels("fabrikam-support", 1).await[0],
        engineers: fake.channels("engineers", 1).await[0],
        managers: fake.channels("managers", 1).await[0],
    };
    let sizes = seed::Sizes::at(s.scale, s.open_rate * s.open_secs);
    // Discord allows 500 channels and 1,000 active threads per guild, and every channel is in
    // the bot's cache; a burst's thread copies are folded past `thread_burst` (50) anyway. So the
    // first 100 of the burst's incidents get threads in the fake, the rest ids it does not know.
    let threads = fake.channels("inc", sizes.burst_incidents.min(100)).await;

    let seeding = Instant::now();
    Store::connect(db_url).await.expect("migrate").close().await;
    let mut db = seed::Db::connect(db_url).await.expect("seed connection");
    let counts = seed::seed(&mut db, sizes, &threads, Utc::now()).await.expect("seed");
    println!(
        "\n[{label}] seeded {} incidents ({} open, {} closed), {} events, {} ledger rows, {} outbox rows, {} packs in {:.1} s",
        counts.incidents,
        sizes.open,
        sizes.closed,
        counts.events,
        counts.ledger,
        counts.outbox,
        counts.packs,
        seeding.elapsed().as_secs_f64()
    );
    verify(db_url, counts.incidents).await;

    let listen = bot::write_config(dir.path(), db_url, &fake.rest_url, fake.guild_id, &channels);
    let started = Instant::now();
    let mut child = bot::spawn(&s.bin, dir.path());
    let pid = child.id();
    let Some(ready) = bot::wait_ready(listen, Duration::from_secs(120)).await else {
        let _ = child.kill();
        let log = std::fs::read_to_string(dir.path().join("bot.log")).unwrap_or_default();
        panic!("[{label}] the bot never became ready; log:\n{log}");
    };
    let at_ready = procfs::memory(pid).unwrap_or_default();
    println!(
        "  start-up to ready (/healthz: database and gateway up): {:.0} ms (target ≤ 1000 ms); RSS then {:.1} MB",
        (ready - started).as_secs_f64() * 1e3,
        at_ready.rss
    );
    let registered = fake
        .request(json!({ "op": "wait_call", "method": "PUT", "path": "/applications/*/guilds/*/commands", "timeout_ms": 30_000 }))
        .await;
    assert_eq!(registered["ok"], true, "commands registered: {registered}");

    idle(pid, s.idle).await;
    burst(pid, &mut db, &mut fake, sizes).await;
    opens(pid, &mut fake, s, &channels).await;

    let (status, took) = bot::stop(&mut child, Duration::from_secs(30)).await;
    println!(
        "  SIGTERM → exit {:?} in {:.0} ms",
        status.and_then(|s| s.code()),
        took.as_secs_f64() * 1e3
    );
    let failures = fake.request(json!({ "op": "failures" })).await;
    let failures = failures["failures"].as_array().cloned().unwrap_or_default();
    println!("  protocol problems the fake server saw: {}", failures.len());
    for f in failures.iter().take(3) {
        println!("    {f}");
    }
    fake.stop().await;
    let kept = std::env::temp_dir().join(format!("whole_bot-{}.log", label.to_lowercase()));
    if std::fs::copy(dir.path().join("bot.log"), &kept).is_ok() {
        println!("  the bot's log (warnings and errors): {}", kept.display());
    }
}

/// The seeded rows read back through the store as the bot reads them, and every ledger balances.
async fn verify(db_url: &str, incidents: usize) {
    let store = Store::connect(db_url).await.expect("store");
    let unbalanced = store.check_all_ledgers().await.expect("ledger check");
    assert!(
        unbalanced.is_empty(),
        "unbalanced packs: {:?}",
        &unbalanced[..unbalanced.len().min(3)]
    );
    for number in [1, incidents as i64] {
        let number = intakebot::core::ids::IncidentNumber(number);
        store
            .incident(number)
            .await
            .expect("incident reads")
            .expect("incident exists");
        store.events(number).await.expect("events read");
    }
    store.close().await;
}

/// CPU per idle hour from the window, and memory at rest.
async fn idle(pid: u32, window: Duration) {
    let cpu0 = procfs::cpu_seconds(pid).unwrap_or(f64::NAN);
    let started = Instant::now();
    let mut max_rss = 0f64;
    while started.elapsed() < window {
        tokio::time::sleep(Duration::from_secs(1).min(window)).await;
        max_rss = max_rss.max(procfs::memory(pid).unwrap_or_default().rss);
    }
    let cpu = procfs::cpu_seconds(pid).unwrap_or(f64::NAN) - cpu0;
    let secs = started.elapsed().as_secs_f64();
    let m = procfs::memory(pid).unwrap_or_default();
    println!(
        "  idle {secs:.0} s: RSS {:.1} MB at the end, {max_rss:.1} MB at most (target ≤ 60 MB), peak since start {:.1} MB; \
         CPU {cpu:.3} s = {:.1} s per idle hour",
        m.rss,
        m.peak,
        cpu / secs * 3600.0
    );
}

/// The burst's reminders made due at once; memory sampled every 100 ms until all are out.
async fn burst(pid: u32, db: &mut seed::Db, fake: &mut FakeProcess, sizes: seed::Sizes) {
    let posts_before = fake.posts().await;
    let peak_before = procfs::memory(pid).unwrap_or_default().peak;
    let rows = 2 * sizes.burst_incidents;
    db.release_burst(Utc::now()).await.expect("make the burst due");
    let started = Instant::now();
    let mut max_rss = 0f64;
    let mut left = rows as i64;
    for tick in 0u64.. {
        tokio::time::sleep(Duration::from_millis(100)).await;
        max_rss = max_rss.max(procfs::memory(pid).unwrap_or_default().rss);
        if tick % 5 == 4 {
            left = db.burst_left().await.expect("burst rows left");
        }
        if left == 0 || started.elapsed() > Duration::from_secs(600) {
            break;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let m = procfs::memory(pid).unwrap_or_default();
    let posts = fake.posts().await - posts_before;
    println!(
        "  burst of {rows} due notices: {} delivered in {secs:.1} s (from due, scheduler poll included) as {posts} posts; \
         RSS {max_rss:.1} MB at most during it (target ≤ 80 MB), peak since start {:.1} MB (before: {peak_before:.1} MB)",
        rows as i64 - left,
        m.peak
    );
}

/// `/incident open` at the set rate, timed by the fake server (command → modal, submit → confirmation).
async fn opens(pid: u32, fake: &mut FakeProcess, s: &Settings, ch: &bot::Channels) {
    let spec = json!({
        "op": "modal_load",
        "command": "incident",
        "subcommand": "open",
        "options": [
            { "name": "product", "type": 3, "value": "sql-server" },
            { "name": "version", "type": 3, "value": "2022" },
            { "name": "severity", "type": 4, "value": 2 },
        ],
        "user_id": seed::BENCH_CUSTOMER,
        "username": "carla",
        "roles": [bot::CONTOSO_ROLE],
        "locale": "en-US",
        "channel": ch.contoso_intake,
        "fields": [["title", "Backups fail"], ["problem", "Nightly backup fails"]],
        "expect": "INC-",
        "submit_answers": 1,
        "per_second": s.open_rate,
        "seconds": s.open_secs,
    });
    let r = fake.request(spec).await;
    let ms = |v: &Value, key: &str| v[key].as_f64().unwrap_or(f64::NAN);
    let line = |v: &Value| {
        format!(
            "p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            ms(v, "p50"),
            ms(v, "p90"),
            ms(v, "p99"),
            ms(v, "max")
        )
    };
    let m = procfs::memory(pid).unwrap_or_default();
    println!(
        "  /incident open at {}/s: {}/{} answered in {:.1} s ({} failed{})\n    command → modal: {}\n    submit → confirmation: {} (target p99 < 50 ms)\n  RSS after the opens {:.1} MB, peak since start {:.1} MB",
        s.open_rate,
        r["done"],
        r["sent"],
        ms(&r, "seconds"),
        r["failed"],
        r["first_failure"].as_str().map(|f| format!("; first: {f}")).unwrap_or_default(),
        line(&r["modal"]),
        line(&r["confirm"]),
        m.rss,
        m.peak
    );
}
