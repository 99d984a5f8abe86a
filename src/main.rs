//! The intakebot binary: parses the command line, loads the config, and hands over.

use clap::Parser;
use intakebot::cli::{Cli, Command, ConfigCommand, EXIT_CONFIG, EXIT_FAILURE};
use intakebot::config::Config;
use intakebot::ops::logging::{self, LogFormat};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(usage) => return usage_exit(&usage),
    };
    logging::init(if cli.log_json {
        LogFormat::Json
    } else {
        LogFormat::Human
    });
    let config = match Config::load(&cli.config) {
        Ok(config) => config,
        Err(err) => {
            report(format_args!("error: {err}"));
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            report(format_args!("error: cannot start the async runtime: {err}"));
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    let outcome = runtime.block_on(dispatch(cli.command, config));
    // Tasks still parked (a client's retry timers) must not hold the exit up.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match outcome {
        Ok(code) => code,
        Err(err) => {
            report(format_args!("error: {err:#}"));
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// Writes an error to stderr; a closed stderr is ignored (`eprintln!` would panic), the exit
/// code still tells.
fn report(message: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// clap's help, version or usage error; when that text cannot be written, exit 1.
fn usage_exit(usage: &clap::Error) -> ExitCode {
    match usage.print() {
        Ok(()) => ExitCode::from(u8::try_from(usage.exit_code()).unwrap_or(EXIT_FAILURE)),
        Err(err) => {
            report(format_args!("error: cannot write to the terminal: {err}"));
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

async fn dispatch(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    match command {
        Command::Config(ConfigCommand::Check { online }) => {
            intakebot::cli::config_check::summary(&config, &mut stdout.lock())?;
            if online {
                return Ok(intakebot::cli::config_check::online(&config, &mut stdout.lock())
                    .await?
                    .into());
            }
        }
        Command::Plans(args) => intakebot::cli::plans::run(&args, &config, chrono::Utc::now(), &mut stdout.lock())?,
        Command::Console(args) => intakebot::console::run(config, &args).await?,
        Command::Run => intakebot::cli::run::run(config).await?,
        Command::Migrate { database_url } => {
            let url = database_url.unwrap_or_else(|| config.app.database.url.clone());
            let report = intakebot::cli::migrate::run(&url).await?;
            writeln!(stdout.lock(), "{report}")?;
        }
        Command::Sla { cmd } => {
            let code = intakebot::cli::sla::run(
                cmd,
                &config.calendars,
                &config.policy,
                std::io::stdin().lock(),
                stdout.lock(),
                std::io::stderr(),
            );
            return Ok(code.into());
        }
        Command::Report { cmd } => return Ok(intakebot::cli::report::main(cmd, &config, chrono::Utc::now()).await),
        Command::Intake { command } => {
            let grammar = intakebot::cli::intake::Grammar {
                patterns: &config.intake,
                catalog: &config.catalog,
                policy: &config.policy,
            };
            let outcome = intakebot::cli::intake::run(&command, grammar, std::io::stdin().lock(), &mut stdout.lock())?;
            return Ok(outcome.into());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// glibc gives threads that contend for malloc arenas of their own and keeps what was freed in
/// each; with a blocking thread per SQLite connection that held about 12 MB more at idle in the
/// whole-bot bench (docs/performance.md). Two arenas serve two worker threads; an operator's
/// own `MALLOC_ARENA_MAX` wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: called first in main, before any thread exists; mallopt only sets a limit.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}
