//! End to end: the scheduler's Discord sender (`DiscordSender`) against the local server:
//! nonce deduplication, the ping policy, and retryable vs permanent failures.

use std::sync::Arc;

use crate::helpers::bot::{spawn_bot, TOKEN};
use intakebot::core::ids::IncidentNumber;
use intakebot::discord::DiscordSender;
use intakebot::scheduler::{Channel, NoticeSender, Outgoing, Ping, SendError};
use intakebot_testkit::{Fault, FaultRule};
use serde_json::json;

fn notice(nonce: &str) -> Outgoing {
    Outgoing {
        content: "INC-000001 first response due in 30 min @everyone".into(),
        pings: vec![Ping::Engineers],
        ack_button: Some(IncidentNumber(1)),
        nonce: nonce.into(),
    }
}

#[tokio::test]
async fn a_repeated_notice_posts_once_and_pings_only_its_role() {
    let bot = spawn_bot().await;
    let sender = DiscordSender {
        http: Arc::new(bot.fake.http_for_bot(TOKEN).unwrap()),
        discord: bot.app.config.app.discord.clone(),
        pace: None,
    };
    let first = sender
        .post(Channel(bot.ids.engineers), &notice("abc123r1e"))
        .await
        .unwrap();
    let again = sender
        .post(Channel(bot.ids.engineers), &notice("abc123r1e"))
        .await
        .unwrap();
    assert_eq!(first, again, "enforce_nonce returns the original message");
    assert_eq!(bot.fake.messages(bot.ids.engineers).len(), 1);
    let post = bot
        .fake
        .calls()
        .into_iter()
        .find(|c| c.is("POST", &format!("/channels/{}/messages", bot.ids.engineers)))
        .unwrap();
    let body = post.body.unwrap();
    assert_eq!(
        body["allowed_mentions"]["parse"],
        json!([]),
        "no @everyone even if the text says so"
    );
    assert_eq!(
        body["allowed_mentions"]["roles"],
        json!([crate::helpers::bot::ENGINEER_ROLE.to_string()])
    );
    assert_eq!(body["enforce_nonce"], true);
    assert_eq!(body["components"][0]["components"][0]["custom_id"], "ack:1");
    bot.stop().await;
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_missing_access_is_not() {
    let bot = spawn_bot().await;
    let sender = DiscordSender {
        http: Arc::new(bot.fake.http_for_bot(TOKEN).unwrap()),
        discord: bot.app.config.app.discord.clone(),
        pace: None,
    };
    let route = format!("/channels/{}/messages", bot.ids.managers);
    bot.fake
        .inject(FaultRule::new("POST", &route, Fault::RateLimited { retry_after: 0.1 }).times(1));
    assert!(matches!(
        sender.post(Channel(bot.ids.managers), &notice("n1")).await,
        Err(SendError::Retry(_))
    ));
    bot.fake
        .inject(FaultRule::new("POST", &route, Fault::Status(502)).times(1));
    assert!(matches!(
        sender.post(Channel(bot.ids.managers), &notice("n2")).await,
        Err(SendError::Retry(_))
    ));
    bot.fake
        .inject(FaultRule::new("POST", &route, Fault::MissingAccess).times(1));
    assert!(matches!(
        sender.post(Channel(bot.ids.managers), &notice("n3")).await,
        Err(SendError::Permanent(_))
    ));
    assert!(sender.post(Channel(bot.ids.managers), &notice("n4")).await.is_ok());
    bot.take_failures_quietly();
    bot.stop().await;
}
