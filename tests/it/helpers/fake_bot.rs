//! A tiny real poise bot used to prove the fake Discord server: `/ping` with subcommands
//! (`echo` with an autocompleted option, `button`, `form` with a modal) and message handlers
//! (`!hello` replies, `!thread` opens a private thread and adds the author).

use std::time::Duration;

use intakebot_testkit::FakeDiscord;
use poise::serenity_prelude as serenity;
use tokio::task::JoinHandle;

pub const TOKEN: &str = "fake-bot-token";

pub struct Data;
pub type Error = Box<dyn std::error::Error + Send + Sync>;
type Ctx<'a> = poise::Context<'a, Data, Error>;

/// Health check with subcommands.
#[poise::command(
    slash_command,
    subcommands("echo", "button", "form"),
    subcommand_required,
    name_localized("no", "ping"),
    description_localized("no", "Helsesjekk")
)]
async fn ping(_ctx: Ctx<'_>) -> Result<(), Error> {
    Ok(())
}

async fn complete_text(_ctx: Ctx<'_>, partial: &str) -> serenity::CreateAutocompleteResponse {
    let choices = ["printer", "prism", "router"]
        .into_iter()
        .filter(|c| c.starts_with(partial))
        .map(serenity::AutocompleteChoice::from)
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Echo a text.
#[poise::command(slash_command, description_localized("no", "Gjenta en tekst"))]
async fn echo(
    ctx: Ctx<'_>,
    #[description = "What to echo"]
    #[autocomplete = "complete_text"]
    text: String,
) -> Result<(), Error> {
    ctx.say(format!("pong: {text}")).await?;
    Ok(())
}

/// Show a button and wait for it.
#[poise::command(slash_command)]
async fn button(ctx: Ctx<'_>) -> Result<(), Error> {
    let row = serenity::CreateActionRow::Buttons(vec![serenity::CreateButton::new("press").label("Press")]);
    ctx.send(poise::CreateReply::default().content("press it").components(vec![row]))
        .await?;
    let pressed = serenity::ComponentInteractionCollector::new(ctx)
        .filter(|i| i.data.custom_id == "press")
        .timeout(Duration::from_secs(5))
        .await;
    if let Some(press) = pressed {
        let update = serenity::CreateInteractionResponseMessage::new()
            .content("pressed")
            .components(vec![]);
        press
            .create_response(ctx, serenity::CreateInteractionResponse::UpdateMessage(update))
            .await?;
    }
    Ok(())
}

#[derive(Debug, poise::Modal)]
#[name = "Report"]
struct Report {
    #[name = "Title"]
    title: String,
}

/// Open a modal.
#[poise::command(slash_command)]
async fn form(ctx: poise::ApplicationContext<'_, Data, Error>) -> Result<(), Error> {
    let submitted = poise::execute_modal(ctx, None::<Report>, Some(Duration::from_secs(5))).await?;
    if let Some(report) = submitted {
        poise::Context::Application(ctx)
            .say(format!("report: {}", report.title))
            .await?;
    }
    Ok(())
}

async fn on_event(ctx: &serenity::Context, event: &serenity::FullEvent) -> Result<(), Error> {
    let serenity::FullEvent::Message { new_message } = event else {
        return Ok(());
    };
    if new_message.author.bot {
        return Ok(());
    }
    match new_message.content.as_str() {
        "!hello" => {
            new_message.channel_id.say(&ctx.http, "hello back").await?;
        }
        "!thread" => {
            let thread = new_message
                .channel_id
                .create_thread(&ctx.http, serenity::CreateThread::new("case 1"))
                .await?;
            thread.id.add_thread_member(&ctx.http, new_message.author.id).await?;
            thread.id.say(&ctx.http, "welcome").await?;
        }
        "!discuss" => {
            let builder = serenity::CreateThread::new("discussion");
            new_message
                .channel_id
                .create_thread_from_message(&ctx.http, new_message.id, builder)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

/// Starts the bot against `fake` with serenity's real client; the task ends with the test.
pub async fn start_bot(fake: &FakeDiscord) -> JoinHandle<()> {
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![ping()],
            event_handler: |framework, event| Box::pin(on_event(framework.serenity_context, event)),
            ..Default::default()
        })
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_globally(ctx, &framework.options().commands).await?;
                Ok(Data)
            })
        })
        .build();
    let intents = serenity::GatewayIntents::non_privileged() | serenity::GatewayIntents::MESSAGE_CONTENT;
    let builder = fake.client_builder(TOKEN, intents).expect("client builder");
    let mut client = builder.framework(framework).await.expect("client");
    tokio::spawn(async move {
        let _ = client.start().await;
    })
}

/// Starts the bot and waits until it registered its commands (poise holds events until then).
pub async fn start_ready_bot(fake: &FakeDiscord) -> JoinHandle<()> {
    let bot = start_bot(fake).await;
    fake.wait_for_call(|c| c.is("PUT", "/applications/*/commands"), Duration::from_secs(10))
        .await
        .expect("commands registered");
    bot
}
