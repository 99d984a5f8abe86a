//! Several gateway sessions on the local Discord server: clients with the same token may be
//! connected at once and each receives every dispatch; each connection's span (READY → socket
//! closed) is recorded so a test can assert that sessions never overlapped.

use std::time::Duration;

use crate::helpers::bare_client::{BareClient, Seen};
use intakebot_testkit::builders::{self, MemberSpec};
use intakebot_testkit::{FakeDiscord, Mode};

const TOKEN: &str = "fake-bot-token";
const WAIT: Duration = Duration::from_secs(5);

fn carla() -> MemberSpec {
    MemberSpec::new(5_000_000_000_000_000_001, "carla")
}

async fn next_content(client: &mut BareClient) -> String {
    match client.next_matching(|s| matches!(s, Seen::Message(_))).await {
        Seen::Message(message) => message.content,
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn two_clients_with_one_token_both_receive_every_dispatch() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let mut first = BareClient::start(&fake, TOKEN).await;
    let mut second = BareClient::start(&fake, TOKEN).await;
    let live = fake.wait_for_live_sessions(2, WAIT).await.unwrap();
    assert_ne!(live[0].session_id, live[1].session_id);

    let message = builders::message_create(fake.scene(), fake.scene().channel_id, &carla(), "hello both");
    fake.dispatch("MESSAGE_CREATE", message).unwrap();

    assert_eq!(next_content(&mut first).await, "hello both");
    assert_eq!(next_content(&mut second).await, "hello both");
    let (a, b) = fake.overlapping_sessions().expect("both sessions were open at once");
    assert_ne!(a.connection, b.connection);
    first.stop().await;
    second.stop().await;
}

#[tokio::test]
async fn a_session_that_ends_before_the_next_starts_does_not_overlap() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let first = BareClient::start(&fake, TOKEN).await;
    let connection = fake.gateway_spans()[0].connection;
    first.stop().await;
    let ended = fake.wait_for_session_end(connection, WAIT).await.unwrap();
    let second = BareClient::start(&fake, TOKEN).await;

    let spans = fake.gateway_spans();
    assert_eq!(spans.len(), 2);
    assert!(ended.ended.unwrap() <= spans[1].started);
    assert!(ended.ended_at.unwrap() <= spans[1].started_at);
    assert_eq!(spans[1].token, format!("Bot {TOKEN}"));
    assert!(fake.overlapping_sessions().is_none());
    assert_eq!(fake.live_sessions(), 1);
    second.stop().await;
    fake.wait_for_ended_sessions(2, WAIT).await.unwrap();
}

#[tokio::test]
async fn dropping_one_connection_leaves_the_other_session_receiving() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let first = BareClient::start(&fake, TOKEN).await;
    let mut second = BareClient::start(&fake, TOKEN).await;
    let spans = fake.wait_for_live_sessions(2, WAIT).await.unwrap();

    first.stop().await;
    fake.wait_for_session_end(spans[0].connection, WAIT).await.unwrap();
    let message = builders::message_create(fake.scene(), fake.scene().channel_id, &carla(), "still here");
    fake.dispatch("MESSAGE_CREATE", message).unwrap();

    assert_eq!(next_content(&mut second).await, "still here");
    assert_eq!(fake.live_sessions(), 1);
    second.stop().await;
}
