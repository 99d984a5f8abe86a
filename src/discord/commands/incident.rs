//! `/incident …`: open, ack, resolve, close, split, refund, status, list.

use super::{incident_here, member, now, private, User};
use crate::app::present::{refusal_text, status_card};
use crate::app::{IncidentList, OpenOutcome, OpenRequest, SubProblem};
use crate::core::ids::{AccountId, EntitlementId};
use crate::core::incident::{Outcome, RefundDecision, Role};
use crate::core::severity::{Coverage, Severity};
use crate::discord::custom_id::ComponentId;
use crate::discord::render::{button_row, embed, no_pings};
use crate::discord::{Context, Error};
use crate::store::SourceId;
use poise::serenity_prelude as serenity;
use poise::Modal as _;

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum SeverityChoice {
    #[name = "A – critical business impact (2 h)"]
    #[name_localized("no", "A – kritisk forretningsinnvirkning (2 t)")]
    A,
    #[name = "B – moderate business impact (4 business h)"]
    #[name_localized("no", "B – moderat innvirkning (4 arbeidstimer)")]
    B,
    #[name = "C – minimal business impact (8 business h)"]
    #[name_localized("no", "C – minimal innvirkning (8 arbeidstimer)")]
    C,
}

impl From<SeverityChoice> for Severity {
    fn from(c: SeverityChoice) -> Severity {
        match c {
            SeverityChoice::A => Severity::A,
            SeverityChoice::B => Severity::B,
            SeverityChoice::C => Severity::C,
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum CoverageChoice {
    #[name = "Business hours"]
    #[name_localized("no", "Arbeidstid")]
    Business,
    #[name = "24x7 (severity A, with an on-call contact)"]
    #[name_localized("no", "Døgnet rundt (A, med vaktkontakt)")]
    TwentyFourSeven,
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum CloseOutcome {
    #[name = "unresolved"]
    #[name_localized("no", "uløst")]
    Unresolved,
    #[name = "out-of-scope"]
    #[name_localized("no", "utenfor omfang")]
    OutOfScope,
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum ListChoice {
    #[name = "open"]
    #[name_localized("no", "åpne")]
    Open,
    #[name = "at-risk"]
    #[name_localized("no", "i fare")]
    AtRisk,
    #[name = "breached"]
    #[name_localized("no", "brutt")]
    Breached,
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum RefundChoice {
    #[name = "refund"]
    #[name_localized("no", "refunder")]
    Refund,
    #[name = "keep"]
    #[name_localized("no", "behold")]
    Keep,
}

/// The title and the agreed problem definition (P-CLOSE-1).
#[derive(Debug, Clone, poise::Modal)]
#[name = "New incident"]
pub struct ProblemModal {
    #[name = "Title"]
    #[max_length = 100]
    pub title: String,
    #[name = "Agreed problem definition"]
    #[paragraph]
    #[max_length = 4000]
    pub problem: String,
}

/// Completing a chat request that lacked something, prefilled from its text.
#[derive(Debug, Clone, poise::Modal)]
#[name = "Complete the request"]
pub struct DraftModal {
    #[name = "Product"]
    pub product: String,
    #[name = "Version"]
    pub version: String,
    #[name = "Severity (A, B or C)"]
    #[max_length = 1]
    pub severity: String,
    #[name = "Title"]
    #[max_length = 100]
    pub title: String,
    #[name = "Agreed problem definition"]
    #[paragraph]
    #[max_length = 4000]
    pub problem: String,
}

impl DraftModal {
    /// The form prefilled with what the message already said.
    pub fn prefilled(draft: Option<&crate::core::intake::IncidentDraft>, text: &str) -> DraftModal {
        let severity = draft.and_then(|d| match &d.severity {
            Some(crate::core::intake::SeverityFinding::Explicit(s)) => Some(s.to_string()),
            Some(crate::core::intake::SeverityFinding::Suggested { severity, .. }) => Some(severity.to_string()),
            _ => None,
        });
        let problem = draft.map(|d| d.problem.clone()).unwrap_or_else(|| text.to_string());
        DraftModal {
            product: draft.and_then(|d| d.product.clone()).unwrap_or_default(),
            version: draft.and_then(|d| d.version.clone()).unwrap_or_default(),
            severity: severity.unwrap_or_default(),
            title: problem.lines().next().unwrap_or_default().chars().take(100).collect(),
            problem: problem.chars().take(4000).collect(),
        }
    }
}

/// The proposed solution (P-CLOSE-2).
#[derive(Debug, Clone, poise::Modal)]
#[name = "Resolve incident"]
pub struct SolutionModal {
    #[name = "Proposed solution"]
    #[paragraph]
    #[max_length = 4000]
    pub solution: String,
}

/// Incidents: open, work and close support cases
#[poise::command(
    slash_command,
    guild_only,
    subcommands("open", "ack", "resolve", "close", "split", "refund", "status", "list"),
    subcommand_required,
    name_localized("no", "sak"),
    description_localized("no", "Saker: åpne, behandle og lukke støttesaker")
)]
pub async fn incident(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Open an incident
#[poise::command(
    slash_command,
    name_localized("no", "åpne"),
    description_localized("no", "Åpne en sak")
)]
#[allow(clippy::too_many_arguments)]
pub async fn open(
    ctx: poise::ApplicationContext<'_, crate::discord::Data, Error>,
    #[description = "Product"]
    #[name_localized("no", "produkt")]
    #[description_localized("no", "Produkt")]
    #[autocomplete = "crate::discord::autocomplete::product"]
    product: String,
    #[description = "Version"]
    #[name_localized("no", "versjon")]
    #[description_localized("no", "Versjon")]
    #[autocomplete = "crate::discord::autocomplete::version"]
    version: String,
    #[description = "Severity"]
    #[name_localized("no", "alvorlighetsgrad")]
    #[description_localized("no", "Alvorlighetsgrad")]
    severity: SeverityChoice,
    #[description = "Coverage"]
    #[name_localized("no", "dekning")]
    #[description_localized("no", "Dekning")]
    coverage: Option<CoverageChoice>,
    #[description = "Your contact on call around the clock (needed for 24x7)"]
    #[name_localized("no", "vaktkontakt")]
    #[description_localized("no", "Kontaktperson tilgjengelig hele døgnet (kreves for døgnåpent)")]
    on_call: Option<User>,
    #[description = "Plan to charge"]
    #[name_localized("no", "plan")]
    #[description_localized("no", "Plan som belastes")]
    #[autocomplete = "crate::discord::autocomplete::plan"]
    plan: Option<String>,
) -> Result<(), Error> {
    let pctx = poise::Context::Application(ctx);
    let member = member(pctx).await?;
    let lang = member.language;
    let mut request = OpenRequest {
        source: SourceId(ctx.interaction.id.get().to_string()),
        member,
        product,
        version,
        severity: severity.into(),
        coverage: match coverage {
            Some(CoverageChoice::TwentyFourSeven) => Coverage::TwentyFourSeven,
            _ => Coverage::BusinessHours,
        },
        on_call: on_call.map(|u| AccountId::new(u.id.get().to_string())),
        entitlement: plan
            .and_then(|p| p.trim_start_matches('E').parse().ok())
            .map(EntitlementId),
        title: String::new(),
        problem: String::new(),
        borderline_exclusion: None,
    };
    let app = &ctx.data().app;
    // Refuse at once, before asking for the problem definition.
    let (resolved, decision) = app.evaluate(&request, now()).await?;
    if decision.is_refused() {
        let refusal = crate::app::Refusal {
            product: resolved,
            decision,
        };
        return send_refusal(pctx, &refusal).await;
    }
    let Some(modal) = ProblemModal::execute(ctx).await? else {
        return Ok(());
    };
    request.title = modal.title;
    request.problem = modal.problem;
    let channel = ctx.channel_id();
    finish_open(pctx, request, channel, lang).await
}

/// Opens the request and announces it; shared by the command and the completed-draft modal.
pub async fn finish_open(
    ctx: Context<'_>,
    request: OpenRequest,
    channel: serenity::ChannelId,
    lang: crate::core::language::Language,
) -> Result<(), Error> {
    let app = &ctx.data().app;
    let customer = ctx.author().id;
    let channel = crate::discord::identity::organisation_of_channel(app, channel)
        .map(|_| channel)
        .or_else(|| {
            let org = request.member.organisation.as_ref()?;
            let cfg = app.config.app.organisations.iter().find(|o| &o.id == org)?;
            cfg.intake_channels.first().map(|c| serenity::ChannelId::new(c.0))
        })
        .unwrap_or(channel);
    match app.open_incident(request, now()).await? {
        OpenOutcome::Opened(opened) => {
            let thread =
                match crate::discord::announce::announce(ctx.http(), app, &opened, channel, customer, lang).await {
                    Ok(thread) => thread,
                    Err(err) => {
                        return private(ctx, crate::discord::announce::announce_failed_text(&opened, &err, lang)).await
                    }
                };
            let link = format!(
                "https://discord.com/channels/{}/{}",
                app.config.app.discord.guild_id, thread.id
            );
            private(
                ctx,
                format!(
                    "{} {} · <#{}> {link}",
                    lang.pick("Opened", "Åpnet"),
                    opened.incident.number,
                    thread.id
                ),
            )
            .await
        }
        OpenOutcome::AlreadyOpened(incident) => {
            private(
                ctx,
                format!(
                    "{} {}",
                    lang.pick("Already opened as", "Allerede åpnet som"),
                    incident.number
                ),
            )
            .await
        }
        OpenOutcome::Refused(refusal) => send_refusal(ctx, &refusal).await,
    }
}

/// Every reason in plain words, and the "Show unavailable plans" button (P-N1-3).
pub async fn send_refusal(ctx: Context<'_>, refusal: &crate::app::Refusal) -> Result<(), Error> {
    let app = &ctx.data().app;
    let lang = crate::core::language::Language::from_discord_locale(ctx.locale().unwrap_or("en-US"));
    let text = refusal_text(refusal, &app.config.policy, lang);
    let button = ComponentId::ShowUnavailable {
        product: refusal.product.product.key.clone(),
        version: refusal.product.version.name.clone(),
    };
    let reply = poise::CreateReply::default()
        .content(crate::discord::render::truncate(&text, 2000))
        .components(button_row(
            button,
            lang.pick("Show unavailable plans", "Vis utilgjengelige planer"),
        ))
        .ephemeral(true)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// Acknowledge an incident: the first response (engineers)
#[poise::command(
    slash_command,
    name_localized("no", "bekreft"),
    description_localized("no", "Bekreft en sak: første svar (teknikere)")
)]
pub async fn ack(
    ctx: Context<'_>,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"] incident: Option<String>,
) -> Result<(), Error> {
    let member = member(ctx).await?;
    let number = incident_here(ctx, incident, member.language).await?;
    let acked = ctx.data().app.acknowledge(&member, number, now()).await?;
    say_in_channel(ctx, crate::app::present::ack_text(&acked, member.language)).await
}

/// Resolve with a proposed solution (engineers)
#[poise::command(
    slash_command,
    name_localized("no", "løs"),
    description_localized("no", "Løs med en foreslått løsning (teknikere)")
)]
pub async fn resolve(
    ctx: poise::ApplicationContext<'_, crate::discord::Data, Error>,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"] incident: Option<String>,
) -> Result<(), Error> {
    let pctx = poise::Context::Application(ctx);
    let member = member(pctx).await?;
    let number = incident_here(pctx, incident, member.language).await?;
    if member.role != Role::Engineer {
        return Err(Error::user(member.language.pick(
            "Only engineers can resolve incidents.",
            "Bare teknikere kan løse saker.",
        )));
    }
    let Some(modal) = SolutionModal::execute(ctx).await? else {
        return Ok(());
    };
    let closed = ctx
        .data()
        .app
        .close(&member, number, Outcome::Resolved, &modal.solution, now())
        .await?;
    say_in_channel(
        pctx,
        crate::app::present::closed_text(&closed, Outcome::Resolved, &modal.solution, member.language),
    )
    .await
}

