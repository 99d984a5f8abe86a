//! `/incident …` (`/hendelse …`): open, ack, resolve, close, split, refund, note, status, list.

use super::choices::{CloseOutcome, CoverageChoice, ListOption, RefundOption, SeverityChoice};
use super::{incident_number, run};
use crate::{Context, Error};
use intakebot_app::request::{Invalid, OpenCommand, PlanChoice};
use intakebot_app::Command;
use intakebot_core::ids::AccountId;
use poise::serenity_prelude as serenity;

/// Incidents: open, work and close support incidents
#[poise::command(
    slash_command,
    guild_only,
    subcommands("open", "ack", "resolve", "close", "split", "refund", "note", "status", "list"),
    subcommand_required,
    name_localized("no", "hendelse"),
    description_localized("no", "Hendelser: åpne, følge opp og lukke støttehendelser")
)]
pub async fn incident(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Open an incident
#[poise::command(
    slash_command,
    name_localized("no", "åpne"),
    description_localized("no", "Åpne en hendelse")
)]
#[allow(clippy::too_many_arguments)]
pub async fn open(
    ctx: Context<'_>,
    #[description = "Product"]
    #[name_localized("no", "produkt")]
    #[description_localized("no", "Produkt")]
    #[autocomplete = "crate::commands::info::complete_product"]
    product: String,
    #[description = "Version"]
    #[name_localized("no", "versjon")]
    #[description_localized("no", "Versjon")]
    #[autocomplete = "crate::commands::info::complete_version"]
    version: String,
    #[description = "Severity"]
    #[name_localized("no", "alvorlighetsgrad")]
    #[description_localized("no", "Alvorlighetsgrad")]
    severity: SeverityChoice,
    #[description = "Coverage (default: business hours)"]
    #[name_localized("no", "dekning")]
    #[description_localized("no", "Dekning (standard: arbeidstid)")]
    coverage: Option<CoverageChoice>,
    #[description = "Your contact on call around the clock (needed for 24x7)"]
    #[name_localized("no", "vaktkontakt")]
    #[description_localized("no", "Vaktkontakten deres hele døgnet (kreves for døgnet rundt (24/7))")]
    on_call: Option<serenity::User>,
    #[description = "Support plan to charge"]
    #[name_localized("no", "støtteplan")]
    #[description_localized("no", "Støtteplanen som belastes")]
    #[autocomplete = "crate::commands::info::complete_plan"]
    plan: Option<String>,
) -> Result<(), Error> {
    let plan = match plan.map(|p| p.parse::<PlanChoice>().map_err(|_| p)).transpose() {
        Ok(plan) => plan,
        Err(text) => return run(ctx, Err(Invalid::Plan(text))).await,
    };
    let open = OpenCommand {
        product,
        version,
        severity: Some(severity.into()),
        coverage: coverage.map(Into::into),
        on_call: on_call.map(|u| AccountId::new(u.id.get().to_string())),
        plan,
        title: None,
        problem: None,
    };
    run(ctx, Ok(Command::Open(open))).await
}

/// Acknowledge an incident: the first response (engineers)
#[poise::command(
    slash_command,
    name_localized("no", "kvitter"),
    description_localized("no", "Kvitter for en hendelse: første svar (teknikere)")
)]
pub async fn ack(
    ctx: Context<'_>,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"]
    #[name_localized("no", "hendelse")]
    #[description_localized("no", "Hendelse, f.eks. INC-000123 (standard: denne tråden)")]
    incident: Option<String>,
) -> Result<(), Error> {
    run(ctx, incident_number(incident).map(|incident| Command::Ack { incident })).await
}

/// Resolve with a proposed solution (engineers)
#[poise::command(
    slash_command,
    name_localized("no", "løs"),
    description_localized("no", "Løs hendelsen med en foreslått løsning (teknikere)")
)]
pub async fn resolve(
    ctx: Context<'_>,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"]
    #[name_localized("no", "hendelse")]
    #[description_localized("no", "Hendelse, f.eks. INC-000123 (standard: denne tråden)")]
    incident: Option<String>,
) -> Result<(), Error> {
    let command = incident_number(incident).map(|incident| Command::Resolve {
        incident,
        solution: None,
    });
    run(ctx, command).await
}

/// Close an incident: engineers as unresolved or out of scope, customers before resolution
#[poise::command(
    slash_command,
    name_localized("no", "lukk"),
    description_localized("no", "Lukk en hendelse")
)]
pub async fn close(
    ctx: Context<'_>,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"]
    #[name_localized("no", "hendelse")]
    #[description_localized("no", "Hendelse, f.eks. INC-000123 (standard: denne tråden)")]
    incident: Option<String>,
    #[description = "Outcome (engineers)"]
    #[name_localized("no", "utfall")]
    #[description_localized("no", "Utfall (teknikere)")]
    outcome: Option<CloseOutcome>,
    #[description = "Why"]
    #[name_localized("no", "begrunnelse")]
    #[description_localized("no", "Hvorfor")]
    reason: Option<String>,
) -> Result<(), Error> {
    let command = incident_number(incident).map(|incident| Command::Close {
        incident,
        outcome: outcome.map(Into::into),
        reason,
    });
    run(ctx, command).await
}

