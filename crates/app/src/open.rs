//! Opening an incident: the customer's organisation and channel, the product from the
//! catalog, the policy's decision on the organisation's packs, the plan the member named (used
//! or refused, never swapped), the deadline on the organisation's calendar, then one store
//! transaction; the thread is the front end's to create, and its answer confirms the open.

use crate::error::AppError;
use crate::notices;
use crate::present;
use crate::reply::{Audience, Confirm, ConfirmTo, Content, FormKind, Message, NewThread, OpenNote, Reply};
use crate::request::{OpenCommand, PlanChoice, ThreadOutcome};
use crate::say::Say;
use crate::turn::{Replies, Turn};
use crate::App;
use chrono::{DateTime, Duration, Utc};
use intakebot_core::catalog::{Product, Version};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::ids::OrgId;
use intakebot_core::policy::{decide, Clock, Decision, Requester, SlaRequest, Subject};
use intakebot_core::reminders::first_response_notices;
use intakebot_core::rules::RuleId;
use intakebot_core::severity::{Coverage, Severity};
use intakebot_store::{DiscordIds, Incident, IncidentFlag, NewIncident, Opened, SourceId, StoreError};

/// A product version resolved from the catalog.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub product: Product,
    pub version: Version,
}

/// What an open needs beyond the command: flags from chat intake and how to confirm.
#[derive(Debug, Clone, Default)]
pub(crate) struct OpenContext {
    pub borderline_exclusion: bool,
    /// Chat intake confirms where the message was; a command, privately.
    pub confirm_here: bool,
    pub notes: Vec<OpenNote>,
}

pub(crate) async fn open(turn: &Turn<'_>, cmd: &OpenCommand, source: &SourceId, ctx: Option<OpenContext>) -> Replies {
    let ctx = ctx.unwrap_or_default();
    let org = customer_org(turn)?;
    if let Some(refusal) = wrong_channel(turn, &org) {
        return Ok(vec![refusal]);
    }
    if let Some(existing) = turn.app.store.incident_by_source(source).await? {
        return Ok(vec![already_opened(turn, &existing, &ctx)]);
    }
    let resolved = resolve_product(turn.app, &cmd.product, &cmd.version)?;
    let severity = cmd.severity.ok_or_else(|| AppError::user(Say::MissingSeverity))?;
    let (decision, charged) = match choose(turn, &org, &resolved, cmd, severity).await? {
        Ok(chosen) => chosen,
        Err(refusal) => return Ok(vec![refusal]),
    };
    let Some(problem) = cmd.problem.as_deref().filter(|p| !p.trim().is_empty()) else {
        return Ok(vec![ask_problem(turn, cmd, source)]);
    };
    let new = new_incident(turn, cmd, &org, &resolved, &decision, &charged, problem, source, &ctx)?;
    let opened = match write(turn, cmd, &org, &resolved, severity, new).await? {
        Ok(opened) => opened,
        Err(replies) => return Ok(replies),
    };
    let incident = match opened {
        Opened::AlreadyOpened(existing) => return Ok(vec![already_opened(turn, &existing, &ctx)]),
        Opened::New(incident) => incident,
    };
    metrics::counter!(crate::metrics::INCIDENTS_OPENED, "severity" => incident.severity.as_str()).increment(1);
    let charged = turn.app.store.entitlement(charged.id).await?.unwrap_or(charged);
    let card = present::incident_card(turn.app, &incident, &decision, &charged);
    let mut notes = ctx.notes;
    if cmd.coverage.is_none() && severity == Severity::A {
        notes.push(OpenNote::BusinessHoursByDefault);
    }
    let confirm = Confirm {
        to: if ctx.confirm_here {
            ConfirmTo::Here
        } else {
            ConfirmTo::Private
        },
        notes,
    };
    Ok(vec![announce(turn.app, &incident, card, Some(confirm))])
}

/// The same request again (Discord delivered it twice, or it was sent twice): its number, where
/// the first answer went; nothing more is charged.
fn already_opened(turn: &Turn<'_>, existing: &Incident, ctx: &OpenContext) -> Reply {
    let say = Say::AlreadyOpened {
        number: existing.number,
    };
    if !ctx.confirm_here {
        return turn.private(say);
    }
    let zone = turn.app.calendar_of(&existing.organisation).zone();
    turn.here(
        existing.language,
        zone,
        Message::text(turn.app.text(&say, existing.language)),
    )
}

