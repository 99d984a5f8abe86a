//! Errors and refusals a user can act on: each says what was wrong and what to do.

use super::{and_list, state_name, Words};
use crate::error::ErrorId;
use crate::reply::Text;
use intakebot_core::entitlement::TransferRefused;
use intakebot_core::ids::{EntitlementId, IncidentNumber, OrgId};
use intakebot_core::incident::{IncidentState, TransitionError};
use intakebot_core::language::Language;

fn plain(w: &Words<'_>, en: &str, no: &str) -> Text {
    Text::plain(w.pick(en, no))
}

pub(super) fn apology(id: ErrorId, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => {
            format!("Sorry, something went wrong on our side. Nothing was lost; please try again. (error id {id})")
        }
        Language::No => format!("Beklager, noe gikk galt hos oss. Ingenting gikk tapt; prøv igjen. (feil-id {id})"),
    })
}

pub(super) fn not_a_customer(w: &Words<'_>) -> Text {
    plain(
        w,
        "Only customers of an organisation can open incidents. Ask a manager to give you your organisation's role.",
        "Bare kunder i en organisasjon kan åpne hendelser. Be en leder om å gi deg organisasjonens rolle.",
    )
}

pub(super) fn wrong_intake_channel(own: u64, w: &Words<'_>) -> Text {
    Text::plain(w.pick(
        "This is another organisation's intake channel, so nothing was opened here. Open your incident in ",
        "Dette er en annen organisasjons kanal for nye hendelser, så ingenting ble åpnet her. Åpne hendelsen din i ",
    ))
    .channel(own)
    .push(".")
}

pub(super) fn unknown_product(product: &str, known: &[String], w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!(
            "I do not know the product {product:?}. Known products: {}.",
            known.join(", ")
        ),
        Language::No => format!(
            "Jeg kjenner ikke produktet «{product}». Kjente produkter: {}.",
            known.join(", ")
        ),
    })
}

pub(super) fn unknown_version(product: &str, version: &str, known: &[String], w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!(
            "{product} has no version {version:?}. Its versions: {}.",
            and_list(known, w.lang)
        ),
        Language::No => format!(
            "{product} har ingen versjon «{version}». Versjonene er {}.",
            and_list(known, w.lang)
        ),
    })
}

pub(super) fn missing_severity(w: &Words<'_>) -> Text {
    plain(
        w,
        "Choose the severity: A (critical business impact), B (moderate) or C (minimal).",
        "Velg alvorlighetsgrad: A (kritisk forretningsinnvirkning), B (moderat) eller C (minimal).",
    )
}

pub(super) fn bad_severity(w: &Words<'_>) -> Text {
    plain(
        w,
        "The severity is A, B or C; nothing was opened.",
        "Alvorlighetsgraden er A, B eller C; ingenting ble åpnet.",
    )
}

pub(super) fn missing_solution(w: &Words<'_>) -> Text {
    plain(
        w,
        "Write the proposed solution; the incident stays open until then.",
        "Skriv den foreslåtte løsningen; hendelsen er åpen til da.",
    )
}

pub(super) fn no_plan_usable(w: &Words<'_>) -> Text {
    plain(
        w,
        "No support plan can be used for this request; nothing was opened.",
        "Ingen støtteplan kan brukes for denne forespørselen; ingenting ble åpnet.",
    )
}

pub(super) fn already_opened(number: IncidentNumber, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("This request was already opened as {number}; nothing more was charged."),
        Language::No => {
            format!("Denne forespørselen er allerede åpnet som {number}; ingenting mer ble trukket fra pakken.")
        }
    })
}

pub(super) fn name_the_incident(w: &Words<'_>) -> Text {
    plain(
        w,
        "Name the incident (e.g. INC-000123) or run this in its thread.",
        "Oppgi hendelsen (f.eks. INC-000123) eller kjør dette i tråden dens.",
    )
}

pub(super) fn not_found(number: IncidentNumber, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("{number} was not found."),
        Language::No => format!("Fant ikke {number}."),
    })
}

