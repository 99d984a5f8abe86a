//! The policy in words: why a plan cannot be used, where to go instead, phases, states and
//! plan names. The engine decides (`intakebot_core::policy`); this only says it.

use super::{date, Words};
use crate::reply::Text;
use intakebot_core::catalog::LifecyclePhase;
use intakebot_core::ids::AccountId;
use intakebot_core::incident::{IncidentState, Outcome};
use intakebot_core::language::Language;
use intakebot_core::plan::{PlanId, SignInKind};
use intakebot_core::policy::{Denial, Downgrade, Pointer, Policy};
use intakebot_core::severity::Coverage;

pub(super) fn downgrade(downgrade: Downgrade, w: &Words<'_>) -> Text {
    Text::plain(match downgrade {
        Downgrade::SeverityNotEligible => w.pick(
            "24x7 is offered for severity A only, so this incident runs on business hours (P-SEV-4).",
            "Døgnet rundt (24/7) tilbys bare for alvorlighetsgrad A, så hendelsen følger arbeidstiden (P-SEV-4).",
        ),
        Downgrade::NoOnCallContact => w.pick(
            "24x7 needs a contact on your side who is on call around the clock; none was named, so this incident runs on business hours (P-SEV-5).",
            "Døgnet rundt (24/7) krever en vaktkontakt hos dere som er tilgjengelig hele døgnet; ingen ble oppgitt, så hendelsen følger arbeidstiden (P-SEV-5).",
        ),
    })
}

pub(super) fn refusal_intro(product: &str, phase: LifecyclePhase, w: &Words<'_>) -> Text {
    let phase = phase_name(phase, w.lang);
    Text::plain(match w.lang {
        Language::En => format!("None of your organisation's support plans can be used for {product} ({phase}); nothing was opened or charged."),
        Language::No => format!("Ingen av organisasjonens støtteplaner kan brukes for {product} ({phase}); ingenting ble åpnet, og ingen hendelse ble trukket fra pakken."),
    })
}

pub(super) fn named_plan_refused(named: &str, w: &Words<'_>) -> Text {
    Text::plain(match w.lang {
        Language::En => format!("The plan you chose, {named}, cannot be used for this request, so nothing was opened or charged."),
        Language::No => format!("Støtteplanen du valgte, {named}, kan ikke brukes for denne forespørselen, så ingenting ble åpnet, og ingen hendelse ble trukket fra pakken."),
    })
}

pub(super) fn not_held(named: crate::request::PlanChoice, w: &Words<'_>) -> Text {
    use crate::request::PlanChoice;
    Text::plain(match (named, w.lang) {
        (PlanChoice::Pack(id), Language::En) => format!("{id} is not one of your organisation's packs."),
        (PlanChoice::Pack(id), Language::No) => format!("{id} er ikke en av organisasjonens pakker."),
        (PlanChoice::Kind(plan), lang) => match lang {
            Language::En => format!("Your organisation holds no {}.", plan_name(w.policy, plan, lang)),
            Language::No => format!("Organisasjonen din har ingen {}.", plan_name(w.policy, plan, lang)),
        },
    })
}

