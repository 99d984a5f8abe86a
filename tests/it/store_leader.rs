//! The leader election's heartbeat on a real PostgreSQL (store::Election): where the lock shows
//! in `pg_locks`, a standby that never ends a leader that beats (at the shortest
//! `leader_hang_after`), ends one that went silent and takes its lock, never ends a lock holder
//! that does not beat, and is told when the database refuses it.

use crate::helpers::db::{Backend, TestDb};
use intakebot::store::{leader_lock_ids, Attempt, Election, Ending, LEADER_KEY, LEADER_LOCK_ROW};
use sqlx::{Connection, PgConnection};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The shortest `database.leader_hang_after` the config accepts.
const HANG_AFTER: Duration = Duration::from_secs(6);
const BEAT_EVERY: Duration = Duration::from_secs(1);

/// `election` beating every second, as a leader does, until the sender is used; then handed back
/// (its connection still open, so it keeps the lock without beating).
fn beating(mut election: Election) -> (oneshot::Sender<()>, JoinHandle<Election>) {
    let (quiet, mut told) = oneshot::channel();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = &mut told => return election,
                _ = tokio::time::sleep(BEAT_EVERY) => {}
            }
            assert!(election.still_leading().await, "a healthy leader's beat failed");
        }
    });
    (quiet, task)
}

async fn lead(url: &str) -> Election {
    let mut election = Election::new(url).unwrap();
    let attempt = election.try_lead().await.unwrap();
    assert_eq!(
        attempt,
        Attempt::Taken {
            predecessor_silent_for: None
        }
    );
    election
}

async fn holder_pid(connection: &mut PgConnection) -> Option<i32> {
    let (classid, objid) = leader_lock_ids();
    sqlx::query_scalar(&format!("SELECT l.pid FROM pg_locks l WHERE {LEADER_LOCK_ROW}"))
        .bind(classid)
        .bind(objid)
        .fetch_optional(connection)
        .await
        .unwrap()
}

#[tokio::test]
async fn store_leader_lock_shows_in_pg_locks_as_the_key_split_in_halves() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let mut leader = lead(&db.url).await;
    let mut look = PgConnection::connect(&db.url).await.unwrap();
    let beat_pid: i32 = sqlx::query_scalar("SELECT backend_pid FROM leader_heartbeat WHERE id = 1")
        .fetch_one(&mut look)
        .await
        .unwrap();
    // Read back without the split under test: what the server shows for the holder's lock.
    let shown: (i64, i64, i16) = sqlx::query_as(
        "SELECT classid::bigint, objid::bigint, objsubid FROM pg_locks \
         WHERE locktype = 'advisory' AND granted AND pid = $1",
    )
    .bind(beat_pid)
    .fetch_one(&mut look)
    .await
    .unwrap();
    let key = LEADER_KEY as u64;
    assert_eq!(shown, ((key >> 32) as i64, (key & 0xffff_ffff) as i64, 1));
    assert_eq!(holder_pid(&mut look).await, Some(beat_pid));

    leader.resign().await;
    // The server releases it as the backend exits, just after the close.
    let released = Instant::now();
    while holder_pid(&mut look).await.is_some() {
        assert!(
            released.elapsed() < Duration::from_secs(5),
            "not released with its connection"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    look.close().await.unwrap();
    db.finish().await;
}

#[tokio::test]
async fn store_leader_that_beats_is_never_ended_and_one_that_went_silent_is() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let (quiet, task) = beating(lead(&db.url).await);
    let mut standby = Election::new(&db.url).unwrap();
    for poll in 0..10 {
        tokio::time::sleep(BEAT_EVERY).await;
        let Attempt::Held {
            silent_for: Some(silent),
        } = standby.try_lead().await.unwrap()
        else {
            panic!("poll {poll}: the leader's beat is not seen");
        };
        assert!(silent < Duration::from_secs(3), "poll {poll}: silent for {silent:?}");
        // Asked to judge regardless of what it read: the statement checks again.
        assert_eq!(
            standby.end_hung_leader(HANG_AFTER).await.unwrap(),
            Ending::Spared,
            "poll {poll}"
        );
    }

    quiet.send(()).unwrap();
    let mut silent_leader = task.await.unwrap();
    let went_quiet = Instant::now();
    let ended = loop {
        assert!(
            went_quiet.elapsed() < HANG_AFTER * 3,
            "the silent leader was never ended"
        );
        tokio::time::sleep(BEAT_EVERY).await;
        let Attempt::Held {
            silent_for: Some(silent),
        } = standby.try_lead().await.unwrap()
        else {
            panic!("the silent leader let go of the lock");
        };
        match standby.end_hung_leader(HANG_AFTER).await.unwrap() {
            Ending::Spared => assert!(silent <= HANG_AFTER + Duration::from_secs(1), "{silent:?}"),
            ended => break ended,
        }
    };
    let Ending::Ended { silent_for, took } = ended else {
        panic!("{ended:?}");
    };
    assert!(silent_for > HANG_AFTER, "{silent_for:?}");
    assert!(took, "the standby queued for the freed lock and got it");
    assert!(
        !silent_leader.still_leading().await,
        "the ended leader's next beat fails"
    );

    // The new leader beats at once: a third instance sees it fresh, not its predecessor's row.
    let mut third = Election::new(&db.url).unwrap();
    let Attempt::Held {
        silent_for: Some(silent),
    } = third.try_lead().await.unwrap()
    else {
        panic!("the new leader's beat is not seen");
    };
    assert!(silent < Duration::from_secs(1), "{silent:?}");
    assert!(standby.still_leading().await);
    standby.resign().await;
    db.finish().await;
}

