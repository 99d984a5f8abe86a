//! The text of each notice, in the incident's (or organisation's) language, with Discord
//! timestamps so every reader sees their own time zone.

use super::sender::PingRole;
use crate::app::notices::{Kind, Target};
use crate::config::PingRole as ConfigPing;
use crate::core::language::Language;
use crate::store::Incident;
use chrono::{DateTime, Duration, Utc};

/// What to post, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    Post {
        content: String,
        pings: Vec<PingRole>,
        ack_button: bool,
    },
    /// Nothing to say any more (acknowledged, closed, units gone); the row is cancelled.
    Skip(&'static str),
}

/// `<t:…:R>`: "in 2 hours" / "3 minutes ago" in the reader's locale.
pub fn relative(t: DateTime<Utc>) -> String {
    format!("<t:{}:R>", t.timestamp())
}

/// `<t:…:F>`: the full date and time in the reader's time zone.
pub fn full(t: DateTime<Utc>) -> String {
    format!("<t:{}:F>", t.timestamp())
}

/// "2 h 5 min" / "2 t 5 min".
pub fn span(d: Duration, lang: Language) -> String {
    let minutes = d.num_minutes().max(0);
    let (h, m) = (minutes / 60, minutes % 60);
    let hour = lang.pick("h", "t");
    match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} {hour}"),
        (h, m) => format!("{h} {hour} {m} min"),
    }
}

/// Renders an incident notice for one target at `now`; `late` is set when the bot was offline.
pub fn render_incident(
    kind: Kind,
    target: &Target,
    incident: &Incident,
    escalation_pings: &[ConfigPing],
    now: DateTime<Utc>,
    late: Option<Duration>,
) -> Rendered {
    let lang = incident.language.parse().unwrap_or_default();
    let waiting = !incident.state.is_closed() && incident.acknowledged_at.is_none();
    if !waiting {
        return Rendered::Skip("acknowledged or closed");
    }
    let due = incident.first_response_due;
    let head = format!(
        "{} · Sev {} · {} {}",
        incident.number, incident.severity, incident.product, incident.version
    );
    let mut content = match (kind, lang) {
        (Kind::Reminder { .. }, Language::En) => format!(
            "⏰ {head}: first response due {} ({}). Not acknowledged yet.",
            relative(due),
            full(due)
        ),
        (Kind::Reminder { .. }, Language::No) => format!(
            "⏰ {head}: første svar innen {} ({}). Ikke bekreftet ennå.",
            relative(due),
            full(due)
        ),
        (Kind::Breach, Language::En) => format!(
            "🚨 First-response deadline missed: {head} ({}) was due {}, {} late.",
            incident.organisation,
            full(due),
            span(now - due, lang)
        ),
        (Kind::Breach, Language::No) => format!(
            "🚨 Frist for første svar passert: {head} ({}) skulle besvares {}, {} for sent.",
            incident.organisation,
            full(due),
            span(now - due, lang)
        ),
        (Kind::Escalation { step }, Language::En) => format!(
            "⏫ Escalation {step}: {head} ({}) is still unacknowledged, {} past its deadline ({}).",
            incident.organisation,
            span(now - due, lang),
            relative(due)
        ),
        (Kind::Escalation { step }, Language::No) => format!(
            "⏫ Eskalering {step}: {head} ({}) er fortsatt ikke bekreftet, {} etter fristen ({}).",
            incident.organisation,
            span(now - due, lang),
            relative(due)
        ),
        (Kind::Expiry { .. } | Kind::ConfigProblem { .. }, _) => return Rendered::Skip("not an incident notice"),
    };
    if let Some(late) = late {
        content.push_str(&match lang {
            Language::En => format!(" (late by {}: the bot was offline)", span(late, lang)),
            Language::No => format!(" ({} forsinket: boten var frakoblet)", span(late, lang)),
        });
    }
    let pings = pings_for(kind, target, escalation_pings);
    let ack_button = matches!(target, Target::Engineers | Target::Managers);
    Rendered::Post {
        content,
        pings,
        ack_button,
    }
}

