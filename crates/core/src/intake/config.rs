//! The `[intake]` table of `policy.toml` (patterns per language) and its compiled form.
//!
//! Every pattern is a regular expression (regex crate syntax) matched against the
//! normalised text (lower case, NFKC, quotes blanked) as whole words: `build` wraps
//! it in word boundaries, so `\b` is neither needed nor allowed. Two shorthands
//! (see [`super::pattern`]): `~N` between two words allows up to N words between them,
//! `%` next to a stem of four or more letters matches the rest of a compound word.
//! Explicit severity and correction patterns capture the letter in a group named `level`;
//! on-call contact patterns capture the Discord user id in a group named `user`.

use super::types::{ExclusionKey, Language, PointerKind};
use crate::severity::{Coverage, Severity};
use regex::{Regex, RegexSet, RegexSetBuilder};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

const SIZE_LIMIT: usize = 64 << 20;

/// The `[intake]` table of `policy.toml` as written (patterns per language).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakePatternsFile {
    pub en: LanguagePatternsFile,
    pub no: LanguagePatternsFile,
}

/// `[intake.en]` or `[intake.no]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguagePatternsFile {
    /// Common words of the language, used to tell which language a message is in.
    #[serde(default)]
    pub markers: Vec<String>,
    /// Words that negate what stands beside them ("not", "ikke"): a severity or impact word
    /// with one among the two words before it (or, for impact, the word after) does not count.
    #[serde(default)]
    pub negation: Vec<String>,
    /// Words that open a question when they come first ("how", "hvorfor"); a `?` anywhere
    /// also makes the message a question.
    #[serde(default)]
    pub question_words: Vec<String>,
    /// Whole-message greetings and thanks (anchor them with `^…$`).
    #[serde(default)]
    pub small_talk: Vec<String>,
    /// Words that say something is wrong ("error", "fungerer ikke").
    #[serde(default)]
    pub problem: Vec<String>,
    /// Phrases that join several problems ("and also").
    #[serde(default)]
    pub split: Vec<String>,
    /// The customer's own systems ("server", "fakturasystemet"): a problem with one is an
    /// incident even when the message also holds billing or tax words ("our invoicing server
    /// is down").
    #[serde(default)]
    pub systems: Vec<String>,
    /// Explicit severity, with a `level` group capturing a, b or c.
    #[serde(default)]
    pub severity: Vec<String>,
    /// A severity that replaces every one declared before it ("make it C"), `level` group.
    #[serde(default)]
    pub severity_correction: Vec<String>,
    /// Words saying the problem is gone ("works again", "fungerer igjen").
    #[serde(default)]
    pub resolved: Vec<String>,
    #[serde(default)]
    pub impact: ImpactFile,
    #[serde(default)]
    pub coverage: CoverageFile,
    /// With a `user` group capturing the Discord user id.
    #[serde(default)]
    pub on_call_contact: Vec<String>,
    #[serde(default)]
    pub exclusions: BTreeMap<ExclusionKey, ExclusionFile>,
    #[serde(default)]
    pub pointers: PointersFile,
    #[serde(default)]
    pub faq: Vec<FaqFile>,
}

/// Impact words per severity: a suggestion the user confirms, never a decision.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactFile {
    #[serde(default)]
    pub a: Vec<String>,
    #[serde(default)]
    pub b: Vec<String>,
    #[serde(default)]
    pub c: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageFile {
    #[serde(default)]
    pub around_the_clock: Vec<String>,
    #[serde(default)]
    pub business_hours: Vec<String>,
}

/// One P-SCOPE-1 exclusion: clear matches refuse, borderline ones flag.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionFile {
    #[serde(default)]
    pub clear: Vec<String>,
    #[serde(default)]
    pub borderline: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointersFile {
    #[serde(default)]
    pub billing: Vec<String>,
    #[serde(default)]
    pub tax_exemption: Vec<String>,
}

/// One FAQ entry; every topic must exist in every language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaqFile {
    pub topic: String,
    pub patterns: Vec<String>,
    pub answer: String,
}

/// A load-time problem with an intake pattern: the key and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {reason}")]
pub struct PatternError {
    pub key: String,
    pub reason: String,
}

impl PatternError {
    fn new(key: &str, reason: impl Into<String>) -> PatternError {
        PatternError {
            key: key.to_string(),
            reason: reason.into(),
        }
    }
}

