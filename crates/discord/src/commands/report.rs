//! `/report sla` (`/rapport sla`): the managers' SLA report of a period, for one organisation
//! or all, answered privately with the summary card, the chart and the CSV.

use super::run;
use crate::{Context, Error};
use intakebot_app::request::{AutocompleteField, NamedPeriod};
use intakebot_app::Command;
use intakebot_core::ids::OrgId;
use poise::serenity_prelude as serenity;

/// Reports for managers
#[poise::command(
    slash_command,
    guild_only,
    subcommands("sla"),
    subcommand_required,
    name_localized("no", "rapport"),
    description_localized("no", "Rapporter for ledere")
)]
pub async fn report(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// First responses met per severity and organisation, breaches, packs, a 12-week chart (managers)
#[poise::command(
    slash_command,
    name_localized("no", "sla"),
    description_localized(
        "no",
        "Første svar innen fristen per alvorlighetsgrad og organisasjon, fristbrudd, pakker, diagram for 12 uker (ledere)"
    )
)]
pub async fn sla(
    ctx: Context<'_>,
    #[description = "Period (default: last week)"]
    #[name_localized("no", "periode")]
    #[description_localized("no", "Periode (standard: forrige uke)")]
    period: Option<PeriodOption>,
    #[description = "Organisation id (default: all)"]
    #[name_localized("no", "organisasjon")]
    #[description_localized("no", "Organisasjons-ID (standard: alle)")]
    #[autocomplete = "complete_organisation"]
    organisation: Option<String>,
) -> Result<(), Error> {
    let command = Command::Report {
        period: period.map_or(NamedPeriod::LastWeek, Into::into),
        organisation: organisation.map(OrgId::new),
    };
    run(ctx, Ok(command)).await
}

async fn complete_organisation(ctx: Context<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    super::info::complete(ctx, AutocompleteField::Organisation, partial).await
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum PeriodOption {
    #[name = "this-week"]
    #[name_localized("no", "denne uken")]
    ThisWeek,
    #[name = "last-week"]
    #[name_localized("no", "forrige uke")]
    LastWeek,
    #[name = "this-month"]
    #[name_localized("no", "denne måneden")]
    ThisMonth,
    #[name = "last-month"]
    #[name_localized("no", "forrige måned")]
    LastMonth,
}

impl From<PeriodOption> for NamedPeriod {
    fn from(p: PeriodOption) -> NamedPeriod {
        match p {
            PeriodOption::ThisWeek => NamedPeriod::ThisWeek,
            PeriodOption::LastWeek => NamedPeriod::LastWeek,
            PeriodOption::ThisMonth => NamedPeriod::ThisMonth,
            PeriodOption::LastMonth => NamedPeriod::LastMonth,
        }
    }
}
