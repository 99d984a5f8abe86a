//! The decision: which outcome a message is, by precedence rules tried in a fixed order; the
//! first that applies decides and is named in the reading ([`Rule`]).
//!
//! 1. A thread reply or an empty message is not for us.
//! 2. A clear P-SCOPE-1 exclusion refuses, unless the message also declares a severity and
//!    names a product: then it is a real incident with an excluded ask, flagged for the engineer.
//! 3. Words saying the problem is gone, with no declared severity and no problem named after
//!    them, are a thank-you: not a new case.
//! 4. Pure small talk is not for us.
//! 5. Billing or tax exemption (paying, invoices, cards, prices) points to the page, unless the
//!    message reports an incident that only mentions money: a declared severity, or a problem
//!    with a product or one of the customer's systems ("our invoicing server is down").
//! 6. An FAQ topic answers unless the message declares a severity together with a product or
//!    problem, or states (not asks) a problem with a product.
//! 7. Anything with a severity, impact or problem word, a product with its version, coverage
//!    or an on-call contact is a request.
//! 8. Addressed to the bot, the rest is not understood (the app says how to ask); otherwise it
//!    is chatter.

use super::config::IntakePatterns;
use super::draft::{IncidentDraft, SeverityFinding};
use super::normalize::{clean_statement, normalize};
use super::product::ProductMatch;
use super::signals::Signals;
use super::types::{
    Interpretation, Language, MatchExplanation, MatchGroup, NotForUsReason, PointerKind, Reading, Rule,
};
use super::IntakeContext;
use crate::severity::Severity;

/// This many list items that each name a problem ("1. backups fail") hint at several problems.
const LIST_ITEMS_FOR_SPLIT: usize = 2;

/// `explain`: also list the patterns that matched and their text (see [`super::explain`]).
pub(crate) fn interpret(text: &str, ctx: &IntakeContext<'_>, explain: bool) -> Reading {
    let normalized = normalize(text);
    let active = normalized.text.trim();
    let mut reading = Reading {
        interpretation: Interpretation::NotForUs(NotForUsReason::ThreadReply),
        decided_by: Rule::ThreadReply,
        language: ctx.language_hint,
        matched: Vec::new(),
        truncated: normalized.truncated,
    };
    if ctx.in_incident_thread {
        return reading;
    }
    if active.is_empty() {
        reading.interpretation = Interpretation::NotForUs(NotForUsReason::Empty);
        reading.decided_by = Rule::Empty;
        return reading;
    }
    // About one token per five bytes of chat text: sized once instead of grown.
    let mut words: Vec<&str> = Vec::with_capacity(active.len() / 5 + 4);
    words.extend(super::product::tokens(active));
    let mut signals = Signals::collect(ctx.patterns, active, &words, explain);
    reading.language = signals.language(active, ctx.language_hint);
    let product = ctx.products.find_in_words(&words);
    if let Some(p) = product.as_ref().filter(|_| explain) {
        explain_product(&mut signals, p);
    }
    let facts = Facts {
        s: &signals,
        product: product.as_ref(),
        active,
        original: text,
        ctx,
        language: reading.language,
    };
    (reading.interpretation, reading.decided_by) = facts.decide();
    reading.matched = signals.matched;
    reading
}

fn explain_product(signals: &mut Signals, p: &ProductMatch) {
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

/// What one message holds, for the precedence rules.
struct Facts<'a> {
    s: &'a Signals,
    product: Option<&'a ProductMatch>,
    active: &'a str,
    original: &'a str,
    ctx: &'a IntakeContext<'a>,
    language: Language,
}

