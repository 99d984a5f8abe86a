//! `intakebot run` as a real child process: a config folder (the shipped one re-pointed at a
//! REST URL, a guild, a database and a free port), its log read line by line as it comes, the
//! HTTP endpoints, signals, and waiting for its exit under a deadline.

use intakebot_testkit::{Channels, ConfigOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub const TOKEN: &str = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.super-secret-token-value";

/// Where a bot's config points.
pub struct Target<'a> {
    pub rest_url: &'a str,
    pub guild_id: u64,
    /// `None`: a SQLite file in the config folder.
    pub database_url: Option<&'a str>,
}

/// A config folder: the shipped `config/` re-pointed at `target` and a free port.
pub struct ConfigDir {
    dir: tempfile::TempDir,
    pub listen: SocketAddr,
}

impl ConfigDir {
    pub fn new(target: &Target<'_>) -> ConfigDir {
        ConfigDir::on_channels(target, None)
    }

    /// With `channels` made in the fake (the shipped ids otherwise).
    pub fn on_channels(target: &Target<'_>, channels: Option<Channels>) -> ConfigDir {
        let dir = tempfile::tempdir().unwrap();
        let listen = free_port();
        let sqlite = format!("sqlite://{}/bot.db", dir.path().display());
        let options = ConfigOptions {
            source: &Path::new(env!("CARGO_MANIFEST_DIR")).join("config"),
            database_url: target.database_url.unwrap_or(&sqlite),
            rest_url: Some(target.rest_url),
            guild_id: target.guild_id,
            listen,
            channels,
        };
        intakebot_testkit::write_config(dir.path(), &options).expect("test config");
        ConfigDir { dir, listen }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

/// A running `intakebot --log-json run`.
pub struct RunProcess {
    child: Child,
    log: watch::Receiver<Vec<String>>,
    pub listen: SocketAddr,
}

impl RunProcess {
    /// Starts the bot on `config` with `env` added (debug logging, the test token).
    pub fn start(config: &ConfigDir, env: &[(&str, &str)]) -> RunProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_intakebot"));
        command
            .args(["--config", config.path().to_str().unwrap(), "--log-json", "run"])
            .env("DISCORD_TOKEN", TOKEN)
            .env("INTAKEBOT_LOG", "debug")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().unwrap();
        let (tx, log) = watch::channel(Vec::new());
        let stderr = child.stderr.take().unwrap();
        // Drain the log as it comes: a full pipe would block the bot on its next log line.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                tx.send_modify(|all| all.push(line));
            }
        });
        RunProcess {
            child,
            log,
            listen: config.listen,
        }
    }

    /// Sends `signal` (`TERM`, `INT`, `KILL`) to the process.
    pub fn signal(&self, signal: &str) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{signal} {pid}");
    }

    /// Every log line so far.
    pub fn log(&self) -> Vec<String> {
        self.log.borrow().clone()
    }

    /// Waits until `count` log lines contain `needle`; returns them (fails after `timeout`).
    pub async fn wait_for_log(&self, needle: &str, count: usize, timeout: Duration) -> Vec<String> {
        let mut log = self.log.clone();
        let seen = |lines: &Vec<String>| lines.iter().filter(|l| l.contains(needle)).count() >= count;
        // The guard `wait_for` returns is dropped at once: held, it would block the log reader.
        let found = tokio::time::timeout(timeout, async { log.wait_for(seen).await.is_ok() }).await;
        let lines = self.log();
        assert!(
            found == Ok(true),
            "{count} log lines with {needle:?} not seen within {timeout:?}; log:\n{}",
            lines.join("\n")
        );
        lines.into_iter().filter(|l| l.contains(needle)).collect()
    }

    /// Waits for the exit; fails with the log when it takes longer than `within`. Returns the
    /// status and how long it took.
    pub async fn exit_within(&mut self, within: Duration) -> (ExitStatus, Duration) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, started.elapsed());
            }
            if started.elapsed() > within {
                let _ = self.child.kill();
                panic!("still running after {within:?}; log:\n{}", self.log().join("\n"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until `/healthz` answers 200; returns its body.
    pub async fn wait_ready(&self, timeout: Duration) -> String {
        let started = Instant::now();
        let listen = self.listen;
        loop {
            let got = tokio::task::spawn_blocking(move || get(listen, "/healthz"))
                .await
                .unwrap();
            match got {
                Some((200, body)) => return body,
                last if started.elapsed() > timeout => {
                    panic!(
                        "/healthz never became ready: last {last:?}; log:\n{}",
                        self.log().join("\n")
                    )
                }
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

impl RunProcess {
    /// The body of `path` on the bot's HTTP listener; empty when it does not answer.
    pub async fn endpoint(&self, path: &'static str) -> String {
        let listen = self.listen;
        tokio::task::spawn_blocking(move || get(listen, path))
            .await
            .ok()
            .flatten()
            .map(|(_, body)| body)
            .unwrap_or_default()
    }

    /// Whether `/healthz` says this instance leads with its gateway up.
    pub async fn leads(&self) -> bool {
        let health = self.endpoint("/healthz").await;
        health.contains("\"role\":\"leader\"") && health.contains("\"gateway\":\"up\"")
    }
}

/// The index of the one of `bots` that leads with its gateway up; fails after `within`.
pub async fn leader_of(bots: &[RunProcess], within: Duration) -> usize {
    let started = Instant::now();
    loop {
        for (i, bot) in bots.iter().enumerate() {
            if bot.leads().await {
                return i;
            }
        }
        assert!(started.elapsed() < within, "no leader within {within:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

impl Drop for RunProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap()
}

/// A plain HTTP/1.1 GET; returns (status, body).
pub fn get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
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
