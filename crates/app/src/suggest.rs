//! Autocomplete while a command is typed: products and their versions from the catalog, and
//! the plans the member's organisation can use for the product version typed so far (P-N1-3).

use crate::open::{customer_org, evaluate_usable, resolve_product};
use crate::reply::{Choice, Content};
use crate::request::{AutocompleteCommand, AutocompleteField};
use crate::say::Say;
use crate::turn::{Replies, Turn};
use intakebot_core::policy::SlaRequest;
use intakebot_core::severity::{Coverage, Severity};

/// Discord shows at most 25 choices.
const MAX_CHOICES: usize = 25;

pub(crate) async fn suggest(turn: &Turn<'_>, ask: &AutocompleteCommand) -> Replies {
    let choices = match ask.field {
        AutocompleteField::Product => products(turn, &ask.partial),
        AutocompleteField::Version => versions(turn, ask),
        AutocompleteField::Plan => plans(turn, ask).await.unwrap_or_default(),
        AutocompleteField::Organisation => organisations(turn, &ask.partial),
    };
    Ok(vec![turn.private_content(Content::Choices(choices))])
}

fn products(turn: &Turn<'_>, partial: &str) -> Vec<Choice> {
    let needle = partial.to_lowercase();
    turn.app
        .config
        .catalog
        .products
        .iter()
        .filter(|p| {
            p.name.to_lowercase().contains(&needle) || p.aliases.iter().any(|a| a.to_lowercase().contains(&needle))
        })
        .take(MAX_CHOICES)
        .map(|p| Choice {
            label: p.name.clone(),
            value: p.name.clone(),
        })
        .collect()
}

/// The configured organisations whose id or name contains what is typed; staff only (a customer
/// never learns the other customers' names).
fn organisations(turn: &Turn<'_>, partial: &str) -> Vec<Choice> {
    if !turn.member.is_staff() {
        return Vec::new();
    }
    let needle = partial.trim().to_lowercase();
    turn.app
        .config
        .app
        .organisations
        .iter()
        .filter(|o| o.id.as_str().to_lowercase().contains(&needle) || o.name.to_lowercase().contains(&needle))
        .take(MAX_CHOICES)
        .map(|o| Choice {
            label: format!("{} ({})", o.name, o.id),
            value: o.id.to_string(),
        })
        .collect()
}

/// Versions of the product typed so far, newest first, with their lifecycle phase today.
fn versions(turn: &Turn<'_>, ask: &AutocompleteCommand) -> Vec<Choice> {
    let today = turn.now().date_naive();
    let lang = turn.lang();
    let Some(product) = ask.product.as_deref().and_then(|p| turn.app.config.catalog.product(p)) else {
        return Vec::new();
    };
    let partial = ask.partial.to_lowercase();
    product
        .versions
        .iter()
        .rev()
        .filter(|v| v.name.to_lowercase().starts_with(&partial))
        .take(MAX_CHOICES)
        .map(|v| Choice {
            label: format!("{} ({})", v.name, crate::say::phase_name(v.phase_on(today), lang)),
            value: v.name.clone(),
        })
        .collect()
}

/// The member's usable packs for the product version typed so far, soonest-expiring first.
async fn plans(turn: &Turn<'_>, ask: &AutocompleteCommand) -> Option<Vec<Choice>> {
    let org = customer_org(turn).ok()?;
    let resolved = resolve_product(turn.app, ask.product.as_deref()?, ask.version.as_deref()?).ok()?;
    let probe = SlaRequest {
        severity: Severity::C,
        coverage: Coverage::BusinessHours,
        has_on_call_contact: false,
    };
    let decision = evaluate_usable(turn, &org, &resolved, probe).await.ok()?;
    let lang = turn.lang();
    Some(
        decision
            .usable
            .iter()
            .take(MAX_CHOICES)
            .map(|e| Choice {
                label: turn.app.words(&Say::PackChoice(e.clone()), lang),
                value: e.id.to_string(),
            })
            .collect(),
    )
}
