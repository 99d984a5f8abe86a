//! Message history on the local Discord server: `GET /channels/{id}/messages` pages like Discord
//! (newest first, `before`/`after`/`around`, `limit` 1-100) in channels and threads, and messages
//! posted while the bot is down are in the history but never dispatched to a later session.

use crate::helpers::bare_client::{BareClient, Seen};
use intakebot_testkit::builders::MemberSpec;
use intakebot_testkit::{FakeDiscord, Mode};
use serenity::all::{ChannelId, CreateThread, GetMessages, MessageId};
use serenity::http::HttpError;

const TOKEN: &str = "fake-bot-token";

fn carla() -> MemberSpec {
    MemberSpec::new(5_000_000_000_000_000_001, "carla")
}

fn ids_of(messages: &[serenity::all::Message]) -> Vec<MessageId> {
    messages.iter().map(|m| m.id).collect()
}

#[tokio::test]
async fn pages_are_newest_first_around_an_anchor() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);
    let mut ids = Vec::new();
    for i in 0..6 {
        let message = fake.post_user_message(channel.get(), &carla(), &format!("m{i}"));
        ids.push(MessageId::new(message["id"].as_str().unwrap().parse().unwrap()));
    }

    let latest = channel.messages(&http, GetMessages::new().limit(2)).await.unwrap();
    let after = channel
        .messages(&http, GetMessages::new().after(ids[1]).limit(2))
        .await
        .unwrap();
    let before = channel
        .messages(&http, GetMessages::new().before(ids[3]).limit(10))
        .await
        .unwrap();
    let around = channel
        .messages(&http, GetMessages::new().around(ids[3]).limit(3))
        .await
        .unwrap();

    assert_eq!(ids_of(&latest), [ids[5], ids[4]]);
    assert_eq!(
        ids_of(&after),
        [ids[3], ids[2]],
        "the oldest after the id, newest first"
    );
    assert_eq!(ids_of(&before), [ids[2], ids[1], ids[0]]);
    assert_eq!(ids_of(&around), [ids[4], ids[3], ids[2]]);
    assert_eq!(latest[0].content, "m5");
}

#[tokio::test]
async fn a_limit_over_100_is_invalid_form_body() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    let err = http.get_messages(channel, None, Some(101)).await.unwrap_err();

    let serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) = err else {
        panic!("unexpected error: {err:?}");
    };
    assert_eq!((response.status_code.as_u16(), response.error.code), (400, 50035));
    assert_eq!(response.error.errors[0].path, "limit");
}

#[tokio::test]
async fn a_message_posted_while_the_bot_is_down_is_in_history_but_never_dispatched() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);
    let thread = channel.create_thread(&http, CreateThread::new("INC-1")).await.unwrap();
    BareClient::start(&fake, TOKEN).await.stop().await;

    let missed = fake.post_user_message(thread.id.get(), &carla(), "engineer reply while down");
    let mut client = BareClient::start(&fake, TOKEN).await;
    thread.id.say(&http, "marker").await.unwrap();

    // The bot's own marker is the first message the new session sees: the missed one never comes.
    let Seen::Message(first) = client.next_matching(|s| matches!(s, Seen::Message(_))).await else {
        unreachable!()
    };
    assert_eq!(first.content, "marker");
    let history = thread.id.messages(&http, GetMessages::new()).await.unwrap();
    assert_eq!(history[1].content, "engineer reply while down");
    assert_eq!(history[1].id.to_string(), missed["id"].as_str().unwrap());
    client.stop().await;
}
