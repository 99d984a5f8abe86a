//! `/pack …`: balance (customers, staff), grant and transfer (managers).

use super::{member, now, private, User};
use crate::app::Grant;
use crate::core::ids::{AccountId, EntitlementId, OrderNumber, OrgId};
use crate::core::language::Language;
use crate::core::plan::PlanId;
use crate::discord::{Context, Error};

/// Support packs: balance, grant, transfer
#[poise::command(
    slash_command,
    guild_only,
    subcommands("balance", "grant", "transfer"),
    subcommand_required,
    name_localized("no", "pakke"),
    description_localized("no", "Støttepakker: saldo, tildeling, overføring")
)]
pub async fn pack(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Your organisation's packs: units left, expiry, last uses
#[poise::command(
    slash_command,
    name_localized("no", "saldo"),
    description_localized("no", "Organisasjonens pakker: enheter, utløp, siste bruk")
)]
pub async fn balance(
    ctx: Context<'_>,
    #[description = "Organisation (staff only)"] organisation: Option<String>,
) -> Result<(), Error> {
    let member = member(ctx).await?;
    let app = &ctx.data().app;
    let packs = app.balance(&member, organisation.map(OrgId::new), now()).await?;
    private(
        ctx,
        crate::app::present::balance_lines(&packs, &app.config.policy, member.language),
    )
    .await
}

/// Record a purchase (managers)
#[poise::command(
    slash_command,
    name_localized("no", "tildel"),
    description_localized("no", "Registrer et kjøp (ledere)")
)]
pub async fn grant(
    ctx: Context<'_>,
    #[description = "Plan id, e.g. five-pack"] plan: String,
    #[description = "Organisation id"] organisation: String,
    #[description = "The account that bought it"] owner: User,
    #[description = "Purchase date, YYYY-MM-DD"] purchased: String,
    #[description = "Order confirmation number"] order: String,
) -> Result<(), Error> {
    let member = member(ctx).await?;
    let lang = member.language;
    let grant = Grant {
        plan: plan.parse::<PlanId>().map_err(|e| Error::user(e.to_string()))?,
        organisation: OrgId::new(organisation),
        owner: AccountId::new(owner.id.get().to_string()),
        purchased_on: chrono::NaiveDate::parse_from_str(&purchased, "%Y-%m-%d")
            .map_err(|_| Error::user(bad_date(&purchased, lang)))?,
        order_number: OrderNumber::new(order),
    };
    // Packs reference their owner: a new owner becomes a known account (managers only).
    if member.role == crate::core::incident::Role::Manager
        && ctx
            .data()
            .app
            .config
            .app
            .organisations
            .iter()
            .any(|o| o.id == grant.organisation)
    {
        crate::discord::identity::ensure_account(&ctx.data().app, &owner, &grant.organisation).await?;
    }
    let e = ctx.data().app.grant(&member, grant, now()).await?;
    private(
        ctx,
        format!(
            "{} {} · {} · {} {}",
            lang.pick("Granted", "Tildelt"),
            e.id,
            e.plan,
            e.units_left,
            lang.pick("units", "enheter")
        ),
    )
    .await
}

/// Move a pack's remaining units to a new owner, on proof of purchase (managers)
#[poise::command(
    slash_command,
    name_localized("no", "overfør"),
    description_localized("no", "Flytt gjenværende enheter til ny eier mot kjøpsbevis (ledere)")
)]
pub async fn transfer(
    ctx: Context<'_>,
    #[description = "Pack id, e.g. E12"] pack: String,
    #[description = "The new owner"] owner: User,
    #[description = "Order confirmation number of the purchase"] order: String,
) -> Result<(), Error> {
    let member = member(ctx).await?;
    let lang = member.language;
    let id = pack.trim_start_matches('E').parse().map(EntitlementId).map_err(|_| {
        Error::user(format!(
            "{pack:?}: {}",
            lang.pick("not a pack id like E12", "ikke en pakke-id som E12")
        ))
    })?;
    if member.role == crate::core::incident::Role::Manager {
        if let Some(pack) = ctx.data().app.store.entitlement(id).await? {
            crate::discord::identity::ensure_account(&ctx.data().app, &owner, &pack.organisation).await?;
        }
    }
    let e = ctx
        .data()
        .app
        .transfer(
            &member,
            id,
            AccountId::new(owner.id.get().to_string()),
            OrderNumber::new(order),
            now(),
        )
        .await?;
    private(
        ctx,
        format!("{} {} → <@{}> (P-PLAN-4)", lang.pick("Moved", "Flyttet"), e.id, e.owner),
    )
    .await
}

fn bad_date(text: &str, lang: Language) -> String {
    match lang {
        Language::En => format!("{text:?} is not a date like 2027-03-01"),
        Language::No => format!("{text:?} er ikke en dato som 2027-03-01"),
    }
}
