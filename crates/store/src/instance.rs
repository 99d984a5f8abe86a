//! One bot per SQLite file. A running bot holds an exclusive advisory lock (`flock`) on
//! `<database>.lock` beside the database, so a second bot on the same file is refused at start
//! instead of both sending every reminder and answering every event. PostgreSQL needs no such
//! lock: several instances share it by design.
//!
//! A lock file of its own, because closing any descriptor of the database file in a process
//! drops SQLite's own (POSIX) locks on it. The kernel releases the lock when its holder's
//! descriptor closes: when the `InstanceLock` is dropped or the process ends, SIGKILL included.

use crate::files::create_folder;
use crate::sqlite::{is_in_memory, parse_url};
use crate::StoreError;
use fs4::{FileExt, TryLockError};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// Held by a running bot for as long as it runs; dropping it releases the lock.
#[derive(Debug)]
pub struct InstanceLock {
    /// The open lock file (SQLite on a file), or nothing (PostgreSQL, in-memory SQLite).
    file: Option<File>,
}

impl InstanceLock {
    /// Takes the instance lock for the database at `url`, before `Store::connect`: on a SQLite
    /// file, `AlreadyRunning` (naming the file) if another process holds it; on PostgreSQL or an
    /// in-memory database, a lock that holds nothing.
    pub fn acquire(url: &str) -> Result<InstanceLock, StoreError> {
        if !url.starts_with("sqlite:") || is_in_memory(url) {
            return Ok(InstanceLock { file: None });
        }
        let options = parse_url(url)?;
        let database = options.get_filename();
        create_folder(database)?;
        let lock = lock_path(database);
        let failed = |source| StoreError::InstanceLock {
            path: lock.display().to_string(),
            source,
        };
        let file = open_private(&lock).map_err(failed)?;
        match FileExt::try_lock(&file) {
            Ok(()) => Ok(InstanceLock { file: Some(file) }),
            Err(TryLockError::WouldBlock) => Err(StoreError::AlreadyRunning {
                path: database.display().to_string(),
            }),
            Err(TryLockError::Error(e)) => Err(failed(e)),
        }
    }

    /// True when this lock holds a file (SQLite), false for a lock that holds nothing.
    pub fn is_held(&self) -> bool {
        self.file.is_some()
    }
}

/// `data/intakebot.db` → `data/intakebot.db.lock`.
fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Opens (creating, owner-only) the lock file; it is never written, only locked.
fn open_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_sits_beside_the_database() {
        assert_eq!(
            lock_path(Path::new("data/intakebot.db")),
            PathBuf::from("data/intakebot.db.lock")
        );
    }

    #[test]
    fn postgres_and_memory_need_no_lock() {
        for url in ["postgres://bot@db/x", "sqlite::memory:"] {
            assert!(!InstanceLock::acquire(url).unwrap().is_held(), "{url}");
        }
    }

    /// One process: a second lock on the same file is refused (flock locks are per open file,
    /// so this holds within a process too), and dropping the first frees it.
    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/data/intakebot.db", dir.path().display());
        let first = InstanceLock::acquire(&url).unwrap();
        assert!(first.is_held());
        let err = InstanceLock::acquire(&url).unwrap_err();
        let expected = format!(
            "another intakebot is already running on {}/data/intakebot.db; \
             SQLite serves one instance, use PostgreSQL for several",
            dir.path().display()
        );
        assert_eq!(err.to_string(), expected);
        drop(first);
        assert!(InstanceLock::acquire(&url).unwrap().is_held());
    }
}
