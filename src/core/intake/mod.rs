//! The intake grammar: chat text and command options into typed requests (pure).
//! Owned by the intake work (issue 5): this stub only fixes the interface the config loader uses.

use serde::Deserialize;

/// The `[intake]` table of `policy.toml` as written (patterns per language).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakePatternsFile {}

/// A load-time problem with an intake pattern: the key and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {reason}")]
pub struct PatternError {
    pub key: String,
    pub reason: String,
}

/// Compiled intake patterns.
#[derive(Debug, Clone, Default)]
pub struct IntakePatterns {}

impl IntakePatterns {
    pub fn build(_file: IntakePatternsFile) -> Result<IntakePatterns, PatternError> {
        Ok(IntakePatterns {})
    }
}
