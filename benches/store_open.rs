//! Incidents opened per second (the whole transaction: incident, first event, ledger row, two
//! reminders, the unit) on SQLite and on PostgreSQL, with one writer and with eight concurrent
//! writers, beside Discord's ceiling: one bot can create about 16.7 incidents a second, because
//! each open needs three REST calls (thread, card, reply) under Discord's global limit of 50
//! requests a second. The target is at least 30 times that ceiling (500 opens/s) on both.
//!
//! Before each backend's cases it measures a baseline on the same disk: plain single-row
//! commits, one after another. One writer cannot open faster than that, since each open is one
//! commit (on PostgreSQL, one WAL flush), so the baseline tells a slow disk from a slow open.
//!
//! PostgreSQL runs when `TEST_DATABASE_URL` is set. `BENCH_N` sets the opens per run (2,000),
//! `BENCH_RUNS` the runs per case (5; the median is printed with the range), `BENCH_ONLY=sqlite`
//! or `=postgres` runs one backend.
//! All measured figures, with their ceilings and ratios: docs/performance.md.

#[path = "../tests/it/helpers/db.rs"]
#[allow(dead_code)]
mod db;

use db::{request, seed, Backend, TestDb};
use intakebot::store::Store;
use std::sync::Arc;
use std::time::Instant;

/// Incidents per second one bot can create on Discord: 50 requests/s, three per open.
const DISCORD_CEILING: f64 = 50.0 / 3.0;
const TARGET: f64 = 500.0;

/// (concurrent writers, packs they spend from): one writer; eight on one pack (they all wait
/// for the same row on PostgreSQL, the worst case); eight on eight organisations' packs.
const CASES: [(usize, usize); 3] = [(1, 1), (8, 1), (8, 8)];

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let n = env_number("BENCH_N", 2000);
    let runs = env_number("BENCH_RUNS", 5);
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    println!(
        "Discord's ceiling: {DISCORD_CEILING:.1} opens/s; target {TARGET:.0} opens/s ({:.0}x); {n} opens per run, median of {runs}",
        TARGET / DISCORD_CEILING
    );
    rt.block_on(async {
        for (backend, name) in [(Backend::Sqlite, "sqlite"), (Backend::Postgres, "postgres")] {
            if !only.is_empty() && only != name {
                continue;
            }
            let Some(db) = TestDb::new(backend).await else {
                continue;
            };
            let base = baseline(&db.store, n).await;
            println!("{name:<8} baseline: {base:>6.0} plain single-row commits/s, one writer");
            for (writers, packs) in CASES {
                let mut rates = Vec::with_capacity(runs);
                for _ in 0..runs {
                    rates.push(open_rate(&db.store, writers, packs, n).await);
                }
                report(db.store.backend(), writers, packs, &mut rates);
            }
            db.finish().await;
        }
    });
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn report(backend: &str, writers: usize, packs: usize, rates: &mut [f64]) {
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    let verdict = if median >= TARGET { "meets" } else { "MISSES" };
    println!(
        "{backend:<8} {writers} writer(s), {packs} pack(s): {median:>6.0} opens/s (runs {:.0}–{:.0}) = {:>4.0}x Discord's ceiling; {verdict} the target",
        rates[0],
        rates[rates.len() - 1],
        median / DISCORD_CEILING,
    );
}

/// Plain autocommitted single-row inserts into a table of their own, one after another, through
/// the store's own pool (a logged table on PostgreSQL, so each is a WAL flush).
async fn baseline(store: &Store, n: usize) -> f64 {
    execute(store, "CREATE TABLE bench_baseline (id BIGINT PRIMARY KEY)", None).await;
    let start = Instant::now();
    for i in 0..n as i64 {
        execute(store, "INSERT INTO bench_baseline (id) VALUES ($1)", Some(i)).await;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

async fn execute(store: &Store, sql: &str, value: Option<i64>) {
    let done = match store {
        Store::Sqlite(s) => value
            .map_or(sqlx::query(sql), |v| sqlx::query(sql).bind(v))
            .execute(s.pool())
            .await
            .map(|_| ()),
        Store::Postgres(s) => value
            .map_or(sqlx::query(sql), |v| sqlx::query(sql).bind(v))
            .execute(s.pool())
            .await
            .map(|_| ()),
    };
    done.unwrap();
}

/// Opens `n` incidents from `writers` concurrent tasks, spending from one pack each of `packs`
/// organisations (writers share them round-robin); returns incidents per second.
async fn open_rate(store: &Store, writers: usize, packs: usize, n: usize) -> f64 {
    let run = format!("{:08x}", rand::random::<u32>());
    let mut seeds = Vec::new();
    for p in 0..packs {
        seeds.push(Arc::new(seed(store, &format!("bench-{run}-{p}"), n as u32).await));
    }
    let per_writer = n / writers;
    let start = Instant::now();
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let (store, seed, run) = (store.clone(), seeds[w % packs].clone(), run.clone());
            tokio::spawn(async move {
                for i in 0..per_writer {
                    let source = format!("{run}-{w}-{i}");
                    store
                        .open_incident(&request(&seed, &source, seed.pack.id))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.await.unwrap();
    }
    let rate = (per_writer * writers) as f64 / start.elapsed().as_secs_f64();
    assert_eq!(store.check_all_ledgers().await.unwrap(), vec![]);
    rate
}
