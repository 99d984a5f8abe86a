//! Autocomplete for product, version and plan: only what the member may use.

use super::Context;
use poise::serenity_prelude as serenity;

const MAX_CHOICES: usize = 25;

pub async fn product(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let needle = partial.to_lowercase();
    let choices = ctx
        .data()
        .app
        .config
        .catalog
        .products
        .iter()
        .filter(|p| {
            p.name.to_lowercase().contains(&needle) || p.aliases.iter().any(|a| a.to_lowercase().contains(&needle))
        })
        .take(MAX_CHOICES)
        .map(|p| serenity::AutocompleteChoice::new(p.name.clone(), p.name.clone()))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Versions of the product typed so far, newest first, with their lifecycle phase today.
pub async fn version(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let product = typed_option(ctx, "product");
    let today = chrono::Utc::now().date_naive();
    let choices = product
        .and_then(|p| ctx.data().app.config.catalog.product(&p).cloned())
        .map(|p| {
            p.versions
                .iter()
                .rev()
                .filter(|v| v.name.to_lowercase().starts_with(&partial.to_lowercase()))
                .take(MAX_CHOICES)
                .map(|v| {
                    serenity::AutocompleteChoice::new(format!("{} ({})", v.name, v.phase_on(today)), v.name.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// The member's usable entitlements for the product version typed so far (P-N1-3).
pub async fn plan(ctx: Context<'_>, _partial: &str) -> serenity::CreateAutocompleteResponse {
    let choices = plan_choices(ctx).await.unwrap_or_default();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

async fn plan_choices(ctx: Context<'_>) -> Option<Vec<serenity::AutocompleteChoice>> {
    let app = &ctx.data().app;
    let member = super::commands::member(ctx).await.ok()?;
    let request = crate::app::OpenRequest {
        source: crate::store::SourceId(String::new()),
        member,
        product: typed_option(ctx, "product")?,
        version: typed_option(ctx, "version")?,
        severity: crate::core::severity::Severity::C,
        coverage: crate::core::severity::Coverage::BusinessHours,
        on_call: None,
        entitlement: None,
        title: String::new(),
        problem: String::new(),
        borderline_exclusion: None,
    };
    let lang = request.member.language;
    let (_, decision) = app.evaluate(&request, chrono::Utc::now()).await.ok()?;
    Some(
        decision
            .usable
            .iter()
            .take(MAX_CHOICES)
            .map(|e| {
                let name = &app.config.policy.plan(e.plan).name;
                let expiry = e
                    .expires_on
                    .map(|d| format!(" · {} {d}", lang.pick("expires", "utløper")))
                    .unwrap_or_default();
                serenity::AutocompleteChoice::new(
                    format!(
                        "{} ({}) · {} {}{expiry}",
                        lang.pick(&name.en, &name.no),
                        e.id,
                        e.units_left,
                        lang.pick("units", "enheter")
                    ),
                    e.id.to_string(),
                )
            })
            .collect(),
    )
}

/// The value typed so far in another option of the same command.
fn typed_option(ctx: Context<'_>, name: &str) -> Option<String> {
    let poise::Context::Application(app_ctx) = ctx else {
        return None;
    };
    app_ctx
        .args
        .iter()
        .find(|o| o.name == name)
        .and_then(|o| match &o.value {
            serenity::ResolvedValue::String(s) => Some(s.to_string()),
            serenity::ResolvedValue::Autocomplete { value, .. } => Some(value.to_string()),
            _ => None,
        })
}