/// Why a pack or plan cannot be used; an ownership refusal names the owner and the way to
/// move the units (P-PLAN-3, P-PLAN-4).
pub(super) fn denial(denial: &Denial, owner: Option<&AccountId>, w: &Words<'_>) -> Text {
    let lang = w.lang;
    let text = match denial {
        Denial::OutOfLifecycle { extended_last_day } => match lang {
            Language::En => format!("this version left its support lifecycle after {}; no plan covers it (P-LIFE-4)", date(*extended_last_day, lang)),
            Language::No => format!("denne versjonen er utenfor livssyklus etter {}; ingen støtteplan dekker den (P-LIFE-4)", date(*extended_last_day, lang)),
        },
        Denial::Unreleased { released } => match lang {
            Language::En => format!("this version is released on {} (P-LIFE-1)", date(*released, lang)),
            Language::No => format!("denne versjonen lanseres {} (P-LIFE-1)", date(*released, lang)),
        },
        Denial::MainstreamOnly { mainstream_last_day } => match lang {
            Language::En => format!("partner packs cover mainstream support only, which ended for this version on {}; use paid support (P-LIFE-3)", date(*mainstream_last_day, lang)),
            Language::No => format!("partnerpakker dekker bare grunnleggende støtte, som sluttet for denne versjonen {}; bruk betalt støtte (P-LIFE-3)", date(*mainstream_last_day, lang)),
        },
        Denial::NMinusOne { generations_behind: 1, previous_in_mainstream: false } => w
            .pick(
                "under the N-1 policy a partner pack covers the previous version only while it is in mainstream support (P-N1-2)",
                "etter N-1-policyen dekker en partnerpakke forrige versjon bare mens den har grunnleggende støtte (P-N1-2)",
            )
            .to_string(),
        Denial::NMinusOne { generations_behind, .. } => match lang {
            Language::En => format!("under the N-1 policy a partner pack covers only the current version and the one before it; this one is {generations_behind} versions behind (P-N1-2)"),
            Language::No => format!("etter N-1-policyen dekker en partnerpakke bare gjeldende versjon og den forrige; denne er {generations_behind} versjoner bak (P-N1-2)"),
        },
        Denial::CloudNotCovered => w
            .pick(
                "this plan does not cover cloud products; they are served by Signature Cloud support (P-CLOUD-1)",
                "denne støtteplanen dekker ikke skyprodukter; de støttes av Signature Cloud Support (P-CLOUD-1)",
            )
            .to_string(),
        Denial::OnPremisesNotCovered => w
            .pick("this plan covers cloud products only (P-CLOUD-1)", "denne støtteplanen dekker bare skyprodukter (P-CLOUD-1)")
            .to_string(),
        Denial::SignInNotAllowed { sign_in } => match lang {
            Language::En => format!("this plan cannot be bought with a {} sign-in; sign in with a personal Microsoft account (P-PLAN-5)", sign_in_name(*sign_in, lang)),
            Language::No => format!("denne støtteplanen kan ikke kjøpes med {}; logg på med en personlig Microsoft-konto (P-PLAN-5)", sign_in_name(*sign_in, lang)),
        },
        Denial::Expired { expired_on } => match lang {
            Language::En => format!("its units expired on {} (P-PLAN-2)", date(*expired_on, lang)),
            Language::No => format!("hendelsene i pakken utløp {} (P-PLAN-2)", date(*expired_on, lang)),
        },
        Denial::NotOwner => return not_owner(owner, w),
        Denial::NoUnitsLeft => w.pick("no units are left (P-PLAN-6)", "det er ingen hendelser igjen (P-PLAN-6)").to_string(),
    };
    Text::plain(text)
}

fn not_owner(owner: Option<&AccountId>, w: &Words<'_>) -> Text {
    let mut text = Text::plain(w.pick(
        "only the account that bought this five-pack may use it (P-PLAN-3)",
        "bare kontoen som kjøpte denne fempakningen, kan bruke den (P-PLAN-3)",
    ));
    if let Some(owner) = owner {
        text = text
            .push(w.pick("; it belongs to ", "; den tilhører "))
            .user(owner.clone());
    }
    text.push(w.pick(
        ". If its buyer has left, a manager can move the remaining units to you with /pack transfer and the order number (P-PLAN-4)",
        ". Har kjøperen sluttet, kan en leder flytte de gjenværende hendelsene til deg med /pakke overfør og ordrenummeret (P-PLAN-4)",
    ))
}

fn sign_in_name(sign_in: SignInKind, lang: Language) -> &'static str {
    match (sign_in, lang) {
        (SignInKind::Work, Language::En) => "work (Microsoft Entra)",
        (SignInKind::Work, Language::No) => "Microsoft Entra-pålogging (jobbkonto)",
        (SignInKind::Personal, Language::En) => "personal account",
        (SignInKind::Personal, Language::No) => "personlig Microsoft-konto",
    }
}

