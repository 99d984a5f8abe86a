//! The SQLite database and its `-wal` and `-shm` files are created owner-only (0600), whatever
//! the umask. The check runs in a child (this test binary again) under umask 022, which would
//! leave them 0644 if the store left their modes to the umask; the child reports the modes it saw.

use crate::helpers::db::{request, seed};
use intakebot::store::Store;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

const CHILD_DIR: &str = "INTAKEBOT_FILES_CHILD_DIR";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The child: does nothing unless started by the test below.
#[test]
fn files_child() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return;
    };
    let file = Path::new(&dir).join("data/intakebot.db");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = Store::connect(&format!("sqlite://{}", file.display())).await.unwrap();
        let s = seed(&store, "contoso", 1).await;
        store.open_incident(&request(&s, "modes-1", s.pack.id)).await.unwrap();
        // The store is still open, so the WAL and the shared-memory index exist.
        let modes: Vec<String> = ["", "-wal", "-shm"]
            .iter()
            .map(|suffix| {
                let path = format!("{}{suffix}", file.display());
                format!("intakebot.db{suffix}={:o}", mode(Path::new(&path)))
            })
            .collect();
        println!("modes: {}", modes.join(" "));
        store.close().await;
    });
}

#[test]
fn database_wal_and_shm_are_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new("/bin/sh")
        .args(["-c", r#"umask 022 && exec "$0" "$@""#])
        .arg(std::env::current_exe().unwrap())
        .args(["store_files::files_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("modes: intakebot.db=600 intakebot.db-wal=600 intakebot.db-shm=600"),
        "{stdout}"
    );
}
