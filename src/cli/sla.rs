//! `intakebot sla …`: deadlines and elapsed business time from the command line.
//!
//! `sla deadline` prints one RFC3339 UTC deadline per `--opened-at`, or streams stdin (one
//! RFC3339 instant per line, e.g. a CSV column) to stdout line by line. A bad line is reported
//! on stderr with its line number and leaves an empty output line, so rows stay aligned; the
//! command finishes the input and exits 1. A deadline past the clock's supported range
//! (2000..2101) is such a bad line, for 24x7 clock hours too. Usage errors (unknown calendar,
//! 24x7 for a severity that cannot have it, `sla elapsed` with its ends reversed) exit 2; a
//! closed output stream exits 1. The stream allocates nothing per line (figures:
//! `benches/sla_stream_peer.rs`).

use crate::core::policy::Policy;
use crate::core::severity::{Coverage, Severity};
use crate::core::sla::{clock_deadline_nanos, Calendar, CalendarSet, SlaError, UnixNanos};
use chrono::{DateTime, TimeDelta, Utc};
use std::io::{BufRead, Write};
use std::process::ExitCode;

mod rfc3339;
mod stream;

#[derive(Debug, clap::Subcommand)]
pub enum SlaCommand {
    /// First-response deadlines (RFC3339, UTC), one per opened-at or per stdin line.
    Deadline {
        /// Calendar name from calendars.toml (default: the configured default calendar).
        #[arg(long)]
        calendar: Option<String>,
        /// Severity whose first-response target to use (P-SEV-1..P-SEV-3).
        #[arg(long, required_unless_present = "hours", conflicts_with = "hours")]
        severity: Option<Severity>,
        /// Coverage granted: 24x7 (severity A only, clock hours) or business.
        #[arg(long, requires = "severity", default_value = "business")]
        coverage: Coverage,
        /// A business-hours target instead of a severity (decimal hours, rounded to the second).
        #[arg(long, value_parser = parse_hours)]
        hours: Option<TimeDelta>,
        /// Opening instants (RFC3339); without any, instants are read from stdin.
        #[arg(long = "opened-at", value_parser = parse_instant)]
        opened_at: Vec<DateTime<Utc>>,
    },
    /// Business time between two instants, printed as `4h 30m 0s (16200 s)`.
    Elapsed {
        #[arg(long)]
        calendar: Option<String>,
        #[arg(value_parser = parse_instant)]
        from: DateTime<Utc>,
        #[arg(value_parser = parse_instant)]
        to: DateTime<Utc>,
    },
}

/// The target of one `sla deadline` run, resolved once before the first line.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// 24x7 coverage: hours around the clock.
    ClockHours(TimeDelta),
    BusinessHours(TimeDelta),
}

/// How a run ended; converts to the process exit code (0, 1 bad input lines, 2 usage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaOutcome {
    Success,
    /// Some input lines (or instants) gave no deadline, or output failed.
    Failed,
    Usage,
}

impl From<SlaOutcome> for ExitCode {
    fn from(outcome: SlaOutcome) -> ExitCode {
        match outcome {
            SlaOutcome::Success => ExitCode::SUCCESS,
            SlaOutcome::Failed => ExitCode::from(super::EXIT_FAILURE),
            SlaOutcome::Usage => ExitCode::from(2),
        }
    }
}

/// Runs one `sla` subcommand. Pass a locked stdout; it is buffered here.
pub fn run(
    cmd: SlaCommand,
    calendars: &CalendarSet,
    policy: &Policy,
    stdin: impl BufRead,
    stdout: impl Write,
    mut stderr: impl Write,
) -> SlaOutcome {
    let outcome = match cmd {
        SlaCommand::Deadline {
            calendar,
            severity,
            coverage,
            hours,
            opened_at,
        } => {
            let target = match (severity, hours) {
                (Some(s), _) => target_for(policy, s, coverage),
                (None, Some(h)) => Ok(Target::BusinessHours(h)),
                (None, None) => Err("give --severity or --hours".to_string()),
            };
            match (pick(calendars, calendar.as_deref()), target) {
                (Ok(cal), Ok(target)) => Ok(deadlines(cal, target, &opened_at, stdin, stdout, &mut stderr)),
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
        SlaCommand::Elapsed { calendar, from, to } => pick(calendars, calendar.as_deref())
            .and_then(|cal| elapsed(cal, from, to))
            .map(|line| print_line(&line, stdout, &mut stderr)),
    };
    match outcome {
        Ok(outcome) => outcome,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}");
            SlaOutcome::Usage
        }
    }
}

fn pick<'a>(calendars: &'a CalendarSet, name: Option<&str>) -> Result<&'a Calendar, String> {
    match name {
        None => Ok(calendars.default_calendar()),
        Some(n) => calendars
            .get(n)
            .ok_or_else(|| format!("unknown calendar {n:?} (known: {})", calendars.names().join(", "))),
    }
}

/// P-SEV-4: 24x7 only where the policy allows it; otherwise a clear usage error.
fn target_for(policy: &Policy, severity: Severity, coverage: Coverage) -> Result<Target, String> {
    let rule = policy.severity(severity);
    let hours = TimeDelta::hours(i64::from(rule.first_response_hours));
    match coverage {
        Coverage::TwentyFourSeven if !rule.allows_24x7 => Err(SlaError::CoverageNotAllowed { severity }.to_string()),
        Coverage::TwentyFourSeven => Ok(Target::ClockHours(hours)),
        Coverage::BusinessHours => Ok(Target::BusinessHours(hours)),
    }
}

