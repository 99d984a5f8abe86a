//! Where notices are posted: Discord in production, the console transcript in a try-out.

use crate::core::ids::IncidentNumber;
use async_trait::async_trait;
use chrono::Duration;

/// A resolved destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Channel(pub u64);

/// A role a notice may ping; nothing else is ever pinged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PingRole {
    Engineers,
    OnCall,
    Managers,
}

/// One message to post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub content: String,
    pub pings: Vec<PingRole>,
    /// Add an Acknowledge button for this incident.
    pub ack_button: Option<IncidentNumber>,
    /// Discord deduplicates a repeated nonce: a retry after a crash posts nothing new.
    pub nonce: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Try again after this long (429 or 5xx).
    #[error("retry after {0}")]
    Retry(Duration),
    /// Will not succeed without a config fix (missing access, unknown channel).
    #[error("permanent failure: {0}")]
    Permanent(String),
}

#[async_trait]
pub trait NoticeSender: Send + Sync {
    /// Posts and returns the message id.
    async fn post(&self, channel: Channel, message: &Outgoing) -> Result<u64, SendError>;
}