/// The customer's organisation, or why this member cannot open incidents.
pub(crate) fn customer_org(turn: &Turn<'_>) -> Result<OrgId, AppError> {
    turn.member
        .customer_of()
        .cloned()
        .ok_or_else(|| AppError::user(Say::NotACustomer))
}

/// A request in another organisation's intake channel opens nothing there; the member is
/// told privately where their own channel is.
fn wrong_channel(turn: &Turn<'_>, org: &OrgId) -> Option<Reply> {
    let here = turn.app.organisation_of_channel(turn.req.place.channel)?;
    if &here.id == org {
        return None;
    }
    let own = turn.app.organisation(org)?.intake_channels.first()?.0;
    Some(turn.private(Say::WrongIntakeChannel { own }))
}

pub(crate) fn resolve_product(app: &App, product: &str, version: &str) -> Result<Resolved, AppError> {
    let catalog = &app.config.catalog;
    let p = catalog.product(product).ok_or_else(|| {
        AppError::user(Say::UnknownProduct {
            product: product.to_string(),
            known: catalog.products.iter().map(|p| p.name.clone()).collect(),
        })
    })?;
    let v = p.version(version).ok_or_else(|| {
        AppError::user(Say::UnknownVersion {
            product: p.name.clone(),
            version: version.to_string(),
            known: p.versions.iter().map(|v| v.name.clone()).collect(),
        })
    })?;
    Ok(Resolved {
        product: p.clone(),
        version: v.clone(),
    })
}

/// The policy's decision on every pack the organisation holds, with why each unusable one
/// cannot serve (refusals, "show unavailable plans").
pub(crate) async fn evaluate(
    turn: &Turn<'_>,
    org: &OrgId,
    resolved: &Resolved,
    sla: SlaRequest,
) -> Result<Decision, AppError> {
    let held = turn.app.store.list_entitlements(org).await?;
    Ok(decide_on(turn, resolved, sla, &held))
}

/// The decision on the packs that can still be charged; when none of them serves, the decision
/// on every pack, which explains the refusal. Spent and expired packs pile up over the years:
/// judging all of them made each open cost ~15 ms per thousand packs (docs/performance.md).
pub(crate) async fn evaluate_usable(
    turn: &Turn<'_>,
    org: &OrgId,
    resolved: &Resolved,
    sla: SlaRequest,
) -> Result<Decision, AppError> {
    let day = turn.now().date_naive();
    let chargeable = turn.app.store.usable_entitlements(org, day).await?;
    let decision = decide_on(turn, resolved, sla, &chargeable);
    if decision.is_refused() {
        return evaluate(turn, org, resolved, sla).await;
    }
    Ok(decision)
}

fn decide_on(turn: &Turn<'_>, resolved: &Resolved, sla: SlaRequest, held: &[Entitlement]) -> Decision {
    let subject = Subject {
        product: &resolved.product,
        version: &resolved.version,
    };
    let requester = Requester {
        account: turn.member.account.clone(),
        sign_in: turn.member.sign_in,
    };
    decide(&turn.app.config.policy, subject, &requester, held, sla, turn.now())
}

fn sla_request(cmd: &OpenCommand, severity: Severity) -> SlaRequest {
    SlaRequest {
        severity,
        coverage: cmd.coverage.unwrap_or(Coverage::BusinessHours),
        has_on_call_contact: cmd.on_call.is_some(),
    }
}

/// The pack to charge: the one the member named (or the soonest-expiring usable one of the
/// kind they named), else the soonest-expiring usable one. A refusal is returned as a reply.
async fn choose(
    turn: &Turn<'_>,
    org: &OrgId,
    resolved: &Resolved,
    cmd: &OpenCommand,
    severity: Severity,
) -> Result<Result<(Decision, Entitlement), Reply>, AppError> {
    let decision = evaluate_usable(turn, org, resolved, sla_request(cmd, severity)).await?;
    if decision.is_refused() {
        metrics::counter!(crate::metrics::INCIDENTS_REFUSED).increment(1);
        return Ok(Err(present::refusal(turn, resolved, &decision)));
    }
    let chosen = match cmd.plan {
        None => decision.default_entitlement().cloned(),
        Some(PlanChoice::Pack(id)) => decision.usable.iter().find(|e| e.id == id).cloned(),
        Some(PlanChoice::Kind(plan)) => decision.usable.iter().find(|e| e.plan == plan).cloned(),
    };
    match (chosen, cmd.plan) {
        (Some(chosen), _) => Ok(Ok((decision, chosen))),
        (None, Some(named)) => {
            metrics::counter!(crate::metrics::INCIDENTS_REFUSED).increment(1);
            // Why the named pack cannot serve: the decision on every pack names it.
            let all = evaluate(turn, org, resolved, sla_request(cmd, severity)).await?;
            Ok(Err(present::named_plan_refused(turn, resolved, &all, named)))
        }
        (None, None) => Err(AppError::user(Say::NoPlanUsable)),
    }
}

