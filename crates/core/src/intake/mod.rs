//! The intake grammar: chat text and slash-command options into one typed result
//! (issue 5; P-INC-1, P-SEV-1..5, P-SCOPE-1, P-SCOPE-2). Pure: no I/O.
//!
//! `interpret` normalises the text (NFKC, case, invisible controls, quotes), runs the
//! compiled patterns of every language over it once, matches the catalog, and decides by
//! precedence rules (`decide`): not for us, an FAQ question, a pointer, out of scope, an
//! incident request draft, or (addressed to the bot) not understood. `eval` scores the
//! grammar against a labelled corpus.

mod config;
mod decide;
mod draft;
pub mod eval;
mod normalize;
mod pattern;
mod product;
mod signals;
mod types;

pub use config::{
    CoverageFile, ExclusionFile, FaqFile, ImpactFile, IntakePatterns, IntakePatternsFile, LanguagePatternsFile,
    PatternError, PointersFile,
};
pub use draft::{CommandOptions, DiscordUserId, IncidentDraft, MissingField, OptionError, SeverityFinding};
pub use normalize::{normalize, Normalized, MAX_INPUT_CHARS};
pub use product::{ProductIndex, ProductMatch};
pub use types::{
    ExclusionKey, Interpretation, Language, MatchExplanation, MatchGroup, NotForUsReason, PointerKind, Reading, Rule,
    UnknownLanguage,
};

/// What `interpret` needs besides the text.
#[derive(Debug, Clone, Copy)]
pub struct IntakeContext<'a> {
    pub patterns: &'a IntakePatterns,
    /// Built once from the catalog with [`ProductIndex::new`].
    pub products: &'a ProductIndex,
    /// The channel's language: used when the text does not tell.
    pub language_hint: Language,
    /// The message is a reply inside an incident thread: never a new case.
    pub in_incident_thread: bool,
    /// The message mentions the bot or replies to one of its messages: if nothing else is
    /// read in it, it is [`Interpretation::NotUnderstood`] rather than chatter.
    pub addressed_to_bot: bool,
}

/// Reads one chat message; `matched` stays empty (the bot acts on the interpretation only).
pub fn interpret(text: &str, ctx: &IntakeContext<'_>) -> Reading {
    decide::interpret(text, ctx, false)
}

/// Reads one chat message like [`interpret`] and also lists which patterns matched what, for
/// operators tuning their patterns (`intake explain`). Quoting each match costs a second search
/// per matched pattern, so the bot's own path leaves it out.
pub fn explain(text: &str, ctx: &IntakeContext<'_>) -> Reading {
    decide::interpret(text, ctx, true)
}
