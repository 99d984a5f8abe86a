//! `intakebot intake explain "TEXT" [--lang en|no] [--json]`: what the bot would make
//! of a message and which pattern matched, for operators tuning their patterns.

use crate::core::catalog::Catalog;
use crate::core::intake::{
    explain, IntakeContext, IntakePatterns, Interpretation, Language, ProductIndex, Reading, SeverityFinding,
};
use crate::core::policy::Policy;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{json, Value};
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum IntakeCommand {
    /// Show how a message would be read, and why.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The message text, as a user would write it.
    pub text: String,
    /// The channel's language (used when the text does not tell).
    #[arg(long, value_enum, default_value = "en")]
    pub lang: LangArg,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    No,
}

impl From<LangArg> for Language {
    fn from(l: LangArg) -> Language {
        match l {
            LangArg::En => Language::En,
            LangArg::No => Language::No,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IntakeCliError {
    #[error("cannot write the output")]
    Io(#[from] std::io::Error),
    #[error("cannot encode JSON")]
    Json(#[from] serde_json::Error),
}

pub fn run(
    command: &IntakeCommand,
    patterns: &IntakePatterns,
    catalog: &Catalog,
    policy: &Policy,
    out: &mut impl Write,
) -> Result<(), IntakeCliError> {
    let IntakeCommand::Explain(args) = command;
    let products = ProductIndex::new(catalog);
    let ctx = IntakeContext {
        patterns,
        products: &products,
        language_hint: args.lang.into(),
        in_incident_thread: false,
    };
    let reading = explain(&args.text, &ctx);
    let value = explain_json(&reading, policy);
    if args.json {
        serde_json::to_writer(&mut *out, &value)?;
        writeln!(out)?;
    } else {
        write_text(&reading, &value, out)?;
    }
    Ok(())
}

/// The `--json` object: `kind`, `severity`, `severity_is_suggestion`, `product`,
/// `version`, `coverage`, `exclusion`, `missing`, `split_hint`, `matched`, and extras.
pub fn explain_json(r: &Reading, policy: &Policy) -> Value {
    let mut v = json!({
        "kind": r.interpretation.kind(),
        "severity": null,
        "severity_is_suggestion": false,
        "conflicting_severities": [],
        "product": null,
        "version": null,
        "coverage": null,
        "on_call_contact": null,
        "exclusion": null,
        "exclusion_is_borderline": false,
        "missing": [],
        "split_hint": false,
        "matched": r.matched,
        "language": r.language,
        "truncated": r.truncated,
    });
    match &r.interpretation {
        Interpretation::NotForUs(reason) => v["reason"] = json!(reason),
        Interpretation::Question { topic, answer } => {
            v["topic"] = json!(topic);
            v["answer"] = json!(answer);
        }
        Interpretation::Pointer(kind) => {
            v["pointer"] = json!(kind.as_str());
            v["pointer_url"] = json!(pointer_url(*kind, policy));
        }
        Interpretation::OutOfScope(key) => v["exclusion"] = json!(key),
        Interpretation::Request(d) => {
            match &d.severity {
                Some(SeverityFinding::Explicit(s)) => v["severity"] = json!(s),
                Some(SeverityFinding::Suggested { severity, word }) => {
                    v["severity"] = json!(severity);
                    v["severity_is_suggestion"] = json!(true);
                    v["severity_suggested_by"] = json!(word);
                }
                Some(SeverityFinding::Conflicting(all)) => v["conflicting_severities"] = json!(all),
                None => {}
            }
            v["product"] = json!(d.product);
            v["version"] = json!(d.version);
            v["coverage"] = json!(d.coverage);
            v["on_call_contact"] = json!(d.on_call_contact.map(|c| c.to_string()));
            if let Some(key) = d.borderline_exclusion {
                v["exclusion"] = json!(key);
                v["exclusion_is_borderline"] = json!(true);
            }
            v["missing"] = json!(d.missing);
            v["split_hint"] = json!(d.split_hint);
            v["problem"] = json!(d.problem);
        }
    }
    v
}

fn pointer_url(kind: crate::core::intake::PointerKind, policy: &Policy) -> &str {
    match kind {
        crate::core::intake::PointerKind::Billing => &policy.pointers.billing,
        crate::core::intake::PointerKind::TaxExemption => &policy.pointers.tax_exemption,
    }
}

fn write_text(r: &Reading, v: &Value, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "kind:     {}", r.interpretation.kind())?;
    writeln!(out, "language: {}", r.language)?;
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
