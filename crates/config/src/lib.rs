//! Loads `config/*.toml` and `INTAKEBOT_…` environment overrides into validated core types.
//!
//! Four files, each with one job: `intakebot.toml` (Discord, organisations, database),
//! `policy.toml` (severities, plans, exclusions, pointers, intake patterns), `catalog.toml`
//! (products and lifecycles) and `calendars.toml` (business hours). Unknown keys are
//! rejected; every error names the file, the key and the reason. Secrets never come from
//! files: the bot token is read from `DISCORD_TOKEN` only (see [`Secret`]).

mod app_file;
mod catalog_file;
mod error;
mod id_clashes;
mod policy_file;
mod redact;
mod reminders_section;
mod secret;
mod source;

pub use app_file::{
    redact_url, AppConfig, DatabaseConfig, DiscordConfig, DiscordId, HttpConfig, OrganisationConfig, RoleIds,
};
pub use error::ConfigError;
pub use policy_file::EXCLUSION_KEYS;
pub use reminders_section::{ConfigDuration, ConfigTime, PingRole, RemindersConfig};
pub use secret::Secret;
pub use source::ENV_PREFIX;

use intakebot_core::catalog::Catalog;
use intakebot_core::intake::IntakePatterns;
use intakebot_core::policy::Policy;
use intakebot_core::sla::{CalendarSet, CalendarsFile};
use std::path::{Path, PathBuf};

/// Everything the bot runs on, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub dir: PathBuf,
    pub app: AppConfig,
    pub policy: Policy,
    pub catalog: Catalog,
    pub calendars: CalendarSet,
    pub intake: IntakePatterns,
}

impl Config {
    /// Loads the folder with the process environment's overrides.
    pub fn load(dir: &Path) -> Result<Config, ConfigError> {
        Config::load_with_env(dir, std::env::vars())
    }

    /// Loads the folder with explicit environment variables (tests pass their own).
    pub fn load_with_env(dir: &Path, env: impl IntoIterator<Item = (String, String)>) -> Result<Config, ConfigError> {
        let calendars = load_calendars(&dir.join("calendars.toml"))?;
        let (policy, intake) = load_policy(&dir.join("policy.toml"))?;
        let catalog = load_catalog(&dir.join("catalog.toml"))?;
        let app = load_app(&dir.join("intakebot.toml"), env, &calendars)?;
        Ok(Config {
            dir: dir.to_path_buf(),
            app,
            policy,
            catalog,
            calendars,
            intake,
        })
    }
}

fn load_app(
    file: &Path,
    env: impl IntoIterator<Item = (String, String)>,
    calendars: &CalendarSet,
) -> Result<AppConfig, ConfigError> {
    let mut table = source::read_table(file)?;
    if table.get("discord").and_then(|d| d.get("token")).is_some() {
        return Err(ConfigError::invalid(
            file,
            "discord.token",
            "the bot token is never read from a file; remove it and set DISCORD_TOKEN in the environment",
        ));
    }
    source::apply_env(&mut table, env)?;
    let app: AppConfig = source::deserialize(file, table)?;
    let names = calendars.names();
    app.validate(file, |name| names.iter().any(|n| n == name))?;
    Ok(app)
}

fn load_policy(file: &Path) -> Result<(Policy, IntakePatterns), ConfigError> {
    let raw: policy_file::PolicyFile = source::deserialize(file, source::read_table(file)?)?;
    let mut raw = raw;
    let intake_file = std::mem::take(&mut raw.intake);
    let policy = raw.validate(file)?;
    // The pattern's key already starts with `intake.`.
    let intake = IntakePatterns::build(intake_file).map_err(|e| ConfigError::invalid(file, e.key, e.reason))?;
    Ok((policy, intake))
}

fn load_catalog(file: &Path) -> Result<Catalog, ConfigError> {
    let raw: catalog_file::CatalogFile = source::deserialize(file, source::read_table(file)?)?;
    raw.validate(file)
}

fn load_calendars(file: &Path) -> Result<CalendarSet, ConfigError> {
    let raw: CalendarsFile = source::deserialize(file, source::read_table(file)?)?;
    CalendarSet::build(raw).map_err(|e| ConfigError::invalid(file, e.key, e.reason))
}
