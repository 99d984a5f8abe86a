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

    /// A message in `channel` is being handled (live or caught up); front ends call
    /// [`App::reading_finished`] once its replies are delivered, however that ended.
    pub fn reading_started(&self, channel: u64, message: u64) {
        self.reading.started(channel, message);
    }

    /// A message's replies are delivered (or failed): the channel's read mark moves past it,
    /// unless an older message there is still being handled (`reading`). Marking after the
    /// delivery means a process that dies before answering reads the message again on its
    /// next connect, and answers it then (intake and acknowledgement are idempotent). Only
    /// intake channels and incident threads are marked: they are what a reconnect reads.
    pub async fn reading_finished(&self, channel: u64, message: u64) {
        match self.reading.finished(channel, Some(message), message) {
            Some(mark) if mark.read_here => self.mark_handled(channel, mark.upto).await,
            _ => {}
        }
    }

    /// Everything in `channel` up to `message` is read (a history page to its end); the mark
    /// stops before a message still being handled there, and never moves back.
    pub async fn mark_read(&self, channel: u64, message: u64) -> Result<(), AppError> {
        let Some(bounded) = self.reading.finished(channel, None, message) else {
            return Ok(());
        };
        let mark = ReadMark {
            channel,
            last_message: bounded.upto,
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
