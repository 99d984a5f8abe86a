//! `intakebot run`, the real binary, against the local Discord-compatible server: it gets
//! ready, serves `/healthz` and `/metrics`, stops cleanly on SIGTERM, and never logs the token.
//! The other states of its life are in `ops_run_states`.

use crate::helpers::process::{ConfigDir, RunProcess, Target, TOKEN};
use intakebot_testkit::{FakeDiscord, Mode};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// What a service manager gives before SIGKILL (systemd's default is 90 s; ours, 10 s).
pub const STOP_DEADLINE: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_serves_health_and_metrics_and_never_logs_the_token() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let rest_url = fake.rest_url();
    let config = ConfigDir::new(&Target {
        rest_url: &rest_url,
        guild_id: fake.scene().guild_id,
        database_url: None,
    });
    let mut bot = RunProcess::start(&config, &[]);

    // Ready once the database is up and the gateway has identified and registered commands.
    let identify = fake.identified().await.unwrap();
    assert_eq!(identify.token, format!("Bot {TOKEN}"));
    let health = bot.wait_ready(Duration::from_secs(20)).await;
    assert!(
        health.contains("\"database\":\"up\"") && health.contains("\"gateway\":\"up\""),
        "{health}"
    );
    let listen = bot.listen;
    let (status, metrics) = tokio::task::spawn_blocking(move || crate::helpers::process::get(listen, "/metrics"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 200);
    assert!(metrics.contains("intakebot_gateway_shard_up 1"), "{metrics}");

    // SIGTERM: a graceful stop with exit code 0, the session closed.
    bot.signal("TERM");
    let (status, _) = bot.exit_within(STOP_DEADLINE).await;
    let log = bot.log().join("\n");
    assert!(status.success(), "exit {status:?}; log:\n{log}");
    assert_eq!(fake.live_sessions(), 0, "the gateway session was left open");
    assert!(!log.is_empty(), "debug logging produced nothing");
    assert!(
        !log.contains("super-secret-token-value"),
        "the token leaked into the log"
    );
    let _ = fake.take_failures();
}

#[test]
fn run_without_a_token_says_how_to_get_one() {
    let out = Command::new(env!("CARGO_BIN_EXE_intakebot"))
        .args([
            "--config",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("config").to_str().unwrap(),
            "run",
        ])
        .env_remove("DISCORD_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("DISCORD_TOKEN is not set"), "{err}");
}

#[test]
fn broken_config_exits_3_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    for entry in std::fs::read_dir(&root).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let policy = std::fs::read_to_string(dir.path().join("policy.toml"))
        .unwrap()
        .replacen("[plans.five-pack]", "[plans.six-pack]", 1);
    std::fs::write(dir.path().join("policy.toml"), policy).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_intakebot"))
        .args(["--config", dir.path().to_str().unwrap(), "config", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("policy.toml") && err.contains("plans.six-pack"), "{err}");
}
