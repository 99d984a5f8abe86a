//! Every rule ID in docs/policy.md is named by at least one test, so no rule goes untested.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The test code of a file: all of a file under `tests/`, or what follows `#[cfg(test)]` in `src/`.
fn test_code(path: &Path, root: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    if path.starts_with(root.join("tests")) || path.ends_with("tests.rs") {
        return text;
    }
    match text.find("#[cfg(test)]") {
        Some(at) => text[at..].to_string(),
        None => String::new(),
    }
}

fn rule_ids(doc: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\*\*(P-[A-Z0-9]+-\d+)\*\*").unwrap();
    re.captures_iter(doc).map(|c| c[1].to_string()).collect()
}

#[test]
fn every_documented_rule_is_named_by_a_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ids = rule_ids(&std::fs::read_to_string(root.join("docs/policy.md")).unwrap());
    assert_eq!(
        ids.len(),
        31,
        "docs/policy.md should document all 31 rules, found {ids:?}"
    );
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("crates"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    let self_path = root.join("tests/it/rule_coverage.rs");
    let tests: String = files
        .iter()
        .filter(|f| **f != self_path)
        .map(|f| test_code(f, root))
        .collect();
    // A rule counts as tested when a test names it followed by a non-digit (P-N1-1 is not P-N1-10).
    let untested: Vec<&String> = ids
        .iter()
        .filter(|id| {
            let re = regex::Regex::new(&format!(r"{}\b", regex::escape(id))).unwrap();
            !re.is_match(&tests)
        })
        .collect();
    assert!(
        untested.is_empty(),
        "rules in docs/policy.md named by no test: {untested:?}"
    );
}

#[test]
fn docs_and_code_know_the_same_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ids = rule_ids(&std::fs::read_to_string(root.join("docs/policy.md")).unwrap());
    let code: Vec<&str> = intakebot::core::rules::RuleId::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(ids, code);
}
