//! `intakebot.toml`: Discord ids, organisations, database and HTTP settings.

use super::error::ConfigError;
use super::{id_clashes, redact};
use intakebot_core::ids::OrgId;
use intakebot_core::language::Language;
use intakebot_core::plan::SignInKind;
use serde::{Deserialize, Deserializer};
use std::collections::HashSet;
use std::fmt;
use std::net::SocketAddr;
use std::path::Path;

/// A Discord snowflake id; written in config as a string or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DiscordId(pub u64);

impl fmt::Display for DiscordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for DiscordId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        let id = match Raw::deserialize(d)? {
            Raw::Number(n) => n,
            Raw::Text(s) => s.trim().parse::<u64>().map_err(|_| {
                serde::de::Error::custom(format!(
                    "{s:?} is not a Discord id (a number like \"1093847561234567890\")"
                ))
            })?,
        };
        if id == 0 {
            return Err(serde::de::Error::custom("a Discord id is never 0"));
        }
        Ok(DiscordId(id))
    }
}

/// The validated `intakebot.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    pub database: DatabaseConfig,
    pub discord: DiscordConfig,
    #[serde(default)]
    pub http: HttpConfig,
    #[serde(default)]
    pub reminders: super::reminders_section::RemindersConfig,
    #[serde(rename = "organisations")]
    pub organisations: Vec<OrganisationConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://data/intakebot.db` (default, embedded) or `postgres://…`.
    #[serde(default = "default_database_url")]
    pub url: String,
    /// PostgreSQL with several instances: how often a standby tries to become the gateway
    /// leader (docs/operations.md). 1s to 10s.
    #[serde(default = "default_leader_poll_every")]
    pub leader_poll_every: super::ConfigDuration,
    /// PostgreSQL with several instances: a leader whose heartbeat is older than this is judged
    /// hung and its lock connection ended by a standby (docs/operations.md). 6s to 60s: a
    /// leader that answers within its own 2 s check timeout beats at most 5 s apart.
    #[serde(default = "default_leader_hang_after")]
    pub leader_hang_after: super::ConfigDuration,
}

fn default_leader_poll_every() -> super::ConfigDuration {
    super::ConfigDuration(chrono::Duration::seconds(3))
}

fn default_leader_hang_after() -> super::ConfigDuration {
    super::ConfigDuration(chrono::Duration::seconds(6))
}

fn default_database_url() -> String {
    "sqlite://data/intakebot.db".to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordConfig {
    pub guild_id: DiscordId,
    pub engineers_channel: DiscordId,
    pub managers_channel: DiscordId,
    pub roles: RoleIds,
    /// Send REST calls through a rate-limiting HTTP proxy shared by several processes.
    #[serde(default)]
    pub proxy_url: Option<String>,
    /// The language of replies where no interaction locale is known.
    #[serde(default)]
    pub language: Language,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleIds {
    pub engineer: DiscordId,
    pub manager: DiscordId,
    /// Extra roles pinged by escalations, e.g. an on-call rota.
    #[serde(default)]
    pub on_call: Option<DiscordId>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    /// Where `/healthz` and `/metrics` listen; absent means off.
    #[serde(default)]
    pub listen: Option<SocketAddr>,
}

/// A customer organisation: its members carry `role`, its cases come in on `intake_channels`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationConfig {
    pub id: OrgId,
    pub name: String,
    /// The Discord role that marks a member as a customer of this organisation.
    pub role: DiscordId,
    pub intake_channels: Vec<DiscordId>,
    /// A calendar from calendars.toml; the default calendar when absent.
    #[serde(default)]
    pub calendar: Option<String>,
    #[serde(default)]
    pub language: Language,
    /// How this organisation's members sign in unless recorded otherwise (P-PLAN-5).
    #[serde(default = "default_sign_in")]
    pub sign_in: SignInKind,
}

fn default_sign_in() -> SignInKind {
    SignInKind::Work
}

impl AppConfig {
    /// Checks what serde cannot: the database scheme, the proxy URL, the reminders, unique
    /// organisations with an intake channel and a known calendar each, and that no role or
    /// channel id serves two purposes ([`id_clashes`]).
    pub fn validate(&self, file: &Path, calendar_known: impl Fn(&str) -> bool) -> Result<(), ConfigError> {
        self.validate_urls(file)?;
        let poll = self.database.leader_poll_every.0;
        if poll < chrono::Duration::seconds(1) || poll > chrono::Duration::seconds(10) {
            return Err(ConfigError::invalid(
                file,
                "database.leader_poll_every",
                "must be between 1s and 10s",
            ));
        }
        let hang_after = self.database.leader_hang_after.0;
        if hang_after < chrono::Duration::seconds(6) || hang_after > chrono::Duration::seconds(60) {
            return Err(ConfigError::invalid(
                file,
                "database.leader_hang_after",
                "must be between 6s and 60s (a healthy leader's heartbeats can be 5 s apart: a 1 s pause \
                 and two checks of up to 2 s)",
            ));
        }
        if let Err((key, reason)) = self.reminders.validate() {
            return Err(ConfigError::invalid(file, key, reason));
        }
        let mut ids = HashSet::new();
        for (i, org) in self.organisations.iter().enumerate() {
            let at = format!("organisations[{i}]");
            if !ids.insert(org.id.clone()) {
                return Err(ConfigError::invalid(
                    file,
                    format!("{at}.id"),
                    format!("duplicate organisation {:?}", org.id.as_str()),
                ));
            }
            if org.intake_channels.is_empty() {
                return Err(ConfigError::invalid(
                    file,
                    format!("{at}.intake_channels"),
                    "list at least one intake channel",
                ));
            }
            if let Some(calendar) = org.calendar.as_deref().filter(|c| !calendar_known(c)) {
                return Err(ConfigError::invalid(
                    file,
                    format!("{at}.calendar"),
                    format!("no calendar {calendar:?} in calendars.toml"),
                ));
            }
        }
        id_clashes::check(self).map_err(|c| ConfigError::invalid(file, c.key, c.reason))
    }

    /// URLs are shown with their password hidden.
    fn validate_urls(&self, file: &Path) -> Result<(), ConfigError> {
        let url = &self.database.url;
        if !["sqlite:", "postgres:", "postgresql:"]
            .iter()
            .any(|s| url.starts_with(s))
        {
            return Err(ConfigError::invalid(
                file,
                "database.url",
                format!("{:?}: use sqlite://PATH or postgres://…", redact::userinfo(url)),
            ));
        }
        if let Some(proxy) = &self.discord.proxy_url {
            if url::Url::parse(proxy).is_err() {
                return Err(ConfigError::invalid(
                    file,
                    "discord.proxy_url",
                    format!("{:?} is not a URL", redact::userinfo(proxy)),
                ));
            }
        }
        Ok(())
    }
}

pub use intakebot_store::redact_url;
