//! Gateway behaviour of the fake Discord server against serenity's real client: op 7
//! reconnect + op 6 resume with replay, a dropped connection, and dispatch validation; and
//! against a bare client that stops heartbeating (closed as a zombie).

use std::time::{Duration, Instant};

use crate::helpers::fake_bot::start_ready_bot;
use futures::{SinkExt, StreamExt};
use intakebot_testkit::builders::{self, MemberSpec};
use intakebot_testkit::{FakeDiscord, Mode, ResponseKind, TestkitError};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

const WAIT: Duration = Duration::from_secs(5);

fn alice() -> MemberSpec {
    MemberSpec::new(4242, "alice").with_roles(&[77])
}

fn id(value: &Value) -> u64 {
    value["id"].as_str().and_then(|s| s.parse().ok()).expect("snowflake id")
}

/// Dispatches `/ping echo text` and waits for the type 4 answer.
async fn echo_round_trip(fake: &FakeDiscord, text: &str) {
    let echo = builders::option_subcommand("echo", vec![builders::option_str("text", text)]);
    let interaction = builders::interaction_command(fake.scene(), "ping", vec![echo], &alice(), "en-US");
    fake.dispatch("INTERACTION_CREATE", interaction.clone()).unwrap();
    let responses = fake.wait_for_responses(id(&interaction), 1, WAIT).await.unwrap();
    assert_eq!(responses[0].kind, ResponseKind::Callback(4));
    assert_eq!(responses[0].body["data"]["content"], format!("pong: {text}"));
}

#[tokio::test]
async fn op7_reconnect_is_followed_by_a_resume_and_events_keep_flowing() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;
    echo_round_trip(&fake, "before").await;

    fake.request_reconnect();
    let resume = fake.resumed(1, WAIT).await.unwrap();

    assert!(resume.seq >= 2, "client resumed from seq {}", resume.seq);
    assert_eq!(fake.gateway_connections(), 2);
    echo_round_trip(&fake, "after").await;
    assert!(
        fake.identified_nth(2, Duration::from_millis(100)).await.is_err(),
        "no re-identify"
    );
}

#[tokio::test]
async fn event_queued_while_reconnecting_is_replayed_after_resume() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;

    fake.request_reconnect();
    let echo = builders::option_subcommand("echo", vec![builders::option_str("text", "queued")]);
    let interaction = builders::interaction_command(fake.scene(), "ping", vec![echo], &alice(), "en-US");
    fake.dispatch("INTERACTION_CREATE", interaction.clone()).unwrap();

    fake.resumed(1, WAIT).await.unwrap();
    let responses = fake.wait_for_responses(id(&interaction), 1, WAIT).await.unwrap();
    assert_eq!(responses[0].body["data"]["content"], "pong: queued");
}

#[tokio::test]
async fn dropped_connection_is_resumed() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;

    fake.drop_gateway_connection();
    fake.resumed(1, WAIT).await.unwrap();

    echo_round_trip(&fake, "still here").await;
}

#[tokio::test]
async fn heartbeats_are_acknowledged_and_the_session_stays_up() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    fake.set_heartbeat_interval(Duration::from_millis(100));
    let _bot = start_ready_bot(&fake).await;

    fake.wait_for_heartbeats(3, WAIT).await.unwrap();

    // An unacknowledged heartbeat would make serenity reconnect.
    assert_eq!(fake.gateway_connections(), 1);
    echo_round_trip(&fake, "alive").await;
}

/// The next text frame as JSON; panics on a close or after `WAIT`.
async fn next_json<S>(ws: &mut S) -> Value
where
    S: futures::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        match tokio::time::timeout(WAIT, ws.next()).await.expect("a frame in time") {
            Some(Ok(Message::Text(text))) => return serde_json::from_str(&text).unwrap(),
            Some(Ok(Message::Close(frame))) => panic!("closed: {frame:?}"),
            Some(Ok(_)) => {}
            other => panic!("connection ended: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_client_that_stops_heartbeating_is_closed_with_4009_and_its_session_ends() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    fake.set_heartbeat_interval(Duration::from_millis(200));
    let (mut ws, _) = tokio_tungstenite::connect_async(fake.gateway_url()).await.unwrap();
    assert_eq!(next_json(&mut ws).await["op"], 10);
    let identify = json!({ "op": 2, "d": {
        "token": "Bot fake-bot-token", "intents": 1,
        "properties": { "os": "linux", "browser": "test", "device": "test" },
    }});
    ws.send(Message::Text(identify.to_string())).await.unwrap();
    let ready = next_json(&mut ws).await;
    assert_eq!(ready["t"], "READY");
    let session_id = ready["d"]["session_id"].as_str().unwrap().to_string();
    let identified = Instant::now();

    // No heartbeat from here on: closed after 200 ms + max(100 ms, 1 s).
    let close = loop {
        match tokio::time::timeout(WAIT, ws.next()).await.expect("closed in time") {
            Some(Ok(Message::Close(frame))) => break frame,
            Some(Ok(_)) => {}
            other => panic!("ended without a close frame: {other:?}"),
        }
    };
    let after = identified.elapsed();
    assert_eq!(close.map(|f| u16::from(f.code)), Some(4009));
    assert!(after >= Duration::from_millis(1100), "closed after {after:?}");
    assert_eq!(fake.gateway_timeouts(), 1);
    fake.wait_for_live_sessions(0, WAIT).await.unwrap();

    // The session is over for good: a resume is answered with op 9 (invalid session).
    let (mut ws, _) = tokio_tungstenite::connect_async(fake.gateway_url()).await.unwrap();
    assert_eq!(next_json(&mut ws).await["op"], 10);
    let resume = json!({ "op": 6, "d": { "token": "Bot fake-bot-token", "session_id": session_id, "seq": 1 } });
    ws.send(Message::Text(resume.to_string())).await.unwrap();
    let answer = next_json(&mut ws).await;
    assert_eq!((answer["op"].clone(), answer["d"].clone()), (json!(9), json!(false)));
}

#[tokio::test]
async fn dispatch_missing_locale_is_rejected_before_sending() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let mut interaction = builders::interaction_command(fake.scene(), "ping", vec![], &alice(), "en-US");
    interaction.as_object_mut().unwrap().remove("locale");

    let err = fake.dispatch("INTERACTION_CREATE", interaction).unwrap_err();

    match err {
        TestkitError::InvalidDispatch { reason, .. } => {
            assert!(reason.contains("locale"), "{reason}")
        }
        other => panic!("unexpected error: {other}"),
    }
}

#[tokio::test]
async fn dispatch_before_identify_is_an_error() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let message = builders::message_create(fake.scene(), fake.scene().channel_id, &alice(), "hi");
    assert!(matches!(
        fake.dispatch("MESSAGE_CREATE", message),
        Err(TestkitError::NotConnected)
    ));
}

#[tokio::test]
async fn a_callback_after_the_deadline_is_unknown_interaction() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;
    fake.set_interaction_deadline(Some(Duration::ZERO));
    let mark = fake.call_count();

    let echo = builders::option_subcommand("echo", vec![builders::option_str("text", "late")]);
    let interaction = builders::interaction_command(fake.scene(), "ping", vec![echo], &alice(), "en-US");
    fake.dispatch("INTERACTION_CREATE", interaction).unwrap();

    let callback = fake
        .wait_for_call(|c| c.seq >= mark && c.is("POST", "/interactions/*/*/callback"), WAIT)
        .await
        .unwrap();
    assert_eq!(callback.status, 404);
}
