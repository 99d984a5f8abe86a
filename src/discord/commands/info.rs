//! `/plans` (the eligibility view) and `/faq`.

use super::{member, private};
use crate::discord::{Context, Error};

/// Which plans can serve a product version, and why the others cannot
#[poise::command(
    slash_command,
    description_localized("no", "Hvilke planer som kan brukes for en produktversjon, og hvorfor")
)]
pub async fn plans(
    ctx: Context<'_>,
    #[description = "Product"]
    #[description_localized("no", "Produkt")]
    #[autocomplete = "crate::discord::autocomplete::product"]
    product: String,
    #[description = "Version"]
    #[description_localized("no", "Versjon")]
    #[autocomplete = "crate::discord::autocomplete::version"]
    version: String,
) -> Result<(), Error> {
    let member = member(ctx).await?;
    let args = crate::cli::plans::PlansArgs {
        product,
        version,
        at: None,
        sign_in: member.sign_in,
        json: false,
    };
    let mut out = Vec::new();
    crate::cli::plans::run(&args, &ctx.data().app.config, super::now(), &mut out)
        .map_err(|e| Error::user(e.to_string()))?;
    private(ctx, format!("```\n{}\n```", String::from_utf8_lossy(&out))).await
}

/// Answers to common questions about support
#[poise::command(slash_command, description_localized("no", "Svar på vanlige spørsmål om støtte"))]
pub async fn faq(ctx: Context<'_>) -> Result<(), Error> {
    let member = member(ctx).await?;
    private(
        ctx,
        crate::app::present::faq_text(&ctx.data().app.config, member.language),
    )
    .await
}
