//! Crash safety on SQLite: a child process opens incidents in a loop and is killed with SIGKILL
//! at random moments, 20 times; afterwards every committed incident is whole, the ledger adds up
//! and the database opens cleanly. The child is this same test binary, re-run with an env var.

use crate::helpers::db::*;
use intakebot::core::ids::{AccountId, EntitlementId, OrgId};
use intakebot::store::{Store, StoreError};
use rand::Rng;
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_URL: &str = "INTAKEBOT_CRASH_CHILD_URL";
const CHILD_PACK: &str = "INTAKEBOT_CRASH_CHILD_PACK";
const UNITS: u32 = 1_000_000;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The child: does nothing unless started by the crash test.
#[test]
fn crash_child() {
    let (Ok(url), Ok(pack)) = (std::env::var(CHILD_URL), std::env::var(CHILD_PACK)) else {
        return;
    };
    let pack = EntitlementId(pack.parse().unwrap());
    runtime().block_on(async {
        let store = Store::connect(&url).await.unwrap();
        let seed = Seed {
            org: OrgId::new("crash"),
            requester: AccountId::new("crash-cust"),
            engineer: AccountId::new("crash-eng"),
            pack: store.entitlement(pack).await.unwrap().unwrap(),
        };
        loop {
            let source = format!("{:016x}", rand::random::<u64>());
            store.open_incident(&request(&seed, &source, pack)).await.unwrap();
        }
    });
}

async fn count(store: &Store, sql: &str) -> i64 {
    let Store::Sqlite(s) = store else {
        panic!("the crash test runs on SQLite")
    };
    sqlx::query_scalar(sql).fetch_one(s.pool()).await.unwrap()
}

#[test]
fn sigkill_twenty_times_loses_nothing_committed() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/crash/intakebot.db", dir.path().display());
    let rt = runtime();
    let pack = rt.block_on(async {
        let store = Store::connect(&url).await.unwrap();
        let s = seed(&store, "crash", UNITS).await;
        store.close().await;
        s.pack.id
    });
    let mut rng = rand::thread_rng();
    let mut progress = vec![];
    for _ in 0..20 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["store_crash::crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_URL, &url)
            .env(CHILD_PACK, pack.0.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.gen_range(150..700)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        progress.push(rt.block_on(async {
            let store = Store::connect(&url).await.unwrap();
            let n = count(&store, "SELECT COUNT(*) FROM incidents").await;
            store.close().await;
            n
        }));
    }
    rt.block_on(async {
        // Opens cleanly (migrations checked), and the file is sound.
        let store = Store::connect(&url).await.unwrap();
        let Store::Sqlite(s) = &store else { unreachable!() };
        let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(s.pool())
            .await
            .unwrap();
        assert_eq!(integrity, "ok");
        let incidents = count(&store, "SELECT COUNT(*) FROM incidents").await;
        assert!(
            progress.windows(2).filter(|w| w[1] > w[0]).count() >= 10,
            "the child made too little progress: {progress:?}"
        );
        let broken = count(
            &store,
            &format!(
                "SELECT COUNT(*) FROM incidents i WHERE \
                 (SELECT COUNT(*) FROM incident_events e WHERE e.incident = i.id) <> 1 \
                 OR (SELECT COUNT(*) FROM ledger l WHERE l.incident = i.id AND l.kind = 'consume') <> 1 \
                 OR (SELECT COUNT(*) FROM outbox o WHERE o.incident = i.id) <> {REMINDERS}"
            ),
        )
        .await;
        assert_eq!(broken, 0, "incomplete incidents after crashes");
        let consumed = count(&store, "SELECT COUNT(*) FROM ledger WHERE kind = 'consume'").await;
        assert_eq!(consumed, incidents);
        let left = store.entitlement(pack).await.unwrap().unwrap().units_left;
        assert_eq!(i64::from(left), i64::from(UNITS) - incidents);
        let unbalanced: Result<_, StoreError> = store.check_all_ledgers().await;
        assert_eq!(unbalanced.unwrap(), vec![]);
        store.close().await;
        eprintln!("crash test: {incidents} incidents committed across 20 kills: {progress:?}");
    });
}