/// The same answer as [`crate::core::sla::sla_deadline`] for the resolved target.
fn deadline_of(cal: &Calendar, target: Target, at: UnixNanos) -> Result<UnixNanos, SlaError> {
    match target {
        Target::ClockHours(h) => clock_deadline_nanos(at, h),
        Target::BusinessHours(h) => cal.deadline_nanos(at, h),
    }
}

/// One deadline line per `--opened-at`, or per stdin line; a bad line leaves an empty line.
fn deadlines(
    cal: &Calendar,
    target: Target,
    opened_at: &[DateTime<Utc>],
    stdin: impl BufRead,
    stdout: impl Write,
    stderr: &mut impl Write,
) -> SlaOutcome {
    let mut run = DeadlineRun {
        cal,
        target,
        stderr,
        failed: false,
    };
    let mut out = stream::Output::new(stdout);
    let io = if opened_at.is_empty() {
        stream::lines(stdin, |n, raw| {
            run.line(n, rfc3339::parse(raw).map(Opened::Parsed), raw, &mut out)
        })
    } else {
        opened_at
            .iter()
            .enumerate()
            .try_for_each(|(i, at)| run.line(i + 1, Some(Opened::Given(*at)), b"", &mut out))
    };
    match io.and_then(|()| out.finish()) {
        Err(e) => {
            let _ = writeln!(run.stderr, "error: cannot write the deadlines: {e}");
            SlaOutcome::Failed
        }
        Ok(()) if run.failed => SlaOutcome::Failed,
        Ok(()) => SlaOutcome::Success,
    }
}

/// The state of one `sla deadline` run: what to compute, and whether a line failed.
struct DeadlineRun<'a, E> {
    cal: &'a Calendar,
    target: Target,
    stderr: &'a mut E,
    failed: bool,
}

impl<E: Write> DeadlineRun<'_, E> {
    /// Writes line `n`'s deadline, or reports why there is none and writes an empty line.
    /// `at` is `None` when the line `raw` is not an instant.
    fn line<W: Write>(
        &mut self,
        n: usize,
        at: Option<Opened>,
        raw: &[u8],
        out: &mut stream::Output<W>,
    ) -> std::io::Result<()> {
        let why = match at.map(|at| at.nanos().and_then(|ns| deadline_of(self.cal, self.target, ns))) {
            Some(Ok(deadline)) => return out.instant(deadline),
            Some(Err(e)) => e.to_string(),
            None => "not an RFC3339 instant".to_string(),
        };
        self.failed = true;
        let shown = match at {
            Some(Opened::Given(t)) => t.to_rfc3339(),
            _ => String::from_utf8_lossy(raw).into_owned(),
        };
        let _ = writeln!(self.stderr, "line {n}: {shown:?}: {why}");
        out.empty_line()
    }
}

/// An opening instant: parsed from a stdin line, or given as `--opened-at`.
#[derive(Debug, Clone, Copy)]
enum Opened {
    Parsed(UnixNanos),
    Given(DateTime<Utc>),
}

impl Opened {
    fn nanos(self) -> Result<UnixNanos, SlaError> {
        match self {
            Opened::Parsed(ns) => Ok(ns),
            Opened::Given(t) => UnixNanos::from_datetime(t).ok_or(SlaError::OutOfRange { at: t }),
        }
    }
}

/// `Hh Mm Ss (TOTAL s)`, e.g. `4h 30m 0s (16200 s)`; seconds keep a fraction (`0.5s`,
/// `0.5 s`) when the instants have one. `to` before `from` is refused, not printed negative.
fn elapsed(cal: &Calendar, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<String, String> {
    if to < from {
        return Err(format!(
            "FROM ({from}) is after TO ({to}): give the earlier instant first, `sla elapsed FROM TO`"
        ));
    }
    let d = cal.business_time_between(from, to).map_err(|e| e.to_string())?;
    let secs = d.num_seconds();
    let frac = match d.subsec_nanos() {
        0 => String::new(),
        nanos => format!(".{nanos:09}").trim_end_matches('0').to_string(),
    };
    Ok(format!(
        "{}h {}m {}{frac}s ({secs}{frac} s)",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
}

/// Prints the one line of a command's answer; a stream that cannot take it is a failure.
fn print_line(line: &str, mut stdout: impl Write, stderr: &mut impl Write) -> SlaOutcome {
    match writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        Ok(()) => SlaOutcome::Success,
        Err(e) => {
            let _ = writeln!(stderr, "error: cannot write the answer: {e}");
            SlaOutcome::Failed
        }
    }
}

fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.to_utc())
        .map_err(|e| format!("{text:?} is not an RFC3339 instant ({e})"))
}

fn parse_hours(text: &str) -> Result<TimeDelta, String> {
    let hours: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of hours"))?;
    if !hours.is_finite() || !(0.0..=1_000_000.0).contains(&hours) {
        return Err(format!("{text:?}: hours must be between 0 and 1000000"));
    }
    Ok(TimeDelta::seconds((hours * 3600.0).round() as i64))
}
