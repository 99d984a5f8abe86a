//! The README's console demo, run through the real binary: the transcript must show an
//! incident opened by command and one by message, an N-1 refusal with the unavailable-plans
//! view, an acknowledgement, a reminder and a breach alert after `:advance`, a resolve, a
//! split and a pack balance. Also: state survives a restart, and typos get clear errors.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn console(args: &[&str], script: &str, dir: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_intakebot"))
        .args(["--config", root.join("config").to_str().unwrap(), "console"])
        .args(args)
        .current_dir(dir)
        .env_remove("INTAKEBOT_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "console failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn demo_transcript() -> String {
    let script = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/demo.console")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    console(&["--memory", "--start", "2027-03-01T07:55:00Z"], &script, dir.path())
}

fn assert_has(transcript: &str, needle: &str) {
    assert!(
        transcript.contains(needle),
        "transcript lacks {needle:?}:\n{transcript}"
    );
}

#[test]
fn readme_demo_shows_a_whole_incident_life() {
    let t = demo_transcript();
    // Opened by command (P-CLOSE-1: the problem definition is on the card), deadline on Oslo business hours.
    assert_has(&t, "[2027-03-01 07:55 INC-000001] bot: @Engineers ny hendelse");
    assert_has(
        &t,
        "Problemdefinisjon: Nightly backup job fails with error 3041 since Monday",
    );
    // Times in the organisation's zone and language: Oslo, 4 business hours after 08:55.
    assert_has(&t, "Frist for første svar: 01.03.2027 12:55 CET");
    // Opened by a chat message.
    assert_has(&t, "[2027-03-01 07:55 INC-000002] bot: @Engineers ny hendelse");
    // N-1 refusal, then the unavailable-plans view with the exact message and rules (P-N1-3).
    assert_has(&t, "Partnerstøtte Gold 20-pakke (E2): \"Støtteplan kan ikke brukes til støtte på det angitte produktet\" [P-N1-3, P-LIFE-3, P-N1-2]");
    // Billing pointer, no incident (P-SCOPE-2).
    assert_has(&t, "https://account.microsoft.com. No incident was opened");
    // The engineer's first thread message is the first response (P-SEV-6).
    // Said in the thread, so in the incident's language, whoever acted.
    assert_has(&t, "INC-000001 er kvittert: første svar innen fristen.");
    // Reminders at half the target and one business hour before, then the breach to managers.
    assert_has(&t, "[2027-03-01 09:55 #engineers] bot: @Engineers ⏰ INC-000002");
    assert_has(&t, "[2027-03-01 10:55 #engineers] bot: @Engineers ⏰ INC-000002");
    assert_has(
        &t,
        "[2027-03-01 11:55 #managers] bot: @Managers 🚨 First-response deadline missed: INC-000002",
    );
    assert_has(&t, "INC-000002 er kvittert: første svar etter fristen (frist brutt).");
    assert_has(&t, "INC-000001 er lukket som løst.");
    // Split: two sub-incidents, one unit each (P-INC-3), visible in the balance.
    assert_has(&t, "INC-000003 og INC-000004 er åpnet");
    assert_has(&t, "trukket fra pakken INC-000004 -1");
    assert_has(&t, "Fempakning for profesjonell støtte (E1): 1 hendelse igjen");
    // INC-000001 was acknowledged before its reminders: none were posted for it.
    assert!(!t.contains("⏰ INC-000001"), "a reminder after the ack:\n{t}");
}

// P-INC-2: one unit per incident, whatever the effort: an acknowledgement, thread messages and
// a resolve later, INC-000001 was charged exactly once.
#[test]
fn p_inc_2_an_incident_costs_one_unit_however_much_work_it_takes() {
    let t = demo_transcript();
    assert_eq!(t.matches("trukket fra pakken INC-000001 ").count(), 1, "{t}");
    assert!(t.contains("INC-000001 er lukket som løst."));
}

// P-CLOSE-5: the bot never promises a resolution: the card says so, and no reply promises one.
#[test]
fn p_close_5_no_reply_promises_a_resolution() {
    let t = demo_transcript();
    assert_has(&t, "en løsning kan ikke garanteres");
    for promise in ["will be resolved", "guarantee a fix", "we will fix", "vil bli løst"] {
        assert!(!t.to_lowercase().contains(promise), "promised {promise:?}:\n{t}");
    }
}

#[test]
fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let first = "/incident open product:\"SQL Server\" version:2022 severity:C problem:\"Reports time out after the upgrade\"\n";
    let t1 = console(
        &["--database", "sqlite://data/try.db", "--start", "2027-03-01T07:55:00Z"],
        first,
        dir.path(),
    );
    assert_has(&t1, "INC-000001");
    let t2 = console(
        &["--database", "sqlite://data/try.db"],
        "/incident status incident:INC-000001\n:now\n",
        dir.path(),
    );
    assert_has(&t2, "INC-000001 · Reports time out after the upgrade");
    assert_has(&t2, "now: 2027-03-01T07:55:00+00:00");
    assert!(!t2.contains("Seeded a demo"), "seeded twice:\n{t2}");
}

#[test]
fn typos_get_clear_errors_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let script = ":advnce 3h\n/incident opne product:x\n/incident open product:\"SQL Server\" version:1999 severity:B problem:\"x y z\"\n:as zed\n";
    let t = console(&["--memory", "--start", "2027-03-01T07:55:00Z"], script, dir.path());
    assert_has(&t, "unknown command `:advnce`; type :help for the list");
    assert_has(&t, "unknown command /incident opne");
    assert_has(&t, "SQL Server har ingen versjon «1999»");
    assert_has(&t, "no user \"zed\"");
}

#[test]
fn customers_of_another_organisation_get_the_same_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let script = "/incident open product:\"SQL Server\" version:2022 severity:C problem:\"Reports time out after the upgrade\"\n:as frank\n/incident status incident:INC-000001\n/incident status incident:INC-000099\n";
    let t = console(&["--memory", "--start", "2027-03-01T07:55:00Z"], script, dir.path());
    assert_has(&t, "INC-000001 was not found.");
    assert_has(&t, "INC-000099 was not found.");
}

// Issue 20: the console prints the report's card and writes its chart and CSV beside the database.
#[test]
fn the_report_is_printed_and_its_files_written_next_to_the_database() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    let script = "/incident open product:\"SQL Server\" version:2022 severity:B problem:\"Backups fail\"\n\
                  :as erik\n/report sla\n:as mona\n/report sla period:this-week\n";
    let t = console(
        &[
            "--database",
            "sqlite://data/report.db",
            "--start",
            "2027-03-03T09:00:00Z",
        ],
        script,
        dir.path(),
    );
    assert_has(&t, "Only managers can see the SLA report.");
    assert_has(&t, "SLA report, first responses: 2027-03-01 – 2027-03-07");
    assert_has(&t, "Sev B: 1 opened");
    for file in [
        "sla-report-2027-03-01-2027-03-07.png",
        "sla-report-2027-03-01-2027-03-07.csv",
    ] {
        assert_has(&t, &format!("saved data/{file}"));
        let bytes = std::fs::read(dir.path().join("data").join(file)).unwrap();
        assert!(bytes.len() > 100, "{file} written");
    }
    let png = std::fs::read(dir.path().join("data/sla-report-2027-03-01-2027-03-07.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
}
