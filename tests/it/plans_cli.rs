//! `intakebot plans` on the shipped catalog: each lifecycle phase, N-1, cloud and sign-in.

use intakebot::cli::plans::{run, PlansArgs};
use intakebot::config::Config;
use intakebot::core::plan::SignInKind;
use serde_json::Value;
use std::path::Path;

fn plans(product: &str, version: &str, at: &str, sign_in: SignInKind) -> Value {
    let config = Config::load_with_env(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("config"),
        std::iter::empty(),
    )
    .unwrap();
    let args = PlansArgs {
        product: product.into(),
        version: version.into(),
        at: Some(at.parse().unwrap()),
        sign_in,
        json: true,
    };
    let mut out = Vec::new();
    run(&args, &config, chrono::Utc::now(), &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn available(v: &Value) -> Vec<String> {
    v["available"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["plan"].as_str().unwrap().to_string())
        .collect()
}

fn rules_of(v: &Value, plan: &str) -> Vec<String> {
    let entry = v["unavailable"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["plan"] == plan)
        .unwrap_or_else(|| panic!("{plan} not unavailable"));
    assert_eq!(
        entry["message"],
        "Support plan cannot be used for support on the specified product"
    );
    entry["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

const TODAY: &str = "2026-11-23T12:00:00Z";

// P-N1-2: the current version (SQL Server 2025) is covered by partner packs.
#[test]
fn current_version_in_mainstream() {
    let v = plans("SQL Server", "2025", TODAY, SignInKind::Work);
    assert_eq!(v["phase"], "mainstream");
    assert!(available(&v).contains(&"partner-gold-20".to_string()));
}

// P-N1-2: the previous version in mainstream (SQL Server 2022) is covered.
#[test]
fn previous_version_in_mainstream() {
    let v = plans("sql", "2022", TODAY, SignInKind::Work);
    assert_eq!(v["phase"], "mainstream");
    assert!(available(&v).contains(&"partner-silver-15".to_string()));
}

// P-N1-2 and P-LIFE-3: the previous version out of mainstream (Windows Server 2022) is not.
#[test]
fn previous_version_out_of_mainstream() {
    let v = plans("windows server", "2022", TODAY, SignInKind::Work);
    assert_eq!(v["phase"], "extended");
    let rules = rules_of(&v, "partner-gold-20");
    assert!(
        rules.contains(&"P-N1-2".to_string()) && rules.contains(&"P-LIFE-3".to_string()),
        "{rules:?}"
    );
    assert!(available(&v).contains(&"five-pack".to_string()));
}

// P-N1-2: N-2 (SQL Server 2019) is not covered by partner packs; P-LIFE-2 paid support still is.
#[test]
fn n_minus_two_in_extended() {
    let v = plans("SQL Server", "2019", TODAY, SignInKind::Personal);
    assert_eq!(v["phase"], "extended");
    assert!(rules_of(&v, "partner-maps-10").contains(&"P-N1-2".to_string()));
    assert!(available(&v).contains(&"pay-per-incident".to_string()));
}

// P-LIFE-4: out of lifecycle (Exchange Server 2019 after 2025-10-14) gets nothing.
#[test]
fn out_of_lifecycle() {
    let v = plans("exchange", "2019", TODAY, SignInKind::Personal);
    assert_eq!(v["phase"], "out");
    assert!(available(&v).is_empty());
    assert!(rules_of(&v, "signature").contains(&"P-LIFE-4".to_string()));
}

// P-CLOUD-1: a cloud product is served by Signature Cloud only, with a pointer to it.
#[test]
fn cloud_product() {
    let v = plans("Exchange Online", "current", TODAY, SignInKind::Work);
    assert_eq!(available(&v), vec!["signature-cloud".to_string()]);
    assert!(rules_of(&v, "partner-gold-20").contains(&"P-CLOUD-1".to_string()));
}

// P-PLAN-5: pay per incident with a work sign-in is unavailable; with a personal one it is offered.
#[test]
fn sign_in_rule() {
    let work = plans("SQL Server", "2022", TODAY, SignInKind::Work);
    assert_eq!(
        rules_of(&work, "pay-per-incident"),
        vec!["P-N1-3".to_string(), "P-PLAN-5".to_string()]
    );
    let personal = plans("SQL Server", "2022", TODAY, SignInKind::Personal);
    assert!(available(&personal).contains(&"pay-per-incident".to_string()));
}
