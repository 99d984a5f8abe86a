//! `intakebot sla …`: deadlines and elapsed business time from the command line.
//!
//! `sla deadline` prints one RFC3339 UTC deadline per `--opened-at`, or streams stdin (one
//! RFC3339 instant per line, e.g. a CSV column) to stdout line by line. A bad line is reported
//! on stderr with its line number and leaves an empty output line, so rows stay aligned; the
//! command finishes the input and exits 1. Usage errors (unknown calendar, 24x7 for a
//! severity that cannot have it) exit 2.

use crate::core::policy::Policy;
use crate::core::severity::{Coverage, Severity};
use crate::core::sla::{sla_deadline, Calendar, CalendarSet, SlaError};
use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc};
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

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

/// The target of one `sla deadline` run.
#[derive(Debug, Clone, Copy)]
enum Target {
    ClockHours(TimeDelta),
    Severity(Severity, Coverage),
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
                (Ok(cal), Ok(target)) => deadlines(cal, policy, target, &opened_at, stdin, stdout, &mut stderr),
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
        SlaCommand::Elapsed { calendar, from, to } => {
            pick(calendars, calendar.as_deref()).and_then(|cal| elapsed(cal, from, to, stdout))
        }
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
    match coverage {
        Coverage::TwentyFourSeven if !rule.allows_24x7 => Err(SlaError::CoverageNotAllowed { severity }.to_string()),
        Coverage::TwentyFourSeven => Ok(Target::ClockHours(TimeDelta::hours(i64::from(
            rule.first_response_hours,
        )))),
        Coverage::BusinessHours => Ok(Target::Severity(severity, coverage)),
    }
}

fn deadline_of(cal: &Calendar, policy: &Policy, target: Target, at: DateTime<Utc>) -> Result<DateTime<Utc>, SlaError> {
    match target {
        Target::ClockHours(h) => at.checked_add_signed(h).ok_or(SlaError::OutOfRange { at }),
        Target::Severity(s, c) => sla_deadline(policy, s, c, cal, at).map(|d| d.at()),
        Target::BusinessHours(h) => cal.deadline(at, h),
    }
}

fn deadlines(
    cal: &Calendar,
    policy: &Policy,
    target: Target,
    opened_at: &[DateTime<Utc>],
    stdin: impl BufRead,
    stdout: impl Write,
    stderr: &mut impl Write,
) -> Result<SlaOutcome, String> {
    let mut out = BufWriter::with_capacity(64 * 1024, stdout);
    let mut failed = false;
    let mut emit = |n: usize, at: Option<DateTime<Utc>>, raw: &[u8], out: &mut BufWriter<_>| -> std::io::Result<()> {
        match at
            .ok_or(None)
            .and_then(|at| deadline_of(cal, policy, target, at).map_err(Some))
        {
            Ok(d) => write_rfc3339(out, d),
            Err(why) => {
                failed = true;
                let why = why.map_or_else(|| "not an RFC3339 instant".to_string(), |e| e.to_string());
                let _ = writeln!(stderr, "line {n}: {:?}: {why}", String::from_utf8_lossy(raw));
                out.write_all(b"\n")
            }
        }
    };
    let io = if opened_at.is_empty() {
        stream(stdin, &mut out, &mut emit)
    } else {
        opened_at
            .iter()
            .enumerate()
            .try_for_each(|(i, at)| emit(i + 1, Some(*at), b"", &mut out))
    };
    if let Err(e) = io.and_then(|()| out.flush()) {
        let _ = writeln!(stderr, "error: {e}");
        return Ok(SlaOutcome::Failed);
    }
    Ok(if failed {
        SlaOutcome::Failed
    } else {
        SlaOutcome::Success
    })
}

/// Reads stdin line by line into one reused buffer.
fn stream<W: Write>(
    mut stdin: impl BufRead,
    out: &mut BufWriter<W>,
    emit: &mut impl FnMut(usize, Option<DateTime<Utc>>, &[u8], &mut BufWriter<W>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut line = Vec::with_capacity(64);
    let mut n = 0;
    loop {
        line.clear();
        if stdin.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        n += 1;
        let raw = line.trim_ascii();
        let at = std::str::from_utf8(raw)
            .ok()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
        emit(n, at.map(|t| t.to_utc()), raw, out)?;
    }
}

/// `2027-03-01T15:00:00Z`, with a 3-, 6- or 9-digit fraction when there is one; no allocation.
fn write_rfc3339(out: &mut impl Write, t: DateTime<Utc>) -> std::io::Result<()> {
    let mut buf = [0u8; 32];
    let two = |b: &mut [u8], v: u32| {
        b[0] = b'0' + (v / 10) as u8;
        b[1] = b'0' + (v % 10) as u8;
    };
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return writeln!(out, "{}", t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    }
    two(&mut buf[0..2], year as u32 / 100);
    two(&mut buf[2..4], year as u32 % 100);
    buf[4] = b'-';
    two(&mut buf[5..7], t.month());
    buf[7] = b'-';
    two(&mut buf[8..10], t.day());
    buf[10] = b'T';
    two(&mut buf[11..13], t.hour());
    buf[13] = b':';
    two(&mut buf[14..16], t.minute());
    buf[16] = b':';
    two(&mut buf[17..19], t.second());
    let mut len = 19;
    let nanos = t.nanosecond() % 1_000_000_000;
    if nanos != 0 {
        let digits = if nanos % 1_000_000 == 0 {
            3
        } else if nanos % 1_000 == 0 {
            6
        } else {
            9
        };
        buf[len] = b'.';
        let mut v = nanos / 10u32.pow(9 - digits);
        for i in (0..digits as usize).rev() {
            buf[len + 1 + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        len += 1 + digits as usize;
    }
    buf[len] = b'Z';
    buf[len + 1] = b'\n';
    out.write_all(&buf[..len + 2])
}

/// Prints `Hh Mm Ss (TOTAL s)`, e.g. `4h 30m 0s (16200 s)`; a leading `-` when `to` is before
/// `from`; seconds keep a fraction (`0.5s`, `0.5 s`) when the instants have one.
fn elapsed(
    cal: &Calendar,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    mut stdout: impl Write,
) -> Result<SlaOutcome, String> {
    let d = cal.business_time_between(from, to).map_err(|e| e.to_string())?;
    let sign = if d < TimeDelta::zero() { "-" } else { "" };
    let d = d.abs();
    let secs = d.num_seconds();
    let frac = d.subsec_nanos();
    let frac = if frac == 0 {
        String::new()
    } else {
        format!(".{frac:09}").trim_end_matches('0').to_string()
    };
    let line = format!(
        "{sign}{}h {}m {}{frac}s ({sign}{secs}{frac} s)",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    );
    match writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        Ok(()) => Ok(SlaOutcome::Success),
        Err(e) => Err(e.to_string()),
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
