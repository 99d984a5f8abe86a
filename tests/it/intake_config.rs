//! Loading intake patterns: the shipped file builds, and bad patterns fail at start
//! with the key and the reason.

use intakebot::core::intake::{FaqFile, IntakePatterns, IntakePatternsFile};

fn build_err(edit: impl FnOnce(&mut IntakePatternsFile)) -> String {
    let mut file = crate::helpers::intake::patterns_file();
    edit(&mut file);
    IntakePatterns::build(file).unwrap_err().to_string()
}

#[test]
fn shipped_patterns_build_with_every_faq_topic_in_both_languages() {
    let p = crate::helpers::intake::patterns();
    assert!(p.len() > 100);
    assert_eq!(p.faq_topics().count(), 15);
}

#[test]
fn an_invalid_regex_names_its_key() {
    let err = build_err(|f| f.en.severity.push("sev (".into()));
    assert!(err.starts_with("intake.en.severity[2]: not a valid regex"), "{err}");
}

#[test]
fn word_boundaries_are_refused_because_the_loader_adds_them() {
    let err = build_err(|f| f.no.problem.insert(0, r"\bfeil\b".into()));
    assert!(err.starts_with("intake.no.problem[0]"), "{err}");
}

#[test]
fn a_severity_pattern_without_a_level_group_is_refused() {
    let err = build_err(|f| f.en.severity.push("sev [abc]".into()));
    assert!(err.contains("`level`"), "{err}");
}

#[test]
fn a_contact_pattern_without_a_user_group_is_refused() {
    let err = build_err(|f| f.no.on_call_contact.push("vakt <@[0-9]+>".into()));
    assert!(err.contains("`user`"), "{err}");
}

#[test]
fn a_pattern_matching_everything_is_refused() {
    let err = build_err(|f| f.en.impact.a.push("x*".into()));
    assert!(err.contains("matches empty text"), "{err}");
}

#[test]
fn an_faq_topic_missing_in_norwegian_is_refused() {
    let err = build_err(|f| {
        f.en.faq.push(FaqFile {
            topic: "new-topic".into(),
            patterns: vec!["new topic".into()],
            answer: "An answer.".into(),
        })
    });
    assert!(err.contains("new-topic") && err.contains("Norwegian"), "{err}");
}

#[test]
fn unknown_keys_in_the_table_are_refused() {
    let text = "[en]\nsevrity = ['sev a']\n";
    let parsed: Result<IntakePatternsFile, _> = toml::from_str(text);
    assert!(parsed.is_err());
    let text = "[en.exclusions.on-prem]\nclear = ['x']\n";
    let parsed: Result<IntakePatternsFile, _> = toml::from_str(text);
    assert!(parsed.is_err());
}

#[test]
fn a_short_stem_or_a_loose_window_is_refused_with_its_key() {
    let err = build_err(|f| f.no.pointers.billing.push("%sky%".into()));
    assert!(
        err.starts_with("intake.no.pointers.billing[") && err.contains("at least 4 letters"),
        "{err}"
    );
    let err = build_err(|f| f.en.problem.push("~2 down".into()));
    assert!(
        err.contains("intake.en.problem[") && err.contains("a word on each side"),
        "{err}"
    );
    let err = build_err(|f| f.en.problem.push("check ~20 code".into()));
    assert!(err.contains("~1 to ~9"), "{err}");
}

#[test]
fn word_lists_take_single_words_and_corrections_need_a_level() {
    let err = build_err(|f| f.no.negation.push("ikke noe".into()));
    assert!(err.starts_with("intake.no.negation["), "{err}");
    let err = build_err(|f| f.en.severity_correction.push("make it [abc]".into()));
    assert!(
        err.starts_with("intake.en.severity_correction[") && err.contains("`level`"),
        "{err}"
    );
}

#[test]
fn a_bad_pattern_in_policy_toml_names_the_file_and_its_key_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    for entry in std::fs::read_dir(&root).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let policy = std::fs::read_to_string(dir.path().join("policy.toml")).unwrap();
    let policy = policy.replacen("resolved = [\n", "resolved = [\n  '%fix%',\n", 1);
    std::fs::write(dir.path().join("policy.toml"), policy).unwrap();
    let err = intakebot::config::Config::load_with_env(dir.path(), Vec::<(String, String)>::new())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("policy.toml") && err.contains("intake.en.resolved[0]"),
        "{err}"
    );
    assert!(!err.contains("intake.intake"), "{err}");
}
