//! What the bot says to chat messages, and the FAQ overview built from the policy itself.

use super::{policy, Words};
use crate::reply::{OpenNote, Text};
use intakebot_core::intake::{ExclusionKey, MissingField, PointerKind, SeverityFinding};
use intakebot_core::language::Language;
use intakebot_core::policy::Pointer;

pub(super) fn note(note: OpenNote, w: &Words<'_>) -> Text {
    Text::plain(match note {
        OpenNote::SplitHint => split_hint(w),
        OpenNote::BusinessHoursByDefault => w.pick(
            "It runs on business hours. Severity A can run around the clock (24x7) if someone on your side is on call 24x7 (P-SEV-4, P-SEV-5).",
            "Den følger arbeidstiden. Alvorlighetsgrad A kan følges opp døgnet rundt (24/7) hvis noen hos dere er vaktkontakt hele døgnet (P-SEV-4, P-SEV-5).",
        ),
        OpenNote::Borderline => w.pick(
            "It may be outside what professional support covers; an engineer will confirm (P-SCOPE-1).",
            "Den kan være utenfor det profesjonell støtte dekker; en tekniker bekrefter det (P-SCOPE-1).",
        ),
    })
}

fn split_hint<'s>(w: &Words<'s>) -> &'static str {
    match w.lang {
        Language::En => "This looks like several problems; each is its own incident (P-INC-1), so consider opening them separately.",
        Language::No => "Dette ser ut som flere problemer; hvert problem er en egen hendelse (P-INC-1), så vurder å åpne dem hver for seg.",
    }
}

pub(super) fn pointer(kind: PointerKind, w: &Words<'_>) -> Text {
    let pointer = match kind {
        PointerKind::Billing => Pointer::Billing,
        PointerKind::TaxExemption => Pointer::TaxExemption,
    };
    policy::pointer(pointer, w).push(w.pick(
        ". No incident was opened and nothing was charged (P-SCOPE-2).",
        ". Ingen hendelse ble åpnet, og ingen hendelse ble trukket fra pakken (P-SCOPE-2).",
    ))
}

pub(super) fn out_of_scope(key: ExclusionKey, w: &Words<'_>) -> Text {
    let name = w
        .policy
        .exclusions
        .iter()
        .find(|e| e.key == key.as_str())
        .map(|e| w.pick(&e.name.en, &e.name.no).to_string())
        .unwrap_or_else(|| key.as_str().to_string());
    Text::plain(match w.lang {
        Language::En => format!("Professional support does not cover {name} (P-SCOPE-1), so no incident was opened and nothing was charged."),
        Language::No => format!("Profesjonell støtte dekker ikke {name} (P-SCOPE-1), så ingen hendelse ble åpnet, og ingen hendelse ble trukket fra pakken."),
    })
}

/// Names what is missing; a suggested severity is offered, never set.
pub(super) fn missing(
    missing: &[MissingField],
    severity: Option<&SeverityFinding>,
    split: bool,
    w: &Words<'_>,
) -> Text {
    let names: Vec<&str> = missing.iter().map(|m| missing_name(*m, w)).collect();
    let mut text = match w.lang {
        Language::En => format!("To open an incident I still need {}.", names.join(", ")),
        Language::No => format!("For å åpne en hendelse trenger jeg fortsatt {}.", names.join(", ")),
    };
    match severity {
        Some(SeverityFinding::Suggested { severity, word }) => text.push_str(&match w.lang {
            Language::En => format!(" \"{word}\" sounds like severity {severity}; please confirm it."),
            Language::No => format!(" «{word}» høres ut som alvorlighetsgrad {severity}; bekreft den."),
        }),
        Some(SeverityFinding::Conflicting(found)) => {
            let list: Vec<String> = found.iter().map(|s| s.to_string()).collect();
            text.push_str(&match w.lang {
                Language::En => format!(" You named several severities ({}); which one is it?", list.join(", ")),
                Language::No => format!(
                    " Du nevnte flere alvorlighetsgrader ({}); hvilken gjelder?",
                    list.join(", ")
                ),
            });
        }
        Some(SeverityFinding::Explicit(_)) | None => {}
    }
    if split {
        text.push(' ');
        text.push_str(split_hint(w));
    }
    Text::plain(text)
}

