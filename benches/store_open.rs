//! Incidents opened per second (the whole transaction) on SQLite and PostgreSQL, one writer and
//! eight concurrent writers, beside a baseline of plain single-row SQLite commits.
//! PostgreSQL runs when `TEST_DATABASE_URL` is set. `BENCH_N` sets the incidents per run.

#[path = "../tests/support/db.rs"]
mod db;

use db::{request, seed, Backend, Seed, TestDb};
use intakebot::store::{Durability, Store, StoreOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let n: usize = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8000);
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let base = baseline(&dir.path().join("baseline.db"), n * 2).await;
        println!("baseline  sqlite plain single-row commits, WAL, synchronous=NORMAL: {base:>8.0}/s");
        for (durability, name) in [(Durability::Normal, "NORMAL"), (Durability::Full, "FULL")] {
            for (writers, tasks) in [(1, 1), (1, 8), (4, 8)] {
                let opts = StoreOptions { durability, sqlite_writers: writers, ..StoreOptions::default() };
                let file = dir.path().join(format!("open-{name}-{writers}-{tasks}.db"));
                let store = Store::connect_with(&format!("sqlite://{}", file.display()), &opts).await.unwrap();
                let rate = open_rate(&store, tasks, n).await;
                println!(
                    "sqlite    open_incident, synchronous={name:<6} {writers} writer conn, {tasks} task(s): {rate:>8.0}/s ({:.1}% of baseline)",
                    100.0 * rate / base
                );
                store.close().await;
            }
        }
        if let Some(db) = TestDb::new(Backend::Postgres).await {
            for sync in [true, false] {
                let opts = StoreOptions { pg_synchronous_commit: sync, ..StoreOptions::default() };
                let store = Store::connect_with(&db.url, &opts).await.unwrap();
                for tasks in [1, 8] {
                    let rate = open_rate(&store, tasks, if sync && tasks == 1 { n / 10 } else { n / 2 }).await;
                    let on = if sync { "on " } else { "off" };
                    println!("postgres  open_incident, synchronous_commit={on}, {tasks} task(s): {rate:>8.0}/s");
                }
                store.close().await;
            }
            db.finish().await;
        }
    });
}

/// Plain autocommitted single-row inserts on one connection, through sqlx like the store.
async fn baseline(file: &std::path::Path, n: usize) -> f64 {
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", file.display()))
        .unwrap()
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .connect()
        .await
        .unwrap();
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        .await
        .unwrap();
    let start = Instant::now();
    for i in 0..n {
        sqlx::query("INSERT INTO t (v) VALUES ($1)")
            .bind(i.to_string())
            .execute(&mut conn)
            .await
            .unwrap();
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// Opens `n` incidents from `tasks` concurrent tasks; returns incidents per second.
async fn open_rate(store: &Store, tasks: usize, n: usize) -> f64 {
    let run = format!("{:08x}", rand::random::<u32>());
    let org = format!("bench-{run}");
    let seed: Arc<Seed> = Arc::new(seed(store, &org, n as u32).await);
    let per_task = n / tasks;
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let (store, seed, run) = (store.clone(), seed.clone(), run.clone());
            tokio::spawn(async move {
                for i in 0..per_task {
                    let source = format!("{run}-{t}-{i}");
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
    let rate = (per_task * tasks) as f64 / start.elapsed().as_secs_f64();
    assert_eq!(store.check_all_ledgers().await.unwrap(), vec![]);
    rate
}
