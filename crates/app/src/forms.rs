//! Buttons and forms: what a pressed button does, which fields a form asks for, and what a
//! submitted form completes.

use crate::error::AppError;
use crate::reply::{Action, Form, FormField, FormKind};
use crate::request::OpenCommand;
use crate::say::{Label, Say};
use crate::turn::{Replies, Turn};
use intakebot_core::intake::{IncidentDraft, SeverityFinding};
use intakebot_core::language::Language;
use intakebot_core::severity::Severity;
use std::collections::BTreeMap;

pub(crate) async fn press(turn: &Turn<'_>, action: &Action) -> Replies {
    match action {
        Action::Acknowledge(number) => crate::work::ack(turn, Some(*number)).await,
        Action::Resolve(number) => crate::work::resolve(turn, Some(*number), None).await,
        Action::Close(number) => crate::work::close(turn, Some(*number), None, None).await,
        Action::ShowUnavailable { product, version } => crate::info::plans(turn, product, version, true),
        Action::ShowUnusablePacks { product, version } => crate::info::unavailable_packs(turn, product, version).await,
        Action::TakeOver(number) => crate::ladder::take_over(turn, *number).await,
        Action::SwitchTo24x7(number) => crate::ladder::ask_on_call(turn, *number).await,
        Action::CompleteDraft { .. } => Err(AppError::internal(std::io::Error::other(
            "a front end sent the draft button without its message (Command::CompleteDraft)",
        ))),
    }
}

pub(crate) async fn submit(turn: &Turn<'_>, kind: &FormKind, values: &BTreeMap<String, String>) -> Replies {
    let value = |id: &str| values.get(id).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    match kind {
        FormKind::Open { open, source } => {
            let mut cmd = (**open).clone();
            cmd.title = value("title").or(cmd.title);
            cmd.problem = value("problem");
            crate::open::open(turn, &cmd, source, None).await
        }
        FormKind::Resolve(number) => {
            let solution = value("solution").ok_or_else(|| AppError::user(Say::MissingSolution))?;
            crate::work::resolve(turn, Some(*number), Some(&solution)).await
        }
        FormKind::OnCall(number) => {
            let contact = value("on_call").ok_or_else(|| AppError::user(Say::MissingOnCall))?;
            crate::ladder::switch_to_24x7(turn, *number, &contact).await
        }
        FormKind::Draft { message } => {
            let severity = value("severity")
                .ok_or_else(|| AppError::user(Say::MissingSeverity))?
                .parse::<Severity>()
                .map_err(|_| AppError::user(Say::BadSeverity))?;
            let cmd = OpenCommand {
                product: value("product").unwrap_or_default(),
                version: value("version").unwrap_or_default(),
                severity: Some(severity),
                coverage: None,
                on_call: None,
                plan: None,
                title: value("title"),
                problem: value("problem"),
            };
            crate::open::open(turn, &cmd, &crate::chat::draft_source(*message), None).await
        }
    }
}

/// A form of `kind` with its fields labelled in `lang`.
pub(crate) fn form(kind: FormKind, lang: Language, title: Option<String>) -> Form {
    let fields = match &kind {
        FormKind::Open { .. } => vec![
            field("title", Label::FieldTitle, lang, false, 100, title),
            field("problem", Label::FieldProblem, lang, true, 4000, None),
        ],
        FormKind::Resolve(_) => vec![field("solution", Label::FieldSolution, lang, true, 4000, None)],
        FormKind::OnCall(_) => vec![field("on_call", Label::FieldOnCall, lang, true, 200, None)],
        FormKind::Draft { .. } => Vec::new(),
    };
    let title = match &kind {
        FormKind::Open { .. } => Label::FormNewIncident,
        FormKind::Resolve(_) => Label::FormResolve,
        FormKind::OnCall(_) => Label::FormOnCall,
        FormKind::Draft { .. } => Label::FormCompleteDraft,
    };
    Form {
        kind,
        title: title.words(lang).to_string(),
        fields,
    }
}

/// The "complete the request" form, prefilled with what the message already said.
pub(crate) fn draft_form(message: u64, draft: Option<&IncidentDraft>, text: &str, lang: Language) -> Form {
    let severity = draft.and_then(|d| match &d.severity {
        Some(SeverityFinding::Explicit(s)) | Some(SeverityFinding::Suggested { severity: s, .. }) => {
            Some(s.to_string())
        }
        _ => None,
    });
    let problem = draft.map_or_else(|| text.to_string(), |d| d.problem.clone());
    let title = crate::present::title_from(&problem);
    let problem: String = problem.chars().take(4000).collect();
    Form {
        kind: FormKind::Draft { message },
        title: Label::FormCompleteDraft.words(lang).to_string(),
        fields: vec![
            field(
                "product",
                Label::FieldProduct,
                lang,
                true,
                100,
                draft.and_then(|d| d.product.clone()),
            ),
            field(
                "version",
                Label::FieldVersion,
                lang,
                true,
                100,
                draft.and_then(|d| d.version.clone()),
            ),
            field("severity", Label::FieldSeverity, lang, true, 1, severity),
            field("title", Label::FieldTitle, lang, false, 100, Some(title)),
            field("problem", Label::FieldProblem, lang, true, 4000, Some(problem)),
        ],
    }
}

fn field(id: &'static str, label: Label, lang: Language, required: bool, max: u16, value: Option<String>) -> FormField {
    let paragraph = max > 200;
    FormField {
        id,
        label: label.words(lang).to_string(),
        paragraph,
        required,
        max_chars: max,
        value,
    }
}
