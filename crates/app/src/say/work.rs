//! What the bot says while incidents are opened and worked, and about packs.

use super::{and_list, date, plan_name, state_name, units_left, Words};
use crate::error::ErrorId;
use crate::present::ListedIncident;
use crate::reply::{Text, TimeStyle};
use crate::request::ListChoice;
use crate::say::RefusedPart;
use intakebot_core::entitlement::Entitlement;
use intakebot_core::ids::{AccountId, EntitlementId, IncidentNumber};
use intakebot_core::incident::{Outcome, RefundDecision};
use intakebot_core::language::Language;
use intakebot_core::plan::PlanId;

pub(super) fn opened(number: IncidentNumber, thread: u64, w: &Words<'_>) -> Text {
    Text::plain(format!("{} {number} · ", w.pick("Opened", "Åpnet"))).channel(thread)
}

/// The incident opened (its unit spent) but Discord refused its thread: its number, so nobody
/// opens it again, and the error id. "Try again" would invite a second, paid, incident.
pub(super) fn opened_without_thread(number: IncidentNumber, id: ErrorId, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("Opened {number}, but its thread could not be created (error id {id}). Do not open it again: engineers see it in their list and will contact you."),
        Language::No => format!("Åpnet {number}, men tråden kunne ikke opprettes (feil-id {id}). Ikke åpne hendelsen på nytt: teknikerne ser den i listen sin og kontakter deg."),
    })
}

pub(super) fn acknowledged(number: IncidentNumber, met: bool, w: &Words<'_>) -> Text {
    Text::plain(match (w.lang, met) {
        (Language::En, true) => format!("{number} acknowledged: first response within the deadline."),
        (Language::En, false) => format!("{number} acknowledged: first response after the deadline (breached)."),
        (Language::No, true) => format!("{number} er kvittert: første svar innen fristen."),
        (Language::No, false) => format!("{number} er kvittert: første svar etter fristen (frist brutt)."),
    })
}

pub(super) fn closed(number: IncidentNumber, outcome: Outcome, note: &str, w: &Words<'_>) -> Text {
    let main = match (outcome, w.lang) {
        (Outcome::Resolved, Language::En) => format!("{number} closed as resolved. Proposed solution: {note}"),
        (Outcome::Resolved, Language::No) => format!("{number} er lukket som løst. Foreslått løsning: {note}"),
        (Outcome::CustomerClosed, Language::En) => format!("{number} closed at the customer's request."),
        (Outcome::CustomerClosed, Language::No) => format!("{number} er lukket etter kundens ønske."),
        (Outcome::Unresolved, Language::En) => {
            format!("{number} closed as unresolved: no solution could be delivered. {note}")
        }
        (Outcome::Unresolved, Language::No) => {
            format!("{number} er lukket som uløst: ingen løsning kunne leveres. {note}")
        }
        (Outcome::OutOfScope, Language::En) => {
            format!("{number} closed as out of scope of professional support. {note}")
        }
        (Outcome::OutOfScope, Language::No) => {
            format!("{number} er lukket som utenfor omfanget av profesjonell støtte. {note}")
        }
    };
    let mut text = Text::plain(main.trim_end());
    if outcome.refund_may_be_decided() {
        text = text.push(w.pick(
            " Whether its unit goes back to the pack is decided by a manager (P-CLOSE-4).",
            " Om hendelsen føres tilbake til pakken, avgjør en leder (P-CLOSE-4).",
        ));
    }
    text
}

pub(super) fn refund_decided(number: IncidentNumber, decision: RefundDecision, w: &Words<'_>) -> Text {
    Text::plain(match (decision, w.lang) {
        (RefundDecision::Refund, Language::En) => format!("{number}: the unit was refunded to its pack (P-CLOSE-4)."),
        (RefundDecision::Refund, Language::No) => {
            format!("{number}: hendelsen ble ført tilbake til pakken (P-CLOSE-4).")
        }
        (RefundDecision::Keep, Language::En) => format!("{number}: no refund (P-CLOSE-4)."),
        (RefundDecision::Keep, Language::No) => {
            format!("{number}: hendelsen føres ikke tilbake til pakken (P-CLOSE-4).")
        }
    })
}

