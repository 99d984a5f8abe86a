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
    assert!(err.starts_with("intake.en.severity[1]: not a valid regex"), "{err}");
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
