//! What the bot reads again after downtime or a reconnect: each intake channel and each thread
//! of an incident waiting for its first response, after the last message handled there (its
//! read mark). Front ends page the history and hand each message to `App::handle` as if live;
//! the messages count at their own timestamps.

use crate::error::AppError;
use crate::App;
use intakebot_store::ReadMark;

/// A channel or thread to read, and from where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unread {
    pub channel: u64,
    /// The last message handled there; `None` when the bot never read there: it starts from
    /// the newest message, so a channel's whole history is never replayed.
    pub after: Option<u64>,
}

impl App {
    /// The intake channels, then the waiting incidents' threads, each with its read mark.
    pub async fn unread_channels(&self) -> Result<Vec<Unread>, AppError> {
        let intake = self
            .config
            .app
            .organisations
            .iter()
            .flat_map(|o| o.intake_channels.iter().map(|c| c.0));
        let mut channels: Vec<u64> = intake.collect();
        channels.extend(self.store.threads_awaiting_response().await?);
        let mut unread = Vec::with_capacity(channels.len());
        for channel in channels {
            let after = self.store.read_mark(channel).await?;
            unread.push(Unread { channel, after });
        }
        Ok(unread)
    }

    /// Everything in `channel` up to `message` is handled (a mark never moves back).
    pub async fn mark_read(&self, channel: u64, message: u64) -> Result<(), AppError> {
        let mark = ReadMark {
            channel,
            last_message: message,
        };
        self.store.advance_mark(mark).await?;
        Ok(())
    }

    /// Marks a handled message; a failure is logged, not shown: the message was handled, and
    /// at worst it is read again on the next connect (intake and acknowledgement are
    /// idempotent).
    pub(crate) async fn mark_handled(&self, channel: u64, message: u64) {
        if let Err(err) = self.mark_read(channel, message).await {
            tracing::warn!(channel, message, error = %err, "read mark not stored");
        }
    }
}
