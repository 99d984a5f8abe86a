//! The decision: which of the five outcomes a message is, in a fixed order.
//!
//! 1. A thread reply, an empty message or pure small talk is not for us.
//! 2. A clear P-SCOPE-1 exclusion refuses, unless the message also declares a
//!    severity and names a product: then it is a real incident with an excluded
//!    ask, opened with the exclusion as a flag for the engineer.
//! 3. Billing or tax exemption without a declared severity points to the page.
//! 4. An FAQ question without a product or problem words gets the answer.
//! 5. Anything with a severity, impact or problem word, product, coverage or
//!    on-call contact is a request; the rest is not for us.

use super::draft::{IncidentDraft, SeverityFinding};
use super::normalize::{clean_statement, normalize};
use super::signals::Signals;
use super::types::{Interpretation, MatchExplanation, MatchGroup, NotForUsReason, Reading};
use super::IntakeContext;
use crate::severity::Severity;

/// This many list items ("- …", "1. …") hint at several problems (P-INC-1).
const LIST_ITEMS_FOR_SPLIT: usize = 2;

/// `explain`: also list the patterns that matched and their text (see [`super::explain`]).
pub(crate) fn interpret(text: &str, ctx: &IntakeContext<'_>, explain: bool) -> Reading {
    let normalized = normalize(text);
    let active = normalized.text.trim();
    let mut reading = Reading {
        interpretation: Interpretation::NotForUs(NotForUsReason::ThreadReply),
        language: ctx.language_hint,
        matched: Vec::new(),
        truncated: normalized.truncated,
    };
    if ctx.in_incident_thread {
        return reading;
    }
    if active.is_empty() {
        reading.interpretation = Interpretation::NotForUs(NotForUsReason::Empty);
        return reading;
    }
    // About one token per five bytes of chat text: sized once instead of grown.
    let mut words: Vec<&str> = Vec::with_capacity(active.len() / 5 + 4);
    words.extend(super::product::tokens(active));
    let mut signals = Signals::collect(ctx.patterns, active, &words, explain);
    reading.language = signals.language(active, ctx.language_hint);
    let product = ctx.products.find_in_words(&words);
    if let Some(p) = product.as_ref().filter(|_| explain) {
        signals.matched.push(MatchExplanation {
            group: MatchGroup::Product,
            pattern: format!("catalog:{}", p.product_key),
            text: p.product_text.clone(),
        });
        if let (Some(v), Some(t)) = (&p.version, &p.version_text) {
            signals.matched.push(MatchExplanation {
                group: MatchGroup::Version,
                pattern: format!("catalog:{}:{v}", p.product_key),
                text: t.clone(),
            });
        }
    }
    reading.interpretation = decide(&signals, product.as_ref(), active, text, ctx, reading.language);
    reading.matched = signals.matched;
    reading
}

fn decide(
    s: &Signals,
    product: Option<&super::product::ProductMatch>,
    active: &str,
    original: &str,
    ctx: &IntakeContext<'_>,
    language: super::types::Language,
) -> Interpretation {
    let declared = !s.explicit.is_empty();
    let request_signal = declared
        || s.problem
        || !s.impact.is_empty()
        || product.is_some()
        || !s.coverage.is_empty()
        || s.contact.is_some();
    if s.small_talk && !request_signal && s.clear_exclusion.is_none() && s.pointer.is_none() && s.faq.is_none() {
        return Interpretation::NotForUs(NotForUsReason::SmallTalk);
    }
    let mut borderline = s.borderline_exclusion;
    if let Some(key) = s.clear_exclusion {
        if !(declared && product.is_some()) {
            return Interpretation::OutOfScope(key);
        }
        borderline = Some(key);
    }
    if let Some(kind) = s.pointer {
        if !declared {
            return Interpretation::Pointer(kind);
        }
    }
    if let Some(topic) = s.faq.and_then(|t| ctx.patterns.faq.get(t)) {
        if product.is_none() && !s.problem {
            return Interpretation::Question {
                topic: topic.topic.clone(),
                answer: topic.answers[language.index()].clone(),
            };
        }
    }
    if !request_signal {
        return Interpretation::NotForUs(NotForUsReason::NoSignal);
    }
    let draft = IncidentDraft {
        severity: severity_finding(s),
        product: product.map(|p| p.product_key.clone()),
        version: product.and_then(|p| p.version.clone()),
        coverage: match s.coverage.as_slice() {
            [one] => Some(*one),
            _ => None,
        },
        on_call_contact: s.contact,
        problem: clean_statement(original),
        missing: Vec::new(),
        split_hint: s.split || list_items(active) >= LIST_ITEMS_FOR_SPLIT,
        borderline_exclusion: borderline,
        language,
    };
    Interpretation::Request(draft.with_missing(product.is_some_and(|p| p.single_version)))
}

/// Explicit beats impact words; two explicit severities are a conflict (ask, don't
/// guess); impact words only suggest, the most severe one first.
fn severity_finding(s: &Signals) -> Option<SeverityFinding> {
    match s.explicit.as_slice() {
        [one] => return Some(SeverityFinding::Explicit(*one)),
        [] => {}
        several => {
            let mut all = several.to_vec();
            all.sort();
            return Some(SeverityFinding::Conflicting(all));
        }
    }
    let best = s
        .impact
        .iter()
        .min_by_key(|i| (severity_rank(i.severity), i.span.start))?;
    Some(SeverityFinding::Suggested {
        severity: best.severity,
        word: best.text.clone(),
    })
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::A => 0,
        Severity::B => 1,
        Severity::C => 2,
    }
}

/// Lines that start like a list item: "- x", "* x", "1. x", "2) x".
fn list_items(text: &str) -> usize {
    text.lines()
        .filter(|line| {
            let l = line.trim_start();
            let digits = l.bytes().take_while(u8::is_ascii_digit).count();
            let rest = &l[digits..];
            let marker = if digits > 0 {
                rest.starts_with(". ") || rest.starts_with(") ")
            } else {
                l.starts_with("- ") || l.starts_with("* ")
            };
            marker && rest.len() > 2
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    // P-INC-1: two or more list items hint at several problems.
    #[test]
    fn list_items_count_dashes_stars_and_numbers() {
        assert_eq!(
            list_items("problems:\n- backups fail\n* jobs hang\n1. slow\n2) wrong"),
            4
        );
        assert_eq!(list_items("-5 degrees\n1.5 seconds\n- "), 0);
    }
}
