//! `intakebot report sla`: the real binary on a seeded SQLite database (the shipped config,
//! `database.url` from the environment), and its refusals with exit codes and messages.
//!
//! The seed is in March 2026, before any run of this test, so "as of now" gives the same
//! figures every time: an unanswered incident is past its deadline, hence breached.

use crate::helpers::db::{move_from_open, request, seed, t0, Seed};
use chrono::{DateTime, Duration, Utc};
use intakebot::core::ids::IncidentNumber;
use intakebot::core::incident::IncidentState;
use intakebot::core::severity::{Coverage, Severity};
use intakebot::store::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Db {
    dir: tempfile::TempDir,
    url: String,
}

/// Contoso (oslo): B opened Mon 2 March 2026 10:00 CET, answered after 60 min (met); A on
/// 24x7 opened Sat 7 March 22:00Z, answered 3 h later (breached by 1 h). Fabrikam
/// (us-pacific): C opened Tue 3 March 09:00 PST, never answered (breached).
async fn seeded() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/report.db", dir.path().display());
    let store = Store::connect(&url).await.unwrap();
    let (c, f) = (seed(&store, "contoso", 5).await, seed(&store, "fabrikam", 5).await);
    let b = open(&store, &c, "b", Severity::B, Coverage::BusinessHours, t0(), 4).await;
    move_from_open(&store, &c, b, IncidentState::Acknowledged, t0() + Duration::hours(1)).await;
    let sat = t0() + Duration::days(5) + Duration::hours(13);
    let a = open(&store, &c, "a", Severity::A, Coverage::TwentyFourSeven, sat, 2).await;
    move_from_open(&store, &c, a, IncidentState::Acknowledged, sat + Duration::hours(3)).await;
    let tue = t0() + Duration::days(1) + Duration::hours(8);
    open(&store, &f, "c", Severity::C, Coverage::BusinessHours, tue, 8).await;
    store.close().await;
    Db { dir, url }
}

/// Opens an incident due `hours` later (right for these instants on their calendars).
async fn open(
    store: &Store,
    s: &Seed,
    source: &str,
    severity: Severity,
    coverage: Coverage,
    at: DateTime<Utc>,
    hours: i64,
) -> IncidentNumber {
    let mut n = request(s, source, s.pack.id);
    (n.severity, n.coverage, n.opened_at) = (severity, coverage, at);
    n.first_response_due = at + Duration::hours(hours);
    store.open_incident(&n).await.unwrap().incident().number
}

fn config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("config")
}

fn report(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_intakebot"))
        .args(["--config", config_dir().to_str().unwrap(), "report", "sla"])
        .args(args)
        .env("INTAKEBOT_DATABASE__URL", url)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const WEEK: [&str; 4] = ["--from", "2026-03-02", "--to", "2026-03-09"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_on_stdout_has_a_row_per_organisation_and_severity() {
    let db = seeded().await;
    let out = report(&db.url, &[&WEEK[..], &["--format", "csv"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    // A: 180 min on the clock, breached; B: 60 business minutes, met; C: unanswered.
    assert_eq!(
        stdout(&out),
        "\
organisation,severity,opened,met,breached,waiting,withdrawn,pct_met,median_minutes,p90_minutes
contoso,A,1,0,1,0,0,0.0,180,180
contoso,B,1,1,0,0,0,100.0,60,60
contoso,C,0,0,0,0,0,,,
contoso,all,2,1,1,0,0,50.0,60,180
fabrikam,A,0,0,0,0,0,,,
fabrikam,B,0,0,0,0,0,,,
fabrikam,C,1,0,1,0,0,0.0,,
fabrikam,all,1,0,1,0,0,0.0,,
all,A,1,0,1,0,0,0.0,180,180
all,B,1,1,0,0,0,100.0,60,60
all,C,1,0,1,0,0,0.0,,
all,all,3,1,2,0,0,33.3,60,180
"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_for_one_organisation_and_png_to_a_file() {
    let db = seeded().await;
    let out = report(&db.url, &[&WEEK[..], &["--organisation", "contoso"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("SLA report, first responses: 2026-03-02 to 2026-03-08 (Europe/Oslo), organisation contoso\n")
    );
    assert!(
        text.contains(
            "INC-000002 contoso A \"Backups fail\": due 2026-03-08 01:00 CET, 1h 00m late on clock time (24x7)"
        ),
        "{text}"
    );
    assert!(!text.contains("fabrikam"), "{text}");

    let png = db.dir.path().join("sla.png");
    let out = report(
        &db.url,
        &[&WEEK[..], &["--format", "png", "--output", png.to_str().unwrap()]].concat(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("sla.png"));
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_before_the_database_is_read() {
    let db = seeded().await;
    let cases: [(&[&str], &str); 4] = [
        (
            &["--from", "2026-02-30", "--to", "2026-03-09"],
            "expected a date like 2027-03-01",
        ),
        (
            &["--from", "2026-03-09", "--to", "2026-03-02"],
            "must end after it starts",
        ),
        (
            &[&WEEK[..], &["--organisation", "initech"]].concat(),
            "unknown organisation \"initech\"; configured: contoso, fabrikam",
        ),
        (&[&WEEK[..], &["--format", "png"]].concat(), "give --output FILE.png"),
    ];
    for (args, message) in cases {
        let out = report(&db.url, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
    }
}

#[test]
fn a_missing_database_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nothing-here.db");
    let out = report(&format!("sqlite://{}", file.display()), &WEEK);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no database at"), "{}", stderr(&out));
    assert!(!file.exists());
}