pub(super) fn not_allowed(number: IncidentNumber, why: &TransitionError, w: &Words<'_>) -> Text {
    let no = w.is_no();
    Text::plain(match why {
        TransitionError::NotAllowed { needed, .. } => match (no, *needed) {
            (false, needed) => format!("Only {needed} can do that on {number}."),
            (true, "engineers") => format!("Bare teknikere kan gjøre det på {number}."),
            (true, "managers") => format!("Bare ledere kan gjøre det på {number}."),
            (true, _) => format!("Bare kunden som åpnet {number}, kan gjøre det."),
        },
        TransitionError::AlreadyAcknowledged => match no {
            false => format!("{number} is already acknowledged."),
            true => format!("{number} er allerede kvittert."),
        },
        TransitionError::Closed(_) => match no {
            false => format!("{number} is closed; nothing was changed."),
            true => format!("{number} er lukket; ingenting ble endret."),
        },
        TransitionError::NotClosed => match no {
            false => format!("{number} is not closed yet; a refund is decided after an unresolved, out-of-scope or customer close."),
            true => format!("{number} er ikke lukket ennå; tilbakeføring avgjøres etter at en hendelse er lukket som uløst, utenfor omfanget eller etter kundens ønske."),
        },
        TransitionError::RefundAfterResolved => match no {
            false => format!("{number} was resolved; a resolved incident is not refunded (P-CLOSE-4)."),
            true => format!("{number} ble løst; en løst hendelse føres ikke tilbake til pakken (P-CLOSE-4)."),
        },
        TransitionError::RefundAlreadyDecided => match no {
            false => format!("The refund of {number} was already decided."),
            true => format!("Tilbakeføringen for {number} er allerede avgjort."),
        },
        TransitionError::SplitTooSmall(n) => match no {
            false => format!("Split {number} into at least 2 sub-problems (you listed {n})."),
            true => format!("Del {number} i minst 2 delproblemer (du oppga {n})."),
        },
    })
}

pub(super) fn only_engineers_resolve(w: &Words<'_>) -> Text {
    plain(
        w,
        "Only engineers can resolve incidents.",
        "Bare teknikere kan løse hendelser.",
    )
}

pub(super) fn choose_outcome(w: &Words<'_>) -> Text {
    plain(
        w,
        "Choose how it closes: unresolved or out-of-scope (or resolve it with a proposed solution).",
        "Velg hvordan den lukkes: uløst eller utenfor omfanget (eller løs den med en foreslått løsning).",
    )
}

pub(super) fn only_staff_notes(w: &Words<'_>) -> Text {
    plain(
        w,
        "Only engineers and managers can write internal notes.",
        "Bare teknikere og ledere kan skrive interne notater.",
    )
}

pub(super) fn empty_note(w: &Words<'_>) -> Text {
    plain(
        w,
        "The note is empty; nothing was recorded.",
        "Notatet er tomt; ingenting ble lagret.",
    )
}

pub(super) fn only_staff_lists(w: &Words<'_>) -> Text {
    plain(
        w,
        "Only engineers and managers can list incidents; use /incident status for yours.",
        "Bare teknikere og ledere kan liste hendelser; bruk /hendelse status for dine.",
    )
}

pub(super) fn only_managers(w: &Words<'_>) -> Text {
    plain(w, "Only managers can do that.", "Bare ledere kan gjøre det.")
}

pub(super) fn only_managers_see_reports(w: &Words<'_>) -> Text {
    plain(
        w,
        "Only managers can see the SLA report.",
        "Bare ledere kan se SLA-rapporten.",
    )
}

pub(super) fn not_a_member(w: &Words<'_>) -> Text {
    plain(
        w,
        "You are not a member of any organisation.",
        "Du er ikke medlem av noen organisasjon.",
    )
}

pub(super) fn unknown_organisation(org: &OrgId, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("There is no organisation {org:?} in the configuration."),
        Language::No => format!("Det finnes ingen organisasjon «{org}» i konfigurasjonen."),
    })
}

pub(super) fn no_such_pack(pack: EntitlementId, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("There is no pack {pack}."),
        Language::No => format!("Det finnes ingen pakke {pack}."),
    })
}

