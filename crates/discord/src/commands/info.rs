//! `/plans` (`/støtteplaner`), `/faq` (`/spørsmål`) and the autocomplete of products,
//! versions, plans and organisations, all answered by the app.

use super::run;
use crate::{identity, Context, Error};
use intakebot_app::reply::Content;
use intakebot_app::request::{AutocompleteCommand, AutocompleteField};
use intakebot_app::Command;
use poise::serenity_prelude as serenity;

/// Which support plans can be used for a product version, and why the others cannot
#[poise::command(
    slash_command,
    name_localized("no", "støtteplaner"),
    description_localized(
        "no",
        "Hvilke støtteplaner som kan brukes for en produktversjon, og hvorfor de andre ikke kan"
    )
)]
pub async fn plans(
    ctx: Context<'_>,
    #[description = "Product"]
    #[name_localized("no", "produkt")]
    #[description_localized("no", "Produkt")]
    #[autocomplete = "complete_product"]
    product: String,
    #[description = "Version"]
    #[name_localized("no", "versjon")]
    #[description_localized("no", "Versjon")]
    #[autocomplete = "complete_version"]
    version: String,
) -> Result<(), Error> {
    let command = Command::Plans {
        product,
        version,
        show_unavailable: false,
    };
    run(ctx, Ok(command)).await
}

/// Answers to common questions about support
#[poise::command(
    slash_command,
    name_localized("no", "spørsmål"),
    description_localized("no", "Svar på vanlige spørsmål om støtte")
)]
pub async fn faq(ctx: Context<'_>) -> Result<(), Error> {
    run(ctx, Ok(Command::Faq)).await
}

pub async fn complete_product(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    complete(ctx, AutocompleteField::Product, partial).await
}

pub async fn complete_version(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    complete(ctx, AutocompleteField::Version, partial).await
}

pub async fn complete_plan(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    complete(ctx, AutocompleteField::Plan, partial).await
}

/// Suggestions from the app for the option being typed, given the options typed so far.
pub(super) async fn complete(
    ctx: Context<'_>,
    field: AutocompleteField,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let poise::Context::Application(app_ctx) = ctx else {
        return serenity::CreateAutocompleteResponse::new();
    };
    let interaction = app_ctx.interaction;
    let typed = |name: &str| {
        app_ctx
            .args
            .iter()
            .find(|o| o.name == name)
            .and_then(|o| match &o.value {
                serenity::ResolvedValue::String(s) => Some(s.to_string()),
                serenity::ResolvedValue::Autocomplete { value, .. } => Some(value.to_string()),
                _ => None,
            })
    };
    let command = Command::Autocomplete(AutocompleteCommand {
        field,
        partial: partial.to_string(),
        product: typed("product"),
        version: typed("version"),
    });
    let roles = interaction.member.as_ref().map(|m| m.roles.clone()).unwrap_or_default();
    let actor = identity::actor(&interaction.user, &roles, Some(&interaction.locale));
    let app = &ctx.data().app;
    let request = identity::request(
        app,
        actor,
        interaction.guild_id,
        interaction.channel_id,
        interaction.id,
        command,
    );
    let choices = app
        .handle(request)
        .await
        .into_iter()
        .find_map(|r| match r.content {
            Content::Choices(choices) => Some(choices),
            _ => None,
        })
        .unwrap_or_default();
    let choices = choices
        .into_iter()
        .map(|c| serenity::AutocompleteChoice::new(crate::render::cut(&c.label, 100), c.value))
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}
