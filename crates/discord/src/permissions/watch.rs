//! Feeds [`super::effective::check`] from Discord: the roles, the bot member and the channels
//! over REST (the same calls for `config check --online` and for the running bot), at READY and
//! GUILD_CREATE and whenever roles, channels or the bot's roles change. The outcome is kept for
//! `/healthz` and logged once per change, not on every event.

use super::effective::{check, Channel, Finding, Member, Purpose};
use async_trait::async_trait;
use intakebot_config::Config;
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, Event, GuildId};
use std::sync::{Arc, RwLock};

/// The last check's findings; `None` until the first check finished.
#[derive(Debug, Clone, Default)]
pub struct Status(Arc<RwLock<Option<Vec<Finding>>>>);

impl Status {
    pub fn get(&self) -> Option<Vec<Finding>> {
        self.0.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Stores `findings`; whether they differ from the last ones.
    fn set(&self, findings: Vec<Finding>) -> bool {
        let Ok(mut last) = self.0.write() else { return false };
        let changed = last.as_ref() != Some(&findings);
        *last = Some(findings);
        changed
    }
}

/// The configured channels and what each is for.
pub fn wanted(config: &Config) -> Vec<(ChannelId, Purpose)> {
    let discord = &config.app.discord;
    let intake = config
        .app
        .organisations
        .iter()
        .flat_map(|o| o.intake_channels.iter())
        .map(|c| (ChannelId::new(c.0), Purpose::Intake));
    let staff = [discord.engineers_channel, discord.managers_channel]
        .into_iter()
        .map(|c| (ChannelId::new(c.0), Purpose::Staff));
    intake.chain(staff).collect()
}

/// Fetches the guild's roles, the bot member and the channels, and checks them.
pub async fn check_over_rest(http: &serenity::Http, config: &Config) -> Result<Vec<Finding>, serenity::Error> {
    let guild = GuildId::new(config.app.discord.guild_id.0);
    let user = http.get_current_user().await?.id;
    let roles = http.get_guild_roles(guild).await?;
    let bot = http.get_member(guild, user).await?;
    let channels: Vec<Channel> = http
        .get_channels(guild)
        .await?
        .into_iter()
        .map(|c| Channel {
            id: c.id,
            name: c.name,
            overwrites: c.permission_overwrites,
        })
        .collect();
    let member = Member {
        guild,
        user,
        roles: bot.roles,
        role_permissions: roles.into_iter().map(|r| (r.id, r.permissions)).collect(),
    };
    Ok(check(&member, &channels, &wanted(config)))
}

/// One line for the log and the command line: every finding, `; `-separated.
pub fn summary(findings: &[Finding]) -> String {
    findings.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// The running bot's watcher: a raw event handler beside poise's framework.
pub struct Watch {
    config: Arc<Config>,
    status: Status,
    /// One check at a time, so the status and the log follow the events' order.
    running: tokio::sync::Mutex<()>,
}

impl Watch {
    pub fn new(config: Arc<Config>, status: Status) -> Watch {
        Watch {
            config,
            status,
            running: tokio::sync::Mutex::new(()),
        }
    }

    async fn recheck(&self, http: &serenity::Http) {
        let _one = self.running.lock().await;
        match check_over_rest(http, &self.config).await {
            Ok(findings) => {
                let line = summary(&findings);
                let empty = findings.is_empty();
                if self.status.set(findings) {
                    if empty {
                        tracing::info!("the bot has every Discord permission it needs in the configured channels");
                    } else {
                        tracing::warn!(missing = %line, "the bot lacks Discord permissions: {line}");
                    }
                }
            }
            Err(err) => tracing::warn!(error = %err, "cannot check the bot's Discord permissions"),
        }
    }
}

/// Whether an event may change the bot's permissions in a configured channel.
fn relevant(event: &Event, bot: serenity::UserId) -> bool {
    match event {
        Event::Ready(_)
        | Event::GuildCreate(_)
        | Event::GuildRoleCreate(_)
        | Event::GuildRoleUpdate(_)
        | Event::GuildRoleDelete(_)
        | Event::ChannelCreate(_)
        | Event::ChannelUpdate(_)
        | Event::ChannelDelete(_) => true,
        Event::GuildMemberUpdate(update) => update.user.id == bot,
        _ => false,
    }
}

#[async_trait]
impl serenity::RawEventHandler for Watch {
    async fn raw_event(&self, ctx: serenity::Context, event: Event) {
        let bot = ctx.cache.current_user().id;
        if relevant(&event, bot) {
            self.recheck(&ctx.http).await;
        }
    }
}
