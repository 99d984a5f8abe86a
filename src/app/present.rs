//! What the front ends show, built once: the incident card and the refusal with its
//! unavailable plans. Discord renders a card as an embed, the console as text.

use super::open::{OpenedIncident, Refusal};
use crate::core::language::Language;
use crate::core::policy::{Pointer, Policy, UNAVAILABLE_MESSAGE, UNAVAILABLE_MESSAGE_NO};
use crate::scheduler::render::{full, relative};
use crate::store::Incident;

/// A titled list of fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub title: String,
    pub fields: Vec<(String, String)>,
    pub footer: Option<String>,
}

impl Card {
    pub fn to_text(&self) -> String {
        let mut out = format!("┌ {}\n", self.title);
        for (label, value) in &self.fields {
            out.push_str(&format!("│ {label}: {value}\n"));
        }
        if let Some(footer) = &self.footer {
            out.push_str(&format!("└ {footer}\n"));
        }
        out
    }
}

fn label(lang: Language, en: &str, no: &str) -> String {
    lang.pick(en, no).to_string()
}

/// The incident card posted in the new thread.
pub fn incident_card(opened: &OpenedIncident, policy: &Policy, lang: Language) -> Card {
    let i = &opened.incident;
    let plan = &policy.plan(opened.charged.plan).name;
    let mut fields = vec![
        (
            label(lang, "Severity", "Alvorlighetsgrad"),
            severity_text(i, policy, lang),
        ),
        (label(lang, "Coverage", "Dekning"), coverage_text(i, lang)),
        (
            label(lang, "Product", "Produkt"),
            format!("{} {} ({})", i.product, i.version, opened.decision.phase),
        ),
        (
            label(lang, "Plan", "Plan"),
            format!(
                "{} · {} {}",
                lang.pick(&plan.en, &plan.no),
                opened.charged.units_left,
                lang.pick("units left", "enheter igjen")
            ),
        ),
        (
            label(lang, "Problem definition", "Problemdefinisjon"),
            i.problem.clone(),
        ),
        (
            label(lang, "First response due", "Første svar innen"),
            format!("{} ({})", full(i.first_response_due), relative(i.first_response_due)),
        ),
    ];
    if let Some(downgrade) = opened.decision.target.downgrade {
        fields.push((label(lang, "Note", "Merk"), downgrade.explain(lang).to_string()));
    }
    if i.flags
        .iter()
        .any(|f| matches!(f, crate::store::IncidentFlag::BorderlineScope))
    {
        fields.push((
            label(lang, "Scope", "Omfang"),
            label(
                lang,
                "borderline: an engineer will confirm it is covered (P-SCOPE-1)",
                "grensetilfelle: en tekniker bekrefter at saken dekkes (P-SCOPE-1)",
            ),
        ));
    }
    Card {
        title: format!("{} · {}", i.number, i.title),
        fields,
        // P-CLOSE-5: the bot never promises a resolution.
        footer: Some(label(
            lang,
            "We will respond by the deadline; a resolution cannot be guaranteed.",
            "Vi svarer innen fristen; en løsning kan ikke garanteres.",
        )),
    }
}

/// The status of an incident, for `/incident status`.
pub fn status_card(i: &Incident, lang: Language) -> Card {
    let mut fields = vec![
        (label(lang, "State", "Status"), i.state.as_str().to_string()),
        (label(lang, "Severity", "Alvorlighetsgrad"), i.severity.to_string()),
        (
            label(lang, "Product", "Produkt"),
            format!("{} {}", i.product, i.version),
        ),
        (
            label(lang, "First response due", "Første svar innen"),
            format!("{} ({})", full(i.first_response_due), relative(i.first_response_due)),
        ),
    ];
    if let Some(at) = i.acknowledged_at {
        let met = at <= i.first_response_due;
        fields.push((
            label(lang, "First response", "Første svar"),
            format!(
                "{} · {}",
                full(at),
                if met {
                    lang.pick("met", "innenfor fristen")
                } else {
                    lang.pick("late", "for sent")
                }
            ),
        ));
    }
    if let Some(at) = i.closed_at {
        fields.push((label(lang, "Closed", "Lukket"), full(at)));
    }
    Card {
        title: format!("{} · {}", i.number, i.title),
        fields,
        footer: None,
    }
}

fn severity_text(i: &Incident, policy: &Policy, lang: Language) -> String {
    let rule = policy.severity(i.severity);
    format!("{} · {}", i.severity, lang.pick(&rule.meaning.en, &rule.meaning.no))
}

fn coverage_text(i: &Incident, lang: Language) -> String {
    match i.coverage {
        crate::core::severity::Coverage::TwentyFourSeven => {
            label(lang, "24x7 (clock hours)", "døgnet rundt (klokketimer)")
        }
        crate::core::severity::Coverage::BusinessHours => label(lang, "business hours", "arbeidstid"),
    }
}

