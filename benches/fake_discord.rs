//! Round-trip cost of the fake Discord server itself, so bot benches can subtract it:
//! a REST message create through serenity's `Http`, and a slash command answered by a poise bot.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use intakebot_testkit::{builders, FakeDiscord, MemberSpec, Mode};
use poise::serenity_prelude as serenity;
use tokio::runtime::Runtime;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Answers pong.
#[poise::command(slash_command)]
async fn ping(ctx: poise::Context<'_, (), Error>) -> Result<(), Error> {
    ctx.say("pong").await?;
    Ok(())
}

async fn start_bot(fake: &FakeDiscord) {
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![ping()],
            ..Default::default()
        })
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_globally(ctx, &framework.options().commands).await?;
                Ok(())
            })
        })
        .build();
    let builder = fake
        .client_builder("bench-token", serenity::GatewayIntents::non_privileged())
        .expect("builder");
    let mut client = builder.framework(framework).await.expect("client");
    tokio::spawn(async move { client.start().await });
    let registered = |c: &intakebot_testkit::RecordedCall| c.is("PUT", "/applications/*/commands");
    fake.wait_for_call(registered, Duration::from_secs(10))
        .await
        .expect("bot ready");
}

fn bench(c: &mut Criterion) {
    let rt = Runtime::new().expect("runtime");
    let fake = rt.block_on(FakeDiscord::start(Mode::Proxy)).expect("fake");
    let http = fake.http_for_bot("bench-token").expect("http");
    let channel = serenity::ChannelId::new(fake.scene().channel_id);
    c.bench_function("fake_discord/rest_message_create", |b| {
        b.iter(|| rt.block_on(channel.say(&http, "x")).expect("message"))
    });

    rt.block_on(start_bot(&fake));
    let member = MemberSpec::new(1, "bench");
    c.bench_function("fake_discord/slash_command_round_trip", |b| {
        b.iter(|| {
            let interaction = builders::interaction_command(fake.scene(), "ping", vec![], &member, "en-US");
            let id = interaction["id"].as_str().and_then(|s| s.parse().ok()).expect("id");
            fake.dispatch("INTERACTION_CREATE", interaction).expect("dispatch");
            rt.block_on(fake.wait_for_responses(id, 1, Duration::from_secs(5)))
                .expect("answer")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
