//! Plain chat messages in an intake channel, read by the intake grammar: a complete request
//! becomes an `OpenRequest`; anything else is answered in words (P-SCOPE-1, P-SCOPE-2, P-INC-1).

use super::member::Member;
use super::open::OpenRequest;
use super::App;
use crate::core::ids::AccountId;
use crate::core::intake::{
    interpret, IncidentDraft, IntakeContext, Interpretation, MissingField, PointerKind, SeverityFinding,
};
use crate::core::language::Language;
use crate::core::policy::Pointer;
use crate::core::severity::Coverage;
use crate::store::SourceId;

/// What to do with a chat message.
#[derive(Debug, Clone)]
pub enum ChatOutcome {
    /// Not a new case (small talk, chatter): no reply.
    Ignore,
    /// Answer, pointer or out-of-scope reply; no incident, no unit (P-SCOPE-1, P-SCOPE-2).
    Reply(String),
    /// A request that lacks something: say what, and offer to complete it.
    Incomplete { text: String, draft: Box<IncidentDraft> },
    /// A complete request, ready to open; `note` (a split hint) goes with the confirmation.
    Open {
        request: Box<OpenRequest>,
        note: Option<String>,
    },
}

impl App {
    /// Reads a customer's message. `source` is the message id (the idempotency key).
    pub fn read_message(&self, member: &Member, text: &str, language_hint: Language, source: SourceId) -> ChatOutcome {
        let reading = interpret(text, &self.intake_context(language_hint));
        let lang = reading.language;
        match reading.interpretation {
            // Stopgap until the lead wires the "here is how to ask" reply (issue 18).
            Interpretation::NotForUs(_) | Interpretation::NotUnderstood => ChatOutcome::Ignore,
            Interpretation::Question { answer, .. } => ChatOutcome::Reply(answer),
            Interpretation::Pointer(kind) => ChatOutcome::Reply(self.pointer_reply(kind, lang)),
            Interpretation::OutOfScope(key) => ChatOutcome::Reply(self.out_of_scope_reply(key.as_str(), lang)),
            Interpretation::Request(draft) if draft.missing.is_empty() => {
                let note = draft.split_hint.then(|| split_hint(lang).to_string());
                let mut member = member.clone();
                member.language = lang;
                ChatOutcome::Open {
                    request: Box::new(request_from(&draft, member, source)),
                    note,
                }
            }
            Interpretation::Request(draft) => ChatOutcome::Incomplete {
                text: missing_text(&draft, lang),
                draft: Box::new(draft),
            },
        }
    }

    /// The draft of a message, for prefilling a completion form.
    pub fn read_draft(&self, text: &str, language_hint: Language) -> Option<IncidentDraft> {
        match interpret(text, &self.intake_context(language_hint)).interpretation {
            Interpretation::Request(draft) => Some(draft),
            _ => None,
        }
    }

    fn intake_context(&self, language_hint: Language) -> IntakeContext<'_> {
        IntakeContext {
            patterns: &self.config.intake,
            products: &self.products,
            language_hint,
            in_incident_thread: false,
            addressed_to_bot: false,
        }
    }

    fn pointer_reply(&self, kind: PointerKind, lang: Language) -> String {
        let pointer = match kind {
            PointerKind::Billing => Pointer::Billing,
            PointerKind::TaxExemption => Pointer::TaxExemption,
        };
        let text = super::present::pointer_text(pointer, &self.config.policy, lang);
        format!(
            "{text}. {}",
            lang.pick(
                "No incident was opened and nothing was charged (P-SCOPE-2).",
                "Ingen sak ble åpnet og ingenting ble trukket (P-SCOPE-2)."
            )
        )
    }

    fn out_of_scope_reply(&self, key: &str, lang: Language) -> String {
        let name = self
            .config
            .policy
            .exclusions
            .iter()
            .find(|e| e.key == key)
            .map(|e| lang.pick(&e.name.en, &e.name.no).to_string())
            .unwrap_or_else(|| key.to_string());
        match lang {
            Language::En => format!("Professional support does not cover {name} (P-SCOPE-1), so no incident was opened and nothing was charged."),
            Language::No => format!("Profesjonell støtte dekker ikke {name} (P-SCOPE-1), så ingen sak ble åpnet og ingenting ble trukket."),
        }
    }
}

fn request_from(draft: &IncidentDraft, member: Member, source: SourceId) -> OpenRequest {
    let product = draft.product.clone().unwrap_or_default();
    let version = draft.version.clone().unwrap_or_default();
    let severity = draft
        .severity
        .as_ref()
        .and_then(SeverityFinding::explicit)
        .unwrap_or(crate::core::severity::Severity::C);
    let title: String = draft
        .problem
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(80)
        .collect();
    OpenRequest {
        source,
        member,
        product,
        version,
        severity,
        coverage: draft.coverage.unwrap_or(Coverage::BusinessHours),
        on_call: draft.on_call_contact.map(|u| AccountId::new(u.0.to_string())),
        entitlement: None,
        title,
        problem: draft.problem.clone(),
        borderline_exclusion: draft.borderline_exclusion.map(|k| k.as_str().to_string()),
    }
}

/// Names what is missing, in the user's language; a suggested severity is offered, never set.
pub fn missing_text(draft: &IncidentDraft, lang: Language) -> String {
    let names: Vec<&str> = draft.missing.iter().map(|m| missing_name(*m, lang)).collect();
    let mut text = match lang {
        Language::En => format!("To open an incident I still need: {}.", names.join(", ")),
        Language::No => format!("For å åpne en sak trenger jeg fortsatt: {}.", names.join(", ")),
    };
    match &draft.severity {
        Some(SeverityFinding::Suggested { severity, word }) => text.push_str(&match lang {
            Language::En => format!(" \"{word}\" sounds like severity {severity}; please confirm it."),
            Language::No => format!(" «{word}» høres ut som alvorlighetsgrad {severity}; bekreft det."),
        }),
        Some(SeverityFinding::Conflicting(found)) => {
            let list: Vec<String> = found.iter().map(|s| s.to_string()).collect();
            text.push_str(&match lang {
                Language::En => format!(" You named several severities ({}); which one is it?", list.join(", ")),
                Language::No => format!(
                    " Du nevnte flere alvorlighetsgrader ({}); hvilken gjelder?",
                    list.join(", ")
                ),
            });
        }
        _ => {}
    }
    if draft.split_hint {
        text.push(' ');
        text.push_str(split_hint(lang));
    }
    text
}

fn missing_name(field: MissingField, lang: Language) -> &'static str {
    match field {
        MissingField::Severity => lang.pick("the severity (A, B or C)", "alvorlighetsgraden (A, B eller C)"),
        MissingField::Product => lang.pick("the product", "produktet"),
        MissingField::Version => lang.pick("the version", "versjonen"),
        MissingField::Coverage => lang.pick(
            "the coverage (business hours or 24x7)",
            "dekningen (arbeidstid eller døgnet rundt)",
        ),
        MissingField::OnCallContact => lang.pick(
            "a contact on call around the clock (for 24x7)",
            "en kontaktperson tilgjengelig hele døgnet (for døgnåpent)",
        ),
        MissingField::ProblemStatement => lang.pick("a description of the problem", "en beskrivelse av problemet"),
    }
}

fn split_hint(lang: Language) -> &'static str {
    lang.pick(
        "This looks like several problems; each is its own incident (P-INC-1), so consider opening them separately.",
        "Dette ser ut som flere problemer; hvert er en egen sak (P-INC-1), så vurder å åpne dem hver for seg.",
    )
}