/// What a compiled pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    SmallTalk,
    Problem,
    Split,
    System,
    Severity,
    Correction,
    Resolved,
    Impact(Severity),
    Coverage(Coverage),
    Contact,
    Exclusion(ExclusionKey, bool),
    Pointer(PointerKind),
    Faq(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub regex: Regex,
    pub signal: Signal,
    /// Where it came from, e.g. `intake.en.severity[0]`.
    pub key: String,
}

/// One FAQ topic with its answer in each language.
#[derive(Debug, Clone)]
pub(crate) struct FaqTopic {
    pub topic: String,
    pub answers: [String; 2],
}

/// Compiled intake patterns: one regex set to see which patterns match, and each
/// pattern alone to say where.
#[derive(Debug, Clone)]
pub struct IntakePatterns {
    pub(crate) set: RegexSet,
    pub(crate) entries: Vec<Entry>,
    pub(crate) faq: Vec<FaqTopic>,
    /// Marker words, each with the languages it marks (English, Norwegian): one lookup per
    /// token, cheaper than patterns.
    pub(crate) markers: FxHashMap<String, [bool; 2]>,
    /// Negation words of every language.
    pub(crate) negations: FxHashSet<String>,
    /// Question words of every language.
    pub(crate) question_words: FxHashSet<String>,
}

impl Default for IntakePatterns {
    fn default() -> Self {
        IntakePatterns {
            set: RegexSet::empty(),
            entries: Vec::new(),
            faq: Vec::new(),
            markers: Default::default(),
            negations: Default::default(),
            question_words: Default::default(),
        }
    }
}

impl IntakePatterns {
    pub fn build(file: IntakePatternsFile) -> Result<IntakePatterns, PatternError> {
        let faq = faq_topics(&file)?;
        let mut entries = Vec::new();
        for (language, lang_file) in [(Language::En, &file.en), (Language::No, &file.no)] {
            let mut b = Builder {
                prefix: format!("intake.{language}"),
                entries: &mut entries,
            };
            b.language_entries(lang_file, &faq)?;
        }
        // Each entry holds the wrapped pattern; the set compiles the same texts.
        let set = RegexSetBuilder::new(entries.iter().map(|e| e.regex.as_str()))
            .size_limit(SIZE_LIMIT)
            .dfa_size_limit(SIZE_LIMIT)
            .build()
            .map_err(|e| PatternError::new("intake", format!("pattern set: {e}")))?;
        let mut markers: FxHashMap<String, [bool; 2]> = Default::default();
        for (language, f) in [&file.en, &file.no].into_iter().enumerate() {
            for word in &f.markers {
                markers.entry(word.trim().to_lowercase()).or_default()[language] = true;
            }
        }
        Ok(IntakePatterns {
            set,
            entries,
            faq,
            markers,
            negations: word_list(&file, "negation", |f| &f.negation)?,
            question_words: word_list(&file, "question_words", |f| &f.question_words)?,
        })
    }

    /// The FAQ topics known, in config order.
    pub fn faq_topics(&self) -> impl Iterator<Item = &str> {
        self.faq.iter().map(|t| t.topic.as_str())
    }

    /// How many patterns are compiled (all languages).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

struct Builder<'a> {
    prefix: String,
    entries: &'a mut Vec<Entry>,
}

