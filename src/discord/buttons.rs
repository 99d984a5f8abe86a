//! What each button does.

use super::commands::incident::SolutionModal;
use super::custom_id::ComponentId;
use super::render::no_pings;
use super::Data;
use crate::app::present::{ack_text, closed_text, unavailable_plans_text};
use crate::app::{AppError, Member, OpenRequest};
use crate::core::incident::{Outcome, Role};
use crate::core::severity::{Coverage, Severity};
use crate::store::SourceId;
use poise::serenity_prelude as serenity;

pub async fn press(
    ctx: &serenity::Context,
    component: &serenity::ComponentInteraction,
    data: &Data,
    member: &Member,
    id: ComponentId,
) -> Result<(), AppError> {
    let app = &data.app;
    let now = chrono::Utc::now();
    let lang = member.language;
    match id {
        ComponentId::Acknowledge(number) => {
            let acked = app.acknowledge(member, number, now).await?;
            respond(ctx, component, ack_text(&acked, lang), false).await
        }
        ComponentId::Resolve(number) => {
            if member.role != Role::Engineer {
                return Err(AppError::user(lang.pick(
                    "Only engineers can resolve incidents.",
                    "Bare teknikere kan løse saker.",
                )));
            }
            let modal =
                poise::execute_modal_on_component_interaction::<SolutionModal>(ctx, component.clone(), None, None)
                    .await?;
            let Some(modal) = modal else { return Ok(()) };
            let closed = app
                .close(member, number, Outcome::Resolved, &modal.solution, now)
                .await?;
            followup(
                ctx,
                component,
                closed_text(&closed, Outcome::Resolved, &modal.solution, lang),
            )
            .await
        }
        ComponentId::Close(number) => {
            if member.role != Role::Customer {
                return Err(AppError::user(lang.pick(
                    "Engineers close with /incident close outcome:unresolved|out-of-scope, or resolve.",
                    "Teknikere lukker med /sak lukk og et utfall, eller løser saken.",
                )));
            }
            let closed = app.close(member, number, Outcome::CustomerClosed, "", now).await?;
            respond(
                ctx,
                component,
                closed_text(&closed, Outcome::CustomerClosed, "", lang),
                false,
            )
            .await
        }
        ComponentId::ShowUnavailable { product, version } => {
            let request = probe(member, &product, &version);
            let (resolved, decision) = app.evaluate(&request, now).await?;
            let refusal = crate::app::Refusal {
                product: resolved,
                decision,
            };
            let text = unavailable_plans_text(&refusal, &app.config.policy, lang);
            respond(
                ctx,
                component,
                if text.is_empty() {
                    lang.pick("(none)", "(ingen)").to_string()
                } else {
                    text
                },
                true,
            )
            .await
        }
        ComponentId::CompleteDraft { message } => complete_draft(ctx, component, data, member, message).await,
    }
}

/// The request of an incomplete chat message, completed in a modal prefilled from the text.
async fn complete_draft(
    ctx: &serenity::Context,
    component: &serenity::ComponentInteraction,
    data: &Data,
    member: &Member,
    message: u64,
) -> Result<(), AppError> {
    let original = component
        .channel_id
        .message(&ctx.http, serenity::MessageId::new(message))
        .await?;
    if original.author.id != component.user.id {
        return Err(AppError::user(member.language.pick(
            "Only the author of the request can complete it.",
            "Bare den som skrev forespørselen kan fullføre den.",
        )));
    }
    let draft = data.app.read_draft(&original.content, member.language);
    let defaults = super::commands::incident::DraftModal::prefilled(draft.as_ref(), &original.content);
    let modal = poise::execute_modal_on_component_interaction(ctx, component.clone(), Some(defaults), None).await?;
    let Some(modal): Option<super::commands::incident::DraftModal> = modal else {
        return Ok(());
    };
    let request = OpenRequest {
        source: SourceId(original.id.get().to_string()),
        member: member.clone(),
        product: modal.product,
        version: modal.version,
        severity: modal
            .severity
            .parse::<Severity>()
            .map_err(|e| AppError::user(e.to_string()))?,
        coverage: Coverage::BusinessHours,
        on_call: None,
        entitlement: None,
        title: modal.title,
        problem: modal.problem,
        borderline_exclusion: None,
    };
    super::messages::open_from_chat(
        ctx,
        data,
        request,
        component.channel_id,
        component.user.id,
        Some(component),
    )
    .await
}

fn probe(member: &Member, product: &str, version: &str) -> OpenRequest {
    OpenRequest {
        source: SourceId(String::new()),
        member: member.clone(),
        product: product.to_string(),
        version: version.to_string(),
        severity: Severity::C,
        coverage: Coverage::BusinessHours,
        on_call: None,
        entitlement: None,
        title: String::new(),
        problem: String::new(),
        borderline_exclusion: None,
    }
}

async fn respond(
    ctx: &serenity::Context,
    component: &serenity::ComponentInteraction,
    text: String,
    ephemeral: bool,
) -> Result<(), AppError> {
    let message = serenity::CreateInteractionResponseMessage::new()
        .content(super::render::truncate(&text, 2000))
        .ephemeral(ephemeral)
        .allowed_mentions(no_pings());
    component
        .create_response(&ctx.http, serenity::CreateInteractionResponse::Message(message))
        .await?;
    Ok(())
}

async fn followup(
    ctx: &serenity::Context,
    component: &serenity::ComponentInteraction,
    text: String,
) -> Result<(), AppError> {
    let message = serenity::CreateInteractionResponseFollowup::new()
        .content(super::render::truncate(&text, 2000))
        .allowed_mentions(no_pings());
    component.create_followup(&ctx.http, message).await?;
    Ok(())
}
