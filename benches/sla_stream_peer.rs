//! `intakebot sla deadline` streaming, end to end through the real binary, against the
//! `workclock` Python package computing the same deadlines in the same run (issue 22: ≥ 30×).
//!
//! Prints figures, no criterion: `cargo bench --bench sla_stream_peer`. The peer runs when a
//! Python with `workclock` is found (`WORKCLOCK_PYTHON`, default `target/peer-venv/bin/python`;
//! make it with `python3 -m venv target/peer-venv && target/peer-venv/bin/pip install
//! workclock`), otherwise it is skipped with a message. Both read the same file of
//! `LINES` RFC 3339 instants (2027, Oslo calendar, severity B: 4 business hours) and
//! write one deadline per line; the outputs must agree line for line. For each, the best of
//! `RUNS` wall times and the best of its CPU times (user + system) count: the machine is
//! shared, and CPU time is the less disturbed figure. In-process, it also counts heap
//! allocations per run for 1 line and for all lines: the per-line path allocates nothing, so
//! the two counts are equal.
//!
//! Measured 2026-12-05, 2-core shared dev machine, load 4.6: intakebot 2M lines in 0.183 s
//! wall (10.9 M lines/s; 0.180 s CPU), startup and config load included; workclock 0.1.2 on
//! CPython 3.11: `add` per line 14.3 s (78x), `add_many` batch 8.73 s (47.6x; 46.5x in CPU
//! time). 3 allocations per run for 1 line and for 2M lines.
//! All measured figures, with their ceilings and ratios: docs/performance.md.

#[path = "../tests/it/helpers/sla.rs"]
#[allow(dead_code)]
mod sla_support;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use clap::Parser;
use intakebot::cli::sla::{run, SlaCommand, SlaOutcome};
use intakebot::cli::{Cli, Command as CliCommand};
use intakebot::core::sla::Calendar;
use rand::{Rng, SeedableRng};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const LINES: usize = 2_000_000;
const RUNS: usize = 5;
const ARGS: [&str; 6] = ["sla", "deadline", "--calendar", "oslo", "--severity", "B"];

/// Counts heap allocations, for the allocation-free claim.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn input(lines: usize) -> Vec<u8> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let first = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap().timestamp();
    let last = Utc.with_ymd_and_hms(2028, 1, 1, 0, 0, 0).unwrap().timestamp();
    let mut text = String::with_capacity(lines * 21);
    for _ in 0..lines {
        let t = DateTime::from_timestamp(rng.gen_range(first..last), 0).unwrap();
        text.push_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        text.push('\n');
    }
    text.into_bytes()
}

/// Allocations of one in-process run over `input`.
fn allocations(input: &[u8]) -> u64 {
    let (set, policy) = (sla_support::shipped(), sla_support::policy());
    let CliCommand::Sla { cmd } = Cli::parse_from(["intakebot"].iter().chain(&ARGS)).command else {
        panic!("not an sla command")
    };
    let cmd: SlaCommand = cmd;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let outcome = run(cmd, &set, &policy, input, std::io::sink(), std::io::sink());
    assert_eq!(outcome, SlaOutcome::Success);
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

/// Wall and CPU (user + system) time of one child process.
#[derive(Debug, Clone, Copy)]
struct Took {
    wall: Duration,
    cpu: Duration,
}

/// CPU time of all waited-for children so far.
fn children_cpu() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN is always valid.
    let usage = unsafe {
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()), 0);
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Runs `command` with `input_file` on stdin and `output_file` on stdout `RUNS` times; the
/// best wall time and the best CPU time (the machine is shared, so both are the least
/// disturbed of the runs).
fn best_of(mut command: impl FnMut() -> Command, input_file: &Path, output_file: &Path) -> Took {
    let runs: Vec<Took> = (0..RUNS)
        .map(|_| {
            let stdin = std::fs::File::open(input_file).unwrap();
            let stdout = std::fs::File::create(output_file).unwrap();
            let (started, cpu_before) = (Instant::now(), children_cpu());
            let status = command()
                .stdin(stdin)
                .stdout(stdout)
                .stderr(Stdio::inherit())
                .status()
                .unwrap();
            let took = Took {
                wall: started.elapsed(),
                cpu: children_cpu() - cpu_before,
            };
            assert!(status.success(), "{status}");
            took
        })
        .collect();
    Took {
        wall: runs.iter().map(|t| t.wall).min().unwrap(),
        cpu: runs.iter().map(|t| t.cpu).min().unwrap(),
    }
}

