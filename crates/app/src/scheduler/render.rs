//! The words and parts of each notice: in the incident's language in its thread, in the staff
//! language in the engineers' and managers' channels, in the organisation's for pack expiry.
//! Only the roles configured for a step are pinged, and only in staff channels.

use crate::notices::{Kind, Target};
use crate::reply::{Action, Button, ButtonStyle, Message, Ping, PingRole, Text};
use crate::say::{Label, Notice};
use crate::App;
use chrono::{DateTime, Duration, Utc};
use intakebot_config::PingRole as ConfigPing;
use intakebot_core::entitlement::Entitlement;
use intakebot_core::language::Language;
use intakebot_store::Incident;

/// What to post, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rendered {
    Post(Message),
    /// Nothing to say any more (acknowledged, closed, units gone); the row is cancelled.
    Skip(&'static str),
}

/// An incident notice for one target at `now`; `late` is set when the bot was offline.
pub(crate) fn incident(
    app: &App,
    kind: Kind,
    target: &Target,
    incident: &Incident,
    lang: Language,
    now: DateTime<Utc>,
    late: Option<Duration>,
) -> Rendered {
    let waiting = !incident.state.is_closed() && incident.acknowledged_at.is_none();
    if !waiting {
        return Rendered::Skip("acknowledged or closed");
    }
    let head = head_of(incident);
    let due = incident.first_response_due;
    let notice = match kind {
        Kind::Reminder { .. } => Notice::Reminder { head, due },
        Kind::Breach => Notice::Breach {
            head,
            due,
            late: now - due,
        },
        Kind::Escalation { step } => Notice::Escalation {
            step,
            head,
            due,
            late: now - due,
        },
        Kind::Expiry { .. }
        | Kind::ConfigProblem { .. }
        | Kind::GaveUp { .. }
        | Kind::BreachDigest { .. }
        | Kind::WeeklyReport { .. } => return Rendered::Skip("not an incident notice"),
    };
    let mut text = app.notice_text(&notice, lang);
    if let Some(late) = late {
        text = text.append(app.notice_text(&Notice::Offline { late }, lang));
    }
    let mut message = Message::text(text).with_pings(pings(app, kind, target));
    if matches!(target, Target::Engineers | Target::Managers) {
        message.buttons.push(Button {
            action: Action::Acknowledge(incident.number),
            label: Label::AckButton.words(lang).to_string(),
            style: ButtonStyle::Primary,
        });
    }
    if *target == Target::Managers && incident.assigned_to.is_none() {
        message.buttons.push(Button {
            action: Action::TakeOver(incident.number),
            label: Label::TakeOverButton.words(lang).to_string(),
            style: ButtonStyle::Secondary,
        });
    }
    Rendered::Post(message)
}

/// Only the roles configured for the step, and only in staff channels (never in the thread).
fn pings(app: &App, kind: Kind, target: &Target) -> Vec<Ping> {
    let reminders = &app.config.app.reminders;
    let roles: Vec<PingRole> = match (kind, target) {
        (Kind::Reminder { .. }, Target::Engineers) => vec![PingRole::Engineers],
        (Kind::Breach, Target::Managers) => vec![PingRole::Managers],
        (Kind::Escalation { step }, Target::Managers) => reminders
            .pings_for_step(step)
            .iter()
            .map(|p| match p {
                ConfigPing::Engineer => PingRole::Engineers,
                ConfigPing::OnCall => PingRole::OnCall,
                ConfigPing::Manager => PingRole::Managers,
            })
            .collect(),
        _ => Vec::new(),
    };
    roles.into_iter().filter_map(|role| ping(app, role)).collect()
}

/// A role with its configured id; the on-call role is optional.
pub(crate) fn ping(app: &App, role: PingRole) -> Option<Ping> {
    let roles = &app.config.app.discord.roles;
    let id = match role {
        PingRole::Engineers => Some(roles.engineer.0),
        PingRole::Managers => Some(roles.manager.0),
        PingRole::OnCall => roles.on_call.map(|r| r.0),
    }?;
    Some(Ping { role, id })
}

/// A pack expiry notice to its organisation: units expire in `days` days, or were written off.
pub(crate) fn expiry(app: &App, pack: &Entitlement, days: u32, written_off: u32, lang: Language) -> Rendered {
    let notice = match days {
        0 if written_off == 0 => return Rendered::Skip("no units to write off"),
        0 => Notice::ExpiredToday {
            plan: pack.plan,
            pack: pack.id,
            units: written_off,
        },
        _ if pack.units_left == 0 => return Rendered::Skip("no units left"),
        _ => match pack.expires_on {
            Some(expires) => Notice::ExpirySoon {
                plan: pack.plan,
                pack: pack.id,
                units: pack.units_left,
                expires,
            },
            None => return Rendered::Skip("the pack does not expire"),
        },
    };
    Rendered::Post(Message::text(app.notice_text(&notice, lang)))
}

/// A channel the bot cannot post to, told to the managers (once per channel).
pub(crate) fn config_problem(app: &App, channel: u64) -> Rendered {
    let text: Text = app.notice_text(&Notice::ConfigProblem { channel }, app.staff_language());
    let pings = ping(app, PingRole::Managers).into_iter().collect();
    Rendered::Post(Message::text(text).with_pings(pings))
}

/// Notices to a channel given up after `attempts` tries, told to the managers (once a day per
/// channel).
pub(crate) fn gave_up(app: &App, channel: u64, attempts: u32) -> Rendered {
    let text: Text = app.notice_text(&Notice::GaveUp { channel, attempts }, app.staff_language());
    let pings = ping(app, PingRole::Managers).into_iter().collect();
    Rendered::Post(Message::text(text).with_pings(pings))
}

/// The managers' daily digest of open breaches; nothing when none is left.
pub(crate) fn breach_digest(app: &App, open: &[Incident], lang: Language, now: DateTime<Utc>) -> Rendered {
    if open.is_empty() {
        return Rendered::Skip("no open breaches");
    }
    let entries = open
        .iter()
        .map(|i| crate::say::DigestEntry {
            head: head_of(i),
            late: now - i.first_response_due,
            taken_over_by: i.assigned_to.clone(),
        })
        .collect();
    let text = app.notice_text(&Notice::BreachDigest { entries }, lang);
    let pings = ping(app, PingRole::Managers).into_iter().collect();
    Rendered::Post(Message::text(text).with_pings(pings))
}

/// The managers' SLA report of the week starting on Monday `week`, as it stands at `now`.
pub(crate) async fn weekly_report(
    app: &App,
    week: chrono::NaiveDate,
    lang: Language,
    now: DateTime<Utc>,
) -> Result<Rendered, crate::AppError> {
    let to = week + chrono::Days::new(7);
    let period = intakebot_report::Period::new(week, to, app.staff_zone()).map_err(crate::AppError::internal)?;
    let report = crate::report::sla_report(&app.store, &app.config, period, None, now).await?;
    let message = crate::report::report_message(&report, crate::say::weekly_intro(lang), lang)?;
    Ok(Rendered::Post(message))
}

fn head_of(incident: &Incident) -> crate::say::Head {
    crate::say::Head {
        number: incident.number,
        severity: incident.severity,
        product: incident.product.clone(),
        version: incident.version.clone(),
        organisation: incident.organisation.clone(),
    }
}
