//! `intakebot run`, the real binary, against the local Discord-compatible server: it gets
//! ready, serves `/healthz` and `/metrics`, stops cleanly on SIGTERM, and never logs the token.

use intakebot_testkit::{FakeDiscord, Mode};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.super-secret-token-value";

/// A copy of the shipped config pointed at the fake server, a temp database and `listen`.
fn config_for(fake: &FakeDiscord, dir: &Path, listen: SocketAddr) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    for entry in std::fs::read_dir(&root).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    let scene = fake.scene();
    let app = std::fs::read_to_string(dir.join("intakebot.toml"))
        .unwrap()
        .replace(
            "url = \"sqlite://data/intakebot.db\"",
            &format!("url = \"sqlite://{}/bot.db\"", dir.display()),
        )
        .replace(
            "guild_id = \"1100000000000000001\"",
            &format!("guild_id = \"{}\"", scene.guild_id),
        )
        .replace(
            "# proxy_url = \"http://127.0.0.1:8080\"",
            &format!("proxy_url = \"{}\"", fake.rest_url()),
        )
        .replace("listen = \"127.0.0.1:9187\"", &format!("listen = \"{listen}\""));
    std::fs::write(dir.join("intakebot.toml"), app).unwrap();
}

fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap()
}

/// A plain HTTP/1.1 GET; returns (status, body).
fn get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_serves_health_and_metrics_and_never_logs_the_token() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let listen = free_port();
    config_for(&fake, dir.path(), listen);
    let mut child = Command::new(env!("CARGO_BIN_EXE_intakebot"))
        .args(["--config", dir.path().to_str().unwrap(), "--log-json", "run"])
        .env("DISCORD_TOKEN", TOKEN)
        .env("INTAKEBOT_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the log as it comes: a full pipe would block the bot on its next log line.
    let mut stderr = child.stderr.take().unwrap();
    let log_reader = std::thread::spawn(move || {
        let mut log = String::new();
        let _ = stderr.read_to_string(&mut log);
        log
    });

    // Ready once the database is up and the gateway has identified and registered commands.
    let identify = fake.identified().await.unwrap();
    assert_eq!(identify.token, format!("Bot {TOKEN}"));
    let started = Instant::now();
    let health = loop {
        match tokio::task::spawn_blocking(move || get(listen, "/healthz"))
            .await
            .unwrap()
        {
            Some((200, body)) => break body,
            last if started.elapsed() > Duration::from_secs(20) => {
                let _ = child.kill();
                let log = log_reader.join().unwrap_or_default();
                let calls: Vec<String> = fake
                    .calls()
                    .iter()
                    .map(|c| format!("{} {} {}", c.method, c.path, c.status))
                    .collect();
                panic!("/healthz never became ready: last {last:?}\ncalls: {calls:#?}\nlog:\n{log}");
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    assert!(
        health.contains("\"database\":\"up\"") && health.contains("\"gateway\":\"up\""),
        "{health}"
    );

    let (status, metrics) = tokio::task::spawn_blocking(move || get(listen, "/metrics"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status, 200);
    assert!(metrics.contains("intakebot_gateway_shard_up 1"), "{metrics}");

    // SIGTERM: a graceful stop with exit code 0.
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the bot did not stop on SIGTERM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let log = log_reader.join().unwrap();
    assert!(status.success(), "exit {status:?}; log:\n{log}");
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
