//! End to end: the scheduler's Discord sender (`DiscordSender`) against the local server:
//! nonce deduplication, the ping policy, and retryable vs permanent failures.

use std::sync::Arc;

use crate::helpers::bot::{spawn_bot, TOKEN};
use intakebot::app::reply::{
    Action, Audience, Button, ButtonStyle, ChannelKind, Content, Destination, Message, Ping, PingRole,
};
use intakebot::app::scheduler::{NoticeSender, SendError};
use intakebot::app::Reply;
use intakebot::core::ids::IncidentNumber;
use intakebot::core::language::Language;
use intakebot::discord::DiscordSender;
use intakebot_testkit::{Fault, FaultRule};
use serde_json::json;

/// A reminder to `channel` that echoes a dangerous mention, pings the engineers and carries
/// an Acknowledge button.
fn notice(channel: u64) -> Reply {
    let message = Message::text("INC-000001 first response due in 30 min @everyone")
        .with_pings(vec![Ping {
            role: PingRole::Engineers,
            id: crate::helpers::bot::ENGINEER_ROLE,
        }])
        .with_buttons(vec![Button {
            action: Action::Acknowledge(IncidentNumber(1)),
            label: "Acknowledge".into(),
            style: ButtonStyle::Primary,
        }]);
    Reply {
        audience: Audience::Channel(Destination {
            id: channel,
            kind: ChannelKind::Engineers,
        }),
        language: Language::En,
        zone: chrono_tz::Europe::Oslo,
        content: Content::Message(message),
    }
}

#[tokio::test]
async fn a_repeated_notice_posts_once_and_pings_only_its_role() {
    let bot = spawn_bot().await;
    let sender = DiscordSender {
        http: Arc::new(bot.fake.http_for_bot(TOKEN).unwrap()),
        pace: None,
    };
    let first = sender.post(&notice(bot.ids.engineers), "abc123r1e").await.unwrap();
    let again = sender.post(&notice(bot.ids.engineers), "abc123r1e").await.unwrap();
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
        pace: None,
    };
    let route = format!("/channels/{}/messages", bot.ids.managers);
    bot.fake
        .inject(FaultRule::new("POST", &route, Fault::RateLimited { retry_after: 0.1 }).times(1));
    assert!(matches!(
        sender.post(&notice(bot.ids.managers), "n1").await,
        Err(SendError::Retry(_))
    ));
    bot.fake
        .inject(FaultRule::new("POST", &route, Fault::Status(502)).times(1));
    assert!(matches!(
        sender.post(&notice(bot.ids.managers), "n2").await,
        Err(SendError::Retry(_))
    ));
    bot.fake
        .inject(FaultRule::new("POST", &route, Fault::MissingAccess).times(1));
    assert!(matches!(
        sender.post(&notice(bot.ids.managers), "n3").await,
        Err(SendError::Permanent(_))
    ));
    assert!(sender.post(&notice(bot.ids.managers), "n4").await.is_ok());
    bot.take_failures_quietly();
    bot.stop().await;
}
