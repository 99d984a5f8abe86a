//! The command line: one subcommand per job, parsed once with clap.
//!
//! Exit codes: 0 success; 1 a runtime failure (database, Discord, bad input lines);
//! 2 bad usage (clap); 3 invalid configuration.

pub mod config_check;
pub mod intake;
pub mod leader;
pub mod migrate;
pub mod plans;
pub mod report;
pub mod run;
pub mod sla;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Exit code for an invalid configuration.
pub const EXIT_CONFIG: u8 = 3;
/// Exit code for a runtime failure.
pub const EXIT_FAILURE: u8 = 1;

#[derive(Debug, Parser)]
#[command(
    name = "intakebot",
    version,
    about = "A Discord support-intake bot: incidents, entitlements, SLA clocks and reminders"
)]
pub struct Cli {
    /// The config folder (intakebot.toml, policy.toml, catalog.toml, calendars.toml).
    #[arg(long, global = true, default_value = "config", env = "INTAKEBOT_CONFIG")]
    pub config: PathBuf,
    /// Log JSON lines instead of human-readable text (logs go to stderr).
    #[arg(long, global = true)]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Configuration tools.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Which plans can serve a product version, and why the others cannot.
    Plans(plans::PlansArgs),
    /// Try the bot in a terminal: the same engine, embedded SQLite, a simulated clock.
    Console(crate::console::ConsoleArgs),
    /// Run the bot on Discord (token from DISCORD_TOKEN).
    Run,
    /// SLA clock: first-response deadlines and elapsed business time.
    Sla {
        #[command(subcommand)]
        cmd: sla::SlaCommand,
    },
    /// Apply the database migrations and exit (they also run at every start).
    Migrate {
        /// The database URL; default: `database.url` of the config.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Reports for managers (SLA: first responses met, breaches, packs, a chart).
    Report {
        #[command(subcommand)]
        cmd: report::ReportCommand,
    },
    /// Intake grammar tools for operators.
    Intake {
        #[command(subcommand)]
        command: intake::IntakeCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Load and validate every config file; print a short summary.
    Check {
        /// Also ask Discord (token from DISCORD_TOKEN) whether the bot has every permission it
        /// needs in each configured channel; exit 1 when one is missing.
        #[arg(long)]
        online: bool,
    },
}