/// Where the policy sends the requester instead, with the page.
pub(super) fn pointer(pointer: Pointer, w: &Words<'_>) -> Text {
    let what = match pointer {
        Pointer::SignatureCloud => w.pick(
            "Cloud products are served by Signature Cloud support (P-CLOUD-1)",
            "Skyprodukter støttes av Signature Cloud Support (P-CLOUD-1)",
        ),
        Pointer::PayPerIncident => w.pick(
            "You can still buy a single incident (pay per incident, P-N1-4)",
            "Du kan fortsatt kjøpe én hendelse (betal per hendelse, P-N1-4)",
        ),
        Pointer::PersonalAccount => w.pick(
            "Pay per incident needs a personal Microsoft account sign-in (P-PLAN-5)",
            "Betal per hendelse krever pålogging med en personlig Microsoft-konto (P-PLAN-5)",
        ),
        Pointer::Billing => w.pick(
            "Paying, prices and card billing are handled on the billing site",
            "Spørsmål om betaling, priser og kortfakturering besvares på faktureringssiden",
        ),
        Pointer::TaxExemption => w.pick(
            "Tax-exemption paperwork is handled here",
            "Dokumentasjon for avgiftsfritak håndteres her",
        ),
    };
    Text::plain(format!("{what}: {}", w.policy.pointers.url(pointer)))
}

pub(crate) fn phase_name(phase: LifecyclePhase, lang: Language) -> &'static str {
    match (phase, lang) {
        (LifecyclePhase::Unreleased, Language::En) => "not released yet",
        (LifecyclePhase::Unreleased, Language::No) => "ikke lansert ennå",
        (LifecyclePhase::Mainstream, Language::En) => "mainstream support",
        (LifecyclePhase::Mainstream, Language::No) => "grunnleggende støtte",
        (LifecyclePhase::Extended, Language::En) => "extended support",
        (LifecyclePhase::Extended, Language::No) => "utvidet støtte",
        (LifecyclePhase::Out, Language::En) => "out of lifecycle",
        (LifecyclePhase::Out, Language::No) => "utenfor livssyklus",
    }
}

pub(crate) fn state_name(state: IncidentState, lang: Language) -> &'static str {
    match (state, lang) {
        (IncidentState::Open, Language::En) => "waiting for a first response",
        (IncidentState::Open, Language::No) => "venter på første svar",
        (IncidentState::Acknowledged, Language::En) => "acknowledged",
        (IncidentState::Acknowledged, Language::No) => "kvittert",
        (IncidentState::Closed { outcome, .. }, lang) => outcome_name(outcome, lang),
    }
}

pub(crate) fn outcome_name(outcome: Outcome, lang: Language) -> &'static str {
    match (outcome, lang) {
        (Outcome::Resolved, Language::En) => "closed as resolved",
        (Outcome::Resolved, Language::No) => "lukket som løst",
        (Outcome::Unresolved, Language::En) => "closed as unresolved",
        (Outcome::Unresolved, Language::No) => "lukket som uløst",
        (Outcome::OutOfScope, Language::En) => "closed as out of scope",
        (Outcome::OutOfScope, Language::No) => "lukket som utenfor omfanget av profesjonell støtte",
        (Outcome::CustomerClosed, Language::En) => "closed at the customer's request",
        (Outcome::CustomerClosed, Language::No) => "lukket etter kundens ønske",
    }
}

pub(crate) fn coverage_name(coverage: Coverage, lang: Language) -> &'static str {
    match (coverage, lang) {
        (Coverage::TwentyFourSeven, Language::En) => "24x7 (clock hours)",
        (Coverage::TwentyFourSeven, Language::No) => "døgnet rundt (24/7)",
        (Coverage::BusinessHours, Language::En) => "business hours",
        (Coverage::BusinessHours, Language::No) => "arbeidstid",
    }
}

pub(crate) fn plan_name(policy: &Policy, plan: PlanId, lang: Language) -> String {
    let name = &policy.plan(plan).name;
    lang.pick(&name.en, &name.no).to_string()
}
