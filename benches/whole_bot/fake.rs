//! The local Discord server in a child process (this bench binary again, running
//! `intakebot_testkit::remote::serve_stdio`, the same code as the testkit's `fake-discord`
//! binary), so that the bot's process holds only the bot. One JSON request a line.
//! `INTAKEBOT_BENCH_FAKE` names a built `fake-discord` binary to run instead.

use serde_json::{json, Value};
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// Set in the child: serve the fake instead of benching.
pub const CHILD: &str = "WHOLE_BOT_FAKE_DISCORD";

pub struct FakeProcess {
    child: Child,
    stdin: ChildStdin,
    stdout: Lines<BufReader<ChildStdout>>,
    pub rest_url: String,
    pub guild_id: u64,
}

impl FakeProcess {
    pub async fn start() -> FakeProcess {
        let program = match std::env::var_os("INTAKEBOT_BENCH_FAKE") {
            Some(bin) => bin.into(),
            None => std::env::current_exe().expect("bench exe"),
        };
        let mut child = Command::new(program)
            .env(CHILD, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start the fake Discord process");
        let stdin = child.stdin.take().expect("stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let hello: Value = read(&mut stdout).await;
        FakeProcess {
            child,
            stdin,
            stdout,
            rest_url: hello["rest_url"].as_str().expect("rest_url").to_string(),
            guild_id: hello["guild_id"].as_u64().expect("guild_id"),
        }
    }

    pub async fn request(&mut self, request: Value) -> Value {
        let mut line = request.to_string();
        line.push('\n');
        self.stdin.write_all(line.as_bytes()).await.expect("write to the fake");
        read(&mut self.stdout).await
    }

    pub async fn channels(&mut self, name: &str, count: usize) -> Vec<u64> {
        let answer = self
            .request(json!({ "op": "channels", "name": name, "count": count }))
            .await;
        serde_json::from_value(answer["ids"].clone()).expect("channel ids")
    }

    pub async fn posts(&mut self) -> u64 {
        self.request(json!({ "op": "posts" })).await["posts"]
            .as_u64()
            .unwrap_or(0)
    }

    /// Closes its stdin (it stops) and waits for it.
    pub async fn stop(mut self) {
        drop(self.stdin);
        let _ = self.child.wait().await;
    }
}

async fn read(lines: &mut Lines<BufReader<ChildStdout>>) -> Value {
    let line = lines
        .next_line()
        .await
        .expect("read from the fake")
        .expect("the fake Discord process ended");
    serde_json::from_str(&line).expect("a JSON line from the fake")
}
