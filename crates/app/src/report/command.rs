//! `/report sla [period] [organisation]`: managers only, answered privately with the card and
//! the two files. The period is named around the request's instant in the staff calendar's zone.

use super::{report_message, sla_report, NamedPeriod};
use crate::error::AppError;
use crate::reply::{Content, Text};
use crate::say::Say;
use crate::turn::{Replies, Turn};
use intakebot_core::ids::OrgId;
use intakebot_core::incident::Role;
use intakebot_report::Period;

pub(crate) async fn report(turn: &Turn<'_>, which: NamedPeriod, organisation: Option<&OrgId>) -> Replies {
    if turn.member.role != Role::Manager {
        return Err(AppError::user(Say::OnlyManagersSeeReports));
    }
    if let Some(org) = organisation {
        if turn.app.organisation(org).is_none() {
            return Err(AppError::user(Say::UnknownOrganisation { org: org.clone() }));
        }
    }
    // A named period around a valid instant is always within the calendar's range.
    let period = Period::named(which, turn.now(), turn.app.staff_zone()).map_err(AppError::internal)?;
    let report = sla_report(
        &turn.app.store,
        &turn.app.config,
        period,
        organisation.cloned(),
        turn.now(),
    )
    .await?;
    let message = report_message(&report, Text::new(), turn.lang())?;
    Ok(vec![turn.private_content(Content::Message(message))])
}