/// Close an incident: engineers as unresolved or out of scope, customers before resolution
#[poise::command(
    slash_command,
    name_localized("no", "lukk"),
    description_localized("no", "Lukk en sak")
)]
pub async fn close(
    ctx: Context<'_>,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"] incident: Option<String>,
    #[description = "Outcome (engineers)"] outcome: Option<CloseOutcome>,
    #[description = "Why"] reason: Option<String>,
) -> Result<(), Error> {
    let member = member(ctx).await?;
    let number = incident_here(ctx, incident, member.language).await?;
    let outcome = match (member.role, outcome) {
        (Role::Customer, _) => Outcome::CustomerClosed,
        (_, Some(CloseOutcome::Unresolved)) => Outcome::Unresolved,
        (_, Some(CloseOutcome::OutOfScope)) => Outcome::OutOfScope,
        (_, None) => {
            return Err(Error::user(member.language.pick(
                "Choose an outcome: unresolved or out-of-scope (or use /incident resolve).",
                "Velg utfall: uløst eller utenfor omfang (eller bruk /sak løs).",
            )))
        }
    };
    let reason = reason.unwrap_or_default();
    let closed = ctx.data().app.close(&member, number, outcome, &reason, now()).await?;
    say_in_channel(
        ctx,
        crate::app::present::closed_text(&closed, outcome, &reason, member.language),
    )
    .await
}

