//! The local Discord server as a process of its own (`fake-discord` binary), so a bench can
//! measure the bot's process alone. It prints one JSON line with its URLs, then answers one
//! JSON request per stdin line with one JSON line on stdout, and stops at the end of stdin.
//!
//! Requests (`op`): `channels` {name, count} → {ids}; `identified` {timeout_ms} → {ok};
//! `wait_call` {method, path, timeout_ms} → {ok}; `posts` → {posts} (message creates served);
//! `modal_load` [`ModalLoad`] → [`crate::load::LoadReport`]; `failures` → {failures}.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::load::{self, ModalLoad};
use crate::{FakeDiscord, Mode, TestkitError};

#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Request {
    Channels {
        name: String,
        count: usize,
    },
    Identified {
        timeout_ms: u64,
    },
    WaitCall {
        method: String,
        path: String,
        timeout_ms: u64,
    },
    Posts,
    ModalLoad(ModalLoad),
    Failures,
}

/// Serves in proxy mode until stdin closes.
pub async fn serve_stdio() -> Result<(), TestkitError> {
    let fake = Arc::new(FakeDiscord::start(Mode::Proxy).await?);
    let mut out = tokio::io::stdout();
    let hello = json!({
        "rest_url": fake.rest_url(),
        "gateway_url": fake.gateway_url(),
        "guild_id": fake.scene().guild_id,
        "application_id": fake.scene().application_id,
    });
    write_line(&mut out, &hello).await?;
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Some(line) = lines.next_line().await? {
        let answer = match serde_json::from_str::<Request>(&line) {
            Ok(request) => answer(&fake, request).await,
            Err(e) => json!({ "error": format!("bad request: {e}") }),
        };
        write_line(&mut out, &answer).await?;
    }
    // Recorded problems were reported through `failures`; stopping is not a verdict.
    let _ = fake.take_failures();
    Ok(())
}

async fn answer(fake: &Arc<FakeDiscord>, request: Request) -> Value {
    let ms = Duration::from_millis;
    match request {
        Request::Channels { name, count } => {
            let ids: Vec<u64> = (0..count)
                .map(|i| fake.add_text_channel(&format!("{name}-{i}")))
                .collect();
            json!({ "ids": ids })
        }
        Request::Identified { timeout_ms } => ok_or_error(fake.identified_nth(1, ms(timeout_ms)).await.map(drop)),
        Request::WaitCall {
            method,
            path,
            timeout_ms,
        } => ok_or_error(
            fake.wait_for_call(|c| c.is(&method, &path), ms(timeout_ms))
                .await
                .map(drop),
        ),
        Request::Posts => {
            let posts = fake
                .calls()
                .iter()
                .filter(|c| c.is("POST", "/channels/*/messages"))
                .count();
            json!({ "posts": posts })
        }
        Request::ModalLoad(spec) => serde_json::to_value(load::run(fake.clone(), spec).await)
            .unwrap_or_else(|e| json!({ "error": e.to_string() })),
        Request::Failures => json!({ "failures": fake.take_failures() }),
    }
}

fn ok_or_error(result: Result<(), TestkitError>) -> Value {
    match result {
        Ok(()) => json!({ "ok": true }),
        Err(e) => json!({ "error": e.to_string() }),
    }
}

async fn write_line(out: &mut tokio::io::Stdout, value: &Value) -> Result<(), TestkitError> {
    let mut line = value.to_string();
    line.push('\n');
    out.write_all(line.as_bytes()).await?;
    out.flush().await?;
    Ok(())
}
