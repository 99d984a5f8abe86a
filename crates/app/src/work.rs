//! Working an incident: acknowledge, resolve, close, refund and note, each decided by the pure
//! state machine and written with its event (and notices) in one store transaction. What
//! changes is posted in the incident's thread in its language; whoever acted elsewhere also
//! gets a word where they acted.

use crate::error::AppError;
use crate::reply::{ChannelKind, Content, Message, Reply};
use crate::request::CloseChoice;
use crate::say::Say;
use crate::turn::{Replies, Turn};
use intakebot_core::ids::IncidentNumber;
use intakebot_core::incident::{Action, Outcome, RefundDecision, Role};
use intakebot_store::{Author, Incident, StoreError, TransitionRecord};

/// The incident named, or the one whose thread the command runs in, if the member may see it.
pub(crate) async fn incident_of(turn: &Turn<'_>, named: Option<IncidentNumber>) -> Result<Incident, AppError> {
    let found = match named {
        Some(number) => turn.app.store.incident(number).await?,
        None => match turn.app.store.incident_by_thread(turn.req.place.channel).await? {
            Some(incident) => Some(incident),
            None => return Err(AppError::user(Say::NameTheIncident)),
        },
    };
    match found {
        Some(incident) if turn.member.may_see(&incident.organisation) => {
            tracing::Span::current().record("incident", tracing::field::display(incident.number));
            Ok(incident)
        }
        _ => Err(AppError::user(Say::NotFound {
            number: named.unwrap_or(IncidentNumber(0)),
        })),
    }
}

/// The first response by an engineer (P-SEV-6): button, command, thread message or close.
pub(crate) async fn ack(turn: &Turn<'_>, named: Option<IncidentNumber>) -> Replies {
    let incident = incident_of(turn, named).await?;
    acknowledge(turn, &incident).await
}

/// Acknowledges `incident` as loaded: if it changed since, the store refuses (`StateChanged`).
pub(crate) async fn acknowledge(turn: &Turn<'_>, incident: &Incident) -> Replies {
    let updated = transition(turn, incident, Action::Acknowledge, "acknowledged").await?;
    let met = updated
        .acknowledged_at
        .is_some_and(|at| at <= updated.first_response_due);
    Ok(announce(
        turn,
        &updated,
        Say::Acknowledged {
            number: updated.number,
            met,
        },
    ))
}

/// Resolves with a proposed solution (P-CLOSE-2); without one, asks for it in a form.
pub(crate) async fn resolve(turn: &Turn<'_>, named: Option<IncidentNumber>, solution: Option<&str>) -> Replies {
    let incident = incident_of(turn, named).await?;
    if turn.member.role != Role::Engineer {
        return Err(AppError::user(Say::OnlyEngineersResolve));
    }
    let Some(solution) = solution.filter(|s| !s.trim().is_empty()) else {
        let form = crate::forms::form(crate::reply::FormKind::Resolve(incident.number), turn.lang(), None);
        return Ok(vec![turn.private_content(Content::Form(form))]);
    };
    closed(turn, &incident, Outcome::Resolved, solution).await
}

/// Closes: a customer closes their incident before resolution (P-CLOSE-3); an engineer closes
/// it as unresolved or out of scope (P-CLOSE-2), or resolves it with a solution.
pub(crate) async fn close(
    turn: &Turn<'_>,
    named: Option<IncidentNumber>,
    choice: Option<CloseChoice>,
    reason: Option<&str>,
) -> Replies {
    let incident = incident_of(turn, named).await?;
    let outcome = match (turn.member.role, choice) {
        (Role::Customer, _) => Outcome::CustomerClosed,
        (_, Some(CloseChoice::Unresolved)) => Outcome::Unresolved,
        (_, Some(CloseChoice::OutOfScope)) => Outcome::OutOfScope,
        (_, None) => return Err(AppError::user(Say::ChooseOutcome)),
    };
    closed(turn, &incident, outcome, reason.unwrap_or_default()).await
}

