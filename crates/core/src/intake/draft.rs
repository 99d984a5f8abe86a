//! The incident request draft, shared by chat text and slash-command options, and
//! the one rule set that decides what is still missing (P-INC-1, P-SEV-4, P-SEV-5).

use super::product::ProductIndex;
use super::types::{ExclusionKey, Language};
use crate::catalog::Catalog;
use crate::severity::{Coverage, Severity};
use serde::Serialize;
use std::fmt;

/// Fewer words than this and the problem statement is asked for.
const MIN_STATEMENT_WORDS: usize = 3;

/// What the message says about severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityFinding {
    /// Declared by the customer ("sev A", "alvorlighetsgrad B", or the command option).
    Explicit(Severity),
    /// Guessed from impact words ("production down"): the user must confirm it.
    Suggested { severity: Severity, word: String },
    /// Two different severities declared: ask, don't guess.
    Conflicting(Vec<Severity>),
}

impl SeverityFinding {
    pub fn explicit(&self) -> Option<Severity> {
        match self {
            SeverityFinding::Explicit(s) => Some(*s),
            _ => None,
        }
    }
}

/// A Discord user id, written `<@id>` in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DiscordUserId(pub u64);

impl fmt::Display for DiscordUserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<@{}>", self.0)
    }
}

/// What the bot must still ask before the incident can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingField {
    /// None given, only suggested, or two given.
    Severity,
    Product,
    Version,
    /// Severity A may run 24x7 or in business hours: ask which (P-SEV-4).
    Coverage,
    /// 24x7 needs a named contact on call (P-SEV-5).
    OnCallContact,
    ProblemStatement,
}

impl MissingField {
    /// Every field, in the order the bot asks for them.
    pub const ALL: [MissingField; 6] = [
        MissingField::Severity,
        MissingField::Product,
        MissingField::Version,
        MissingField::Coverage,
        MissingField::OnCallContact,
        MissingField::ProblemStatement,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MissingField::Severity => "severity",
            MissingField::Product => "product",
            MissingField::Version => "version",
            MissingField::Coverage => "coverage",
            MissingField::OnCallContact => "on_call_contact",
            MissingField::ProblemStatement => "problem_statement",
        }
    }
}

/// An incident request as far as the customer has described it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentDraft {
    pub severity: Option<SeverityFinding>,
    /// Catalog product key.
    pub product: Option<String>,
    /// Catalog version name of that product.
    pub version: Option<String>,
    pub coverage: Option<Coverage>,
    pub on_call_contact: Option<DiscordUserId>,
    /// The customer's words (invisible characters removed, capped in length).
    pub problem: String,
    pub missing: Vec<MissingField>,
    /// The text plainly holds several problems: suggest one incident each (P-INC-1).
    pub split_hint: bool,
    /// A borderline P-SCOPE-1 match: opened, but flagged for the engineer.
    pub borderline_exclusion: Option<ExclusionKey>,
    pub language: Language,
}

impl IncidentDraft {
    /// Fills `missing` from the other fields; both paths call it.
    pub(crate) fn with_missing(mut self, product_has_one_version: bool) -> IncidentDraft {
        let mut missing = Vec::new();
        if self.severity.as_ref().and_then(SeverityFinding::explicit).is_none() {
            missing.push(MissingField::Severity);
        }
        if self.product.is_none() {
            missing.push(MissingField::Product);
        } else if self.version.is_none() && !product_has_one_version {
            missing.push(MissingField::Version);
        }
        let severity = self.severity.as_ref().and_then(SeverityFinding::explicit);
        if severity == Some(Severity::A) && self.coverage.is_none() {
            missing.push(MissingField::Coverage);
        }
        if self.coverage == Some(Coverage::TwentyFourSeven) && self.on_call_contact.is_none() {
            missing.push(MissingField::OnCallContact);
        }
        if self.problem.split_whitespace().take(MIN_STATEMENT_WORDS).count() < MIN_STATEMENT_WORDS {
            missing.push(MissingField::ProblemStatement);
        }
        self.missing = missing;
        self
    }

    /// Maps slash-command options into a draft, resolving product and version names
    /// through the same matcher as chat text ("sql 2019" works in the option too).
    pub fn from_options(
        options: &CommandOptions,
        index: &ProductIndex,
        catalog: &Catalog,
    ) -> Result<IncidentDraft, OptionError> {
        let mut product = None;
        let mut version = None;
        let mut one_version = false;
        if let Some(name) = options.product.as_deref().filter(|s| !s.trim().is_empty()) {
            let lower = name.to_lowercase();
            let found = index
                .find(&lower)
                .ok_or_else(|| OptionError::UnknownProduct(name.to_string()))?;
            one_version = found.single_version;
            version = found.version.clone();
            product = Some(found.product_key);
        }
        if let Some(name) = options.version.as_deref().filter(|s| !s.trim().is_empty()) {
            let key = product.as_deref().ok_or(OptionError::VersionWithoutProduct)?;
            let found =
                catalog
                    .product(key)
                    .and_then(|p| p.version(name))
                    .ok_or_else(|| OptionError::UnknownVersion {
                        product: key.to_string(),
                        version: name.to_string(),
                    })?;
            version = Some(found.name.clone());
        }
        if one_version && version.is_none() {
            version = product
                .as_deref()
                .and_then(|k| catalog.product(k))
                .and_then(|p| p.versions.first())
                .map(|v| v.name.clone());
        }
        let draft = IncidentDraft {
            severity: options.severity.map(SeverityFinding::Explicit),
            product,
            version,
            coverage: options.coverage,
            on_call_contact: options.on_call_contact,
            problem: options
                .problem
                .as_deref()
                .map(super::normalize::clean_statement)
                .unwrap_or_default(),
            missing: Vec::new(),
            split_hint: false,
            borderline_exclusion: None,
            language: options.language,
        };
        Ok(draft.with_missing(one_version))
    }
}

/// The options of the slash command, as the adapter parsed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOptions {
    pub product: Option<String>,
    pub version: Option<String>,
    pub severity: Option<Severity>,
    pub coverage: Option<Coverage>,
    pub on_call_contact: Option<DiscordUserId>,
    /// Title or problem statement.
    pub problem: Option<String>,
    pub language: Language,
}

/// A slash-command option that names nothing in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    #[error("no product in the catalog is called {0:?}")]
    UnknownProduct(String),
    #[error("{product} has no version {version:?}")]
    UnknownVersion { product: String, version: String },
    #[error("a version was given without a product")]
    VersionWithoutProduct,
}
