//! `/pack …` (`/pakke …`): balance (customers, staff), grant and transfer (managers).

use super::run;
use crate::{Context, Error};
use intakebot_app::request::{GrantCommand, Invalid};
use intakebot_app::Command;
use intakebot_core::ids::{AccountId, EntitlementId, OrderNumber, OrgId};
use intakebot_core::plan::PlanId;
use poise::serenity_prelude as serenity;

/// Support packs: balance, grant, transfer
#[poise::command(
    slash_command,
    guild_only,
    subcommands("balance", "grant", "transfer"),
    subcommand_required,
    name_localized("no", "pakke"),
    description_localized("no", "Pakker: saldo, tildeling, overføring")
)]
pub async fn pack(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Packs: units left, expiry, last uses (staff: any organisation, or all)
#[poise::command(
    slash_command,
    name_localized("no", "saldo"),
    description_localized(
        "no",
        "Pakker: hendelser igjen, utløp, siste bruk (ledere og teknikere: alle organisasjoner)"
    )
)]
pub async fn balance(
    ctx: Context<'_>,
    #[description = "Organisation id (staff; default: all)"]
    #[name_localized("no", "organisasjon")]
    #[description_localized("no", "Organisasjons-ID (ledere og teknikere; standard: alle)")]
    organisation: Option<String>,
) -> Result<(), Error> {
    let organisation = organisation.map(OrgId::new);
    run(ctx, Ok(Command::Balance { organisation })).await
}

/// Record a purchase (managers)
#[poise::command(
    slash_command,
    name_localized("no", "tildel"),
    description_localized("no", "Registrer et kjøp (ledere)")
)]
pub async fn grant(
    ctx: Context<'_>,
    #[description = "Plan id, e.g. five-pack"]
    #[name_localized("no", "støtteplan")]
    #[description_localized("no", "Støtteplan, f.eks. fempakning eller betal-per-hendelse")]
    plan: String,
    #[description = "Organisation id"]
    #[name_localized("no", "organisasjon")]
    #[description_localized("no", "Organisasjons-ID")]
    organisation: String,
    #[description = "The account that bought it"]
    #[name_localized("no", "eier")]
    #[description_localized("no", "Kontoen som kjøpte den")]
    owner: serenity::User,
    #[description = "Order number"]
    #[name_localized("no", "ordrenummer")]
    #[description_localized("no", "Ordrenummer")]
    order: String,
    #[description = "Purchase date, YYYY-MM-DD (default: today)"]
    #[name_localized("no", "kjøpt")]
    #[description_localized("no", "Kjøpsdato, ÅÅÅÅ-MM-DD (standard: i dag)")]
    purchased: Option<String>,
) -> Result<(), Error> {
    let command = grant_command(plan, organisation, &owner, order, purchased);
    run(ctx, command).await
}

fn grant_command(
    plan: String,
    organisation: String,
    owner: &serenity::User,
    order: String,
    purchased: Option<String>,
) -> Result<Command, Invalid> {
    let plan = plan.parse::<PlanId>().map_err(|_| Invalid::Plan(plan))?;
    let purchased = purchased
        .map(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| Invalid::Date(d)))
        .transpose()?;
    Ok(Command::Grant(GrantCommand {
        plan,
        organisation: OrgId::new(organisation),
        owner: AccountId::new(owner.id.get().to_string()),
        purchased,
        order: OrderNumber::new(order),
    }))
}

/// Move a pack's remaining units to a new owner, on proof of purchase (managers)
#[poise::command(
    slash_command,
    name_localized("no", "overfør"),
    description_localized("no", "Flytt gjenværende hendelser til ny eier mot ordrenummeret (ledere)")
)]
pub async fn transfer(
    ctx: Context<'_>,
    #[description = "Pack id, e.g. E12"]
    #[name_localized("no", "pakke")]
    #[description_localized("no", "Pakke-ID, f.eks. E12")]
    pack: String,
    #[description = "The new owner"]
    #[name_localized("no", "eier")]
    #[description_localized("no", "Den nye eieren")]
    owner: serenity::User,
    #[description = "Order number of the purchase"]
    #[name_localized("no", "ordrenummer")]
    #[description_localized("no", "Ordrenummeret for kjøpet")]
    order: String,
) -> Result<(), Error> {
    let command = match pack.parse::<EntitlementId>() {
        Ok(pack) => Ok(Command::Transfer {
            pack,
            owner: AccountId::new(owner.id.get().to_string()),
            order: OrderNumber::new(order),
        }),
        Err(_) => Err(Invalid::PackId(pack)),
    };
    run(ctx, command).await
}
