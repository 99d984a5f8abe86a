//! The vocabulary of an intake reading: languages, exclusions, pointers and outcomes.

use super::draft::IncidentDraft;
use serde::{Deserialize, Serialize};
use std::fmt;

pub use crate::language::{Language, UnknownLanguage};

/// A kind of request the policy does not cover (P-SCOPE-1). The keys are the
/// ones `Policy.exclusions` uses; out-of-lifecycle is the policy engine's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExclusionKey {
    FeatureSuggestion,
    OnSite,
    RootCauseAnalysis,
    CustomCode,
    /// Office 365 add-in, API and Microsoft Graph developer support.
    OfficeDev,
}

impl ExclusionKey {
    pub const ALL: [ExclusionKey; 5] = [
        ExclusionKey::FeatureSuggestion,
        ExclusionKey::OnSite,
        ExclusionKey::RootCauseAnalysis,
        ExclusionKey::CustomCode,
        ExclusionKey::OfficeDev,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExclusionKey::FeatureSuggestion => "feature-suggestion",
            ExclusionKey::OnSite => "on-site",
            ExclusionKey::RootCauseAnalysis => "root-cause-analysis",
            ExclusionKey::CustomCode => "custom-code",
            ExclusionKey::OfficeDev => "office-dev",
        }
    }
}

impl fmt::Display for ExclusionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which page of `Policy.pointers` answers the message (P-SCOPE-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointerKind {
    Billing,
    TaxExemption,
}

impl PointerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PointerKind::Billing => "billing",
            PointerKind::TaxExemption => "tax_exemption",
        }
    }
}

/// Why a message is not for the bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotForUsReason {
    /// A reply inside an incident thread: the thread's own conversation.
    ThreadReply,
    /// Nothing left after normalising and removing quotes.
    Empty,
    SmallTalk,
    /// No severity, product, problem or scope word: chatter.
    NoSignal,
    /// A thank-you or note saying the problem is gone ("works again, thanks").
    ProblemGone,
}

/// What the bot makes of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interpretation {
    NotForUs(NotForUsReason),
    /// A question the FAQ answers; `answer` is in the reading's language.
    Question {
        topic: String,
        answer: String,
    },
    /// Billing or tax exemption: point to the page (P-SCOPE-2).
    Pointer(PointerKind),
    /// Clearly excluded by P-SCOPE-1: not opened, the exclusion named.
    OutOfScope(ExclusionKey),
    /// An incident request draft (P-INC-1).
    Request(IncidentDraft),
    /// Addressed to the bot (a mention or a reply) but none of the above: the app answers
    /// "I could not read a request in that; here is how".
    NotUnderstood,
}

impl Interpretation {
    /// The `kind` of the explain JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Interpretation::NotForUs(_) => "not_for_us",
            Interpretation::Question { .. } => "question",
            Interpretation::Pointer(_) => "pointer",
            Interpretation::OutOfScope(_) => "out_of_scope",
            Interpretation::Request(_) => "request",
            Interpretation::NotUnderstood => "not_understood",
        }
    }
}

/// Which rule group a pattern belongs to (for `intake explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchGroup {
    Severity,
    Impact,
    Coverage,
    OnCallContact,
    Exclusion,
    BorderlineExclusion,
    Pointer,
    Faq,
    SmallTalk,
    Problem,
    Split,
    /// One of the customer's systems ("invoicing server"): with a problem, an incident.
    System,
    Product,
    Version,
    /// A severity the customer withdrew ("not sev A") or an impact word negated ("haster ikke").
    Negated,
    /// A severity that replaces the ones before it ("make it C").
    Correction,
    /// Words saying the problem is gone ("works again").
    Resolved,
}

/// One pattern that matched, and the (normalised) text it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchExplanation {
    pub group: MatchGroup,
    /// Where the pattern lives, e.g. `intake.en.severity[0]`, or `catalog:sql-server`.
    pub pattern: String,
    pub text: String,
}

/// The precedence rule that decided a reading, in the order `decide` tries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    ThreadReply,
    Empty,
    /// A P-SCOPE-1 exclusion without a declared severity and product.
    ClearExclusion,
    /// Words saying the problem is gone, no new severity or exclusion.
    ProblemGone,
    SmallTalk,
    /// Billing or tax exemption, not an incident that merely mentions them (P-SCOPE-2).
    Pointer,
    /// An FAQ topic in a question, or with nothing else to act on.
    FaqQuestion,
    /// A severity, impact or problem word, a product with its version, coverage or on-call contact.
    Request,
    /// Addressed to the bot, nothing read.
    AddressedNotUnderstood,
    NoSignal,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::ThreadReply => "thread-reply",
            Rule::Empty => "empty",
            Rule::ClearExclusion => "clear-exclusion",
            Rule::ProblemGone => "problem-gone",
            Rule::SmallTalk => "small-talk",
            Rule::Pointer => "pointer",
            Rule::FaqQuestion => "faq-question",
            Rule::Request => "request",
            Rule::AddressedNotUnderstood => "addressed-not-understood",
            Rule::NoSignal => "no-signal",
        }
    }

    /// One sentence for `intake explain`.
    pub fn describe(self) -> &'static str {
        match self {
            Rule::ThreadReply => "a reply inside an incident thread is never a new case",
            Rule::Empty => "nothing is left after normalising and blanking quotes",
            Rule::ClearExclusion => {
                "a clear P-SCOPE-1 exclusion matched and the message does not both declare a severity and name a product"
            }
            Rule::ProblemGone => {
                "words say the problem is gone (not negated), with no declared severity or exclusion"
            }
            Rule::SmallTalk => "the whole message is a greeting or thanks, with no request, pointer or FAQ words",
            Rule::Pointer => {
                "a billing or tax-exemption pattern matched, with no declared severity and no problem with a product or system (P-SCOPE-2)"
            }
            Rule::FaqQuestion => {
                "an FAQ topic matched in a question (or with no product), and no declared severity with a product or problem"
            }
            Rule::Request => {
                "a severity, impact or problem word, a product with its version, coverage or an on-call contact makes it a request"
            }
            Rule::AddressedNotUnderstood => "addressed to the bot, but no pattern read anything in it",
            Rule::NoSignal => "no severity, product, problem, scope or FAQ words: chatter",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The full reading of a message: the outcome and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub interpretation: Interpretation,
    /// The precedence rule that decided `interpretation`.
    pub decided_by: Rule,
    /// The language detected (the channel hint on a tie).
    pub language: Language,
    /// Which patterns matched what: filled by [`super::explain`], empty from [`super::interpret`].
    pub matched: Vec<MatchExplanation>,
    /// The input was longer than [`super::MAX_INPUT_CHARS`] and only its start was read.
    pub truncated: bool,
}
