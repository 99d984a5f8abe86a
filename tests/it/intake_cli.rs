//! `intakebot intake explain`: the JSON shape operators rely on, the text form, the message
//! from stdin (`-`) and the `--jsonl` stream through the real binary.

use clap::Parser;
use intakebot::cli::intake::{run, Grammar, IntakeCommand};
use intakebot::cli::{Cli, Command};
use intakebot::core::policy::{Localized, Pointers, Policy, ScopeExclusion};
use serde_json::Value;
use std::collections::BTreeMap;

fn policy() -> Policy {
    Policy {
        severities: BTreeMap::new(),
        plans: BTreeMap::new(),
        exclusions: vec![ScopeExclusion {
            key: "on-site".into(),
            name: Localized {
                en: "on-site support".into(),
                no: "støtte på stedet".into(),
            },
        }],
        pointers: Pointers {
            billing: "https://account.microsoft.com".into(),
            tax_exemption: "https://example.test/tax".into(),
            signature_cloud: String::new(),
            pay_per_incident: String::new(),
            personal_account: String::new(),
        },
    }
}

fn explain(argv: &[&str]) -> String {
    let cli = Cli::try_parse_from(argv).expect("arguments parse");
    let Command::Intake { command } = cli.command else {
        panic!("not an intake command")
    };
    let mut out = Vec::new();
    let (patterns, catalog, policy) = (
        crate::helpers::intake::patterns(),
        crate::helpers::intake::catalog(),
        policy(),
    );
    let grammar = Grammar {
        patterns: &patterns,
        catalog: &catalog,
        policy: &policy,
    };
    run(&command, grammar, std::io::empty(), &mut out).expect("runs");
    String::from_utf8(out).expect("utf-8 output")
}

fn explain_json(text: &str, lang: &str) -> Value {
    let out = explain(&["intakebot", "intake", "explain", text, "--lang", lang, "--json"]);
    serde_json::from_str(&out).expect("one JSON object")
}

#[test]
fn json_has_the_documented_fields() {
    let v = explain_json("Sev A – our SQL Server 2019 cluster is down, production halted", "en");
    for key in [
        "kind",
        "severity",
        "severity_is_suggestion",
        "product",
        "version",
        "coverage",
        "exclusion",
        "missing",
        "split_hint",
        "matched",
    ] {
        assert!(v.get(key).is_some(), "missing {key} in {v}");
    }
    assert_eq!(v["kind"], "request");
    assert_eq!(v["severity"], "A");
    assert_eq!(v["severity_is_suggestion"], false);
    assert_eq!(v["product"], "sql-server");
    assert_eq!(v["version"], "2019");
    assert_eq!(v["missing"], serde_json::json!(["coverage"]));
    let patterns: Vec<&str> = v["matched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["pattern"].as_str().unwrap())
        .collect();
    assert!(patterns.contains(&"intake.en.severity[0]"), "{patterns:?}");
    assert_eq!(v["decided_by"], "request");
}

#[test]
fn json_marks_suggested_severity() {
    let v = explain_json("produksjonen er nede på SQL Server 2019", "no");
    assert_eq!(v["severity"], "A");
    assert_eq!(v["severity_is_suggestion"], true);
    assert_eq!(v["language"], "no");
}

// P-SCOPE-1, P-SCOPE-2
#[test]
fn p_scope_1_p_scope_2_json_names_exclusions_and_pointers() {
    let v = explain_json("can someone come on site?", "en");
    assert_eq!(
        (v["kind"].as_str(), v["exclusion"].as_str()),
        (Some("out_of_scope"), Some("on-site"))
    );
    let v = explain_json("question about my credit card invoice", "en");
    assert_eq!(v["kind"], "pointer");
    assert_eq!(v["pointer"], "billing");
    assert_eq!(v["pointer_url"], "https://account.microsoft.com");
}

#[test]
fn text_output_lists_the_matching_patterns() {
    let out = explain(&[
        "intakebot",
        "intake",
        "explain",
        "alvorlighetsgrad B: Exchange SE mottar ikke e-post",
        "--lang",
        "no",
    ]);
    assert!(out.contains("kind:     request"), "{out}");
    assert!(out.contains("decided by: request"), "{out}");
    assert!(out.contains("intake.no.severity[0]"), "{out}");
    assert!(out.contains("catalog:exchange-server"), "{out}");
}

#[test]
fn unknown_language_is_refused_by_the_parser() {
    assert!(Cli::try_parse_from(["intakebot", "intake", "explain", "x", "--lang", "de"]).is_err());
    let _ = IntakeCommand::Explain;
}

fn binary(args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_intakebot"))
        .arg("--config")
        .arg(config)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_reads_the_whole_message_from_stdin() {
    let out = binary(
        &["intake", "explain", "-", "--json"],
        "Sev B:\n1. SQL Server 2019 backups fail\n2. agent jobs hang".as_bytes(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["kind"].as_str(), v["severity"].as_str()),
        (Some("request"), Some("B"))
    );
    assert_eq!(v["split_hint"], true);
    let out = binary(&["intake", "explain", "-"], b"sev a \xff");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8"));
}

#[test]
fn jsonl_writes_one_object_per_line_and_an_error_object_for_a_bad_line() {
    let input = b"Sev A: SQL Server 2019 is down\nthanks!\r\nbad \xc3\x28 bytes\nHva er responstiden?\n\n";
    let out = binary(&["intake", "explain", "--jsonl", "--lang", "no"], input);
    assert_eq!(out.status.code(), Some(1), "a failed line makes the exit non-zero");
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    assert_eq!(lines.len(), 5);
    let kinds: Vec<&str> = lines.iter().map(|v| v["kind"].as_str().unwrap_or("-")).collect();
    assert_eq!(kinds, ["request", "not_for_us", "-", "question", "not_for_us"]);
    assert_eq!(lines[2]["line"], 3);
    assert!(lines[2]["error"].as_str().unwrap().contains("UTF-8"), "{}", lines[2]);
    assert_eq!(
        (lines[3]["line"].as_u64(), lines[3]["language"].as_str()),
        (Some(4), Some("no"))
    );
    let out = binary(&["intake", "explain", "--jsonl"], b"thanks!\n");
    assert!(out.status.success());
}

#[test]
fn to_bot_reads_an_addressed_message_as_not_understood() {
    let out = binary(&["intake", "explain", "--json", "--to-bot", "what can you do?"], b"");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["kind"].as_str(), v["decided_by"].as_str()),
        (Some("not_understood"), Some("addressed-not-understood"))
    );
    let out = binary(&["intake", "explain", "--json", "what can you do?"], b"");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "not_for_us");
}
