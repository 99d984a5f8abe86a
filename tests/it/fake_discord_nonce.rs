//! The local Discord server's `enforce_nonce` window and the post counts a "posted once" test
//! relies on: a repeat within the window returns the original, after it (or with no window) it
//! is a second post, and the counts show it.

use std::time::Duration;

use intakebot_testkit::{FakeDiscord, Mode};
use serenity::all::{ChannelId, CreateMessage, Http, Message, Nonce};

const TOKEN: &str = "fake-bot-token";

async fn send(http: &Http, channel: ChannelId, nonce: &str, content: &str) -> Message {
    let message = CreateMessage::new()
        .content(content)
        .nonce(Nonce::String(nonce.to_string()))
        .enforce_nonce(true);
    channel.send_message(http, message).await.expect("sent")
}

#[tokio::test]
async fn a_repeat_within_the_window_is_one_post() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    let first = send(&http, channel, "notice-1", "reminder").await;
    fake.advance_clock(Duration::from_secs(299));
    let again = send(&http, channel, "notice-1", "reminder").await;

    assert_eq!(first.id, again.id);
    assert_eq!(fake.posts_per_nonce(channel.get())["notice-1"], 1);
}

#[tokio::test]
async fn after_the_window_a_repeated_nonce_is_a_second_post() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    let first = send(&http, channel, "notice-1", "reminder").await;
    fake.advance_clock(Duration::from_secs(301));
    let again = send(&http, channel, "notice-1", "reminder").await;

    assert_ne!(first.id, again.id, "Discord only deduplicates for a few minutes");
    assert_eq!(fake.posts_per_nonce(channel.get())["notice-1"], 2);
    assert_eq!(fake.posts_per_content(channel.get())["reminder"], 2);
}

#[tokio::test]
async fn with_no_window_the_counts_catch_a_double_post() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    fake.set_nonce_window(Duration::ZERO);
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    // A deliberately broken sender: it posts the same notice twice.
    send(&http, channel, "notice-7", "due soon").await;
    send(&http, channel, "notice-7", "due soon").await;
    send(&http, channel, "notice-8", "other").await;

    let per_nonce = fake.posts_per_nonce(channel.get());
    assert_eq!(per_nonce["notice-7"], 2);
    assert_eq!(per_nonce["notice-8"], 1);
    let posts = fake.bot_posts(channel.get());
    assert_eq!(posts.len(), 3);
    assert_eq!(posts[0].nonce.as_deref(), Some("notice-7"));
    assert_eq!(posts[2].content, "other");
    assert_eq!(posts[0].author_id, fake.scene().bot_user_id);
}

#[tokio::test]
async fn without_enforce_nonce_every_create_is_a_post() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    let plain = CreateMessage::new().content("x").nonce(Nonce::String("n".to_string()));
    channel.send_message(&http, plain.clone()).await.unwrap();
    channel.send_message(&http, plain).await.unwrap();

    assert_eq!(fake.posts_per_nonce(channel.get())["n"], 2);
}
