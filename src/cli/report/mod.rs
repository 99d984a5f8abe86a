//! `intakebot report sla`: the managers' SLA report from the configured database
//! (`database.url`), as English text or CSV (stdout, or `--output`), or a PNG chart (`--output`).
//!
//! `--from` and `--to` are days in the default calendar's zone; `--to` is exclusive, so
//! `--from 2027-03-01 --to 2027-03-08` is the week of 1-7 March. The figures stand as of now.
//! Everything the user typed is checked before the database is opened; a report never creates
//! a SQLite database that is not there. Exit codes: 2 bad usage (dates, organisation, png
//! without `--output`), 1 a runtime failure (database, writing).

use crate::app::report::{sla_report, ReportFailure};
use crate::config::Config;
use crate::core::ids::OrgId;
use crate::store::{redact_url, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use intakebot_report::{chart_png, csv_rows, text_summary, Period, PeriodError, ReportError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// First responses met per severity and organisation, breaches, packs, and a 12-week chart.
    Sla(SlaArgs),
}

#[derive(Debug, clap::Args)]
pub struct SlaArgs {
    /// First day of the period (YYYY-MM-DD, in the default calendar's zone).
    #[arg(long, value_parser = parse_day)]
    pub from: NaiveDate,
    /// The day after the period (exclusive): --from 2027-03-01 --to 2027-03-08 is one week.
    #[arg(long, value_parser = parse_day)]
    pub to: NaiveDate,
    /// Only this organisation (an id from intakebot.toml).
    #[arg(long)]
    pub organisation: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write here instead of stdout (required for png).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Csv,
    Png,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportCliError {
    #[error("{0}")]
    Period(#[from] PeriodError),
    #[error("unknown organisation {given:?}; configured: {known}")]
    UnknownOrganisation { given: String, known: String },
    #[error("--format png writes an image: give --output FILE.png")]
    PngNeedsOutput,
    #[error("no database at {0}: check database.url (a report never creates one)")]
    NoDatabase(String),
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Report(#[from] ReportError),
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

impl ReportCliError {
    /// 2 for what the user typed, 1 for the rest.
    pub fn exit_code(&self) -> u8 {
        match self {
            ReportCliError::Period(_) | ReportCliError::UnknownOrganisation { .. } | ReportCliError::PngNeedsOutput => {
                2
            }
            _ => super::EXIT_FAILURE,
        }
    }
}

/// Runs the command against the real stdout and stderr; errors are printed, not returned.
pub async fn main(cmd: ReportCommand, config: &Config, now: DateTime<Utc>) -> ExitCode {
    let ReportCommand::Sla(args) = cmd;
    let result = run(&args, config, now, &mut std::io::stdout().lock()).await;
    match result {
        Ok(Some(path)) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

/// The report in the asked format, to `stdout` or to the `--output` file (returned).
pub async fn run(
    args: &SlaArgs,
    config: &Config,
    now: DateTime<Utc>,
    stdout: &mut impl Write,
) -> Result<Option<PathBuf>, ReportCliError> {
    let (period, organisation) = check(args, config)?;
    let store = open_existing(&config.app.database.url).await?;
    // The same read and computation as `/report sla` and the Monday post.
    let report = sla_report(&store, config, period, organisation, now).await;
    store.close().await;
    let report = report.map_err(|err| match err {
        ReportFailure::Store(err) => ReportCliError::Store(err),
        ReportFailure::Report(err) => ReportCliError::Report(err),
    })?;
    let bytes = match args.format {
        Format::Text => text_summary(&report).into_bytes(),
        Format::Csv => csv_rows(&report)?.into_bytes(),
        Format::Png => chart_png(&report)?,
    };
    write_out(args.output.as_deref(), &bytes, stdout)
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|e| format!("{e}: expected a date like 2027-03-01"))
}

/// The user's input, checked before any I/O.
fn check(args: &SlaArgs, config: &Config) -> Result<(Period, Option<OrgId>), ReportCliError> {
    let zone = config.calendars.default_calendar().zone();
    let period = Period::new(args.from, args.to, zone)?;
    if args.format == Format::Png && args.output.is_none() {
        return Err(ReportCliError::PngNeedsOutput);
    }
    let Some(given) = &args.organisation else {
        return Ok((period, None));
    };
    let known: Vec<&str> = config.app.organisations.iter().map(|o| o.id.as_str()).collect();
    if !known.contains(&given.as_str()) {
        return Err(ReportCliError::UnknownOrganisation {
            given: given.clone(),
            known: known.join(", "),
        });
    }
    Ok((period, Some(OrgId::new(given))))
}

/// Connects, but refuses a SQLite file that does not exist (connecting would create it).
async fn open_existing(url: &str) -> Result<Store, ReportCliError> {
    if let Some(file) = sqlite_file(url) {
        if !file.exists() {
            return Err(ReportCliError::NoDatabase(redact_url(url)));
        }
    }
    Ok(Store::connect(url).await?)
}

fn sqlite_file(url: &str) -> Option<PathBuf> {
    use std::str::FromStr;
    if !url.starts_with("sqlite:") || url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url).ok()?;
    Some(options.get_filename().to_path_buf())
}

fn write_out(path: Option<&Path>, bytes: &[u8], stdout: &mut impl Write) -> Result<Option<PathBuf>, ReportCliError> {
    match path {
        Some(path) => std::fs::write(path, bytes)
            .map(|()| Some(path.to_path_buf()))
            .map_err(|source| ReportCliError::Write {
                path: path.display().to_string(),
                source,
            }),
        None => stdout
            .write_all(bytes)
            .and_then(|()| stdout.flush())
            .map(|()| None)
            .map_err(|source| ReportCliError::Write {
                path: "stdout".into(),
                source,
            }),
    }
}