/// The form for the title and the agreed problem definition (P-CLOSE-1).
fn ask_problem(turn: &Turn<'_>, cmd: &OpenCommand, source: &SourceId) -> Reply {
    let kind = FormKind::Open {
        open: Box::new(cmd.clone()),
        source: source.clone(),
    };
    turn.private_content(Content::Form(crate::forms::form(kind, turn.lang(), cmd.title.clone())))
}

#[allow(clippy::too_many_arguments)]
fn new_incident(
    turn: &Turn<'_>,
    cmd: &OpenCommand,
    org: &OrgId,
    resolved: &Resolved,
    decision: &Decision,
    charged: &Entitlement,
    problem: &str,
    source: &SourceId,
    ctx: &OpenContext,
) -> Result<NewIncident, AppError> {
    let now = turn.now();
    let plan = sla_plan(turn.app, org, decision.target.severity, decision.target.clock, now)?;
    let mut rules = decision.target.rules();
    rules.extend([RuleId::Inc2, RuleId::Close1, RuleId::Plan6]);
    let title = cmd
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| present::title_from(problem));
    Ok(NewIncident {
        source: source.clone(),
        organisation: org.clone(),
        requester: turn.member.account.clone(),
        entitlement: charged.id,
        product: resolved.product.name.clone(),
        version: resolved.version.name.clone(),
        severity: decision.target.severity,
        coverage: decision.target.coverage,
        title,
        problem: problem.to_string(),
        language: turn
            .app
            .organisation(org)
            .map_or(turn.app.staff_language(), |o| o.language),
        flags: if ctx.borderline_exclusion {
            vec![IncidentFlag::BorderlineScope]
        } else {
            Vec::new()
        },
        opened_at: now,
        first_response_due: plan.deadline,
        rules,
        notifications: notices::incident_rows(source, &plan.notices),
    })
}

/// Writes the open. A concurrent open may take the last unit of the chosen pack: unless the
/// member named it, decide again (the next pack, or a refusal) instead of failing.
async fn write(
    turn: &Turn<'_>,
    cmd: &OpenCommand,
    org: &OrgId,
    resolved: &Resolved,
    severity: Severity,
    mut new: NewIncident,
) -> Result<Result<Opened, Vec<Reply>>, AppError> {
    for _ in 0..3 {
        match turn.app.store.open_incident(&new).await {
            Err(StoreError::NoUnitsLeft(_)) if cmd.plan.is_none() => {
                let decision = evaluate_usable(turn, org, resolved, sla_request(cmd, severity)).await?;
                let Some(next) = decision.default_entitlement() else {
                    return Ok(Err(vec![present::refusal(turn, resolved, &decision)]));
                };
                new.entitlement = next.id;
            }
            result => return result.map(Ok).map_err(crate::work::store_user_error),
        }
    }
    Err(AppError::user(Say::NoPlanUsable))
}

/// The new incident's thread: the card, its buttons and the engineers' ping.
pub(crate) fn announce(app: &App, incident: &Incident, card: crate::reply::Card, confirm: Option<Confirm>) -> Reply {
    let lang = incident.language;
    let engineers = app.config.app.discord.roles.engineer.0;
    let heading = if incident.parent.is_some() {
        Say::NewSubIncidentHeading
    } else {
        Say::NewIncidentHeading
    };
    let message = Message {
        text: app.text(&heading, lang),
        cards: vec![card],
        buttons: present::incident_buttons(incident.number, lang),
        pings: vec![crate::reply::Ping {
            role: crate::reply::PingRole::Engineers,
            id: engineers,
        }],
        files: Vec::new(),
    };
    let parent = incident
        .discord
        .channel
        .or_else(|| {
            app.organisation(&incident.organisation)
                .and_then(|o| o.intake_channels.first())
                .map(|c| c.0)
        })
        .unwrap_or(app.config.app.discord.engineers_channel.0);
    Reply {
        audience: Audience::NewThread(NewThread {
            incident: incident.number,
            parent,
            name: present::thread_name(incident),
            members: vec![incident.requester.clone()],
            confirm,
        }),
        language: lang,
        zone: app.calendar_of(&incident.organisation).zone(),
        content: Content::Message(message),
    }
}

