//! Command-line faults through the real binary: answers the clock cannot give, reversed
//! ranges, and output streams closed by the reader. Each is a clear error and a non-zero exit
//! (1 for a failure, 2 for usage), never a wrong answer with exit 0 or a panic (101).

use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn intakebot(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_intakebot"));
    command
        .args(args)
        .env("INTAKEBOT_CONFIG", Path::new(env!("CARGO_MANIFEST_DIR")).join("config"))
        .env_remove("INTAKEBOT_LOG")
        .stdin(Stdio::null());
    command
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let Output { status, stdout, stderr } = intakebot(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (status.code(), text(stdout), text(stderr))
}

#[test]
fn a_24x7_deadline_past_year_9999_is_refused() {
    let (code, out, err) = run(&[
        "sla",
        "deadline",
        "--severity",
        "A",
        "--coverage",
        "24x7",
        "--opened-at",
        "9999-12-31T23:00:00Z",
    ]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert_eq!(out, "\n", "no deadline is printed, the row stays");
    assert!(err.contains("outside the supported range"), "{err}");
}

#[test]
fn a_24x7_deadline_past_the_clocks_range_is_refused_on_the_stream_too() {
    let mut child = intakebot(&["sla", "deadline", "--severity", "A", "--coverage", "24x7"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = b"2100-12-31T22:00:00Z\n2100-12-31T23:30:00Z\n";
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stdout, "2101-01-01T00:00:00Z\n\n");
    assert!(stderr.starts_with("line 2: \"2100-12-31T23:30:00Z\":"), "{stderr}");
    assert!(stderr.contains("2101-01-01T00:00:00Z"), "names the range: {stderr}");
}

#[test]
fn elapsed_with_its_ends_reversed_is_refused_naming_the_order() {
    let (code, out, err) = run(&[
        "sla",
        "elapsed",
        "2027-03-08T09:00:00+01:00",
        "2027-03-05T11:30:00+01:00",
    ]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("FROM") && err.contains("is after TO") && err.contains("earlier instant first"),
        "{err}"
    );
}

/// A stream whose reader is gone: writing to it fails with a broken pipe.
fn closed() -> Stdio {
    let (ours, theirs) = UnixStream::pair().unwrap();
    drop(ours);
    Stdio::from(std::os::fd::OwnedFd::from(theirs))
}

/// Every subcommand that writes, with arguments that succeed on an open terminal.
const WRITERS: [&[&str]; 8] = [
    &["--version"],
    &["--help"],
    &["plans", "--product", "sql", "--version", "2019"],
    &["config", "check"],
    &[
        "sla",
        "deadline",
        "--severity",
        "B",
        "--opened-at",
        "2027-03-05T15:00:00Z",
    ],
    &["sla", "elapsed", "2027-03-05T15:00:00Z", "2027-03-08T15:00:00Z"],
    &["intake", "explain", "SQL Server 2019 is down"],
    &["plans", "--product", "sql", "--version", "2019", "--json"],
];

#[test]
fn a_closed_stdout_is_a_failure_said_on_stderr() {
    for args in WRITERS {
        let out = intakebot(args).stdout(closed()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn closed_stdout_and_stderr_fail_without_a_panic() {
    for args in WRITERS {
        let out = intakebot(args).stdout(closed()).stderr(closed()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
    }
}

#[test]
fn a_closed_stderr_alone_does_not_stop_the_answer() {
    for args in WRITERS {
        let out = intakebot(args).stderr(closed()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
}
