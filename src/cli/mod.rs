//! The command line: one subcommand per job, parsed once with clap.

pub mod sla;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "intakebot", version, about = "A Discord support-intake bot")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// SLA clock: first-response deadlines and elapsed business time.
    Sla {
        #[command(subcommand)]
        cmd: sla::SlaCommand,
    },
}
