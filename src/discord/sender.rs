//! Posts scheduler notices to Discord: stable nonce with enforce_nonce, only the configured
//! roles pinged, posts paced under Discord's global limit, and 429/5xx vs permanent failures
//! told apart.

use super::render::{ack_button, only_roles};
use crate::config::DiscordConfig;
use crate::core::language::Language;
use crate::scheduler::{Channel, NoticeSender, Outgoing, Ping, SendError};
use async_trait::async_trait;
use poise::serenity_prelude as serenity;
use std::sync::Arc;

pub struct DiscordSender {
    pub http: Arc<serenity::Http>,
    pub discord: DiscordConfig,
    /// Spaces posts under Discord's global limit; `None` only in tests that count, not pace.
    pub pace: Option<Arc<super::Pacer>>,
}

impl DiscordSender {
    fn role(&self, ping: Ping) -> Option<u64> {
        match ping {
            Ping::Engineers => Some(self.discord.roles.engineer.0),
            Ping::Managers => Some(self.discord.roles.manager.0),
            Ping::OnCall => self.discord.roles.on_call.map(|r| r.0),
        }
    }
}

#[async_trait]
impl NoticeSender for DiscordSender {
    async fn post(&self, channel: Channel, message: &Outgoing) -> Result<u64, SendError> {
        let roles: Vec<u64> = message.pings.iter().filter_map(|p| self.role(*p)).collect();
        let mentions: String = roles.iter().map(|r| format!("<@&{r}> ")).collect();
        let mut create = serenity::CreateMessage::new()
            .content(super::render::truncate(&format!("{mentions}{}", message.content), 2000))
            .allowed_mentions(only_roles(roles))
            .nonce(serenity::Nonce::String(message.nonce.clone()))
            .enforce_nonce(true);
        if let Some(number) = message.ack_button {
            create = create.components(ack_button(number, Language::En));
        }
        if let Some(pace) = &self.pace {
            pace.wait().await;
        }
        let started = std::time::Instant::now();
        let result = serenity::ChannelId::new(channel.0)
            .send_message(&self.http, create)
            .await;
        metrics::histogram!(crate::ops::metrics::DISCORD_REST_SECONDS).record(started.elapsed().as_secs_f64());
        result.map(|m| m.id.get()).map_err(classify)
    }
}

/// 429 and 5xx are worth retrying; missing access, unknown channel and other 4xx are not.
pub fn classify(err: serenity::Error) -> SendError {
    use serenity::http::HttpError;
    match &err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(resp)) => {
            let status = resp.status_code.as_u16();
            if status == 429 {
                metrics::counter!(crate::ops::metrics::DISCORD_RATE_LIMITED).increment(1);
                SendError::Retry(chrono::Duration::seconds(2))
            } else if status >= 500 {
                SendError::Retry(chrono::Duration::seconds(5))
            } else {
                SendError::Permanent(format!("Discord answered {status}: {}", resp.error.message))
            }
        }
        _ => SendError::Retry(chrono::Duration::seconds(5)),
    }
}
