//! Several `intakebot run` processes on one PostgreSQL database (a fresh one) against one local
//! Discord server: exactly one holds a gateway session and says `leader`, the others say
//! `standby`; after `kill -9` of the leader a standby takes over within the bound, and the
//! gateway sessions never overlap.

use crate::helpers::db::{Backend, TestDb};
use crate::helpers::process::{get, ConfigDir, RunProcess, Target};
use crate::ops_run::STOP_DEADLINE;
use intakebot_testkit::{FakeDiscord, Mode};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(40);
/// docs/operations.md: a poll (3 s) plus the handover wait (8 s) plus connecting; the margin
/// is for a loaded test machine.
pub const TAKEOVER_BOUND: Duration = Duration::from_secs(25);

async fn endpoint(bot: &RunProcess, path: &'static str) -> String {
    let listen = bot.listen;
    tokio::task::spawn_blocking(move || get(listen, path))
        .await
        .unwrap()
        .map(|(_, body)| body)
        .unwrap_or_default()
}

/// Waits until exactly one of `bots` says `leader` (and its gateway is up) and the rest
/// `standby`; returns the leader's index.
async fn sole_leader(bots: &[RunProcess]) -> usize {
    let started = Instant::now();
    loop {
        let mut roles = Vec::new();
        for bot in bots {
            roles.push(endpoint(bot, "/healthz").await);
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
    let mut bots: Vec<RunProcess> = configs.iter().map(|c| RunProcess::start(c, &[])).collect();

    let first = sole_leader(&bots).await;
    assert_eq!(fake.gateway_spans().len(), 1, "{:#?}", fake.gateway_spans());
    let metrics = endpoint(&bots[first], "/metrics").await;
    assert!(metrics.contains("intakebot_leader 1"), "{metrics}");
    let standby = (first + 1) % bots.len();
    assert!(endpoint(&bots[standby], "/metrics")
        .await
        .contains("intakebot_leader 0"));

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

    let second = sole_leader(&rest).await;
    assert!(took < TAKEOVER_BOUND, "takeover took {took:?}");
    assert_eq!(fake.live_sessions(), 1);
    assert_eq!(fake.overlapping_sessions(), None, "two gateway sessions at once");
    let metrics = endpoint(&rest[second], "/metrics").await;
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
