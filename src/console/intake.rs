//! Plain messages in an intake channel, read like Discord's by the intake grammar.

use super::commands::{fresh_source, Posts};
use super::session::Session;
use crate::app::{AppError, ChatOutcome};
use crate::core::incident::Role;

impl Session {
    pub(super) async fn intake(&mut self, text: &str) -> Result<Posts, AppError> {
        if self.user.role != Role::Customer {
            return Ok(Vec::new());
        }
        let here = self.place();
        match self
            .app
            .read_message(&self.member(), text, self.language(), fresh_source())
        {
            ChatOutcome::Ignore => Ok(Vec::new()),
            ChatOutcome::Reply(text) => Ok(vec![(here, text)]),
            ChatOutcome::Incomplete { text, .. } => Ok(vec![(
                here,
                format!("{text}\n[Complete the request: use /incident open with the missing options]"),
            )]),
            ChatOutcome::Open { request, note } => {
                let mut posts = self.open_request(*request).await?;
                posts.extend(note.map(|n| (here, n)));
                Ok(posts)
            }
        }
    }
}
