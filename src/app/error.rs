//! Two kinds of error: what the user did wrong (shown as is, with what to do), and internal
//! failures (logged in full with an id; the user sees only a short apology with that id).

use crate::core::language::Language;
use std::fmt;

/// A short id that ties an apology shown to a user to the full error in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorId(pub u32);

impl fmt::Display for ErrorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "E-{:08X}", self.0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Shown to the user as it is: a plain sentence saying what was wrong and what to do.
    #[error("{0}")]
    User(String),
    /// Logged in full; the user sees `apology()`.
    #[error("internal error {id}: {source}")]
    Internal {
        id: ErrorId,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl AppError {
    pub fn user(message: impl Into<String>) -> AppError {
        AppError::User(message.into())
    }

    /// Wraps an internal failure, logs it with a fresh id, and keeps the id for the apology.
    pub fn internal(source: impl std::error::Error + Send + Sync + 'static) -> AppError {
        let id = ErrorId(rand::random());
        tracing::error!(error_id = %id, error = %source, "internal error");
        AppError::Internal {
            id,
            source: Box::new(source),
        }
    }

    /// The text a user may see: the user error itself, or an apology with the error id only.
    pub fn for_user(&self, lang: Language) -> String {
        match (self, lang) {
            (AppError::User(message), _) => message.clone(),
            (AppError::Internal { id, .. }, Language::En) => {
                format!("Sorry, something went wrong on our side. Nothing was lost; please try again. (error id {id})")
            }
            (AppError::Internal { id, .. }, Language::No) => {
                format!("Beklager, noe gikk galt hos oss. Ingenting gikk tapt; prøv igjen. (feil-id {id})")
            }
        }
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(err: crate::store::StoreError) -> AppError {
        AppError::internal(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_show_only_an_apology_with_the_id() {
        let err = AppError::internal(std::io::Error::other("SQLITE_BUSY: database is locked"));
        let shown = err.for_user(Language::En);
        assert!(shown.contains("error id E-"), "{shown}");
        assert!(!shown.contains("SQLITE"), "{shown}");
    }
}
