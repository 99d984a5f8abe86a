//! Messages in an incident's thread: an engineer's first message is the first response
//! (P-SEV-6), counted at the message's own time; everything else is the thread's own
//! conversation.

use crate::turn::{Replies, Turn};
use intakebot_core::incident::{IncidentState, Role};
use intakebot_store::Incident;

pub(crate) async fn message(turn: &Turn<'_>, incident: &Incident) -> Replies {
    if turn.member.role != Role::Engineer || incident.state != IncidentState::Open {
        return Ok(Vec::new());
    }
    crate::work::ack(turn, Some(incident.number)).await
}
