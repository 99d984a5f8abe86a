//! Two kinds of error: what the user did wrong (said in their language, with what to do), and
//! internal failures (logged in full with an id; the user sees only a short apology with it).

use crate::say::Say;
use std::fmt;

/// A short id that ties an apology shown to a user to the full error in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorId(pub u32);

impl fmt::Display for ErrorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "E-{:08X}", self.0)
    }
}

/// What the user is told; only the app writes it, in the reader's language.
#[derive(Debug, Clone)]
pub struct UserError(pub(crate) Box<Say>);

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Said to the user as it is: what was wrong and what to do.
    #[error("{0}")]
    User(UserError),
    /// Logged in full; the user sees an apology with the id.
    #[error("internal error {id}: {source}")]
    Internal {
        id: ErrorId,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl AppError {
    pub(crate) fn user(say: Say) -> AppError {
        AppError::User(UserError(Box::new(say)))
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

    /// Whether someone changed the incident first (the store refused a stale transition).
    pub(crate) fn is_changed_meanwhile(&self) -> bool {
        matches!(self, AppError::User(UserError(say)) if matches!(**say, Say::ChangedMeanwhile { .. }))
    }

    /// What the user hears.
    pub(crate) fn say(&self) -> Say {
        match self {
            AppError::User(UserError(say)) => (**say).clone(),
            AppError::Internal { id, .. } => Say::Apology { id: *id },
        }
    }
}

impl From<intakebot_store::StoreError> for AppError {
    fn from(err: intakebot_store::StoreError) -> AppError {
        AppError::internal(err)
    }
}
