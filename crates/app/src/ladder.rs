//! Two ways out of the default schedule: a manager takes a breached incident over (it is
//! assigned to them and its escalations stop; it stays in the daily digest until answered), and
//! a customer moves a severity A incident to 24x7 with an on-call contact (P-SEV-4, P-SEV-5).

use crate::error::AppError;
use crate::notices;
use crate::reply::{Content, FormKind};
use crate::say::Say;
use crate::turn::{Replies, Turn};
use crate::work::{incident_of, store_user_error};
use chrono::{DateTime, Duration, Utc};
use intakebot_core::ids::IncidentNumber;
use intakebot_core::incident::{IncidentState, Role};
use intakebot_core::reminders::first_response_notices;
use intakebot_core::rules::RuleId;
use intakebot_core::severity::{Coverage, Severity};
use intakebot_store::{Author, Incident, Reschedule, SourceId, StoreError};

/// A manager takes a breached incident over.
pub(crate) async fn take_over(turn: &Turn<'_>, number: IncidentNumber) -> Replies {
    if turn.member.role != Role::Manager {
        return Err(AppError::user(Say::OnlyManagers));
    }
    let incident = incident_of(turn, Some(number)).await?;
    let taken = match turn.app.store.take_over(number, &turn.member.account, turn.now()).await {
        Ok(incident) => incident,
        Err(StoreError::AlreadyTakenOver { by, .. }) => {
            return Err(AppError::user(Say::AlreadyTakenOver { number, by }))
        }
        Err(other) => return Err(store_user_error(other)),
    };
    // Its escalations stop; the daily digest keeps it in sight until it is answered.
    if incident.state == IncidentState::Open {
        let digest = notices::breach_digest_row(turn.app, turn.now());
        turn.app.store.enqueue_once(None, &[digest]).await?;
    }
    let say = Say::TakenOver {
        number: taken.number,
        by: turn.member.account.clone(),
        waiting: incident.state == IncidentState::Open,
    };
    Ok(vec![turn.here(
        turn.app.staff_language(),
        turn.app.staff_zone(),
        crate::reply::Message::text(turn.app.text(&say, turn.app.staff_language())),
    )])
}

/// The form asking for the on-call contact, after the checks a switch needs.
pub(crate) async fn ask_on_call(turn: &Turn<'_>, number: IncidentNumber) -> Replies {
    let incident = incident_of(turn, Some(number)).await?;
    may_switch(turn, &incident)?;
    let form = crate::forms::form(FormKind::OnCall(number), turn.lang(), None);
    Ok(vec![turn.private_content(Content::Form(form))])
}

/// Moves a waiting severity A incident to 24x7: the deadline becomes the earlier of the
/// business-hours one and two clock hours after the switch (the commitment starts now, and
/// 24x7 never makes an answer later), and its pending notices are replaced.
pub(crate) async fn switch_to_24x7(turn: &Turn<'_>, number: IncidentNumber, contact: &str) -> Replies {
    let incident = incident_of(turn, Some(number)).await?;
    may_switch(turn, &incident)?;
    let now = turn.now();
    let hours = turn.app.config.policy.severity(Severity::A).first_response_hours;
    let clock_due = intakebot_core::sla::clock_deadline(now, Duration::hours(i64::from(hours)))
        .map_err(|e| AppError::internal(std::io::Error::other(e.to_string())))?;
    let due = incident.first_response_due.min(clock_due);
    let reschedule = Reschedule {
        number,
        coverage: Coverage::TwentyFourSeven,
        first_response_due: due,
        author: Author::Account(turn.member.account.clone()),
        at: now,
        reason: format!("switched to 24x7; on-call contact: {contact}"),
        rules: vec![RuleId::Sev4, RuleId::Sev5],
        notifications: notices_until(turn, &incident, now, due),
    };
    let switched = turn.app.store.reschedule(&reschedule).await.map_err(store_user_error)?;
    let say = Say::SwitchedTo24x7 {
        number,
        due: switched.first_response_due,
        contact: contact.to_string(),
    };
    Ok(crate::work::announce(turn, &switched, say))
}

/// Only the organisation's customers switch (the commitment is theirs), only severity A runs
/// 24x7, and only while the first response is still awaited.
fn may_switch(turn: &Turn<'_>, incident: &Incident) -> Result<(), AppError> {
    let number = incident.number;
    if turn.member.customer_of() != Some(&incident.organisation) {
        return Err(AppError::user(Say::OnlyCustomersSwitch));
    }
    if incident.severity != Severity::A {
        return Err(AppError::user(Say::Only24x7ForA { number }));
    }
    if incident.coverage == Coverage::TwentyFourSeven {
        return Err(AppError::user(Say::Already24x7 { number }));
    }
    if incident.state != IncidentState::Open {
        return Err(AppError::user(Say::AlreadyAnswered { number }));
    }
    if incident.first_response_due <= turn.now() {
        return Err(AppError::user(Say::DeadlinePassed { number }));
    }
    Ok(())
}

/// The reminders and breach alert from `now` to the new deadline, on the clock, with nonces of
/// their own (the replaced rows keep theirs).
fn notices_until(
    turn: &Turn<'_>,
    incident: &Incident,
    now: DateTime<Utc>,
    due: DateTime<Utc>,
) -> Vec<intakebot_store::NewNotification> {
    let settings = &turn.app.reminders.severities[&incident.severity];
    let target = (due - now).max(Duration::zero());
    let planned = first_response_notices(settings, now, target, |t, d| t + d);
    let source = SourceId(format!("{}~24x7", incident.source.0));
    notices::incident_rows(&source, &planned)
}