/// The refusal: every reason in plain words, and where the policy points.
pub fn refusal_text(refusal: &Refusal, policy: &Policy, lang: Language) -> String {
    let product = format!("{} {}", refusal.product.product.name, refusal.product.version.name);
    let mut out = match lang {
        Language::En => format!(
            "None of your organisation's plans can be used for {product} ({}):\n",
            refusal.decision.phase
        ),
        Language::No => format!(
            "Ingen av organisasjonens planer kan brukes for {product} ({}):\n",
            refusal.decision.phase
        ),
    };
    if refusal.decision.unusable.is_empty() {
        out.push_str(lang.pick(
            "- your organisation holds no plans\n",
            "- organisasjonen har ingen planer\n",
        ));
    }
    for u in &refusal.decision.unusable {
        let plan = &policy.plan(u.entitlement.plan).name;
        let reasons: Vec<String> = u.why.reasons.iter().map(|r| r.explain(lang)).collect();
        out.push_str(&format!(
            "- {} ({}): {}\n",
            lang.pick(&plan.en, &plan.no),
            u.entitlement.id,
            reasons.join("; ")
        ));
    }
    for pointer in &refusal.decision.pointers {
        out.push_str(&format!("→ {}\n", pointer_text(*pointer, policy, lang)));
    }
    out
}

/// "Show unavailable plans" (P-N1-3): each plan with the exact message and its rules.
pub fn unavailable_plans_text(refusal: &Refusal, policy: &Policy, lang: Language) -> String {
    let message = lang.pick(UNAVAILABLE_MESSAGE, UNAVAILABLE_MESSAGE_NO);
    let mut out = String::new();
    for u in &refusal.decision.unusable {
        let plan = &policy.plan(u.entitlement.plan).name;
        let rules: Vec<&str> = u.why.rules.iter().map(|r| r.as_str()).collect();
        out.push_str(&format!(
            "• {} ({}): \"{message}\" [{}]\n",
            lang.pick(&plan.en, &plan.no),
            u.entitlement.id,
            rules.join(", ")
        ));
        for pointer in &u.why.pointers {
            out.push_str(&format!("   → {}\n", pointer_text(*pointer, policy, lang)));
        }
    }
    out
}

pub fn pointer_text(pointer: Pointer, policy: &Policy, lang: Language) -> String {
    let url = policy.pointers.url(pointer);
    let what = match pointer {
        Pointer::SignatureCloud => lang.pick(
            "Cloud products are served by Signature Cloud support",
            "Skyprodukter støttes av Signature Cloud Support",
        ),
        Pointer::PayPerIncident => lang.pick(
            "You can still buy a single incident (pay per incident)",
            "Du kan fortsatt kjøpe en enkelthendelse (betal per hendelse)",
        ),
        Pointer::PersonalAccount => lang.pick(
            "Pay per incident needs a personal-account sign-in",
            "Betal per hendelse krever pålogging med personlig konto",
        ),
        Pointer::Billing => lang.pick(
            "Card billing questions are answered on the billing site",
            "Spørsmål om kortfakturering besvares på faktureringssiden",
        ),
        Pointer::TaxExemption => lang.pick(
            "Tax-exemption paperwork is handled here",
            "Dokumentasjon for avgiftsfritak håndteres her",
        ),
    };
    format!("{what}: {url}")
}

/// The reply to a first response: met or breached (P-SEV-6).
pub fn ack_text(incident: &Incident, lang: Language) -> String {
    let met = incident
        .acknowledged_at
        .is_some_and(|at| at <= incident.first_response_due);
    match (met, lang) {
        (true, Language::En) => format!("{} acknowledged: first response within the deadline.", incident.number),
        (true, Language::No) => format!("{} bekreftet: første svar innenfor fristen.", incident.number),
        (false, Language::En) => format!(
            "{} acknowledged: first response after the deadline (breached).",
            incident.number
        ),
        (false, Language::No) => format!("{} bekreftet: første svar etter fristen (brutt).", incident.number),
    }
}