fn missing_name<'s>(field: MissingField, w: &Words<'s>) -> &'static str {
    match (field, w.lang) {
        (MissingField::Severity, Language::En) => "the severity (A, B or C)",
        (MissingField::Severity, Language::No) => "alvorlighetsgraden (A, B eller C)",
        (MissingField::Product, Language::En) => "the product",
        (MissingField::Product, Language::No) => "produktet",
        (MissingField::Version, Language::En) => "the version",
        (MissingField::Version, Language::No) => "versjonen",
        (MissingField::Coverage, Language::En) => "the coverage (business hours or 24x7)",
        (MissingField::Coverage, Language::No) => "dekningen (arbeidstid eller døgnet rundt (24/7))",
        (MissingField::OnCallContact, Language::En) => "an on-call contact (for 24x7)",
        (MissingField::OnCallContact, Language::No) => "en vaktkontakt (for døgnet rundt (24/7))",
        (MissingField::ProblemStatement, Language::En) => "a description of the problem",
        (MissingField::ProblemStatement, Language::No) => "en beskrivelse av problemet",
    }
}

pub(super) fn not_understood(w: &Words<'_>) -> Text {
    Text::plain(w.pick(
        "I could not read a request in that. To open an incident, write the severity (A, B or C), the product and version, and what is wrong, e.g. \"Sev B: SQL Server 2022 backups fail since Monday\", or use /incident open. /faq answers common questions.",
        "Jeg fant ingen forespørsel i det. For å åpne en hendelse skriver du alvorlighetsgraden (A, B eller C), produktet og versjonen og hva som er galt, f.eks. «Grad B: SQL Server 2022-sikkerhetskopiene feiler siden mandag», eller bruker /hendelse åpne. /spørsmål svarer på vanlige spørsmål.",
    ))
}

/// The FAQ overview, built from the policy so it never disagrees with the rules.
pub(super) fn faq(w: &Words<'_>) -> Text {
    let policy = w.policy;
    let mut out = String::from(w.pick("**First response**\n", "**Første svar**\n"));
    for rule in policy.severities.values() {
        let unit = match (rule.allows_24x7, w.lang) {
            (true, Language::En) => "hours (24x7 possible)",
            (true, Language::No) => "timer (døgnet rundt (24/7) er mulig)",
            (false, Language::En) => "business hours",
            (false, Language::No) => "arbeidstimer",
        };
        let label = w.pick("Severity", "Alvorlighetsgrad");
        out.push_str(&format!(
            "- {label} {}: {} {unit} · {}\n",
            rule.severity,
            rule.first_response_hours,
            w.pick(&rule.meaning.en, &rule.meaning.no)
        ));
    }
    out.push_str(w.pick("**Not covered**\n", "**Dekkes ikke**\n"));
    for exclusion in &policy.exclusions {
        out.push_str(&format!("- {}\n", w.pick(&exclusion.name.en, &exclusion.name.no)));
    }
    out.push_str(w.pick(
        "**Packs**\n- Five-pack units expire one year after purchase and can be used only by the account that bought them.\n- Partner packs cover the current product version, and the previous one while it is in mainstream support (N-1); not cloud products.\n- A resolution cannot be guaranteed.\n",
        "**Pakker**\n- Hendelser i en fempakning utløper ett år etter kjøpet og kan bare brukes av kontoen som kjøpte dem.\n- Partnerpakker dekker gjeldende versjon av produktet, og forrige versjon mens den har grunnleggende støtte (N-1); ikke skyprodukter.\n- En løsning kan ikke garanteres.\n",
    ));
    Text::plain(out)
}
