//! Where notices are posted: Discord in production, the console transcript in a try-out. A
//! notice is a `Reply` whose audience is a channel, like any other.

use crate::reply::Reply;
use async_trait::async_trait;
use chrono::Duration;

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
    /// Posts `notice` to its channel with `nonce`, which Discord uses to drop a repeated post
    /// (a retry after a crash); returns the message id.
    async fn post(&self, notice: &Reply, nonce: &str) -> Result<u64, SendError>;
}
