//! `intakebot sla …` behaviour, run in-process with in-memory stdin, stdout and stderr.

use crate::helpers::sla::{policy, shipped};
use clap::Parser;
use intakebot::cli::sla::{run, SlaOutcome};
use intakebot::cli::{Cli, Command};

/// Parses `intakebot sla …` and runs it; returns the outcome, stdout and stderr.
fn sla(args: &[&str], stdin: &str) -> (SlaOutcome, String, String) {
    let argv = ["intakebot", "sla"].iter().chain(args).copied();
    let Command::Sla { cmd } = Cli::try_parse_from(argv).expect("arguments parse").command else {
        panic!("not an sla command")
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let outcome = run(cmd, &shipped(), &policy(), stdin.as_bytes(), &mut out, &mut err);
    (
        outcome,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn deadline_for_each_opened_at_by_severity() {
    // P-SEV-2: 4 business hours from Friday 15:00 Oslo is Monday 11:00 (10:00Z).
    let (outcome, out, err) = sla(
        &[
            "deadline",
            "--calendar",
            "oslo",
            "--severity",
            "B",
            "--opened-at",
            "2027-03-05T15:00:00+01:00",
            "--opened-at",
            "2027-03-01T08:00:00+01:00",
        ],
        "",
    );
    assert_eq!((outcome, err.as_str()), (SlaOutcome::Success, ""));
    assert_eq!(out, "2027-03-08T10:00:00Z\n2027-03-01T11:00:00Z\n");
}

#[test]
fn severity_a_on_24x7_counts_clock_hours() {
    // P-SEV-1, P-SEV-4
    let (outcome, out, _) = sla(
        &[
            "deadline",
            "--severity",
            "A",
            "--coverage",
            "24x7",
            "--opened-at",
            "2027-03-05T23:30:00Z",
        ],
        "",
    );
    assert_eq!(outcome, SlaOutcome::Success);
    assert_eq!(out, "2027-03-06T01:30:00Z\n");
}

#[test]
fn twenty_four_seven_for_b_is_a_clear_usage_error() {
    // P-SEV-4: 24x7 is offered for severity A only.
    let (outcome, out, err) = sla(
        &[
            "deadline",
            "--severity",
            "B",
            "--coverage",
            "24x7",
            "--opened-at",
            "2027-03-05T23:30:00Z",
        ],
        "",
    );
    assert_eq!(outcome, SlaOutcome::Usage);
    assert_eq!(out, "");
    assert!(err.contains("24x7 coverage is not offered for severity B"), "{err}");
}

#[test]
fn hours_instead_of_severity_and_unknown_calendar() {
    let (outcome, out, _) = sla(
        &[
            "deadline",
            "--calendar",
            "us-pacific",
            "--hours",
            "1.5",
            "--opened-at",
            "2027-03-01T16:30:00-08:00",
        ],
        "",
    );
    assert_eq!(outcome, SlaOutcome::Success);
    assert_eq!(out, "2027-03-02T18:00:00Z\n");
    let (outcome, _, err) = sla(&["deadline", "--calendar", "mars", "--hours", "1"], "");
    assert_eq!(outcome, SlaOutcome::Usage);
    assert!(err.contains("unknown calendar \"mars\""));
}

#[test]
fn severity_and_hours_are_exclusive_and_one_is_required() {
    let parse = |args: &[&str]| Cli::try_parse_from(["intakebot", "sla"].iter().chain(args).copied()).is_ok();
    assert!(!parse(&["deadline", "--severity", "B", "--hours", "2"]));
    assert!(!parse(&["deadline"]));
    assert!(!parse(&["deadline", "--hours", "-1"]));
}

#[test]
fn stdin_streams_and_reports_bad_lines_with_numbers_then_exits_non_zero() {
    let input = "2027-03-05T15:00:00+01:00\nnot a date\r\n 2027-03-01T08:00:00.5+01:00 \n1999-01-01T00:00:00Z\n2027-03-02T08:00:00+01:00";
    let (outcome, out, err) = sla(&["deadline", "--calendar", "oslo", "--severity", "C"], input);
    assert_eq!(outcome, SlaOutcome::Failed);
    assert_eq!(
        out,
        "2027-03-08T14:00:00Z\n\n2027-03-02T07:00:00.500Z\n\n2027-03-02T15:00:00Z\n"
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with("line 2: \"not a date\""), "{err}");
    assert!(
        lines[1].starts_with("line 4:") && lines[1].contains("outside the supported range"),
        "{err}"
    );
}

#[test]
fn stdin_without_errors_succeeds() {
    let (outcome, out, err) = sla(&["deadline", "--hours", "8"], "2027-03-01T07:00:00Z\n");
    assert_eq!(
        (outcome, out.as_str(), err.as_str()),
        (SlaOutcome::Success, "2027-03-01T15:00:00Z\n", "")
    );
}

#[test]
fn elapsed_prints_hours_minutes_seconds_and_total() {
    let (outcome, out, _) = sla(
        &[
            "elapsed",
            "--calendar",
            "oslo",
            "2027-03-05T11:30:00+01:00",
            "2027-03-08T09:00:00+01:00",
        ],
        "",
    );
    assert_eq!(outcome, SlaOutcome::Success);
    assert_eq!(out, "5h 30m 0s (19800 s)\n");
    let (_, out, _) = sla(
        &["elapsed", "2027-03-08T08:59:59.5+01:00", "2027-03-08T09:00:00+01:00"],
        "",
    );
    assert_eq!(out, "0h 0m 0.5s (0.5 s)\n");
}
