//! The intakebot binary: parses the command line and hands over to `cli`.

use clap::Parser;
use intakebot::cli::{Cli, Command, ConfigCommand, EXIT_CONFIG, EXIT_FAILURE};
use intakebot::config::Config;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(&cli.config) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result: anyhow::Result<()> = match &cli.command {
        Command::Config(ConfigCommand::Check) => {
            intakebot::cli::config_check::summary(&config, &mut out).map_err(Into::into)
        }
        Command::Plans(args) => {
            intakebot::cli::plans::run(args, &config, chrono::Utc::now(), &mut out).map_err(Into::into)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}