/// The peer's schedule from ours: each weekday's usual hours, and the weekdays closed
/// otherwise as holidays (dated hours other than a closure would not be comparable).
fn peer_schedule(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> String {
    let days: Vec<NaiveDate> = from.iter_days().take_while(|d| *d <= to).collect();
    let hours_of = |d: NaiveDate| {
        let spans: Vec<String> = cal
            .hours_on(d)
            .iter()
            .map(|iv| format!("[{},{}]", iv.start, iv.end))
            .collect();
        format!("[{}]", spans.join(","))
    };
    let mut usual: HashMap<u32, HashMap<String, usize>> = HashMap::new();
    for d in &days {
        *usual
            .entry(d.weekday().num_days_from_monday())
            .or_default()
            .entry(hours_of(*d))
            .or_default() += 1;
    }
    let week: Vec<String> = (0..7)
        .map(|w| {
            usual[&w]
                .iter()
                .max_by_key(|(_, n)| **n)
                .map(|(h, _)| h.clone())
                .unwrap()
        })
        .collect();
    let mut holidays = Vec::new();
    for d in &days {
        if hours_of(*d) != week[d.weekday().num_days_from_monday() as usize] {
            assert!(
                cal.hours_on(*d).is_empty(),
                "{d}: dated hours the peer comparison does not model"
            );
            holidays.push(format!("\"{d}\""));
        }
    }
    format!(
        "{{\"zone\": \"{}\", \"week\": [{}], \"holidays\": [{}], \"hours\": 4}}",
        cal.zone().name(),
        week.join(","),
        holidays.join(",")
    )
}

/// The peer: the same deadlines with workclock, per line (`add`) or in one batch (`add_many`).
const PEER: &str = r#"
import json, sys
from datetime import date, datetime, time, timedelta, timezone
from workclock import Holidays, Schedule, WorkDay
spec = json.loads(sys.argv[2])
t = lambda s: time(s // 3600, s % 3600 // 60) if s < 86400 else time(0)
rules = [WorkDay(t(a), t(b), days=[w]) for w, day in enumerate(spec["week"]) for a, b in day]
rules.append(Holidays([date.fromisoformat(d) for d in spec["holidays"]]))
office = Schedule(rules, time_zone=spec["zone"])
hours = timedelta(hours=spec["hours"])
utc = timezone.utc
fmt = lambda d: d.astimezone(utc).strftime("%Y-%m-%dT%H:%M:%SZ\n")
out = sys.stdout
if sys.argv[1] == "add":
    for line in sys.stdin:
        out.write(fmt(office.add(datetime.fromisoformat(line.strip()), hours)))
else:
    opened = [datetime.fromisoformat(line.strip()) for line in sys.stdin]
    out.write("".join(map(fmt, office.add_many(opened, hours))))
"#;

fn peer_python() -> Option<PathBuf> {
    let python = std::env::var_os("WORKCLOCK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/peer-venv/bin/python"));
    let found = Command::new(&python)
        .args(["-c", "import workclock"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    found.then_some(python)
}

fn rate(took: Duration) -> f64 {
    LINES as f64 / took.as_secs_f64()
}

fn line(who: &str, took: Took) -> String {
    format!(
        "{who}: {LINES} lines in {:.3} s wall = {:.0} lines/s ({:.3} s CPU = {:.0} lines/s)",
        took.wall.as_secs_f64(),
        rate(took.wall),
        took.cpu.as_secs_f64(),
        rate(took.cpu)
    )
}

fn main() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return; // `cargo test --benches` asks a harness for its tests; this one has none.
    }
    let (one, all) = (allocations(&input(1)), allocations(&input(LINES)));
    println!("allocations per in-process run: {one} for 1 line, {all} for {LINES} lines");
    assert_eq!(one, all, "the per-line path allocates");

    let dir = tempfile::tempdir().unwrap();
    let (input_file, ours_file, peer_file) = (dir.path().join("in"), dir.path().join("ours"), dir.path().join("peer"));
    std::fs::write(&input_file, input(LINES)).unwrap();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let ours = best_of(
        || {
            let mut c = Command::new(env!("CARGO_BIN_EXE_intakebot"));
            c.args(ARGS).arg("--config").arg(&config);
            c
        },
        &input_file,
        &ours_file,
    );
    println!(
        "best of {RUNS} runs each, {} cores, load average {}",
        cores(),
        load_average()
    );
    println!("{}", line("intakebot sla deadline", ours));

    let Some(python) = peer_python() else {
        println!(
            "peer skipped: no Python with workclock (set WORKCLOCK_PYTHON, or: python3 -m venv \
             target/peer-venv && target/peer-venv/bin/pip install workclock)"
        );
        return;
    };
    let cal = sla_support::shipped().get("oslo").unwrap().clone();
    let spec = peer_schedule(
        &cal,
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        NaiveDate::from_ymd_opt(2028, 12, 31).unwrap(),
    );
    let expected = std::fs::read(&ours_file).unwrap();
    for mode in ["add", "add_many"] {
        let took = best_of(
            || {
                let mut c = Command::new(&python);
                c.args(["-c", PEER, mode, &spec]);
                c
            },
            &input_file,
            &peer_file,
        );
        let same = std::fs::read(&peer_file).unwrap() == expected;
        assert!(same, "workclock ({mode}) computed other deadlines than intakebot");
        let version = workclock_version(&python);
        println!("{}", line(&format!("workclock {version} ({mode})"), took));
        println!(
            "  intakebot is {:.1}x workclock ({mode}) end to end ({:.1}x in CPU time)",
            took.wall.as_secs_f64() / ours.wall.as_secs_f64(),
            took.cpu.as_secs_f64() / ours.cpu.as_secs_f64()
        );
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

fn workclock_version(python: &Path) -> String {
    let out = Command::new(python)
        .args(["-c", "import workclock; print(workclock.__version__)"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
