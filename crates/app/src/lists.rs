//! Read-only views: an incident's status, and staff's lists across organisations.

use crate::error::AppError;
use crate::present;
use crate::request::ListChoice;
use crate::say::Say;
use crate::turn::{Replies, Turn};
use chrono::{DateTime, Duration, Utc};
use intakebot_core::ids::IncidentNumber;
use intakebot_store::{Incident, StateFilter};

/// How close to the deadline a waiting incident is "at risk".
pub(crate) const AT_RISK_WITHIN: Duration = Duration::hours(1);

pub(crate) async fn status(turn: &Turn<'_>, named: Option<IncidentNumber>) -> Replies {
    let incident = crate::work::incident_of(turn, named).await?;
    let notes = if turn.member.is_staff() {
        turn.app.store.notes(incident.number).await?
    } else {
        Vec::new()
    };
    let card = present::status_card(turn.app, &incident, &notes, turn.lang());
    Ok(vec![turn.private_content(crate::reply::Content::Message(
        crate::reply::Message::card(card),
    ))])
}

pub(crate) async fn list(turn: &Turn<'_>, which: ListChoice) -> Replies {
    if !turn.member.is_staff() {
        return Err(AppError::user(Say::OnlyStaffLists));
    }
    let now = turn.now();
    let filter = match which {
        ListChoice::Breached => None,
        ListChoice::Waiting | ListChoice::AtRisk => Some(StateFilter::Open),
        ListChoice::Open => None,
    };
    let mut out = Vec::new();
    for org in &turn.app.config.app.organisations {
        for incident in turn.app.store.list_incidents(&org.id, filter).await? {
            if keep(&incident, which, now) {
                out.push(incident);
            }
        }
    }
    out.sort_by_key(|i| i.first_response_due);
    Ok(vec![turn.private(Say::IncidentList {
        which,
        incidents: out.iter().map(present::ListedIncident::of).collect(),
    })])
}

fn keep(incident: &Incident, which: ListChoice, now: DateTime<Utc>) -> bool {
    match which {
        ListChoice::Open => !incident.state.is_closed(),
        ListChoice::Waiting => true,
        ListChoice::AtRisk => now < incident.first_response_due && incident.first_response_due - now <= AT_RISK_WITHIN,
        ListChoice::Breached => is_breached(incident, now),
    }
}

/// Whether an incident is past its deadline without a first response at `now`, or was answered late.
pub(crate) fn is_breached(incident: &Incident, now: DateTime<Utc>) -> bool {
    match incident.acknowledged_at {
        Some(at) => at > incident.first_response_due,
        None => !incident.state.is_closed() && now >= incident.first_response_due,
    }
}
