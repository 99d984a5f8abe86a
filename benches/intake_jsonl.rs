//! `intakebot intake explain --jsonl` end to end through the real binary (issue 22): a file of
//! corpus messages (each line one message, cycled to `INTAKE_JSONL_LINES`, default 500,000)
//! on stdin, the JSON lines to /dev/null. Prints lines/s and the ratio to the 100,000 lines/s
//! target; best of three runs, start-up and config loading included.
//! All measured figures, with their ceilings and ratios: docs/performance.md.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TARGET_LINES_PER_SECOND: f64 = 100_000.0;
const RUNS: usize = 3;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lines: usize = std::env::var("INTAKE_JSONL_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500_000);
    let corpus = std::fs::read_to_string(root.join("tests/intake/corpus.txt")).expect("the corpus is readable");
    // The messages, one a line: line breaks inside a message become spaces.
    let messages: Vec<String> = corpus
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(" | "))
        .map(|(_, m)| m.replace("\\n", " "))
        .collect();
    let dir = tempfile::tempdir().expect("a temp dir");
    let input = dir.path().join("messages.txt");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    let mut bytes = 0;
    for m in messages.iter().cycle().take(lines) {
        writeln!(file, "{m}").unwrap();
        bytes += m.len() + 1;
    }
    file.flush().unwrap();
    drop(file);
    let best = (0..RUNS).map(|_| run(root, &input)).min().unwrap();
    let per_second = lines as f64 / best.as_secs_f64();
    println!(
        "intake explain --jsonl: {lines} lines ({:.0} bytes avg) in {:.3} s = {:.0} lines/s, {:.2}x the {:.0} lines/s target (best of {RUNS})",
        bytes as f64 / lines as f64,
        best.as_secs_f64(),
        per_second,
        per_second / TARGET_LINES_PER_SECOND,
        TARGET_LINES_PER_SECOND
    );
}

fn run(root: &Path, input: &Path) -> Duration {
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_intakebot"))
        .arg("--config")
        .arg(root.join("config"))
        .args(["intake", "explain", "--jsonl", "--lang", "no"])
        .stdin(std::fs::File::open(input).unwrap())
        .stdout(Stdio::null())
        .status()
        .expect("intakebot runs");
    let took = started.elapsed();
    assert!(status.success(), "intakebot exited {status}");
    took
}
