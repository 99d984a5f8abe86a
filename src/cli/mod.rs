//! The command line: one subcommand per job, parsed once with clap.

use clap::{Parser, Subcommand};

pub mod intake;

#[derive(Debug, Parser)]
#[command(name = "intakebot", version, about = "A Discord support-intake bot")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Intake grammar tools for operators.
    Intake {
        #[command(subcommand)]
        command: intake::IntakeCommand,
    },
}