/// Split an incident into sub-incidents, one unit each (engineers)
#[poise::command(
    slash_command,
    name_localized("no", "del"),
    description_localized("no", "Del en sak i delsaker, én enhet hver (teknikere)")
)]
pub async fn split(
    ctx: Context<'_>,
    #[description = "The sub-problems, separated by ;"] parts: String,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"] incident: Option<String>,
    #[description = "Severity of the new sub-incidents (default: the parent's)"] severity: Option<SeverityChoice>,
) -> Result<(), Error> {
    ctx.defer().await?;
    let member = member(ctx).await?;
    let lang = member.language;
    let number = incident_here(ctx, incident, lang).await?;
    let app = &ctx.data().app;
    let parent = app.visible_incident(&member, number).await?;
    let severity = severity.map(Severity::from).unwrap_or(parent.severity);
    let parts = SubProblem::list(&parts, severity);
    let source = SourceId(ctx.id().to_string());
    let children = match app.split(&member, number, parts, source, now()).await? {
        crate::store::Split::New(c) | crate::store::Split::AlreadySplit(c) => c,
    };
    let channel = serenity::ChannelId::new(parent.discord.channel.unwrap_or(ctx.channel_id().get()));
    let requester = parent.requester.as_str().parse::<u64>().map(serenity::UserId::new).ok();
    for child in &children {
        crate::discord::announce::announce_child(ctx.http(), app, child, channel, requester, lang).await?;
    }
    let names: Vec<String> = children.iter().map(|c| c.number.to_string()).collect();
    say_in_channel(
        ctx,
        format!("{} {}", lang.pick("Split into", "Delt i"), names.join(", ")),
    )
    .await
}

