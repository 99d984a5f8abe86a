//! The real `intakebot run` binary as a child process: the shipped config re-pointed at the
//! fake server's ids, the bench database and a free port for `/healthz`.

use intakebot_testkit::ConfigOptions;
pub use intakebot_testkit::{config_dir::CONTOSO_ROLE, Channels};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub const TOKEN: &str = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.whole-bot-bench-token";

/// Writes the config into `dir`; returns the `/healthz` address.
pub fn write_config(dir: &Path, db_url: &str, rest_url: &str, guild: u64, ch: &Channels) -> SocketAddr {
    let listen = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let options = ConfigOptions {
        source: &Path::new(env!("CARGO_MANIFEST_DIR")).join("config"),
        database_url: db_url,
        rest_url: Some(rest_url),
        guild_id: guild,
        listen,
        channels: Some(*ch),
    };
    intakebot_testkit::write_config(dir, &options).expect("bench config");
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