impl Facts<'_> {
    fn decide(&self) -> (Interpretation, Rule) {
        let s = self.s;
        let declared = !s.explicit.is_empty();
        if let Some(key) = s.clear_exclusion.filter(|_| !(declared && self.product.is_some())) {
            return (Interpretation::OutOfScope(key), Rule::ClearExclusion);
        }
        if self.problem_gone(declared) {
            return (Interpretation::NotForUs(NotForUsReason::ProblemGone), Rule::ProblemGone);
        }
        let request_signal = self.request_signal(declared);
        if s.small_talk && !request_signal && s.pointer.is_none() && s.faq.is_none() {
            return (Interpretation::NotForUs(NotForUsReason::SmallTalk), Rule::SmallTalk);
        }
        if let Some(kind) = self.pointer(declared) {
            return (Interpretation::Pointer(kind), Rule::Pointer);
        }
        if let Some(question) = self.faq_answer(declared) {
            return (question, Rule::FaqQuestion);
        }
        if request_signal {
            return (Interpretation::Request(self.draft()), Rule::Request);
        }
        if self.ctx.addressed_to_bot {
            return (Interpretation::NotUnderstood, Rule::AddressedNotUnderstood);
        }
        (Interpretation::NotForUs(NotForUsReason::NoSignal), Rule::NoSignal)
    }

    /// The billing or tax-exemption page, unless the message reports an incident that merely
    /// mentions money: a declared severity, or a problem or impact word together with a product
    /// or one of the customer's systems ("the payment service on our web shop throws errors").
    fn pointer(&self, declared: bool) -> Option<PointerKind> {
        let s = self.s;
        let problem = s.problem || !s.impact.is_empty();
        let incident = declared || (problem && (s.system || self.product.is_some()));
        s.pointer.filter(|_| !incident)
    }

    fn request_signal(&self, declared: bool) -> bool {
        let s = self.s;
        // A product named without a version is not enough ("out of office next week").
        let product = self.product.is_some_and(|p| p.version_text.is_some());
        declared || s.problem || !s.impact.is_empty() || product || !s.coverage.is_empty() || s.contact.is_some()
    }

    /// "Works again, thanks": not negated, not a question, no severity declared, and no
    /// problem or impact word after it ("fixed, but now the queue is stuck" is a new problem).
    fn problem_gone(&self, declared: bool) -> bool {
        let Some(end) = self.s.resolved_end.filter(|_| !declared) else {
            return false;
        };
        // "When is a problem considered solved?" asks; it does not report.
        if is_question(self.ctx.patterns, self.active) {
            return false;
        }
        let rest = &self.active[end..];
        !self
            .s
            .problem_entries
            .iter()
            .any(|&i| self.ctx.patterns.entries[i].regex.is_match(rest))
    }

    /// The FAQ answer, unless the message is a request that merely mentions the topic: a
    /// declared severity with a product or problem, or a stated (not asked) problem with a product.
    fn faq_answer(&self, declared: bool) -> Option<Interpretation> {
        let s = self.s;
        let topic = s.faq.and_then(|t| self.ctx.patterns.faq.get(t))?;
        let problem = s.problem || !s.impact.is_empty();
        let product = self.product.is_some();
        let declared_request = declared && (product || problem);
        let stated_request = product && problem && !is_question(self.ctx.patterns, self.active);
        (!declared_request && !stated_request).then(|| Interpretation::Question {
            topic: topic.topic.clone(),
            answer: topic.answers[self.language.index()].clone(),
        })
    }

    fn draft(&self) -> IncidentDraft {
        let (s, product) = (self.s, self.product);
        let mut borderline = s.borderline_exclusion;
        if s.clear_exclusion.is_some() {
            borderline = s.clear_exclusion;
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
            problem: clean_statement(self.original),
            missing: Vec::new(),
            split_hint: s.split || problem_list_items(self.ctx.patterns, s, self.active) >= LIST_ITEMS_FOR_SPLIT,
            borderline_exclusion: borderline,
            language: self.language,
        };
        draft.with_missing(product.is_some_and(|p| p.single_version))
    }
}