/// Decide the refund of an unpaid close (managers)
#[poise::command(
    slash_command,
    name_localized("no", "refusjon"),
    description_localized("no", "Avgjør refusjon etter lukking uten løsning (ledere)")
)]
pub async fn refund(
    ctx: Context<'_>,
    #[description = "Incident, e.g. INC-000123"] incident: String,
    #[description = "Refund the unit or keep it"] decision: RefundChoice,
    #[description = "Why"] reason: Option<String>,
) -> Result<(), Error> {
    let member = member(ctx).await?;
    let number = incident_here(ctx, Some(incident), member.language).await?;
    let decision = match decision {
        RefundChoice::Refund => RefundDecision::Refund,
        RefundChoice::Keep => RefundDecision::Keep,
    };
    ctx.data()
        .app
        .decide_refund(&member, number, decision, &reason.unwrap_or_default(), now())
        .await?;
    private(
        ctx,
        format!(
            "{number}: {}",
            crate::app::present::refund_text(decision, member.language)
        ),
    )
    .await
}

/// Show an incident's status
#[poise::command(
    slash_command,
    name_localized("no", "status"),
    description_localized("no", "Vis status for en sak")
)]
pub async fn status(
    ctx: Context<'_>,
    #[description = "Incident, e.g. INC-000123 (default: this thread)"] incident: Option<String>,
) -> Result<(), Error> {
    let member = member(ctx).await?;
    let number = incident_here(ctx, incident, member.language).await?;
    let incident = ctx.data().app.visible_incident(&member, number).await?;
    let reply = poise::CreateReply::default()
        .embed(embed(&status_card(&incident, member.language)))
        .ephemeral(true)
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}

/// List open, at-risk or breached incidents (engineers, managers)
#[poise::command(
    slash_command,
    name_localized("no", "liste"),
    description_localized("no", "List åpne, utsatte eller brutte saker")
)]
pub async fn list(ctx: Context<'_>, #[description = "Which incidents"] which: ListChoice) -> Result<(), Error> {
    let member = member(ctx).await?;
    let which = match which {
        ListChoice::Open => IncidentList::Open,
        ListChoice::AtRisk => IncidentList::AtRisk,
        ListChoice::Breached => IncidentList::Breached,
    };
    let incidents = ctx.data().app.list_incidents(&member, which, now()).await?;
    private(ctx, crate::app::present::incident_lines(&incidents, member.language)).await
}

/// A visible reply in the channel, pinging nobody (it may echo user text).
async fn say_in_channel(ctx: Context<'_>, text: String) -> Result<(), Error> {
    let reply = poise::CreateReply::default()
        .content(crate::discord::render::truncate(&text, 2000))
        .allowed_mentions(no_pings());
    ctx.send(reply).await?;
    Ok(())
}