/// The reply to a close, telling the customer how it ended (P-CLOSE-2, P-CLOSE-3).
pub fn closed_text(incident: &Incident, outcome: crate::core::incident::Outcome, note: &str, lang: Language) -> String {
    use crate::core::incident::Outcome;
    let n = incident.number;
    match (outcome, lang) {
        (Outcome::Resolved, Language::En) => format!("{n} closed as resolved. Proposed solution: {note}"),
        (Outcome::Resolved, Language::No) => format!("{n} lukket som løst. Foreslått løsning: {note}"),
        (Outcome::CustomerClosed, Language::En) => format!("{n} closed at the customer's request."),
        (Outcome::CustomerClosed, Language::No) => format!("{n} lukket etter kundens ønske."),
        (Outcome::Unresolved, Language::En) => {
            format!("{n} closed as unresolved: no solution could be delivered. {note}")
        }
        (Outcome::Unresolved, Language::No) => format!("{n} lukket som uløst: ingen løsning kunne leveres. {note}"),
        (Outcome::OutOfScope, Language::En) => format!("{n} closed as out of scope of professional support. {note}"),
        (Outcome::OutOfScope, Language::No) => {
            format!("{n} lukket som utenfor omfanget av profesjonell støtte. {note}")
        }
    }
}

pub fn refund_text(decision: crate::core::incident::RefundDecision, lang: Language) -> &'static str {
    match decision {
        crate::core::incident::RefundDecision::Refund => {
            lang.pick("the unit was refunded (P-CLOSE-4)", "enheten ble refundert (P-CLOSE-4)")
        }
        crate::core::incident::RefundDecision::Keep => lang.pick("no refund (P-CLOSE-4)", "ingen refusjon (P-CLOSE-4)"),
    }
}

/// One line per incident, for lists.
pub fn incident_lines(incidents: &[Incident], lang: Language) -> String {
    if incidents.is_empty() {
        return lang.pick("(none)", "(ingen)").to_string();
    }
    incidents
        .iter()
        .map(|i| {
            format!(
                "{} · Sev {} · {} · {} {} · {} {}",
                i.number,
                i.severity,
                i.organisation,
                i.product,
                i.version,
                lang.pick("due", "frist"),
                relative(i.first_response_due)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An overview answer built from the policy itself, so it never disagrees with the rules.
pub fn faq_text(config: &crate::config::Config, lang: Language) -> String {
    let policy = &config.policy;
    let mut out = String::from(lang.pick("**Response times**\n", "**Responstider**\n"));
    for rule in policy.severities.values() {
        let unit = if rule.allows_24x7 {
            lang.pick("hours (24x7 possible)", "timer (døgnåpent mulig)")
        } else {
            lang.pick("business hours", "arbeidstimer")
        };
        out.push_str(&format!(
            "- {}: {} {unit} · {}\n",
            rule.severity,
            rule.first_response_hours,
            lang.pick(&rule.meaning.en, &rule.meaning.no)
        ));
    }
    out.push_str(lang.pick("**Not covered**\n", "**Dekkes ikke**\n"));
    for exclusion in &policy.exclusions {
        out.push_str(&format!("- {}\n", lang.pick(&exclusion.name.en, &exclusion.name.no)));
    }
    out.push_str(lang.pick(
        "**Packs**\n- Five-pack units expire one year after purchase and can be used only by the account that bought them.\n- Partner packs cover the current product version, and the previous one while it is in mainstream support (N-1); not cloud products.\n- Resolution cannot be guaranteed.\n",
        "**Pakker**\n- Fempakningsenheter utløper ett år etter kjøp og kan bare brukes av kontoen som kjøpte dem.\n- Partnerpakker dekker gjeldende produktversjon, og forrige mens den har grunnleggende støtte (N-1); ikke skyprodukter.\n- En løsning kan ikke garanteres.\n",
    ));
    out
}

/// `/pack balance`: each pack with its units, expiry, owner and order, then its last uses.
pub fn balance_lines(packs: &[super::PackBalance], policy: &Policy, lang: Language) -> String {
    let mut lines = Vec::new();
    for pack in packs {
        let e = &pack.entitlement;
        let name = &policy.plan(e.plan).name;
        let expiry = match (e.expires_on, pack.expired) {
            (Some(d), true) => format!("{} {d}", lang.pick("expired", "utløpt")),
            (Some(d), false) => format!("{} {d}", lang.pick("expires", "utløper")),
            (None, _) => lang.pick("no expiry", "utløper ikke").to_string(),
        };
        lines.push(format!(
            "{} {} · {} {} · {expiry} · {} {} · {} {}",
            e.id,
            lang.pick(&name.en, &name.no),
            e.units_left,
            lang.pick("units left", "enheter igjen"),
            lang.pick("owner", "eier"),
            e.owner,
            lang.pick("order", "ordre"),
            e.order_number
        ));
        for entry in &pack.recent {
            let incident = entry.incident.map(|n| format!(" {n}")).unwrap_or_default();
            lines.push(format!(
                "    {} {}{incident} {:+} ({})",
                entry.at.format("%Y-%m-%d %H:%M"),
                entry.kind.as_str(),
                entry.delta,
                entry.reason
            ));
        }
    }
    if lines.is_empty() {
        lang.pick("(no packs)", "(ingen pakker)").to_string()
    } else {
        lines.join("\n")
    }
}
