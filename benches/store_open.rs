//! Incidents opened per second (the whole transaction) on SQLite and PostgreSQL, one writer and
//! eight concurrent writers (on one pack, and on eight organisations' packs), beside a baseline
//! of plain single-row commits on each backend.
//! PostgreSQL runs when `TEST_DATABASE_URL` is set. `BENCH_N` sets the incidents per run;
//! `BENCH_ONLY=sqlite` or `=postgres` runs one backend (for profiling).

#[path = "../tests/it/helpers/db.rs"]
#[allow(dead_code)]
mod db;

use db::{request, seed, Backend, TestDb};
use intakebot::store::{Durability, Store, StoreOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Executor};
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
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let base = baseline(&dir.path().join("baseline.db"), n * 2).await;
        println!("baseline  sqlite plain single-row commits, WAL, synchronous=NORMAL, sqlx:     {base:>8.0}/s");
        let native = baseline_native(&dir.path().join("native.db"), n * 4);
        println!("baseline  sqlite plain single-row commits, WAL, synchronous=NORMAL, rusqlite: {native:>8.0}/s");
        for (durability, name) in [(Durability::Normal, "NORMAL"), (Durability::Full, "FULL")] {
            if only == "postgres" {
                break;
            }
            for (tasks, packs) in [(1, 1), (8, 1), (8, 8)] {
                let opts = StoreOptions { durability, ..StoreOptions::default() };
                let file = dir.path().join(format!("open-{name}-{tasks}-{packs}.db"));
                let store = Store::connect_with(&format!("sqlite://{}", file.display()), &opts).await.unwrap();
                let rate = open_rate(&store, tasks, packs, n).await;
                println!(
                    "sqlite    open_incident, synchronous={name:<6} {tasks} task(s), {packs} pack(s): {rate:>8.0}/s ({:.0}% of the sqlx baseline)",
                    100.0 * rate / base
                );
                store.close().await;
            }
        }
        if only == "sqlite" {
            return;
        }
        if let Some(db) = TestDb::new(Backend::Postgres).await {
            let base = baseline_postgres(&db.url, n / 2).await;
            println!("baseline  postgres plain single-row commits, synchronous_commit=on, sqlx:     {base:>8.0}/s");
            for sync in [true, false] {
                let opts = StoreOptions { pg_synchronous_commit: sync, ..StoreOptions::default() };
                let store = Store::connect_with(&db.url, &opts).await.unwrap();
                for (tasks, packs) in [(1, 1), (8, 1), (8, 8)] {
                    let rate = open_rate(&store, tasks, packs, n / 2).await;
                    let on = if sync { "on " } else { "off" };
                    println!(
                        "postgres  open_incident, synchronous_commit={on}, {tasks} task(s), {packs} pack(s): {rate:>8.0}/s ({:.0}% of the baseline)",
                        100.0 * rate / base
                    );
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

/// Plain autocommitted single-row inserts on one PostgreSQL connection, each a WAL flush (a
/// logged table: a temporary one skips the WAL).
async fn baseline_postgres(url: &str, n: usize) -> f64 {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    conn.execute("CREATE TABLE baseline (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v TEXT NOT NULL)")
        .await
        .unwrap();
    let start = Instant::now();
    for i in 0..n {
        sqlx::query("INSERT INTO baseline (v) VALUES ($1)")
            .bind(i.to_string())
            .execute(&mut conn)
            .await
            .unwrap();
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// The same commits on SQLite directly (no thread hand-off per statement), like the opener thread.
fn baseline_native(file: &std::path::Path, n: usize) -> f64 {
    let conn = rusqlite::Connection::open(file).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        .unwrap();
    let start = Instant::now();
    for i in 0..n {
        conn.prepare_cached("INSERT INTO t (v) VALUES (?1)")
            .unwrap()
            .execute([i.to_string()])
            .unwrap();
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// Opens `n` incidents from `tasks` concurrent tasks, spending from one pack each of `packs`
/// organisations (tasks share them round-robin); returns incidents per second.
async fn open_rate(store: &Store, tasks: usize, packs: usize, n: usize) -> f64 {
    let run = format!("{:08x}", rand::random::<u32>());
    let mut seeds = Vec::new();
    for p in 0..packs {
        seeds.push(Arc::new(seed(store, &format!("bench-{run}-{p}"), n as u32).await));
    }
    let per_task = n / tasks;
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let (store, seed, run) = (store.clone(), seeds[t % packs].clone(), run.clone());
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
