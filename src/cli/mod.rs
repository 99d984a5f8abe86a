//! The command line: one subcommand per job, parsed once with clap.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "intakebot", version, about = "A Discord support-intake bot")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {}
