//! Scripted 429s on the local Discord server: Discord's header and body shapes, storms of N in a
//! row on one route or on all, and per-route attempts with arrival times so a test can check that
//! a client honoured `Retry-After` (and catch one that did not).

use std::time::Duration;

use intakebot_testkit::{FakeDiscord, Fault, FaultRule, Mode, RateLimit, RetryAfterHeader};
use serenity::all::ChannelId;

const TOKEN: &str = "fake-bot-token";

#[tokio::test]
async fn serenitys_ratelimiter_honours_a_storm_of_three_429s() {
    let fake = FakeDiscord::start(Mode::Tls).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let limit = RateLimit::after(0.1);
    fake.inject(FaultRule::new("POST", "/channels/*/messages", Fault::RateLimit(limit)).times(3));

    ChannelId::new(fake.scene().channel_id)
        .say(&http, "after the storm")
        .await
        .unwrap();

    let attempts = fake.attempts("POST", "/channels/*/messages");
    let statuses: Vec<u16> = attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [429, 429, 429, 200]);
    assert_eq!(attempts[0].retry_after, Some(Duration::from_millis(100)));
    assert!(fake.early_retries("POST", "/channels/*/messages").is_empty());
}

#[tokio::test]
async fn a_client_that_ignores_retry_after_is_caught() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let limit = RateLimit::after(30.0).header(RetryAfterHeader::WholeSeconds);
    fake.inject(FaultRule::all_routes(Fault::RateLimit(limit)).times(2));
    let url = format!("{}/api/v10/users/@me", fake.rest_url());

    // A deliberately broken client: it retries at once.
    let client = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let response = client.get(&url).header("authorization", "Bot t").send().await.unwrap();
        statuses.push(response.status().as_u16());
    }

    assert_eq!(statuses, [429, 429, 200]);
    let early = fake.early_retries("*", "/**");
    assert_eq!(early.len(), 2, "{early:?}");
    assert_eq!(early[0].0.retry_after, Some(Duration::from_secs(30)));
}

#[tokio::test]
async fn a_global_body_only_429_has_the_float_and_no_header() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let limit = RateLimit::after(0.25).global().header(RetryAfterHeader::Absent);
    fake.inject(FaultRule::all_routes(Fault::RateLimit(limit)));

    let response = reqwest::get(format!("{}/api/v10/gateway", fake.rest_url()))
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 429);
    assert!(response.headers().get("retry-after").is_none());
    assert_eq!(response.headers()["x-ratelimit-global"], "true");
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["retry_after"], 0.25);
    assert_eq!(body["global"], true);
    assert_eq!(
        fake.attempts("GET", "/gateway")[0].retry_after,
        Some(Duration::from_millis(250))
    );
}
