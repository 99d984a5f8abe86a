//! REST behaviour of the fake Discord server through serenity's `Http`: nonce deduplication,
//! injected errors, and 429s retried by serenity's own ratelimiter in TLS mode.

use std::time::{Duration, Instant};

use intakebot_testkit::{FakeDiscord, Fault, FaultRule, Mode};
use serenity::all::{ChannelId, CreateMessage, CreateThread, Nonce};
use serenity::http::HttpError;

const TOKEN: &str = "fake-bot-token";

fn nonce_message(nonce: &str) -> CreateMessage {
    CreateMessage::new()
        .content("case opened")
        .nonce(Nonce::String(nonce.to_string()))
        .enforce_nonce(true)
}

#[tokio::test]
async fn repeated_nonce_returns_the_original_message() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    let first = channel.send_message(&http, nonce_message("case-17")).await.unwrap();
    let again = channel.send_message(&http, nonce_message("case-17")).await.unwrap();
    let other = channel.send_message(&http, nonce_message("case-18")).await.unwrap();

    assert_eq!(first.id, again.id);
    assert_ne!(first.id, other.id);
    assert_eq!(fake.messages(channel.get()).len(), 2);
}

#[tokio::test]
async fn missing_access_is_surfaced_as_a_discord_error() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    fake.inject(FaultRule::new("POST", "/channels/*/messages", Fault::MissingAccess));
    let channel = ChannelId::new(fake.scene().channel_id);

    let err = channel.say(&http, "hello").await.unwrap_err();

    let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = err else {
        panic!("unexpected error: {err:?}");
    };
    assert_eq!(response.status_code.as_u16(), 403);
    assert_eq!(response.error.code, 50001);
    assert!(channel.say(&http, "hello").await.is_ok(), "the fault is used up");
}

#[tokio::test]
async fn unknown_channel_is_a_404_with_code_10003() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();

    let err = ChannelId::new(1).say(&http, "hello").await.unwrap_err();

    let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = err else {
        panic!("unexpected error: {err:?}");
    };
    assert_eq!((response.status_code.as_u16(), response.error.code), (404, 10003));
}

#[tokio::test]
async fn server_error_is_surfaced() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    fake.inject(FaultRule::any_method("/channels/*", Fault::Status(502)));

    let err = ChannelId::new(fake.scene().channel_id)
        .to_channel(&http)
        .await
        .unwrap_err();

    assert!(
        matches!(err, serenity::Error::Http(HttpError::UnsuccessfulRequest(ref r)) if r.status_code.as_u16() == 502)
    );
}

#[tokio::test]
async fn thread_429s_are_retried_by_serenitys_ratelimiter_in_tls_mode() {
    let fake = FakeDiscord::start(Mode::Tls).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    fake.inject(FaultRule::new("POST", "/channels/*/threads", Fault::RateLimited { retry_after: 0.2 }).times(2));
    let channel = ChannelId::new(fake.scene().channel_id);

    let started = Instant::now();
    let thread = channel.create_thread(&http, CreateThread::new("case 9")).await.unwrap();

    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(thread.name, "case 9");
    let statuses: Vec<u16> = fake
        .calls()
        .iter()
        .filter(|c| c.is("POST", "/channels/*/threads"))
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, [429, 429, 201]);
}

#[tokio::test]
async fn global_429_is_retried_in_tls_mode() {
    let fake = FakeDiscord::start(Mode::Tls).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    fake.inject(FaultRule::new(
        "POST",
        "/channels/*/messages",
        Fault::GlobalRateLimited { retry_after: 0.1 },
    ));

    let message = ChannelId::new(fake.scene().channel_id)
        .say(&http, "hello")
        .await
        .unwrap();

    assert_eq!(message.content, "hello");
    assert_eq!(fake.calls().len(), 2);
}

#[tokio::test]
async fn a_429_in_proxy_mode_reaches_the_caller() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    fake.inject(FaultRule::new(
        "POST",
        "/channels/*/threads",
        Fault::RateLimited { retry_after: 0.2 },
    ));

    let err = ChannelId::new(fake.scene().channel_id)
        .create_thread(&http, CreateThread::new("x"))
        .await
        .unwrap_err();

    assert!(
        matches!(err, serenity::Error::Http(HttpError::UnsuccessfulRequest(ref r)) if r.status_code.as_u16() == 429)
    );
}

#[tokio::test]
async fn an_unknown_route_fails_the_test_loudly() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();

    let guild = serenity::all::GuildId::new(fake.scene().guild_id);
    let _ = http.get_guild_webhooks(guild).await;

    let failures = fake.take_failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(failures[0].contains("/webhooks"), "{failures:?}");
}

#[tokio::test]
async fn content_over_2000_chars_is_refused_like_discord() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    // serenity's builders refuse this before sending; the raw route shows the fake's answer.
    let body = serde_json::json!({ "content": "x".repeat(2001) });
    let err = http.send_message(channel, Vec::new(), &body).await.unwrap_err();

    assert!(matches!(err, serenity::Error::Http(HttpError::UnsuccessfulRequest(ref r)) if r.error.code == 50035));
    assert!(channel.say(&http, "x".repeat(2000)).await.is_ok());
}
