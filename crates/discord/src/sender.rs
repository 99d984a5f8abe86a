//! Posts the scheduler's notices: the same rendering as every reply, a stable nonce with
//! `enforce_nonce` (a retried post is dropped by Discord), posts paced under Discord's global
//! limit, and retryable failures (429, 5xx) told apart from permanent ones. A 429's Retry-After
//! is honoured in both modes: serenity's ratelimiter waits it out itself (direct mode); in proxy
//! mode `proxied` reads it and the scheduler retries no sooner.

mod proxied;

use crate::render;
use async_trait::async_trait;
use intakebot_app::reply::{Audience, Content};
use intakebot_app::scheduler::{NoticeSender, SendError};
use intakebot_app::Reply;
use poise::serenity_prelude as serenity;
use std::sync::Arc;

/// How long serenity's ratelimiter may keep retrying one post (it waits out every 429's
/// Retry-After itself, without a limit): below the scheduler's 45 s claim, so the attempt is
/// counted against `reminders.max_attempts` instead of the row being taken over mid-post.
const DIRECT_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);
const DIRECT_PATIENCE_RETRY: chrono::Duration = chrono::Duration::seconds(30);

pub struct DiscordSender {
    pub http: Arc<serenity::Http>,
    /// Spaces posts under Discord's global limit; `None` only in tests that count, not pace.
    pub pace: Option<Arc<super::Pacer>>,
}

#[async_trait]
impl NoticeSender for DiscordSender {
    async fn post(&self, notice: &Reply, nonce: &str) -> Result<u64, SendError> {
        let (Audience::Channel(destination), Content::Message(message)) = (&notice.audience, &notice.content) else {
            return Err(SendError::Permanent("a notice is a message to a channel".into()));
        };
        let create = render::create_message(message)
            .nonce(serenity::Nonce::String(nonce.to_string()))
            .enforce_nonce(true);
        if let Some(pace) = &self.pace {
            pace.wait().await;
        }
        let started = std::time::Instant::now();
        let result = if self.http.ratelimiter.is_none() && message.files.is_empty() {
            proxied::post(&self.http, destination.id, &create).await
        } else {
            let send = serenity::ChannelId::new(destination.id).send_message(&self.http, create);
            match tokio::time::timeout(DIRECT_PATIENCE, send).await {
                Ok(result) => result.map(|m| m.id.get()).map_err(classify),
                Err(_) => Err(rate_limited(DIRECT_PATIENCE_RETRY)),
            }
        };
        metrics::histogram!(intakebot_app::metrics::DISCORD_REST_SECONDS).record(started.elapsed().as_secs_f64());
        result
    }
}

/// 429 and 5xx are worth retrying; missing access, unknown channel and other 4xx are not.
pub fn classify(err: serenity::Error) -> SendError {
    use serenity::http::HttpError;
    match &err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(resp)) => {
            let status = resp.status_code.as_u16();
            if status == 429 {
                // serenity's error keeps no Retry-After (see `proxied`): its default wait.
                rate_limited(proxied::retry_after(None, &[]))
            } else if status >= 500 {
                SendError::Retry(chrono::Duration::seconds(5))
            } else {
                SendError::Permanent(format!("Discord answered {status}: {}", resp.error.message))
            }
        }
        _ => SendError::Retry(chrono::Duration::seconds(5)),
    }
}

/// A 429: counted, and retried no sooner than `after`.
fn rate_limited(after: chrono::Duration) -> SendError {
    metrics::counter!(intakebot_app::metrics::DISCORD_RATE_LIMITED).increment(1);
    SendError::Retry(after)
}
