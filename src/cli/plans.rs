//! `intakebot plans`: the eligibility view of a product version (P-N1-3), for operators
//! answering "why can't I use my Gold pack?".

use crate::config::Config;
use crate::core::catalog::{Catalog, Product, Version};
use crate::core::language::Language;
use crate::core::plan::SignInKind;
use crate::core::policy::{plan_view, PlanView, Policy, Subject};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct PlansArgs {
    /// Product key, name or alias, e.g. "SQL Server" or sql-server.
    #[arg(long)]
    pub product: String,
    /// Version name, e.g. 2019.
    #[arg(long)]
    pub version: String,
    /// The instant to evaluate at (RFC 3339); default now.
    #[arg(long)]
    pub at: Option<DateTime<Utc>>,
    /// How the requester signs in (P-PLAN-5).
    #[arg(long, default_value = "work")]
    pub sign_in: SignInKind,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PlansError {
    #[error("no product {0:?} in the catalog; known: {1}")]
    UnknownProduct(String, String),
    #[error("{0} has no version {1:?}; known: {2}")]
    UnknownVersion(String, String, String),
    /// The cause follows in the printed chain (`{err:#}`), once.
    #[error("cannot write the output")]
    Io(#[from] std::io::Error),
}

pub fn resolve<'a>(
    catalog: &'a Catalog,
    product: &str,
    version: &str,
) -> Result<(&'a Product, &'a Version), PlansError> {
    let p = catalog.product(product).ok_or_else(|| {
        let known: Vec<&str> = catalog.products.iter().map(|p| p.name.as_str()).collect();
        PlansError::UnknownProduct(product.to_string(), known.join(", "))
    })?;
    let v = p.version(version).ok_or_else(|| {
        let known: Vec<&str> = p.versions.iter().map(|v| v.name.as_str()).collect();
        PlansError::UnknownVersion(p.name.clone(), version.to_string(), known.join(", "))
    })?;
    Ok((p, v))
}

pub fn run(args: &PlansArgs, config: &Config, now: DateTime<Utc>, out: &mut impl Write) -> Result<(), PlansError> {
    let (product, version) = resolve(&config.catalog, &args.product, &args.version)?;
    let at = args.at.unwrap_or(now);
    let view = plan_view(&config.policy, Subject { product, version }, args.sign_in, at);
    if args.json {
        let doc = to_json(&config.policy, product, version, &view);
        writeln!(out, "{}", serde_json::to_string_pretty(&doc).unwrap_or_default())?;
    } else {
        write_text(&config.policy, product, version, at, &view, out)?;
    }
    Ok(())
}

fn to_json(policy: &Policy, product: &Product, version: &Version, view: &PlanView) -> serde_json::Value {
    let available: Vec<_> = view
        .available
        .iter()
        .map(|p| json!({"plan": p, "name": policy.plan(*p).name.en}))
        .collect();
    let unavailable: Vec<_> = view
        .unavailable
        .iter()
        .map(|u| {
            json!({
                "plan": u.plan,
                "message": u.message,
                "rules": u.rules,
                "reasons": u.reasons.iter().map(|r| intakebot_app::explain_denial(policy, r, Language::En)).collect::<Vec<_>>(),
                "pointers": u.pointers.iter().map(|p| json!({"kind": p, "url": policy.pointers.url(*p)})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "product": product.name,
        "version": version.name,
        "phase": view.phase,
        "available": available,
        "unavailable": unavailable,
    })
}

fn write_text(
    policy: &Policy,
    product: &Product,
    version: &Version,
    at: DateTime<Utc>,
    view: &PlanView,
    out: &mut impl Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} {} on {}: {}",
        product.name,
        version.name,
        at.date_naive(),
        view.phase
    )?;
    writeln!(out, "Available:")?;
    if view.available.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for plan in &view.available {
        writeln!(out, "  {:<18} {}", plan.as_str(), policy.plan(*plan).name.en)?;
    }
    writeln!(out, "Unavailable:")?;
    for u in &view.unavailable {
        let rules: Vec<&str> = u.rules.iter().map(|r| r.as_str()).collect();
        writeln!(out, "  {:<18} {} [{}]", u.plan.as_str(), u.message, rules.join(", "))?;
        for reason in &u.reasons {
            writeln!(
                out,
                "      - {}",
                intakebot_app::explain_denial(policy, reason, Language::En)
            )?;
        }
        for pointer in &u.pointers {
            writeln!(out, "      → {}", policy.pointers.url(*pointer))?;
        }
    }
    Ok(())
}
