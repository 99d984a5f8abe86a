//! The real `intakebot run` binary as a child process: the shipped config re-pointed at the
//! fake server's ids, the bench database and a free port for `/healthz`.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub const TOKEN: &str = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.whole-bot-bench-token";
pub const ENGINEER_ROLE: u64 = 9_000_000_000_000_000_100;
pub const MANAGER_ROLE: u64 = 9_000_000_000_000_000_101;
pub const ON_CALL_ROLE: u64 = 9_000_000_000_000_000_102;
pub const CONTOSO_ROLE: u64 = 9_000_000_000_000_000_200;
pub const FABRIKAM_ROLE: u64 = 9_000_000_000_000_000_201;

/// Channel ids made in the fake and written into the config.
pub struct Channels {
    pub contoso_intake: u64,
    pub fabrikam_intake: u64,
    pub engineers: u64,
    pub managers: u64,
}

/// Writes the config into `dir`; returns the `/healthz` address.
pub fn write_config(dir: &Path, db_url: &str, rest_url: &str, guild: u64, ch: &Channels) -> SocketAddr {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    for name in ["calendars.toml", "catalog.toml", "policy.toml"] {
        std::fs::copy(shipped.join(name), dir.join(name)).expect("copy config");
    }
    let text = std::fs::read_to_string(shipped.join("intakebot.toml")).expect("intakebot.toml");
    let mut t: toml::Table = text.parse().expect("toml");
    let s = |v: u64| toml::Value::String(v.to_string());
    let listen = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    t["database"]["url"] = toml::Value::String(db_url.into());
    t["http"]["listen"] = toml::Value::String(listen.to_string());
    let d = t["discord"].as_table_mut().expect("[discord]");
    d.insert("guild_id".into(), s(guild));
    d.insert("engineers_channel".into(), s(ch.engineers));
    d.insert("managers_channel".into(), s(ch.managers));
    d.insert("proxy_url".into(), toml::Value::String(rest_url.into()));
    let roles = d["roles"].as_table_mut().expect("[discord.roles]");
    roles.insert("engineer".into(), s(ENGINEER_ROLE));
    roles.insert("manager".into(), s(MANAGER_ROLE));
    roles.insert("on_call".into(), s(ON_CALL_ROLE));
    for org in t["organisations"].as_array_mut().expect("[[organisations]]") {
        let org = org.as_table_mut().expect("organisation");
        let (role, channel) = match org["id"].as_str() {
            Some("contoso") => (CONTOSO_ROLE, ch.contoso_intake),
            _ => (FABRIKAM_ROLE, ch.fabrikam_intake),
        };
        org.insert("role".into(), s(role));
        org.insert("intake_channels".into(), toml::Value::Array(vec![s(channel)]));
    }
    std::fs::write(dir.join("intakebot.toml"), toml::to_string(&t).expect("toml out")).expect("write config");
    listen
}

/// Starts `intakebot run`; its log goes to `dir/bot.log`.
pub fn spawn(bin: &Path, dir: &Path) -> Child {
    let log = std::fs::File::create(dir.join("bot.log")).expect("log file");
    Command::new(bin)
        .args(["--config", &dir.display().to_string(), "--log-json", "run"])
        .env("DISCORD_TOKEN", TOKEN)
        .env(
            "INTAKEBOT_LOG",
            std::env::var("INTAKEBOT_BENCH_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()))
}

/// Waits until `/healthz` answers 200 with the gateway up; `None` after `limit`.
pub async fn wait_ready(listen: SocketAddr, limit: Duration) -> Option<Instant> {
    let client = reqwest::Client::new();
    let url = format!("http://{listen}/healthz");
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Ok(r) = client.get(&url).send().await {
            if r.status() == 200 && r.text().await.is_ok_and(|b| b.contains("\"gateway\":\"up\"")) {
                return Some(Instant::now());
            }
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    None
}

/// SIGTERM, then waits up to `limit`; returns the exit status and how long the stop took.
pub async fn stop(child: &mut Child, limit: Duration) -> (Option<ExitStatus>, Duration) {
    let pid = child.id() as libc::pid_t;
    // SAFETY: signals the child this bench started (still ours: not yet waited for).
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Ok(Some(status)) = child.try_wait() {
            return (Some(status), started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    (None, started.elapsed())
}