/// A `?` anywhere, or a question word first ("how", "hvorfor").
fn is_question(patterns: &IntakePatterns, text: &str) -> bool {
    text.contains('?')
        || super::product::tokens(text)
            .next()
            .is_some_and(|first| patterns.question_words.contains(first))
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

/// List items ("- x", "* x", "1. x", "2) x") that name a problem or impact of their own.
fn problem_list_items(patterns: &IntakePatterns, s: &Signals, text: &str) -> usize {
    if s.problem_entries.is_empty() {
        return 0;
    }
    list_items(text)
        .filter(|item| {
            s.problem_entries
                .iter()
                .any(|&i| patterns.entries[i].regex.is_match(item))
        })
        .count()
}

/// The text of lines that start like a list item.
fn list_items(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let l = line.trim_start();
        let digits = l.bytes().take_while(u8::is_ascii_digit).count();
        let rest = &l[digits..];
        let marker = if digits > 0 {
            rest.starts_with(". ") || rest.starts_with(") ")
        } else {
            l.starts_with("- ") || l.starts_with("* ")
        };
        (marker && rest.len() > 2).then(|| &rest[2..])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, Deployment, Product, Version};
    use crate::intake::{IntakePatterns, IntakePatternsFile, ProductIndex};

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// A small grammar in both languages: billing words, problem and system words, a severity.
    fn grammar() -> IntakePatterns {
        let mut file = IntakePatternsFile::default();
        file.en.severity = strings(&["sev (?P<level>[abc])"]);
        file.en.problem = strings(&["down", "fail(?:s|ed)?", "errors?", "wrong"]);
        file.en.impact.a = strings(&["all users"]);
        file.en.systems = strings(&["servers?", "apps?"]);
        file.en.pointers.billing = strings(&["invoic(?:e|es|ing)", "pay by card", "how much ~6 cost"]);
        file.no.problem = strings(&["nede", "feil%"]);
        file.no.systems = strings(&["%serveren"]);
        file.no.pointers.billing = strings(&["%faktur%", "%betaling%", "(?:hvordan|hvor) ~3 betal(?:e|er|es)"]);
        file.no.markers = strings(&["jeg", "med"]);
        IntakePatterns::build(file).unwrap()
    }

    fn products() -> ProductIndex {
        let released = chrono::NaiveDate::from_ymd_opt(2019, 11, 4).unwrap();
        ProductIndex::new(&Catalog {
            products: vec![Product {
                key: "sql-server".into(),
                name: "SQL Server".into(),
                deployment: Deployment::OnPremises,
                aliases: strings(&["sql"]),
                versions: vec![Version::with_default_lifecycle("2019", released)],
            }],
        })
    }

    fn reading(text: &str, explain: bool) -> Reading {
        let (patterns, products) = (grammar(), products());
        let ctx = IntakeContext {
            patterns: &patterns,
            products: &products,
            language_hint: Language::En,
            in_incident_thread: false,
            addressed_to_bot: false,
        };
        interpret(text, &ctx, explain)
    }

    fn read(text: &str) -> (Interpretation, Rule) {
        let reading = reading(text, false);
        (reading.interpretation, reading.decided_by)
    }

    // P-SCOPE-2: asking how to pay, unaddressed, is a billing question (it was chatter).
    #[test]
    fn a_payment_question_points_to_the_billing_page_in_both_languages() {
        for text in [
            "Hvordan betaler jeg med kort?",
            "how much does a pack cost?",
            "Can we pay by card?",
        ] {
            assert_eq!(
                read(text),
                (Interpretation::Pointer(PointerKind::Billing), Rule::Pointer),
                "{text}"
            );
        }
    }

    // P-SCOPE-2: a problem word alone ("my card payment failed") is still a billing question.
    #[test]
    fn a_billing_problem_without_a_system_or_product_stays_a_pointer() {
        for text in ["the invoice is wrong", "Kortbetalingen feilet i går"] {
            assert_eq!(read(text).1, Rule::Pointer, "{text}");
        }
    }

    // P-INC-1: an incident that mentions invoices or payments opens, it is not a billing question.
    #[test]
    fn a_problem_with_a_system_or_product_or_a_declared_severity_beats_the_pointer() {
        for text in [
            "our invoicing server is down",
            "Fakturaserveren er nede",
            "the invoicing app errors for all users",
            "SQL 2019 fails on the invoice run",
            "sev c: invoices question",
        ] {
            let (interpretation, rule) = read(text);
            assert!(
                matches!(interpretation, Interpretation::Request(_)),
                "{text}: {interpretation:?}"
            );
            assert_eq!(rule, Rule::Request, "{text}");
        }
    }

    // A system named without a problem is no incident; `explain` still names the system word.
    #[test]
    fn a_system_without_a_problem_keeps_the_pointer() {
        assert_eq!(read("which server do I send the invoice to?").1, Rule::Pointer);
        let reading = reading("which server do I send the invoice to?", true);
        let system = reading.matched.iter().find(|m| m.group == MatchGroup::System);
        assert_eq!(
            system.map(|m| (m.pattern.as_str(), m.text.as_str())),
            Some(("intake.en.systems[0]", "server"))
        );
    }

    // P-INC-1: two or more list items hint at several problems.
    #[test]
    fn list_items_count_dashes_stars_and_numbers() {
        let items: Vec<&str> = list_items("problems:\n- backups fail\n* jobs hang\n1. slow\n2) wrong").collect();
        assert_eq!(items, ["backups fail", "jobs hang", "slow", "wrong"]);
        assert_eq!(list_items("-5 degrees\n1.5 seconds\n- ").count(), 0);
    }
}