/// The thread exists (its ids are stored) or could not be made: confirm the open.
pub(crate) async fn thread_ready(turn: &Turn<'_>, outcome: &ThreadOutcome, confirm: Option<&Confirm>) -> Replies {
    let (number, say) = match outcome {
        ThreadOutcome::Created {
            incident,
            channel,
            thread,
            card,
        } => {
            let ids = DiscordIds {
                channel: Some(*channel),
                thread: Some(*thread),
                message: *card,
            };
            turn.app.store.set_discord_ids(*incident, &ids).await?;
            // A new thread is read from its start after downtime (every message in it is newer).
            turn.app.mark_handled(*thread, *thread).await;
            (
                *incident,
                Say::Opened {
                    number: *incident,
                    thread: *thread,
                },
            )
        }
        ThreadOutcome::Failed { incident, error } => {
            let id = crate::error::ErrorId(rand::random());
            tracing::error!(error_id = %id, %incident, error = %error, "incident thread not created");
            (*incident, Say::OpenedWithoutThread { number: *incident, id })
        }
    };
    let Some(confirm) = confirm else { return Ok(Vec::new()) };
    let Some(incident) = turn.app.store.incident(number).await? else {
        return Ok(Vec::new());
    };
    let mut message = Message::text(turn.app.text(&say, turn.lang()));
    for note in &confirm.notes {
        message.text = message
            .text
            .push("\n")
            .append(turn.app.text(&Say::Note(*note), turn.lang()));
        if *note == OpenNote::BusinessHoursByDefault {
            // P-SEV-4, P-SEV-5: 24x7 only with an on-call contact, which the button asks for.
            message.buttons.push(crate::reply::Button {
                action: crate::reply::Action::SwitchTo24x7(number),
                label: crate::say::Label::SwitchTo24x7Button.words(turn.lang()).to_string(),
                style: crate::reply::ButtonStyle::Secondary,
            });
        }
    }
    Ok(vec![match confirm.to {
        ConfirmTo::Private => turn.private_content(Content::Message(message)),
        ConfirmTo::Here => {
            let zone = turn.app.calendar_of(&incident.organisation).zone();
            turn.here(incident.language, zone, message)
        }
    }])
}

/// The first-response deadline and the notices before and at it.
pub struct SlaPlan {
    pub deadline: DateTime<Utc>,
    pub notices: Vec<intakebot_core::reminders::Notice>,
}

/// Plans the first-response clock of an incident of `organisation` opened at `opened_at`.
pub(crate) fn sla_plan(
    app: &App,
    organisation: &OrgId,
    severity: Severity,
    clock: Clock,
    opened_at: DateTime<Utc>,
) -> Result<SlaPlan, AppError> {
    let hours = app.config.policy.severity(severity).first_response_hours;
    let target = Duration::hours(i64::from(hours));
    let calendar = app.calendar_of(organisation);
    let deadline = match clock {
        Clock::ClockHours => intakebot_core::sla::clock_deadline(opened_at, target),
        Clock::BusinessHours => intakebot_core::sla::deadline(calendar, opened_at, target),
    }
    .map_err(|e| AppError::internal(std::io::Error::other(e.to_string())))?;
    // Reminders fall between opening and the deadline, so they are inside the calendar's
    // range whenever the deadline is; the fallback never applies.
    let advance = |t: DateTime<Utc>, d: Duration| match clock {
        Clock::ClockHours => t + d,
        Clock::BusinessHours => intakebot_core::sla::deadline(calendar, t, d).unwrap_or(deadline),
    };
    let settings = &app.reminders.severities[&severity];
    Ok(SlaPlan {
        deadline,
        notices: first_response_notices(settings, opened_at, target, advance),
    })
}

/// The incident's clock moved forward by `d` (for escalations); `None` past the calendar's range.
pub(crate) fn advance_on_clock(
    app: &App,
    organisation: &OrgId,
    coverage: Coverage,
    t: DateTime<Utc>,
    d: Duration,
) -> Option<DateTime<Utc>> {
    match coverage {
        Coverage::TwentyFourSeven => Some(t + d),
        Coverage::BusinessHours => intakebot_core::sla::deadline(app.calendar_of(organisation), t, d).ok(),
    }
}