async fn closed(turn: &Turn<'_>, incident: &Incident, outcome: Outcome, note: &str) -> Replies {
    let updated = transition(turn, incident, Action::Close(outcome), note).await?;
    metrics::counter!(crate::metrics::INCIDENTS_CLOSED, "outcome" => outcome.as_str()).increment(1);
    let say = Say::Closed {
        number: updated.number,
        outcome,
        note: note.to_string(),
    };
    Ok(announce(turn, &updated, say))
}

/// A manager's refund decision after an unpaid close (P-CLOSE-4); a refund is a ledger row.
pub(crate) async fn refund(
    turn: &Turn<'_>,
    number: IncidentNumber,
    decision: RefundDecision,
    reason: Option<&str>,
) -> Replies {
    let incident = incident_of(turn, Some(number)).await?;
    transition(turn, &incident, Action::Refund(decision), reason.unwrap_or_default()).await?;
    Ok(vec![turn.private(Say::RefundDecided { number, decision })])
}

/// An engineer's internal note: recorded on the incident, shown to engineers only.
pub(crate) async fn note(turn: &Turn<'_>, named: Option<IncidentNumber>, text: &str) -> Replies {
    if !turn.member.is_staff() {
        return Err(AppError::user(Say::OnlyStaffNotes));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::user(Say::EmptyNote));
    }
    let incident = incident_of(turn, named).await?;
    let author = Author::Account(turn.member.account.clone());
    turn.app
        .store
        .add_note(incident.number, &author, text, turn.now())
        .await?;
    let lang = turn.app.staff_language();
    let post = Say::NoteForEngineers {
        number: incident.number,
        author: turn.member.account.clone(),
        text: text.to_string(),
    };
    Ok(vec![
        turn.to_staff(ChannelKind::Engineers, Message::text(turn.app.text(&post, lang))),
        turn.private(Say::NoteRecorded {
            number: incident.number,
        }),
    ])
}

/// Decides a move with the state machine and writes it if the incident did not change meanwhile.
pub(crate) async fn transition(
    turn: &Turn<'_>,
    incident: &Incident,
    action: Action,
    reason: &str,
) -> Result<Incident, AppError> {
    let decided = incident
        .state
        .apply(turn.member.on(&incident.requester), action)
        .map_err(|e| {
            AppError::user(Say::NotAllowed {
                number: incident.number,
                why: e,
            })
        })?;
    let record = TransitionRecord {
        number: incident.number,
        from: incident.state,
        to: decided.next,
        first_response: decided.first_response,
        author: Author::Account(turn.member.account.clone()),
        at: turn.now(),
        reason: reason.to_string(),
        rules: decided.rules.to_vec(),
        notifications: Vec::new(),
    };
    let updated = turn
        .app
        .store
        .record_transition(&record)
        .await
        .map_err(store_user_error)?;
    if decided.first_response {
        let met = updated
            .acknowledged_at
            .is_some_and(|at| at <= updated.first_response_due);
        metrics::counter!(crate::metrics::FIRST_RESPONSES, "result" => if met { "met" } else { "breached" })
            .increment(1);
    }
    Ok(updated)
}

/// What changed, in the incident's thread (in its language) and, when the member acted
/// elsewhere, where they acted (in their language).
pub(crate) fn announce(turn: &Turn<'_>, incident: &Incident, say: Say) -> Vec<Reply> {
    let in_thread = turn.in_thread(incident, Message::text(turn.app.text(&say, incident.language)));
    let mut replies: Vec<Reply> = in_thread.into_iter().collect();
    if !turn.is_in_thread_of(incident) {
        replies.push(turn.private(say));
    }
    replies
}

/// A store refusal as the user should hear it; anything else is internal.
pub(crate) fn store_user_error(err: StoreError) -> AppError {
    let say = match err {
        StoreError::NoUnitsLeft(_) => Say::NoUnitsLeft,
        StoreError::EntitlementExpired(_) => Say::PackExpired,
        StoreError::OrderNumberMismatch(_) => Say::OrderNumberMismatch,
        StoreError::StateChanged { number, current } => Say::ChangedMeanwhile { number, now: current },
        StoreError::AlreadyRefunded(number) => Say::AlreadyRefunded { number },
        other => return AppError::internal(other),
    };
    AppError::user(say)
}