pub(super) fn transfer_refused(pack: EntitlementId, why: &TransferRefused, w: &Words<'_>) -> Text {
    Text::plain(match (why, w.lang) {
        (TransferRefused::OrderNumberMismatch, Language::En) => {
            format!("{pack}: the order number does not match this pack's purchase (P-PLAN-4); nothing was moved.")
        }
        (TransferRefused::OrderNumberMismatch, Language::No) => {
            format!("{pack}: ordrenummeret stemmer ikke med kjøpet av pakken (P-PLAN-4); ingenting ble flyttet.")
        }
        (TransferRefused::SameOwner, Language::En) => {
            format!("{pack} already belongs to that account; nothing was moved.")
        }
        (TransferRefused::SameOwner, Language::No) => {
            format!("{pack} tilhører allerede den kontoen; ingenting ble flyttet.")
        }
        (TransferRefused::NothingLeft, Language::En) => format!("{pack} has no units left to move."),
        (TransferRefused::NothingLeft, Language::No) => format!("{pack} har ingen hendelser igjen å flytte."),
    })
}

pub(super) fn no_units_left(w: &Words<'_>) -> Text {
    plain(
        w,
        "That plan has no units left; nothing was charged. Ask a manager about more units.",
        "Den støtteplanen har ingen hendelser igjen; ingen hendelse ble trukket fra pakken. Spør en leder om flere.",
    )
}

pub(super) fn pack_expired(w: &Words<'_>) -> Text {
    plain(
        w,
        "That plan has expired (P-PLAN-2); nothing was charged.",
        "Den støtteplanen er utløpt (P-PLAN-2); ingen hendelse ble trukket fra pakken.",
    )
}

pub(super) fn order_number_mismatch(w: &Words<'_>) -> Text {
    plain(
        w,
        "The order number does not match this pack's purchase (P-PLAN-4); nothing was moved.",
        "Ordrenummeret stemmer ikke med kjøpet av pakken (P-PLAN-4); ingenting ble flyttet.",
    )
}

pub(super) fn changed_meanwhile(number: IncidentNumber, now: IncidentState, w: &Words<'_>) -> Text {
    let state = state_name(now, w.lang);
    Text::plain(match w.lang {
        Language::En => format!("{number} changed meanwhile: it is now {state}. Nothing was done."),
        Language::No => format!("{number} ble endret i mellomtiden: den er nå {state}. Ingenting ble gjort."),
    })
}

pub(super) fn already_refunded(number: IncidentNumber, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("The unit of {number} was already refunded."),
        Language::No => format!("Hendelsen {number} er allerede ført tilbake til pakken."),
    })
}

pub(super) fn only_author_completes(w: &Words<'_>) -> Text {
    plain(
        w,
        "Only the person who wrote the request can complete it.",
        "Bare den som skrev forespørselen, kan fullføre den.",
    )
}

pub(super) fn invalid(invalid: &crate::request::Invalid, w: &Words<'_>) -> Text {
    use crate::request::Invalid;
    let en = w.lang == Language::En;
    Text::plain(match invalid {
        Invalid::IncidentNumber(s) if en => format!("{s:?} is not an incident number: write e.g. INC-000123."),
        Invalid::IncidentNumber(s) => format!("«{s}» er ikke et hendelsesnummer: skriv f.eks. INC-000123."),
        Invalid::PackId(s) if en => format!("{s:?} is not a pack id: write e.g. E12."),
        Invalid::PackId(s) => format!("«{s}» er ikke en pakke-ID: skriv f.eks. E12."),
        Invalid::Plan(s) if en => format!("{s:?} is neither a pack id like E12 nor a plan like five-pack."),
        Invalid::Plan(s) => format!("«{s}» er verken en pakke-ID som E12 eller en støtteplan som five-pack."),
        Invalid::Date(s) if en => format!("{s:?} is not a date: write e.g. 2027-03-01."),
        Invalid::Date(s) => format!("«{s}» er ikke en dato: skriv f.eks. 2027-03-01."),
        Invalid::Severity(s) if en => format!("{s:?} is not a severity: use A, B or C."),
        Invalid::Severity(s) => format!("«{s}» er ikke en alvorlighetsgrad: bruk A, B eller C."),
        Invalid::Option { name, input } if en => format!("I could not read {name} {input:?}; nothing was done."),
        Invalid::Option { name, input } => format!("Jeg kunne ikke lese {name} «{input}»; ingenting ble gjort."),
        Invalid::OutsideServer if en => "Use this command in the support server.".to_string(),
        Invalid::OutsideServer => "Bruk denne kommandoen på støtteserveren.".to_string(),
        Invalid::Failed(_) if en => "Sorry, something went wrong on our side.".to_string(),
        Invalid::Failed(_) => "Beklager, noe gikk galt hos oss.".to_string(),
    })
}
