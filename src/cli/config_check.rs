//! `intakebot config check`: loads everything and prints a summary, or the first error; with
//! `--online`, also asks Discord whether the bot has the permissions it needs where it works.

use crate::config::{Config, Secret};
use crate::ops::permissions::check_over_rest;
use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum OnlineError {
    #[error("DISCORD_TOKEN is not set: `config check --online` asks Discord with the bot's token (README: Connect to Discord)")]
    NoToken,
    #[error("cannot read the guild's roles and channels from Discord: {0}")]
    Discord(#[from] poise::serenity_prelude::Error),
    #[error(transparent)]
    Write(#[from] std::io::Error),
}

/// Whether every permission is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Online {
    Complete,
    Missing,
}

impl From<Online> for std::process::ExitCode {
    fn from(outcome: Online) -> Self {
        match outcome {
            Online::Complete => std::process::ExitCode::SUCCESS,
            Online::Missing => std::process::ExitCode::from(super::EXIT_FAILURE),
        }
    }
}

/// Checks the bot's effective permissions in each configured channel over REST and prints
/// what is missing where.
pub async fn online(config: &Config, out: &mut impl Write) -> Result<Online, OnlineError> {
    let token = Secret::from_env("DISCORD_TOKEN").ok_or(OnlineError::NoToken)?;
    let mut builder = poise::serenity_prelude::HttpBuilder::new(token.expose());
    if let Some(proxy) = &config.app.discord.proxy_url {
        // As in `run`: serenity honours a proxy only with its own ratelimiter off.
        builder = builder.proxy(proxy.as_str()).ratelimiter_disabled(true);
    }
    let findings = check_over_rest(&builder.build(), config).await?;
    let channels = crate::ops::permissions::wanted(config).len();
    if findings.is_empty() {
        writeln!(
            out,
            "  discord: every needed permission in the {channels} configured channels"
        )?;
        return Ok(Online::Complete);
    }
    writeln!(out, "  discord: permissions missing")?;
    for finding in &findings {
        writeln!(out, "    {finding}")?;
    }
    Ok(Online::Missing)
}

pub fn summary(config: &Config, out: &mut impl Write) -> std::io::Result<()> {
    let on_prem = config.catalog.products.iter().filter(|p| !p.is_cloud()).count();
    let cloud = config.catalog.products.len() - on_prem;
    let versions: usize = config.catalog.products.iter().map(|p| p.versions.len()).sum();
    writeln!(out, "config {}: ok", config.dir.display())?;
    writeln!(
        out,
        "  products: {} ({on_prem} on-premises, {cloud} cloud), {versions} versions",
        config.catalog.products.len()
    )?;
    let plans: Vec<&str> = config.policy.plans.keys().map(|p| p.as_str()).collect();
    writeln!(out, "  plans: {}", plans.join(", "))?;
    writeln!(out, "  calendars: {}", config.calendars.names().join(", "))?;
    writeln!(
        out,
        "  organisations: {}",
        config
            .app
            .organisations
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(
        out,
        "  database: {}",
        crate::config::redact_url(&config.app.database.url)
    )?;
    Ok(())
}