pub(super) fn note_for_engineers(number: IncidentNumber, author: &AccountId, text: &str, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("📝 Internal note on {number} by "),
        Language::No => format!("📝 Internt notat om {number} fra "),
    })
    .user(author.clone())
    .push(format!(": {text}"))
}

pub(super) fn note_recorded(number: IncidentNumber, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("Note recorded on {number}; only engineers and managers see it."),
        Language::No => format!("Notatet er lagret på {number}; bare teknikere og ledere ser det."),
    })
}

pub(super) fn split_done(
    parent: IncidentNumber,
    created: &[IncidentNumber],
    refused: &[RefusedPart],
    left: u32,
    w: &Words<'_>,
) -> Text {
    let names: Vec<String> = created.iter().map(|n| n.to_string()).collect();
    let mut lines = vec![match (w.lang, created.is_empty()) {
        (Language::En, false) => format!(
            "{parent} split: {} opened, each charged one unit (P-INC-3).",
            and_list(&names, w.lang)
        ),
        (Language::No, false) => format!(
            "{parent} er delt: {} er åpnet, og hver er trukket fra pakken (P-INC-3).",
            and_list(&names, w.lang)
        ),
        (Language::En, true) => format!("{parent} was not split."),
        (Language::No, true) => format!("{parent} ble ikke delt."),
    }];
    for part in refused {
        lines.push(match (w.lang, part.expired_on) {
            (Language::En, None) => format!("- «{}» not opened: the pack has no units left (P-PLAN-6).", part.title),
            (Language::No, None) => format!(
                "- «{}» er ikke åpnet: pakken har ingen hendelser igjen (P-PLAN-6).",
                part.title
            ),
            (Language::En, Some(day)) => format!(
                "- «{}» not opened: the pack expired on {} (P-PLAN-2).",
                part.title,
                date(day, w.lang)
            ),
            (Language::No, Some(day)) => format!(
                "- «{}» er ikke åpnet: pakken utløp {} (P-PLAN-2).",
                part.title,
                date(day, w.lang)
            ),
        });
    }
    lines.push(match w.lang {
        Language::En => format!("Units used: {}; {}.", created.len(), units_left(left, w.lang)),
        Language::No => format!("Trukket fra pakken: {}; {}.", created.len(), units_left(left, w.lang)),
    });
    Text::plain(lines.join("\n"))
}

pub(super) fn granted(pack: EntitlementId, plan: PlanId, units: u32, w: &Words<'_>) -> Text {
    let name = plan_name(w.policy, plan, w.lang);
    Text::plain(match w.lang {
        Language::En => format!("Granted {pack}: {name}, {}.", units_left(units, w.lang)),
        Language::No => format!("Tildelt {pack}: {name}, {}.", units_left(units, w.lang)),
    })
}

pub(super) fn transferred(pack: EntitlementId, owner: &AccountId, w: &Words<'_>) -> Text {
    Text::plain(format!(
        "{} {pack} {} ",
        w.pick("Moved", "Flyttet"),
        w.pick("to", "til")
    ))
    .user(owner.clone())
    .push(" (P-PLAN-4).")
}

/// A usable pack as an autocomplete choice.
pub(super) fn pack_choice(pack: &Entitlement, w: &Words<'_>) -> Text {
    let expiry = pack
        .expires_on
        .map(|d| format!(" · {} {}", w.pick("expires", "utløper"), date(d, w.lang)))
        .unwrap_or_default();
    Text::plain(format!(
        "{} ({}) · {}{expiry}",
        plan_name(w.policy, pack.plan, w.lang),
        pack.id,
        units_left(pack.units_left, w.lang)
    ))
}

