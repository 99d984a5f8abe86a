//! The bot's Discord permissions, end to end with the real binary against the local server:
//! a role overwrite that takes Create Private Threads from the bot in an intake channel is
//! reported exactly (channel and permission) in `/healthz` and once in the log; fixing the
//! overwrite (a CHANNEL_UPDATE) clears it, and the bot losing its role (GUILD_MEMBER_UPDATE) is
//! seen; `config check --online` reports it and exits 1.

use crate::helpers::bot::{write_config, Ids};
use intakebot_testkit::{FakeDiscord, Mode, Overwrite};
use serde_json::{json, Value};
use serenity::all::Permissions;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TOKEN: &str = "e2e-permissions-token";

struct Setup {
    fake: FakeDiscord,
    ids: Ids,
    listen: SocketAddr,
    dir: tempfile::TempDir,
}

/// The shipped config on the fake's channels, through the fake as proxy; the bot's role is
/// denied Create Private Threads in Contoso's intake channel.
async fn setup() -> Setup {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let ids = Ids::made_in(&fake);
    let dir = tempfile::tempdir().unwrap();
    let listen = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    write_config(dir.path(), &ids, Some(&fake.rest_url()), listen);
    deny_private_threads(&fake, ids.contoso_intake);
    Setup { fake, ids, listen, dir }
}

fn deny_private_threads(fake: &FakeDiscord, channel: u64) {
    let deny = Overwrite::role(fake.bot_role_id()).deny(Permissions::CREATE_PRIVATE_THREADS);
    fake.set_overwrites(channel, &[deny]);
}

fn bin(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_intakebot"));
    command.arg("--config").arg(dir).args(args);
    command
}

/// `/healthz`'s JSON body, if it answers.
fn health(addr: SocketAddr) -> Option<Value> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    serde_json::from_str(response.split_once("\r\n\r\n")?.1).ok()
}

/// Polls `/healthz` until `done` holds for its body (the bot reports on its own schedule).
async fn health_until(addr: SocketAddr, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let started = Instant::now();
    loop {
        let body = tokio::task::spawn_blocking(move || health(addr)).await.unwrap();
        match body {
            Some(body) if done(&body) => return body,
            last if started.elapsed() > Duration::from_secs(20) => panic!("/healthz never {what}: {last:?}"),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

fn lines_with(log: &[String], needle: &str) -> Vec<String> {
    log.iter().filter(|l| l.contains(needle)).cloned().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_permission_is_reported_once_in_health_and_log_and_cleared_when_fixed() {
    let s = setup().await;
    let mut child = bin(s.dir.path(), &["--log-json", "run"])
        .env("DISCORD_TOKEN", TOKEN)
        .env("INTAKEBOT_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = Arc::new(Mutex::new(Vec::<String>::new()));
    let reader = {
        let log = log.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                log.lock().unwrap().push(line);
            }
        })
    };

    // The check may report before the session counts as connected: wait for both.
    let body = health_until(s.listen, "reported the permissions", |b| {
        b["missing_permissions"].is_array() && b["status"] != "not ready"
    })
    .await;
    assert_eq!(
        body["missing_permissions"],
        json!([{
            "channel": s.ids.contoso_intake.to_string(),
            "name": "contoso-support",
            "missing": ["Create Private Threads"],
        }])
    );
    assert_eq!(body["status"], "ready, missing Discord permissions");

    // A role change that changes nothing in the configured channels: checked again, not logged.
    let checks = s.fake.attempts("GET", "/guilds/*/channels").len();
    s.fake.add_role("unrelated", Permissions::empty());
    let started = Instant::now();
    while s.fake.attempts("GET", "/guilds/*/channels").len() <= checks {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no check after the role change"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Fixing the overwrite (CHANNEL_UPDATE) clears it.
    s.fake.set_overwrites(s.ids.contoso_intake, &[]);
    let body = health_until(s.listen, "cleared", |b| b["missing_permissions"] == json!([])).await;
    assert_eq!(body["status"], "ready");

    // The bot losing its role (GUILD_MEMBER_UPDATE): only @everyone's View Channel is left.
    s.fake.set_bot_roles(&[]);
    let body = health_until(s.listen, "saw the bot's roles change", |b| {
        b["missing_permissions"].as_array().is_some_and(|a| a.len() == 4)
    })
    .await;
    let staff = &body["missing_permissions"][2];
    assert_eq!(staff["name"], "engineers");
    assert!(!staff["missing"].to_string().contains("Threads"), "{staff}");

    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    reader.join().unwrap();
    let log = log.lock().unwrap().clone();
    let missing = lines_with(&log, "lacks Discord permissions");
    assert_eq!(missing.len(), 2, "logged once per change: {missing:#?}");
    assert!(
        missing[0].contains(&format!(
            "#contoso-support ({}) lacks Create Private Threads",
            s.ids.contoso_intake
        )),
        "{}",
        missing[0]
    );
    assert!(
        !missing[0].contains("engineers") && !missing[0].contains("fabrikam"),
        "{}",
        missing[0]
    );
    assert_eq!(
        lines_with(&log, "every Discord permission it needs").len(),
        1,
        "{log:#?}"
    );
    let _ = s.fake.take_failures();
}

fn output(command: &mut Command) -> (Option<i32>, String, String) {
    let Output { status, stdout, stderr } = command.output().unwrap();
    (
        status.code(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_check_online_names_what_is_missing_where_and_exits_1() {
    let s = setup().await;
    let online = || {
        let mut command = bin(s.dir.path(), &["config", "check", "--online"]);
        command.env("DISCORD_TOKEN", TOKEN);
        command
    };

    let (code, out, err) = tokio::task::block_in_place(|| output(&mut online()));
    assert_eq!(code, Some(1), "{out}\n{err}");
    let lacking: Vec<&str> = out.lines().filter(|l| l.contains(" lacks ")).map(str::trim).collect();
    assert_eq!(
        lacking,
        [format!(
            "#contoso-support ({}) lacks Create Private Threads",
            s.ids.contoso_intake
        )],
        "{out}"
    );

    s.fake.set_overwrites(s.ids.contoso_intake, &[]);
    let (code, out, _) = tokio::task::block_in_place(|| output(&mut online()));
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("every needed permission in the 4 configured channels"),
        "{out}"
    );

    let (code, _, err) = tokio::task::block_in_place(|| {
        output(bin(s.dir.path(), &["config", "check", "--online"]).env_remove("DISCORD_TOKEN"))
    });
    assert_eq!(code, Some(1));
    assert!(err.contains("DISCORD_TOKEN is not set"), "{err}");
    let _ = s.fake.take_failures();
}
