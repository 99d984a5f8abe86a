//! Plain messages typed in the console: in a thread, an engineer's first message is the first
//! response (P-SEV-6); in an intake channel, the intake grammar reads them like Discord's.

use super::commands::Posts;
use super::session::Session;
use crate::app::AppError;
use crate::core::incident::{IncidentState, Role};

impl Session {
    pub(super) async fn message(&mut self, text: &str) -> Result<Posts, AppError> {
        match self.thread {
            Some(number) => {
                let member = self.member();
                let incident = self.app.visible_incident(&member, number).await?;
                if member.role == Role::Engineer && incident.state == IncidentState::Open {
                    let acked = self.app.acknowledge(&member, number, self.now()).await?;
                    return Ok(vec![(
                        number.to_string(),
                        crate::app::present::ack_text(&acked, self.language()),
                    )]);
                }
                Ok(Vec::new())
            }
            None => self.intake(text).await,
        }
    }
}