#[tokio::test]
async fn store_lock_holder_without_its_own_beat_is_never_ended() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    // An old heartbeat row (a leader long gone), while the lock is held by a connection that
    // does not beat (a version without heartbeats).
    let mut gone = lead(&db.url).await;
    gone.resign().await;
    let mut old_version = PgConnection::connect(&db.url).await.unwrap();
    let released = Instant::now();
    loop {
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(LEADER_KEY)
            .fetch_one(&mut old_version)
            .await
            .unwrap();
        if got {
            break;
        }
        // The gone leader's backend frees the lock as it exits, just after the close.
        assert!(released.elapsed() < Duration::from_secs(5), "the lock stayed taken");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    sqlx::query("UPDATE leader_heartbeat SET beat_at = clock_timestamp() - interval '1 hour'")
        .execute(&mut old_version)
        .await
        .unwrap();

    let mut standby = Election::new(&db.url).unwrap();
    assert_eq!(standby.try_lead().await.unwrap(), Attempt::Held { silent_for: None });
    assert_eq!(standby.end_hung_leader(HANG_AFTER).await.unwrap(), Ending::Spared);
    sqlx::query("SELECT 1")
        .execute(&mut old_version)
        .await
        .expect("still connected");
    old_version.close().await.unwrap();

    // Once it lets go, the new leader learns nothing from the old row: it was not the holder's.
    let released = Instant::now();
    let taken = loop {
        match standby.try_lead().await.unwrap() {
            Attempt::Held { .. } if released.elapsed() < Duration::from_secs(5) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => break other,
        }
    };
    assert_eq!(
        taken,
        Attempt::Taken {
            predecessor_silent_for: None
        }
    );
    standby.resign().await;
    db.finish().await;
}

#[tokio::test]
async fn store_standby_whose_role_may_not_end_the_leader_is_told_so() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let mut admin = PgConnection::connect(&db.url).await.unwrap();
    let superuser: bool = sqlx::query_scalar("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        .fetch_one(&mut admin)
        .await
        .unwrap();
    if !superuser {
        eprintln!("skipped: the test role is not a superuser, so it cannot make a weaker one");
        return;
    }
    let role = format!("intakebot_weak_{:08x}", rand::random::<u32>());
    sqlx::query(&format!("CREATE ROLE {role} LOGIN"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(&format!("GRANT SELECT ON leader_heartbeat TO {role}"))
        .execute(&mut admin)
        .await
        .unwrap();

    // The leader runs as the superuser and goes silent at once.
    let mut leader = lead(&db.url).await;
    let mut weak_url = url::Url::parse(&db.url).unwrap();
    weak_url.set_username(&role).unwrap();
    let mut standby = Election::new(weak_url.as_str()).unwrap();
    let went_quiet = Instant::now();
    let ending = loop {
        assert!(
            went_quiet.elapsed() < HANG_AFTER * 3,
            "the silent leader was never judged"
        );
        tokio::time::sleep(BEAT_EVERY).await;
        assert!(matches!(standby.try_lead().await.unwrap(), Attempt::Held { .. }));
        match standby.end_hung_leader(HANG_AFTER).await.unwrap() {
            Ending::Spared => {}
            other => break other,
        }
    };
    let Ending::NotAllowed { reason } = ending else {
        panic!("{ending:?}");
    };
    assert!(reason.contains("terminate"), "{reason}");
    assert!(leader.still_leading().await, "the leader was left alone");

    standby.resign().await;
    leader.resign().await;
    sqlx::query(&format!("REVOKE ALL ON leader_heartbeat FROM {role}"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(&format!("DROP ROLE {role}"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    db.finish().await;
}
