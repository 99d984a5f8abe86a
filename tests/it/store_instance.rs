//! One bot per SQLite file, across real processes: a child (this test binary again) takes the
//! instance lock and says so; this process is then refused with an error naming the file; the
//! lock is free again once the child is killed (SIGKILL) or has exited on its own.

use intakebot::store::{InstanceLock, StoreError};
use std::io::{BufRead, BufReader, Lines};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

const CHILD_URL: &str = "INTAKEBOT_INSTANCE_CHILD_URL";
/// What the child prints once it holds the lock (libtest may print on the same line).
const LOCKED: &str = "instance lock held";

/// The child: takes the lock, says so, and holds it until its stdin closes.
#[test]
fn holder_child() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    let lock = InstanceLock::acquire(&url).unwrap();
    println!("{LOCKED}");
    let mut rest = String::new();
    while std::io::stdin().read_line(&mut rest).unwrap_or(0) > 0 {}
    drop(lock);
}

struct Holder {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Kept open: the child's last lines would fail on a closed pipe.
    _stdout: Lines<BufReader<ChildStdout>>,
}

/// A child process holding the lock on `url` (returns once it said so).
fn holder(url: &str) -> Holder {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "store_instance::holder_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_URL, url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let said = lines.find(|l| l.as_deref().map_or(true, |l| l.contains(LOCKED)));
    assert!(matches!(said, Some(Ok(_))), "the child never took the lock: {said:?}");
    let stdin = child.stdin.take();
    Holder {
        child,
        stdin,
        _stdout: lines,
    }
}

fn assert_refused(url: &str, file: &str) {
    let err = InstanceLock::acquire(url).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyRunning { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "another intakebot is already running on {file}; SQLite serves one instance, use PostgreSQL for several"
        )
    );
}

#[test]
fn a_second_process_is_refused_until_the_holder_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let file = format!("{}/data/intakebot.db", dir.path().display());
    let url = format!("sqlite://{file}");

    let mut killed = holder(&url);
    assert_refused(&url, &file);
    killed.child.kill().unwrap(); // SIGKILL: no destructor runs, the kernel frees the lock.
    killed.child.wait().unwrap();
    drop(InstanceLock::acquire(&url).expect("free after SIGKILL"));

    let mut leaving = holder(&url);
    assert_refused(&url, &file);
    drop(leaving.stdin.take());
    assert!(leaving.child.wait().unwrap().success());
    let mine = InstanceLock::acquire(&url).expect("free after a normal exit");
    assert!(mine.is_held());
}
