//! The command line: one subcommand per job, parsed once with clap.

pub mod migrate;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "intakebot", version, about = "A Discord support-intake bot")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Applies the database migrations and exits.
    Migrate {
        #[arg(
            long,
            env = "INTAKEBOT_DATABASE_URL",
            default_value = "sqlite://data/intakebot.db"
        )]
        database_url: String,
    },
}
