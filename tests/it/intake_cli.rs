//! `intakebot intake explain`: the JSON shape operators rely on, and the text form.

use clap::Parser;
use intakebot::cli::intake::{run, IntakeCommand};
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
    run(
        &command,
        &crate::helpers::intake::patterns(),
        &crate::helpers::intake::catalog(),
        &policy(),
        &mut out,
    )
    .expect("runs");
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
fn json_names_exclusions_and_pointers() {
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
    assert!(out.contains("intake.no.severity[0]"), "{out}");
    assert!(out.contains("catalog:exchange-server"), "{out}");
}

#[test]
fn unknown_language_is_refused_by_the_parser() {
    assert!(Cli::try_parse_from(["intakebot", "intake", "explain", "x", "--lang", "de"]).is_err());
    let _ = IntakeCommand::Explain;
}