pub(super) fn incident_list(which: ListChoice, incidents: &[ListedIncident], w: &Words<'_>) -> Text {
    let heading = match which {
        ListChoice::Open => w.pick("**Open incidents**", "**Åpne hendelser**"),
        ListChoice::Waiting => w.pick("**Waiting for a first response**", "**Venter på første svar**"),
        ListChoice::AtRisk => w.pick("**At risk of breaching**", "**I fare for fristbrudd**"),
        ListChoice::Breached => w.pick("**Breached**", "**Frist brutt**"),
    };
    let mut text = Text::plain(heading);
    if incidents.is_empty() {
        return text.push(w.pick("\n(none)", "\n(ingen)"));
    }
    for i in incidents {
        text = text
            .push(format!(
                "\n{} · {} {} · {} · {} {} · {} · {} ",
                i.number,
                w.pick("Sev", "Grad"),
                i.severity,
                i.organisation,
                i.product,
                i.version,
                state_name(i.state, w.lang),
                w.pick("first response due", "frist for første svar"),
            ))
            .time(i.due, TimeStyle::Relative);
    }
    text
}

pub(super) fn already_taken_over(number: IncidentNumber, by: &AccountId, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("{number} was already taken over by "),
        Language::No => format!("{number} er allerede tatt over av "),
    })
    .user(by.clone())
    .push(".")
}

pub(super) fn taken_over(number: IncidentNumber, by: &AccountId, waiting: bool, w: &Words<'_>) -> Text {
    let text = Text::plain(format!("{number} "))
        .push(w.pick("taken over by ", "er tatt over av "))
        .user(by.clone());
    text.push(match (w.lang, waiting) {
        (Language::En, true) => {
            "; its escalations stop. It stays in the daily digest of breaches until an engineer answers."
        }
        (Language::No, true) => {
            "; eskaleringene stopper. Den står i den daglige oversikten over brutte frister til en tekniker svarer."
        }
        (Language::En, false) => ".",
        (Language::No, false) => ".",
    })
}

pub(super) fn only_24x7_for_a(number: IncidentNumber, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("{number} is not severity A; 24x7 is offered for severity A only (P-SEV-4). Nothing was changed."),
        Language::No => format!("{number} har ikke alvorlighetsgrad A; døgnet rundt (24/7) tilbys bare for alvorlighetsgrad A (P-SEV-4). Ingenting ble endret."),
    })
}

pub(super) fn already_24x7(number: IncidentNumber, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("{number} already runs around the clock (24x7)."),
        Language::No => format!("{number} følges allerede opp døgnet rundt (24/7)."),
    })
}

pub(super) fn already_answered(number: IncidentNumber, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => {
            format!("{number} already has its first response; its clock has stopped, so nothing was changed.")
        }
        Language::No => format!("{number} har allerede fått første svar; klokken er stoppet, så ingenting ble endret."),
    })
}

pub(super) fn deadline_passed(number: IncidentNumber, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!(
            "The first-response deadline of {number} has passed; managers are already alerted, so nothing was changed."
        ),
        Language::No => format!(
            "Fristen for første svar på {number} er passert; lederne er allerede varslet, så ingenting ble endret."
        ),
    })
}

pub(super) fn switched_to_24x7(
    number: IncidentNumber,
    due: chrono::DateTime<chrono::Utc>,
    contact: &str,
    w: &Words<'_>,
) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("{number} now runs around the clock (24x7), first response due "),
        Language::No => format!("{number} følges nå opp døgnet rundt (24/7), frist for første svar "),
    })
    .time(due, TimeStyle::Full)
    .push(match w.lang {
        Language::En => format!(". On-call contact: {contact} (P-SEV-4, P-SEV-5)."),
        Language::No => format!(". Vaktkontakt: {contact} (P-SEV-4, P-SEV-5)."),
    })
}
