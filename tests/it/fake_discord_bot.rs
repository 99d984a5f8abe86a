//! End-to-end proof of the fake Discord server with a real poise bot over serenity's client
//! (proxy mode): startup, slash commands, autocomplete, buttons, modals, messages and threads.

use std::time::Duration;

use crate::helpers::fake_bot::{start_bot, start_ready_bot, TOKEN};
use intakebot_testkit::builders::{self, MemberSpec};
use intakebot_testkit::{FakeDiscord, Mode, ResponseKind};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(5);

fn alice() -> MemberSpec {
    MemberSpec::new(4242, "alice").with_roles(&[77])
}

fn id(value: &Value) -> u64 {
    value["id"].as_str().and_then(|s| s.parse().ok()).expect("snowflake id")
}

#[tokio::test]
async fn startup_fetches_gateway_identifies_and_registers_localized_commands() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_bot(&fake).await;

    let identify = fake.identified().await.unwrap();
    assert_eq!(identify.token, format!("Bot {TOKEN}"));
    let put = fake
        .wait_for_call(|c| c.is("PUT", "/applications/*/commands"), WAIT)
        .await
        .unwrap();

    let calls = fake.calls();
    assert!(calls[0].is("GET", "/gateway"), "first call: {:?}", calls[0]);
    assert!(calls.iter().any(|c| c.is("GET", "/oauth2/applications/@me")));
    assert_eq!(
        put.path,
        format!("/applications/{}/commands", fake.scene().application_id)
    );
    assert_eq!(put.headers["authorization"], format!("Bot {TOKEN}"));
    let ping = &put.body.as_ref().unwrap()[0];
    assert_eq!(ping["name"], "ping");
    assert_eq!(ping["name_localizations"]["no"], "ping");
    assert_eq!(ping["description_localizations"]["no"], "Helsesjekk");
    assert_eq!(ping["options"][0]["name"], "echo");
    assert_eq!(ping["options"][0]["options"][0]["autocomplete"], true);
}

#[tokio::test]
async fn slash_command_gets_a_type_4_callback_with_content() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;

    let echo = builders::option_subcommand("echo", vec![builders::option_str("text", "hi")]);
    let interaction = builders::interaction_command(fake.scene(), "ping", vec![echo], &alice(), "no");
    fake.dispatch("INTERACTION_CREATE", interaction.clone()).unwrap();

    let responses = fake.wait_for_responses(id(&interaction), 1, WAIT).await.unwrap();
    assert_eq!(responses[0].kind, ResponseKind::Callback(4));
    assert_eq!(responses[0].body["data"]["content"], "pong: hi");
    let callback = fake
        .wait_for_call(|c| c.is("POST", "/interactions/*/*/callback"), WAIT)
        .await
        .unwrap();
    assert_eq!(callback.status, 204);
}

#[tokio::test]
async fn autocomplete_gets_a_type_8_callback_with_choices() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;

    let echo = builders::option_subcommand("echo", vec![builders::option_focused("text", "pr")]);
    let interaction = builders::interaction_autocomplete(fake.scene(), "ping", vec![echo], &alice(), "en-US");
    fake.dispatch("INTERACTION_CREATE", interaction.clone()).unwrap();

    let responses = fake.wait_for_responses(id(&interaction), 1, WAIT).await.unwrap();
    assert_eq!(responses[0].kind, ResponseKind::Callback(8));
    let choices: Vec<&str> = responses[0].body["data"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(choices, ["printer", "prism"]);
}

#[tokio::test]
async fn button_press_on_the_bots_message_gets_an_update() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;

    let sub = builders::option_subcommand("button", vec![]);
    let command = builders::interaction_command(fake.scene(), "ping", vec![sub], &alice(), "en-US");
    fake.dispatch("INTERACTION_CREATE", command.clone()).unwrap();
    fake.wait_for_responses(id(&command), 1, WAIT).await.unwrap();
    let message = fake.original_response(id(&command)).expect("original message");
    assert_eq!(message["components"][0]["components"][0]["custom_id"], "press");

    let press = builders::interaction_button(fake.scene(), "press", message, &alice(), "en-US");
    fake.dispatch("INTERACTION_CREATE", press.clone()).unwrap();
    let responses = fake.wait_for_responses(id(&press), 1, WAIT).await.unwrap();
    assert_eq!(responses[0].kind, ResponseKind::Callback(7));
    assert_eq!(responses[0].body["data"]["content"], "pressed");
}

