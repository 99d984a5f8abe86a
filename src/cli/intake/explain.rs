//! `intake explain` for one message: the JSON record (shared with `--jsonl`) and the text form.

use super::{ExplainArgs, IntakeCliError};
use crate::core::intake::{
    explain, DiscordUserId, ExclusionKey, IntakeContext, Interpretation, Language, MatchExplanation, MissingField,
    NotForUsReason, PointerKind, Reading, SeverityFinding,
};
use crate::core::policy::Policy;
use crate::core::severity::{Coverage, Severity};
use serde::Serialize;
use serde_json::Value;
use std::io::{BufRead, Write};

/// The `--json` object (and each `--jsonl` line): `kind`, `decided_by` (the precedence rule)
/// and `rule` (what it means), `severity`, `severity_is_suggestion`, `product`, `version`,
/// `coverage`, `exclusion`, `missing`, `split_hint`, `matched`, and extras per kind
/// (`reason`, `topic` and `answer`, `pointer` and `pointer_url`, `severity_suggested_by`,
/// `problem`). Borrowed from the reading: writing a line allocates nothing of its own.
#[derive(Debug, Serialize)]
pub struct ExplainRecord<'a> {
    /// The input line, in `--jsonl` output only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub kind: &'static str,
    pub decided_by: &'static str,
    pub rule: &'static str,
    pub severity: Option<Severity>,
    pub severity_is_suggestion: bool,
    pub conflicting_severities: &'a [Severity],
    pub product: Option<&'a str>,
    pub version: Option<&'a str>,
    pub coverage: Option<Coverage>,
    pub on_call_contact: Option<String>,
    pub exclusion: Option<ExclusionKey>,
    pub exclusion_is_borderline: bool,
    pub missing: &'a [MissingField],
    pub split_hint: bool,
    pub matched: &'a [MatchExplanation],
    pub language: Language,
    pub truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<NotForUsReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity_suggested_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<&'a str>,
}

impl<'a> ExplainRecord<'a> {
    pub fn new(r: &'a Reading, policy: &'a Policy) -> ExplainRecord<'a> {
        let mut rec = ExplainRecord {
            line: None,
            kind: r.interpretation.kind(),
            decided_by: r.decided_by.as_str(),
            rule: r.decided_by.describe(),
            severity: None,
            severity_is_suggestion: false,
            conflicting_severities: &[],
            product: None,
            version: None,
            coverage: None,
            on_call_contact: None,
            exclusion: None,
            exclusion_is_borderline: false,
            missing: &[],
            split_hint: false,
            matched: &r.matched,
            language: r.language,
            truncated: r.truncated,
            reason: None,
            topic: None,
            answer: None,
            pointer: None,
            pointer_url: None,
            severity_suggested_by: None,
            problem: None,
        };
        match &r.interpretation {
            Interpretation::NotForUs(reason) => rec.reason = Some(*reason),
            Interpretation::NotUnderstood => {}
            Interpretation::Question { topic, answer } => {
                rec.topic = Some(topic);
                rec.answer = Some(answer);
            }
            Interpretation::Pointer(kind) => {
                rec.pointer = Some(kind.as_str());
                rec.pointer_url = Some(pointer_url(*kind, policy));
            }
            Interpretation::OutOfScope(key) => rec.exclusion = Some(*key),
            Interpretation::Request(d) => {
                match &d.severity {
                    Some(SeverityFinding::Explicit(s)) => rec.severity = Some(*s),
                    Some(SeverityFinding::Suggested { severity, word }) => {
                        rec.severity = Some(*severity);
                        rec.severity_is_suggestion = true;
                        rec.severity_suggested_by = Some(word);
                    }
                    Some(SeverityFinding::Conflicting(all)) => rec.conflicting_severities = all,
                    None => {}
                }
                rec.product = d.product.as_deref();
                rec.version = d.version.as_deref();
                rec.coverage = d.coverage;
                rec.on_call_contact = d.on_call_contact.map(|c: DiscordUserId| c.to_string());
                if let Some(key) = d.borderline_exclusion {
                    rec.exclusion = Some(key);
                    rec.exclusion_is_borderline = true;
                }
                rec.missing = &d.missing;
                rec.split_hint = d.split_hint;
                rec.problem = Some(&d.problem);
            }
        }
        rec
    }
}

/// The `--json` object as a value.
pub fn explain_json(r: &Reading, policy: &Policy) -> Value {
    serde_json::to_value(ExplainRecord::new(r, policy)).unwrap_or(Value::Null)
}

fn pointer_url(kind: PointerKind, policy: &Policy) -> &str {
    match kind {
        PointerKind::Billing => &policy.pointers.billing,
        PointerKind::TaxExemption => &policy.pointers.tax_exemption,
    }
}

/// One message from the argument, or from stdin for `-`.
pub(super) fn run(
    args: &ExplainArgs,
    ctx: &IntakeContext<'_>,
    policy: &Policy,
    mut stdin: impl BufRead,
    out: &mut impl Write,
) -> Result<(), IntakeCliError> {
    let text = match args.text.as_deref() {
        Some("-") | None => {
            let mut bytes = Vec::new();
            stdin.read_to_end(&mut bytes).map_err(IntakeCliError::Stdin)?;
            String::from_utf8(bytes).map_err(IntakeCliError::StdinNotUtf8)?
        }
        Some(text) => text.to_string(),
    };
    let reading = explain(&text, ctx);
    if args.json {
        serde_json::to_writer(&mut *out, &ExplainRecord::new(&reading, policy))?;
        writeln!(out)?;
    } else {
        write_text(&reading, &explain_json(&reading, policy), out)?;
    }
    Ok(())
}

fn write_text(r: &Reading, v: &Value, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "kind:     {}", r.interpretation.kind())?;
    writeln!(out, "language: {}", r.language)?;
    writeln!(out, "decided by: {} ({})", r.decided_by, r.decided_by.describe())?;
    let fields = [
        "reason",
        "topic",
        "pointer",
        "pointer_url",
        "severity",
        "severity_is_suggestion",
        "conflicting_severities",
        "product",
        "version",
        "coverage",
        "on_call_contact",
        "exclusion",
        "exclusion_is_borderline",
        "missing",
        "split_hint",
        "truncated",
    ];
    for field in fields {
        match &v[field] {
            Value::Null | Value::Bool(false) => {}
            Value::Array(a) if a.is_empty() => {}
            Value::String(s) => writeln!(out, "{field}: {s}")?,
            other => writeln!(out, "{field}: {other}")?,
        }
    }
    if let Interpretation::Question { answer, .. } = &r.interpretation {
        writeln!(out, "answer:\n  {answer}")?;
    }
    writeln!(out, "matched:")?;
    if r.matched.is_empty() {
        writeln!(out, "  (nothing)")?;
    }
    for m in &r.matched {
        let group = serde_json::to_value(m.group).ok();
        let group = group.as_ref().and_then(Value::as_str).unwrap_or("?");
        writeln!(out, "  {group:<20} {:<45} {:?}", m.pattern, m.text)?;
    }
    Ok(())
}
