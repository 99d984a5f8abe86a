//! `intakebot run`, the real binary, in each state of its life against the local Discord
//! server: a refused token ends it (exit 1) within seconds; an unreachable Discord is retried
//! with growing waits, each failure logged once; SIGTERM or SIGINT stops it within the deadline
//! while the database opens, while Discord hangs, while connected and while reconnecting; a
//! session lost for long is started over; a second bot on the same SQLite file is refused
//! (exit 1).

use crate::helpers::process::{ConfigDir, RunProcess, Target, TOKEN};
use crate::ops_run::STOP_DEADLINE;
use intakebot_testkit::{unreachable, FakeDiscord, HangingServer, Mode};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

fn config(rest_url: &str, guild_id: u64) -> ConfigDir {
    ConfigDir::new(&Target {
        rest_url,
        guild_id,
        database_url: None,
    })
}

/// A bot connected to `fake` (identified, commands registered, `/healthz` ready).
async fn connected(fake: &FakeDiscord, config: &ConfigDir) -> RunProcess {
    let bot = RunProcess::start(config, &[]);
    fake.identified().await.unwrap();
    bot.wait_ready(WAIT).await;
    bot
}

async fn assert_clean_stop(bot: &mut RunProcess) {
    let (status, took) = bot.exit_within(STOP_DEADLINE).await;
    assert_eq!(status.code(), Some(0), "log:\n{}", bot.log().join("\n"));
    assert!(took < STOP_DEADLINE, "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_exits_1_within_seconds_naming_the_cause() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    fake.refuse_token(TOKEN);
    let config = config(&fake.rest_url(), fake.scene().guild_id);
    let mut bot = RunProcess::start(&config, &[]);

    let (status, took) = bot.exit_within(Duration::from_secs(10)).await;

    let log = bot.log().join("\n");
    assert_eq!(status.code(), Some(1), "log:\n{log}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(
        log.contains("error: Discord refused the bot token (401 Unauthorized on GET /users/@me)")
            && log.contains("DISCORD_TOKEN"),
        "{log}"
    );
    assert!(!log.contains("super-secret-token-value"), "the token leaked: {log}");
    assert_eq!(
        fake.gateway_connections(),
        0,
        "dialled the gateway with a refused token"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_discord_is_retried_with_growing_waits_each_failure_logged_once() {
    let nothing = unreachable().unwrap();
    let config = config(&nothing.http_url(), 1);
    let mut bot = RunProcess::start(&config, &[]);

    let failures = bot.wait_for_log("Discord cannot be reached", 3, WAIT).await;

    let waits: Vec<u64> = failures
        .iter()
        .map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(
                event["next_attempt_at"].as_str().is_some_and(|at| at.ends_with('Z')),
                "{line}"
            );
            event["retry_in_s"].as_u64().unwrap()
        })
        .collect();
    assert_eq!(waits, [1, 2, 4], "{failures:#?}");
    let log = bot.log().join("\n");
    assert!(
        !log.contains("Err starting shard"),
        "serenity retried on its own:\n{log}"
    );
    assert!(
        !log.contains("gateway.discord.gg"),
        "fell back to Discord's real gateway:\n{log}"
    );
    bot.signal("TERM");
    assert_clean_stop(&mut bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_the_database_opens_stops_cleanly() {
    let hanging = HangingServer::start().await.unwrap();
    let database = format!("postgres://bot@{}/intakebot", hanging.rest_addr());
    let config = ConfigDir::new(&Target {
        rest_url: &hanging.rest_url(),
        guild_id: 1,
        database_url: Some(&database),
    });
    let mut bot = RunProcess::start(&config, &[]);
    hanging.wait_for_connections(1, WAIT).await.unwrap();

    bot.signal("TERM");

    assert_clean_stop(&mut bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_discord_hangs_stops_cleanly() {
    let hanging = HangingServer::start().await.unwrap();
    let config = config(&hanging.rest_url(), 1);
    let mut bot = RunProcess::start(&config, &[]);
    hanging.wait_for_connections(1, WAIT).await.unwrap();

    bot.signal("TERM");

    assert_clean_stop(&mut bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_while_connected_closes_the_session_and_stops() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let config = config(&fake.rest_url(), fake.scene().guild_id);
    let mut bot = connected(&fake, &config).await;
    let live = fake.wait_for_live_sessions(1, WAIT).await.unwrap();

    bot.signal("INT");

    assert_clean_stop(&mut bot).await;
    fake.wait_for_session_end(live[0].connection, WAIT).await.unwrap();
    let _ = fake.take_failures();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_reconnecting_stops_cleanly() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let config = config(&fake.rest_url(), fake.scene().guild_id);
    let mut bot = connected(&fake, &config).await;
    fake.wait_for_live_sessions(1, WAIT).await.unwrap();
    fake.set_gateway_down(true);
    // The bot has noticed and is trying to get the session back.
    fake.wait_for_refused_connections(1, WAIT).await.unwrap();

    bot.signal("TERM");

    assert_clean_stop(&mut bot).await;
    let _ = fake.take_failures();
}

/// Disconnected for long, the session is given up and a fresh one started once the gateway is
/// back: the old client never comes back as a second session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_gateway_is_started_over_with_one_session_at_a_time() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let config = config(&fake.rest_url(), fake.scene().guild_id);
    let mut bot = connected(&fake, &config).await;
    fake.wait_for_live_sessions(1, WAIT).await.unwrap();
    fake.set_gateway_down(true);

    bot.wait_for_log("gateway lost: starting over", 1, Duration::from_secs(40))
        .await;
    fake.set_gateway_down(false);

    let second = fake.identified_nth(2, Duration::from_secs(40)).await.unwrap();
    assert_eq!(second.token, format!("Bot {TOKEN}"));
    bot.wait_ready(WAIT).await;
    assert_eq!(fake.live_sessions(), 1);
    assert_eq!(fake.overlapping_sessions(), None);
    bot.signal("TERM");
    assert_clean_stop(&mut bot).await;
    let _ = fake.take_failures();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_bot_on_the_same_sqlite_file_is_refused() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let config = config(&fake.rest_url(), fake.scene().guild_id);
    let mut first = connected(&fake, &config).await;

    let mut second = RunProcess::start(&config, &[]);
    let (status, _) = second.exit_within(Duration::from_secs(10)).await;

    let log = second.log().join("\n");
    assert_eq!(status.code(), Some(1), "log:\n{log}");
    let file = config.path().join("bot.db");
    assert!(
        log.contains(&format!(
            "error: another intakebot is already running on {}; SQLite serves one instance",
            file.display()
        )),
        "{log}"
    );
    assert_eq!(fake.gateway_connections(), 1, "the second bot reached the gateway");
    first.wait_ready(WAIT).await;
    first.signal("TERM");
    assert_clean_stop(&mut first).await;
    let _ = fake.take_failures();
}
