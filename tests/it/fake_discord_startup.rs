//! Start-up failures the local Discord server can stage: a refused token (401 with Discord's body
//! on REST, close code 4004 on identify), a server that accepts connections and never answers,
//! and a loopback address where nothing listens.

use std::time::Duration;

use intakebot_testkit::{unreachable, FakeDiscord, HangingServer, Mode};
use serenity::all::GatewayIntents;
use serenity::gateway::GatewayError;
use serenity::http::{HttpBuilder, HttpError};

const WAIT: Duration = Duration::from_secs(5);

fn status_and_code(err: serenity::Error) -> (u16, isize) {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => (r.status_code.as_u16(), r.error.code),
        other => panic!("unexpected error: {other:?}"),
    }
}

#[tokio::test]
async fn a_refused_token_gets_401_on_every_startup_route() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    fake.refuse_token("revoked");
    let http = fake.http_for_bot("revoked").unwrap();

    assert_eq!(status_and_code(http.get_gateway().await.unwrap_err()), (401, 0));
    assert_eq!(status_and_code(http.get_bot_gateway().await.unwrap_err()), (401, 0));
    assert_eq!(status_and_code(http.get_current_user().await.unwrap_err()), (401, 0));
    assert_eq!(
        status_and_code(http.get_current_application_info().await.unwrap_err()),
        (401, 0)
    );

    let raw = reqwest::Client::new()
        .get(format!("{}/api/v10/users/@me", fake.rest_url()))
        .header("authorization", "Bot revoked")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 401);
    let body: serde_json::Value = serde_json::from_slice(&raw.bytes().await.unwrap()).unwrap();
    assert_eq!(body, serde_json::json!({ "code": 0, "message": "401: Unauthorized" }));
    assert!(fake.http_for_bot("good").unwrap().get_current_user().await.is_ok());
}

#[tokio::test]
async fn identifying_with_a_refused_token_is_closed_with_4004() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    fake.refuse_token("revoked");
    let intents = GatewayIntents::non_privileged();
    let mut client = fake.client_builder("revoked", intents).unwrap().await.unwrap();
    // GET /gateway was refused, so serenity fell back to Discord's real gateway: point it back.
    *client.ws_url.lock().await = fake.gateway_url();

    let err = tokio::time::timeout(WAIT, client.start())
        .await
        .expect("serenity gives up")
        .unwrap_err();

    assert!(
        matches!(err, serenity::Error::Gateway(GatewayError::InvalidAuthentication)),
        "{err:?}"
    );
    assert!(fake.gateway_spans().is_empty(), "no session was started");
}

#[tokio::test]
async fn a_hanging_server_accepts_and_never_answers() {
    let hanging = HangingServer::start().await.unwrap();
    let http = HttpBuilder::new("token")
        .proxy(hanging.rest_url())
        .ratelimiter_disabled(true)
        .build();
    let rest = tokio::spawn(async move { http.get_gateway().await.map(|_| ()) });
    let gateway_url = hanging.gateway_url();
    let gateway = tokio::spawn(async move { reqwest::get(gateway_url.replace("ws://", "http://")).await.map(|_| ()) });

    hanging.wait_for_connections(2, WAIT).await.unwrap();

    // "Never answers" can only be shown over some time: a third of a second of silence.
    let silence = Duration::from_millis(300);
    assert!(
        tokio::time::timeout(silence, rest).await.is_err(),
        "a REST call got an answer"
    );
    assert!(
        tokio::time::timeout(silence, gateway).await.is_err(),
        "the gateway answered"
    );
}

#[tokio::test]
async fn an_unreachable_address_refuses_connections() {
    let nothing = unreachable().unwrap();

    let err = reqwest::get(nothing.http_url()).await.unwrap_err();

    assert!(err.is_connect(), "{err:?}");
    assert!(nothing.ws_url().starts_with("ws://127.0.0.1:"));
}
