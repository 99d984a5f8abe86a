//! The SQLite database's place on disk: its folder, created on first start, and the file itself,
//! created readable and writable by its owner only (0600 on Unix), since it holds customers'
//! problem texts. SQLite gives the `-wal` and `-shm` files it creates the mode of the database
//! file, so creating that one 0600 (before SQLite opens it) covers all three.

use crate::StoreError;
use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::Path;

/// Creates `file`'s folder and, if `file` does not exist, `file` (empty, owner-only). An
/// existing file keeps its mode: an operator may have chosen another.
pub(crate) fn create_private(file: &Path) -> Result<(), StoreError> {
    create_folder(file)?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(file) {
        // SQLite takes an empty file for a new database.
        Ok(_) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::CreateFile {
            path: file.display().to_string(),
            source,
        }),
    }
}

pub(crate) fn create_folder(file: &Path) -> Result<(), StoreError> {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateFolder {
                path: dir.display().to_string(),
                source,
            })
        }
        _ => Ok(()),
    }
}