impl Builder<'_> {
    fn language_entries(&mut self, f: &LanguagePatternsFile, faq: &[FaqTopic]) -> Result<(), PatternError> {
        self.add("small_talk", &f.small_talk, Signal::SmallTalk)?;
        self.add("problem", &f.problem, Signal::Problem)?;
        self.add("split", &f.split, Signal::Split)?;
        self.add("systems", &f.systems, Signal::System)?;
        self.add("severity", &f.severity, Signal::Severity)?;
        self.add("severity_correction", &f.severity_correction, Signal::Correction)?;
        self.add("resolved", &f.resolved, Signal::Resolved)?;
        self.add("impact.a", &f.impact.a, Signal::Impact(Severity::A))?;
        self.add("impact.b", &f.impact.b, Signal::Impact(Severity::B))?;
        self.add("impact.c", &f.impact.c, Signal::Impact(Severity::C))?;
        let cov = &f.coverage;
        self.add(
            "coverage.around_the_clock",
            &cov.around_the_clock,
            Signal::Coverage(Coverage::TwentyFourSeven),
        )?;
        self.add(
            "coverage.business_hours",
            &cov.business_hours,
            Signal::Coverage(Coverage::BusinessHours),
        )?;
        self.add("on_call_contact", &f.on_call_contact, Signal::Contact)?;
        for (key, ex) in &f.exclusions {
            self.add(
                &format!("exclusions.{key}.clear"),
                &ex.clear,
                Signal::Exclusion(*key, true),
            )?;
            self.add(
                &format!("exclusions.{key}.borderline"),
                &ex.borderline,
                Signal::Exclusion(*key, false),
            )?;
        }
        self.add(
            "pointers.billing",
            &f.pointers.billing,
            Signal::Pointer(PointerKind::Billing),
        )?;
        self.add(
            "pointers.tax_exemption",
            &f.pointers.tax_exemption,
            Signal::Pointer(PointerKind::TaxExemption),
        )?;
        for (i, entry) in f.faq.iter().enumerate() {
            let topic = faq.iter().position(|t| t.topic == entry.topic).unwrap_or(usize::MAX);
            self.add(&format!("faq[{i}].patterns"), &entry.patterns, Signal::Faq(topic))?;
        }
        Ok(())
    }

    fn add(&mut self, group: &str, patterns: &[String], signal: Signal) -> Result<(), PatternError> {
        for (i, pattern) in patterns.iter().enumerate() {
            let key = format!("{}.{group}[{i}]", self.prefix);
            let regex = compile(&key, pattern, signal)?;
            self.entries.push(Entry { regex, signal, key });
        }
        Ok(())
    }
}

fn compile(key: &str, pattern: &str, signal: Signal) -> Result<Regex, PatternError> {
    let group = match signal {
        Signal::Severity | Signal::Correction => Some("level"),
        Signal::Contact => Some("user"),
        _ => None,
    };
    super::pattern::compile(key, pattern, group).map_err(|(key, reason)| PatternError { key, reason })
}

/// A word list of both languages as one set; a word must be one token of letters (and `'`).
fn word_list(
    file: &IntakePatternsFile,
    name: &str,
    field: impl Fn(&LanguagePatternsFile) -> &Vec<String>,
) -> Result<FxHashSet<String>, PatternError> {
    let mut set = FxHashSet::default();
    for (lang, f) in [(Language::En, &file.en), (Language::No, &file.no)] {
        for (i, word) in field(f).iter().enumerate() {
            let word = word.trim().to_lowercase();
            if word.is_empty() || !word.chars().all(|c| c.is_alphanumeric() || c == '\'') {
                return Err(PatternError::new(
                    &format!("intake.{lang}.{name}[{i}]"),
                    format!("{word:?} must be one word (letters, digits and ')"),
                ));
            }
            set.insert(word);
        }
    }
    Ok(set)
}

/// The FAQ topics in English config order; each must exist once in every language.
fn faq_topics(file: &IntakePatternsFile) -> Result<Vec<FaqTopic>, PatternError> {
    let mut topics: Vec<FaqTopic> = Vec::new();
    for (lang, f) in [(Language::En, &file.en), (Language::No, &file.no)] {
        let mut seen = BTreeSet::new();
        for (i, entry) in f.faq.iter().enumerate() {
            let key = format!("intake.{lang}.faq[{i}]");
            let valid = !entry.topic.is_empty()
                && entry
                    .topic
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !valid {
                return Err(PatternError::new(
                    &key,
                    format!("topic {:?} must be kebab-case", entry.topic),
                ));
            }
            if !seen.insert(entry.topic.as_str()) {
                return Err(PatternError::new(
                    &key,
                    format!("topic {:?} appears twice", entry.topic),
                ));
            }
            if entry.answer.trim().is_empty() || entry.patterns.is_empty() {
                return Err(PatternError::new(&key, "needs an answer and at least one pattern"));
            }
            match topics.iter_mut().find(|t| t.topic == entry.topic) {
                Some(t) => t.answers[lang.index()] = entry.answer.trim().to_string(),
                None if lang == Language::En => {
                    let mut answers = [String::new(), String::new()];
                    answers[lang.index()] = entry.answer.trim().to_string();
                    topics.push(FaqTopic {
                        topic: entry.topic.clone(),
                        answers,
                    });
                }
                None => {
                    return Err(PatternError::new(
                        &key,
                        format!("topic {:?} has no English entry", entry.topic),
                    ))
                }
            }
        }
    }
    if let Some(t) = topics.iter().find(|t| t.answers.iter().any(String::is_empty)) {
        return Err(PatternError::new(
            "intake.no.faq",
            format!("topic {:?} has no Norwegian entry", t.topic),
        ));
    }
    Ok(topics)
}