#[tokio::test]
async fn modal_round_trip_reaches_the_command() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;

    let sub = builders::option_subcommand("form", vec![]);
    let command = builders::interaction_command(fake.scene(), "ping", vec![sub], &alice(), "en-US");
    fake.dispatch("INTERACTION_CREATE", command.clone()).unwrap();
    let shown = fake.wait_for_responses(id(&command), 1, WAIT).await.unwrap();
    assert_eq!(shown[0].kind, ResponseKind::Callback(9));
    let modal_id = shown[0].body["data"]["custom_id"].as_str().unwrap().to_string();
    assert_eq!(
        modal_id,
        id(&command).to_string(),
        "poise uses the command id as modal id"
    );

    let fields = [("title", "Printer down")];
    let submit = builders::interaction_modal_submit(fake.scene(), &modal_id, &fields, &alice(), "en-US");
    fake.dispatch("INTERACTION_CREATE", submit.clone()).unwrap();
    let ack = fake.wait_for_responses(id(&submit), 1, WAIT).await.unwrap();
    assert_eq!(ack[0].kind, ResponseKind::Callback(6));
    let answers = fake.wait_for_responses(id(&command), 2, WAIT).await.unwrap();
    assert_eq!(answers[1].kind, ResponseKind::Followup);
    assert_eq!(answers[1].body["content"], "report: Printer down");
}

#[tokio::test]
async fn message_create_gets_a_reply_in_the_channel() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;
    let channel = fake.scene().channel_id;

    fake.dispatch(
        "MESSAGE_CREATE",
        builders::message_create(fake.scene(), channel, &alice(), "!hello"),
    )
    .unwrap();

    let reply = fake
        .wait_for_call(|c| c.is("POST", "/channels/*/messages"), WAIT)
        .await
        .unwrap();
    assert_eq!(reply.path, format!("/channels/{channel}/messages"));
    assert_eq!(reply.body_str("content"), Some("hello back"));
    assert_eq!(fake.messages(channel).last().unwrap()["content"], "hello back");
}

#[tokio::test]
async fn the_bots_own_message_is_echoed_and_ignored() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;
    let channel = fake.scene().channel_id;

    fake.dispatch(
        "MESSAGE_CREATE",
        builders::message_create(fake.scene(), channel, &alice(), "!hello"),
    )
    .unwrap();
    fake.wait_for_call(|c| c.is("POST", "/channels/*/messages"), WAIT)
        .await
        .unwrap();
    // Give the bot time to see its own MESSAGE_CREATE echo and (wrongly) react to it.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let echoed = fake
        .sent_events()
        .iter()
        .filter(|f| f["t"] == "MESSAGE_CREATE" && f["d"]["content"] == "hello back")
        .count();
    assert_eq!(echoed, 1);
    assert_eq!(
        fake.calls()
            .iter()
            .filter(|c| c.is("POST", "/channels/*/messages"))
            .count(),
        1
    );
}

#[tokio::test]
async fn thread_is_private_by_default_and_gets_the_author() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;
    let channel = fake.scene().channel_id;

    fake.dispatch(
        "MESSAGE_CREATE",
        builders::message_create(fake.scene(), channel, &alice(), "!thread"),
    )
    .unwrap();

    let create = fake
        .wait_for_call(|c| c.is("POST", "/channels/*/threads"), WAIT)
        .await
        .unwrap();
    assert_eq!(create.body_str("name"), Some("case 1"));
    let welcome = fake
        .wait_for_call(
            |c| c.is("POST", "/channels/*/messages") && c.body_str("content") == Some("welcome"),
            WAIT,
        )
        .await
        .unwrap();
    let thread_id: u64 = welcome.path.split('/').nth(2).unwrap().parse().unwrap();
    assert_eq!(fake.channel(thread_id).unwrap()["type"], 12);
    assert!(fake.thread_members(thread_id).contains(&4242));
    assert!(fake
        .calls()
        .iter()
        .any(|c| c.is("PUT", &format!("/channels/{thread_id}/thread-members/4242"))));
}

#[tokio::test]
async fn thread_from_a_message_is_public_with_the_message_id() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let _bot = start_ready_bot(&fake).await;
    let channel = fake.scene().channel_id;
    let message = builders::message_create(fake.scene(), channel, &alice(), "!discuss");

    fake.dispatch("MESSAGE_CREATE", message.clone()).unwrap();

    let create = fake
        .wait_for_call(|c| c.is("POST", "/channels/*/messages/*/threads"), WAIT)
        .await
        .unwrap();
    assert_eq!(create.status, 201);
    assert_eq!(fake.channel(id(&message)).unwrap()["type"], 11);
}