/// Only the roles configured for the step, and only in staff channels (never in the customer's thread).
fn pings_for(kind: Kind, target: &Target, escalation_pings: &[ConfigPing]) -> Vec<PingRole> {
    let roles: Vec<PingRole> = match (kind, target) {
        (Kind::Reminder { .. }, Target::Engineers) => vec![PingRole::Engineers],
        (Kind::Breach, Target::Managers) => vec![PingRole::Managers],
        (Kind::Escalation { .. }, Target::Managers) => escalation_pings
            .iter()
            .map(|p| match p {
                ConfigPing::Engineer => PingRole::Engineers,
                ConfigPing::OnCall => PingRole::OnCall,
                ConfigPing::Manager => PingRole::Managers,
            })
            .collect(),
        _ => Vec::new(),
    };
    roles
}

/// A pack expiry notice to its organisation.
pub fn render_expiry(
    entitlement: &crate::core::entitlement::Entitlement,
    plan_name: &str,
    days: u32,
    written_off: u32,
    lang: Language,
) -> Rendered {
    let expires = entitlement
        .expires_on
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    match (days, lang) {
        (0, _) if written_off == 0 => Rendered::Skip("no units to write off"),
        (0, Language::En) => Rendered::Post {
            content: format!(
                "📦 {written_off} unused units of {plan_name} ({}) expired today (P-PLAN-2).",
                entitlement.id
            ),
            pings: Vec::new(),
            ack_button: false,
        },
        (0, Language::No) => Rendered::Post {
            content: format!(
                "📦 {written_off} ubrukte enheter av {plan_name} ({}) utløp i dag (P-PLAN-2).",
                entitlement.id
            ),
            pings: Vec::new(),
            ack_button: false,
        },
        _ if entitlement.units_left == 0 => Rendered::Skip("no units left"),
        (_, Language::En) => Rendered::Post {
            content: format!(
                "📦 {plan_name} ({}) has {} units left; they expire {} (P-PLAN-2).",
                entitlement.id,
                entitlement.units_left,
                expires.map(relative).unwrap_or_default()
            ),
            pings: Vec::new(),
            ack_button: false,
        },
        (_, Language::No) => Rendered::Post {
            content: format!(
                "📦 {plan_name} ({}) har {} enheter igjen; de utløper {} (P-PLAN-2).",
                entitlement.id,
                entitlement.units_left,
                expires.map(relative).unwrap_or_default()
            ),
            pings: Vec::new(),
            ack_button: false,
        },
    }
}

/// A channel the bot cannot post to, told to the managers (once per channel).
pub fn render_config_problem(channel: u64, _last_error: Option<&str>) -> Rendered {
    Rendered::Post {
        content: format!(
            "⚠️ Configuration problem: the bot cannot post to <#{channel}> (missing access or unknown channel). \
             Notices for it are not retried; fix the channel id in intakebot.toml or the bot's permissions. Details are in the log."
        ),
        pings: vec![PingRole::Managers],
        ack_button: false,
    }
}

pub use render_incident as render;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_naturally_in_both_languages() {
        assert_eq!(span(Duration::minutes(125), Language::En), "2 h 5 min");
        assert_eq!(span(Duration::minutes(120), Language::No), "2 t");
        assert_eq!(span(Duration::minutes(7), Language::En), "7 min");
    }

    #[test]
    fn escalation_pings_only_the_configured_roles_in_the_managers_channel() {
        let pings = [ConfigPing::OnCall, ConfigPing::Manager];
        assert_eq!(
            pings_for(Kind::Escalation { step: 2 }, &Target::Managers, &pings),
            vec![PingRole::OnCall, PingRole::Managers]
        );
        assert!(pings_for(Kind::Escalation { step: 2 }, &Target::Thread, &pings).is_empty());
        assert!(pings_for(Kind::Reminder { step: 1 }, &Target::Thread, &pings).is_empty());
    }
}