/// Split an incident into sub-incidents, one unit each (engineers)
#[poise::command(
    slash_command,
    name_localized("no", "del"),
    description_localized("no", "Del en hendelse i delhendelser, én hendelse fra pakken hver (teknikere)")
)]
pub async fn split(
    ctx: Context<'_>,
    #[description = "The sub-problems, separated by ;"]
    #[name_localized("no", "delproblemer")]
    #[description_localized("no", "Delproblemene, skilt med ;")]
    parts: String,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"]
    #[name_localized("no", "hendelse")]
    #[description_localized("no", "Hendelse, f.eks. INC-000123 (standard: denne tråden)")]
    incident: Option<String>,
    #[description = "Severity of the new sub-incidents (default: the parent's)"]
    #[name_localized("no", "alvorlighetsgrad")]
    #[description_localized("no", "Alvorlighetsgrad for delhendelsene (standard: som hendelsen)")]
    severity: Option<SeverityChoice>,
) -> Result<(), Error> {
    let command = incident_number(incident).map(|incident| Command::Split {
        incident,
        parts,
        severity: severity.map(Into::into),
    });
    run(ctx, command).await
}

/// Decide whether an unpaid close's unit goes back to its pack (managers)
#[poise::command(
    slash_command,
    name_localized("no", "tilbakeføring"),
    description_localized(
        "no",
        "Avgjør om hendelsen føres tilbake til pakken etter lukking uten løsning (ledere)"
    )
)]
pub async fn refund(
    ctx: Context<'_>,
    #[description = "Incident, e.g. INC-000123"]
    #[name_localized("no", "hendelse")]
    #[description_localized("no", "Hendelse, f.eks. INC-000123")]
    incident: String,
    #[description = "Refund the unit or keep it"]
    #[name_localized("no", "avgjørelse")]
    #[description_localized("no", "Før tilbake til pakken eller behold")]
    decision: RefundOption,
    #[description = "Why"]
    #[name_localized("no", "begrunnelse")]
    #[description_localized("no", "Hvorfor")]
    reason: Option<String>,
) -> Result<(), Error> {
    let command = match incident.parse() {
        Ok(incident) => Ok(Command::Refund {
            incident,
            decision: decision.into(),
            reason,
        }),
        Err(_) => Err(Invalid::IncidentNumber(incident)),
    };
    run(ctx, command).await
}

/// Write an internal note on an incident, shown to engineers and managers only
#[poise::command(
    slash_command,
    name_localized("no", "notat"),
    description_localized("no", "Skriv et internt notat på en hendelse, bare for teknikere og ledere")
)]
pub async fn note(
    ctx: Context<'_>,
    #[description = "The note"]
    #[name_localized("no", "tekst")]
    #[description_localized("no", "Notatet")]
    text: String,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"]
    #[name_localized("no", "hendelse")]
    #[description_localized("no", "Hendelse, f.eks. INC-000123 (standard: denne tråden)")]
    incident: Option<String>,
) -> Result<(), Error> {
    run(
        ctx,
        incident_number(incident).map(|incident| Command::Note { incident, text }),
    )
    .await
}

/// Show an incident's status
#[poise::command(
    slash_command,
    name_localized("no", "status"),
    description_localized("no", "Vis status for en hendelse")
)]
pub async fn status(
    ctx: Context<'_>,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"]
    #[name_localized("no", "hendelse")]
    #[description_localized("no", "Hendelse, f.eks. INC-000123 (standard: denne tråden)")]
    incident: Option<String>,
) -> Result<(), Error> {
    run(
        ctx,
        incident_number(incident).map(|incident| Command::Status { incident }),
    )
    .await
}

/// List open, waiting, at-risk or breached incidents (engineers, managers)
#[poise::command(
    slash_command,
    name_localized("no", "liste"),
    description_localized(
        "no",
        "List åpne hendelser, de som venter på første svar, er i fare for fristbrudd eller har brutt fristen"
    )
)]
pub async fn list(
    ctx: Context<'_>,
    #[description = "Which incidents"]
    #[name_localized("no", "hvilke")]
    #[description_localized("no", "Hvilke hendelser")]
    which: ListOption,
) -> Result<(), Error> {
    run(ctx, Ok(Command::List { which: which.into() })).await
}
