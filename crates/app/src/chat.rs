//! Plain messages in an intake channel, read by the intake grammar: a complete request opens
//! an incident; anything else is answered in words (P-SCOPE-1, P-SCOPE-2, P-INC-1). Only a
//! customer's message is intake: staff talk in intake channels is left alone.

use crate::error::AppError;
use crate::open::{self, OpenContext};
use crate::reply::{Action, Button, ButtonStyle, Message, OpenNote};
use crate::request::OpenCommand;
use crate::say::{Label, Say};
use crate::turn::{Replies, Turn};
use intakebot_core::ids::{AccountId, OrgId};
use intakebot_core::incident::Role;
use intakebot_core::intake::{interpret, IncidentDraft, IntakeContext, Interpretation, MissingField, SeverityFinding};
use intakebot_core::language::Language;
use intakebot_store::SourceId;

pub(crate) async fn message(turn: &Turn<'_>, org: &OrgId, text: &str, addressed: bool) -> Replies {
    if turn.member.role != Role::Customer {
        return Ok(Vec::new());
    }
    let org_lang = turn
        .app
        .organisation(org)
        .map_or(turn.app.staff_language(), |o| o.language);
    let reading = interpret(text, &context(turn, org_lang, addressed));
    let lang = reading.language;
    let zone = turn.app.calendar_of(org).zone();
    let say = match reading.interpretation {
        Interpretation::NotForUs(_) => return Ok(Vec::new()),
        Interpretation::NotUnderstood => Say::NotUnderstood,
        Interpretation::Question { answer, .. } => Say::Verbatim(answer),
        Interpretation::Pointer(kind) => Say::Pointer(kind),
        Interpretation::OutOfScope(key) => Say::OutOfScope(key),
        Interpretation::Request(draft) => return request(turn, draft, lang).await,
    };
    Ok(vec![turn.here(lang, zone, Message::text(turn.app.text(&say, lang)))])
}

fn context<'a>(turn: &'a Turn<'_>, hint: Language, addressed: bool) -> IntakeContext<'a> {
    IntakeContext {
        patterns: &turn.app.config.intake,
        products: &turn.app.products,
        language_hint: hint,
        in_incident_thread: false,
        addressed_to_bot: addressed,
    }
}

/// A request: opened when nothing without a safe default is missing, else the bot says what
/// is missing and offers a form prefilled from the message.
async fn request(turn: &Turn<'_>, draft: IncidentDraft, lang: Language) -> Replies {
    let missing: Vec<MissingField> = draft.missing.iter().copied().filter(|m| !has_default(*m)).collect();
    let org = open::customer_org(turn)?;
    let zone = turn.app.calendar_of(&org).zone();
    if !missing.is_empty() {
        let text = Say::Missing {
            missing,
            severity: draft.severity.clone(),
            split_hint: draft.split_hint,
        };
        let text = turn.app.text(&text, lang);
        let button = Button {
            action: Action::CompleteDraft {
                message: turn.req.source.0.parse().unwrap_or_default(),
            },
            label: Label::CompleteButton.words(lang).to_string(),
            style: ButtonStyle::Secondary,
        };
        return Ok(vec![turn.here(
            lang,
            zone,
            Message::text(text).with_buttons(vec![button]),
        )]);
    }
    let mut notes = Vec::new();
    if draft.split_hint {
        notes.push(OpenNote::SplitHint);
    }
    if draft.borderline_exclusion.is_some() {
        notes.push(OpenNote::Borderline);
    }
    let ctx = OpenContext {
        borderline_exclusion: draft.borderline_exclusion.is_some(),
        confirm_here: true,
        notes,
    };
    open::open(turn, &open_command(&draft), &turn.req.source, Some(ctx)).await
}

/// Coverage defaults to business hours, which needs no commitment from the customer; an
/// on-call contact matters only for 24x7 (P-SEV-4, P-SEV-5). The rest has no safe default.
fn has_default(field: MissingField) -> bool {
    matches!(field, MissingField::Coverage | MissingField::OnCallContact)
}

fn open_command(draft: &IncidentDraft) -> OpenCommand {
    OpenCommand {
        product: draft.product.clone().unwrap_or_default(),
        version: draft.version.clone().unwrap_or_default(),
        severity: draft.severity.as_ref().and_then(SeverityFinding::explicit),
        coverage: draft.coverage,
        on_call: draft.on_call_contact.map(|u| AccountId::new(u.0.to_string())),
        plan: None,
        title: None,
        problem: Some(draft.problem.clone()),
    }
}

/// "Complete the request": the form prefilled from the message, for its author only.
pub(crate) async fn complete_draft(turn: &Turn<'_>, message: u64, author: &AccountId, text: &str) -> Replies {
    if author != &turn.member.account {
        return Err(AppError::user(Say::OnlyAuthorCompletes));
    }
    let org_lang = turn.member.language;
    let draft = match interpret(text, &context(turn, org_lang, false)).interpretation {
        Interpretation::Request(draft) => Some(draft),
        _ => None,
    };
    let form = crate::forms::draft_form(message, draft.as_ref(), text, turn.lang());
    Ok(vec![turn.private_content(crate::reply::Content::Form(form))])
}

/// The source of a completed draft: the original message, so it opens one incident only.
pub(crate) fn draft_source(message: u64) -> SourceId {
    SourceId(message.to_string())
}
