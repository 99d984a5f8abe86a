//! Every command line in the README's shell blocks runs, so none goes stale. `cargo run
//! --release --` is replaced by the binary under test; `cargo test` is what CI itself runs, and
//! `run` (which needs a token and Discord) is exercised by `tests/ops_run.rs`.

use std::path::Path;
use std::process::Command;

fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut in_shell = false;
    let mut lines = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_shell = line.trim() == "```sh";
            continue;
        }
        if in_shell {
            let command = line.split("  #").next().unwrap_or_default().trim();
            if !command.is_empty() {
                lines.push(command.to_string());
            }
        }
    }
    lines
}

#[test]
fn every_readme_command_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = env!("CARGO_BIN_EXE_intakebot");
    let commands = readme_commands();
    assert!(
        commands.iter().any(|c| c.contains("-- console")),
        "the first screen names the console: {commands:?}"
    );
    assert!(
        commands.iter().any(|c| c == "cargo test"),
        "the first screen names the tests: {commands:?}"
    );
    let mut ran = 0;
    for command in &commands {
        if command == "cargo test" || command.contains("-- run") {
            continue;
        }
        assert!(
            command.contains("cargo run --release --"),
            "an unchecked README command: {command}"
        );
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(root.join("docs"), dir.path().join("docs")).unwrap();
        let line = command.replace("cargo run --release --", binary);
        let out = Command::new("sh")
            .arg("-c")
            .arg(if line.contains('|') || line.contains('<') {
                line.clone()
            } else {
                format!("{line} < /dev/null")
            })
            .current_dir(dir.path())
            .env("INTAKEBOT_CONFIG", root.join("config"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "README command failed: {command}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "README command printed nothing: {command}");
        ran += 1;
    }
    assert!(ran >= 6, "only {ran} README commands ran");
}
