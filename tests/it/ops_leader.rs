//! Several `intakebot run` processes on one PostgreSQL database (a fresh one) against one local
//! Discord server: exactly one holds a gateway session and says `leader`, the others say
//! `standby`; after `kill -9` of the leader, a hang of it (SIGSTOP) or the loss of its database
//! connection a standby takes over within the bound, and the gateway sessions never overlap.

use crate::helpers::db::{Backend, TestDb};
use crate::helpers::process::{ConfigDir, RunProcess, Target};
use crate::ops_run::STOP_DEADLINE;
use intakebot::store::{leader_lock_ids, LEADER_LOCK_ROW};
use intakebot_testkit::{FakeDiscord, Mode};
use sqlx::{Connection, PgConnection};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(40);
/// docs/operations.md: a poll (3 s) plus the handover wait (8 s) plus connecting; the margin
/// is for a loaded test machine.
pub const TAKEOVER_BOUND: Duration = Duration::from_secs(25);

/// The bound for a hung leader: docs/operations.md, `leader_hang_after` (6 s) plus a
/// poll (3 s) plus what is left of the handover after the last beat, plus connecting.
const HANG_TAKEOVER_BOUND: Duration = Duration::from_secs(15);

/// Waits until exactly one of `bots` says `leader` (and its gateway is up) and the rest
/// `standby`; returns the leader's index.
async fn sole_leader(bots: &[&RunProcess]) -> usize {
    let started = Instant::now();
    loop {
        let mut roles = Vec::new();
        for bot in bots {
            roles.push(bot.endpoint("/healthz").await);
        }
        let leaders: Vec<usize> = (0..bots.len())
            .filter(|&i| roles[i].contains("\"role\":\"leader\"") && roles[i].contains("\"gateway\":\"up\""))
            .collect();
        let standbys = roles.iter().filter(|r| r.contains("\"role\":\"standby\"")).count();
        if leaders.len() == 1 && standbys == bots.len() - 1 {
            return leaders[0];
        }
        assert!(started.elapsed() < WAIT, "no sole leader: {roles:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_leader_holds_the_gateway_and_a_standby_takes_over_after_kill_9() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let (_configs, mut bots) = three_bots(&fake, &db, &[]);

    let first = sole_leader(&bots.iter().collect::<Vec<_>>()).await;
    assert_eq!(fake.gateway_spans().len(), 1, "{:#?}", fake.gateway_spans());
    let metrics = bots[first].endpoint("/metrics").await;
    assert!(metrics.contains("intakebot_leader 1"), "{metrics}");
    let standby = (first + 1) % bots.len();
    assert!(bots[standby].endpoint("/metrics").await.contains("intakebot_leader 0"));

    bots[first].signal("KILL");
    let killed_at = Instant::now();
    bots[first].exit_within(STOP_DEADLINE).await;
    let mut rest: Vec<RunProcess> = bots
        .drain(..)
        .enumerate()
        .filter(|(i, _)| *i != first)
        .map(|(_, b)| b)
        .collect();
    fake.identified_nth(2, WAIT).await.unwrap();
    let took = killed_at.elapsed();

    let second = sole_leader(&rest.iter().collect::<Vec<_>>()).await;
    assert!(took < TAKEOVER_BOUND, "takeover took {took:?}");
    assert_eq!(fake.live_sessions(), 1);
    assert_eq!(fake.overlapping_sessions(), None, "two gateway sessions at once");
    let metrics = rest[second].endpoint("/metrics").await;
    assert!(metrics.contains("intakebot_leader_takeovers_total 1"), "{metrics}");
    assert!(
        rest[second].log().iter().any(|l| l.contains("took the leader lock")),
        "the takeover was not logged"
    );

    for bot in &rest {
        bot.signal("TERM");
    }
    for bot in &mut rest {
        let (status, _) = bot.exit_within(STOP_DEADLINE).await;
        assert!(status.success(), "log:\n{}", bot.log().join("\n"));
    }
    assert_eq!(fake.gateway_spans().len(), 2, "{:#?}", fake.gateway_spans());
    let _ = fake.take_failures();
    drop(rest);
    db.finish().await;
}

/// Three bots on a fresh PostgreSQL database against `fake`, with `env` added.
fn three_bots(fake: &FakeDiscord, db: &TestDb, env: &[(&str, &str)]) -> (Vec<ConfigDir>, Vec<RunProcess>) {
    let rest_url = fake.rest_url();
    let configs: Vec<ConfigDir> = (0..3)
        .map(|_| {
            ConfigDir::new(&Target {
                rest_url: &rest_url,
                guild_id: fake.scene().guild_id,
                database_url: Some(&db.url),
            })
        })
        .collect();
    let bots = configs.iter().map(|c| RunProcess::start(c, env)).collect();
    (configs, bots)
}

/// Waits until `bot`'s `/healthz` says `standby`.
async fn standby_within(bot: &RunProcess, within: Duration) {
    let started = Instant::now();
    loop {
        let health = bot.endpoint("/healthz").await;
        if health.contains("\"role\":\"standby\"") {
            return;
        }
        assert!(
            started.elapsed() < within,
            "not a standby within {within:?}: {health}; log:\n{}",
            bot.log().join("\n")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn stop_all(bots: &mut [RunProcess]) {
    for bot in bots.iter() {
        bot.signal("TERM");
    }
    for bot in bots.iter_mut() {
        let (status, _) = bot.exit_within(STOP_DEADLINE).await;
        assert!(status.success(), "log:\n{}", bot.log().join("\n"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_leader_is_replaced_and_steps_down_when_it_wakes() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    // Heartbeats every 4 s: the stopped leader's session is closed as a zombie (4009) within
    // 6 s of its last one, as Discord closes it, and well before a standby takes over.
    fake.set_heartbeat_interval(Duration::from_secs(4));
    let (_configs, mut bots) = three_bots(&fake, &db, &[]);
    let first = sole_leader(&bots.iter().collect::<Vec<_>>()).await;
    let hung_span = fake.gateway_spans()[0].clone();
    let identified = fake.gateway_spans().iter().filter(|s| !s.resumed).count();

    bots[first].signal("STOP");
    let stopped_at = Instant::now();
    fake.identified_nth(identified + 1, WAIT).await.unwrap();
    let took = stopped_at.elapsed();
    eprintln!("a hung leader was replaced (SIGSTOP → the new leader's identify) in {took:?}");
    let others: Vec<&RunProcess> = (0..bots.len()).filter(|&i| i != first).map(|i| &bots[i]).collect();
    let second = others[sole_leader(&others).await];
    assert!(took < HANG_TAKEOVER_BOUND, "hang takeover took {took:?}");
    let metrics = second.endpoint("/metrics").await;
    let leader_lines = |bot: &RunProcess| -> Vec<String> {
        bot.log()
            .into_iter()
            .filter(|l| l.contains("intakebot::cli::leader"))
            .collect()
    };
    assert!(
        metrics.contains("intakebot_leader_hangs_ended_total 1"),
        "{metrics}\nstandbys' leader log:\n{:#?}",
        others.iter().map(|b| leader_lines(b)).collect::<Vec<_>>()
    );
    second.wait_for_log("its lock connection was ended", 1, WAIT).await;
    assert!(
        fake.gateway_timeouts() >= 1,
        "the stopped leader's session was not timed out"
    );
    fake.wait_for_session_end(hung_span.connection, WAIT).await.unwrap();
    assert_eq!(fake.overlapping_sessions(), None, "two gateway sessions at once");
    let new_session = fake
        .gateway_spans()
        .into_iter()
        .find(|s| s.is_live())
        .expect("the new leader's session")
        .session_id;

    bots[first].signal("CONT");
    let woke_at = Instant::now();
    bots[first]
        .wait_for_log("lost the leader lock's database connection", 1, WAIT)
        .await;
    standby_within(&bots[first], Duration::from_secs(10)).await;
    eprintln!("the woken leader was a standby {:?} after SIGCONT", woke_at.elapsed());
    // One session: the new leader's (a shard serenity started as the old one woke is shut down
    // at its first event).
    let live = fake.wait_for_live_sessions(1, WAIT).await.unwrap_or_else(|err| {
        panic!(
            "{err}: {:#?}\nthe woken leader's log:\n{}",
            fake.gateway_spans(),
            bots[first].log().join("\n")
        )
    });
    assert_eq!(live[0].session_id, new_session, "{live:#?}");
    let fenced = bots[first]
        .log()
        .iter()
        .filter(|l| l.contains("started while the session was closing"))
        .count();
    eprintln!("the woken leader's close met {fenced} event(s) of a shard serenity started meanwhile");
    let roles: Vec<&RunProcess> = bots.iter().collect();
    assert_ne!(sole_leader(&roles).await, first);

    stop_all(&mut bots).await;
    let _ = fake.take_failures();
    drop(bots);
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_that_loses_the_database_closes_its_gateway_before_another_opens() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    // Standbys poll every second, so one often holds the freed lock before the old leader's
    // next beat has even failed: the handover wait keeps the sessions apart (without it, this
    // test saw an overlap in 1 of 4 runs).
    let (_configs, mut bots) = three_bots(&fake, &db, &[("INTAKEBOT_DATABASE__LEADER_POLL_EVERY", "1s")]);
    let first = sole_leader(&bots.iter().collect::<Vec<_>>()).await;

    // The server ends the lock holder's connection (an administrator, a failover of the
    // database, a network cut the server noticed).
    let mut admin = PgConnection::connect(&db.url).await.unwrap();
    let (classid, objid) = leader_lock_ids();
    let holder: i32 = sqlx::query_scalar(&format!("SELECT l.pid FROM pg_locks l WHERE {LEADER_LOCK_ROW}"))
        .bind(classid)
        .bind(objid)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    let ended: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(holder)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert!(ended);
    admin.close().await.unwrap();

    bots[first]
        .wait_for_log("lost the leader lock's database connection", 1, WAIT)
        .await;
    standby_within(&bots[first], Duration::from_secs(10)).await;
    fake.identified_nth(2, WAIT).await.unwrap();
    let second = sole_leader(&bots.iter().collect::<Vec<_>>()).await;
    assert_ne!(second, first, "a standby took over");
    assert_eq!(fake.live_sessions(), 1);
    assert_eq!(fake.overlapping_sessions(), None, "two gateway sessions at once");

    stop_all(&mut bots).await;
    assert_eq!(fake.gateway_spans().len(), 2, "{:#?}", fake.gateway_spans());
    let _ = fake.take_failures();
    drop(bots);
    db.finish().await;
}
