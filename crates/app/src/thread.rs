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
    tracing::Span::current().record("incident", tracing::field::display(incident.number));
    // Acknowledged from the state read above, so a race only ends in `StateChanged`.
    match crate::work::acknowledge(turn, incident).await {
        // Acknowledged meanwhile (this very message read twice, live and caught up, or
        // someone's button): the message is conversation, not a command, so nothing to say.
        Err(err) if err.is_changed_meanwhile() => Ok(Vec::new()),
        done => done,
    }
}
