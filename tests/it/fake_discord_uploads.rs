//! Multipart uploads on the local Discord server, as serenity 0.12.5 sends them: channel
//! messages, interaction callbacks, follow-ups and `@original` edits carry files; the server
//! validates them like Discord and keeps the bytes for the test.

use crate::helpers::bare_client::BareClient;
use intakebot_testkit::builders::{self, MemberSpec};
use intakebot_testkit::{FakeDiscord, Mode};
use serde_json::json;
use serenity::all::{
    ApplicationId, AttachmentId, ChannelId, CreateAttachment, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse,
    InteractionId,
};
use serenity::builder::Builder;
use serenity::http::HttpError;

const TOKEN: &str = "fake-bot-token";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n fake image bytes";
const CSV: &[u8] = b"organisation,severity,opened\ncontoso,A,3\n";

fn error_of(err: serenity::Error) -> (u16, isize, Vec<String>) {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => (
            r.status_code.as_u16(),
            r.error.code,
            r.error.errors.iter().map(|e| e.path.clone()).collect(),
        ),
        other => panic!("unexpected error: {other:?}"),
    }
}

#[tokio::test]
async fn a_message_with_two_files_stores_both_and_their_bytes() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    let message = CreateMessage::new()
        .content("weekly report")
        .add_file(CreateAttachment::bytes(PNG, "chart.png"))
        .add_file(CreateAttachment::bytes(CSV, "report.csv"));
    let sent = channel.send_message(&http, message).await.unwrap();

    assert_eq!(sent.attachments.len(), 2);
    let post = &fake.bot_posts(channel.get())[0];
    let names: Vec<&str> = post.attachments.iter().map(|a| a.filename.as_str()).collect();
    assert_eq!(names, ["chart.png", "report.csv"]);
    assert_eq!(post.attachments[0].content_type.as_deref(), Some("image/png"));
    assert_eq!(post.attachments[1].size, CSV.len() as u64);
    assert_eq!(fake.attachment_data(post.attachments[0].id).unwrap(), PNG);
    assert_eq!(fake.attachment_data(post.attachments[1].id).unwrap(), CSV);
    let upload = fake
        .calls()
        .into_iter()
        .find(|c| c.is("POST", "/channels/*/messages"))
        .unwrap();
    assert_eq!(upload.files[0].field, "files[0]");
    assert_eq!(upload.body.unwrap()["attachments"][1]["filename"], "report.csv");

    let downloaded = reqwest::get(&sent.attachments[1].url)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(downloaded.as_ref(), CSV);
}

#[tokio::test]
async fn interaction_callback_follow_up_and_original_edit_carry_files() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    http.set_application_id(ApplicationId::new(fake.scene().application_id));
    let client = BareClient::start(&fake, TOKEN).await;
    let member = MemberSpec::new(42, "maria");
    let interaction = builders::interaction_command(fake.scene(), "report", vec![], &member, "en-US");
    fake.dispatch("INTERACTION_CREATE", interaction.clone()).unwrap();
    let id: u64 = interaction["id"].as_str().unwrap().parse().unwrap();
    let token = interaction["token"].as_str().unwrap();

    let reply = CreateInteractionResponseMessage::new()
        .content("report")
        .add_file(CreateAttachment::bytes(PNG, "chart.png"));
    CreateInteractionResponse::Message(reply)
        .execute(&http, (InteractionId::new(id), token))
        .await
        .unwrap();
    let followup = CreateInteractionResponseFollowup::new().add_file(CreateAttachment::bytes(CSV, "report.csv"));
    let second = followup.execute(&http, (None, token)).await.unwrap();
    let original = fake.original_response(id).unwrap();
    let png_id: u64 = original["attachments"][0]["id"].as_str().unwrap().parse().unwrap();
    let keep_and_add = EditInteractionResponse::new()
        .keep_existing_attachment(AttachmentId::new(png_id))
        .new_attachment(CreateAttachment::bytes(CSV, "extra.csv"));
    let kept = keep_and_add.execute(&http, token).await.unwrap();
    let replace = EditInteractionResponse::new().new_attachment(CreateAttachment::bytes(CSV, "only.csv"));
    let replaced = replace.execute(&http, token).await.unwrap();

    assert_eq!(second.attachments[0].filename, "report.csv");
    let names = |m: &serenity::all::Message| m.attachments.iter().map(|a| a.filename.clone()).collect::<Vec<_>>();
    assert_eq!(names(&kept), ["chart.png", "extra.csv"]);
    assert_eq!(
        names(&replaced),
        ["only.csv"],
        "an attachments list drops what it does not name"
    );
    assert_eq!(fake.attachment_data(png_id).unwrap(), PNG);
    client.stop().await;
}

#[tokio::test]
async fn a_file_over_the_upload_limit_is_413_request_entity_too_large() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    fake.set_upload_limit(16);
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    let too_big = CreateMessage::new().add_file(CreateAttachment::bytes(vec![0u8; 17], "big.bin"));
    let err = channel.send_message(&http, too_big).await.unwrap_err();
    assert_eq!(error_of(err).0, 413);

    let fits = CreateMessage::new().add_file(CreateAttachment::bytes(vec![0u8; 16], "ok.bin"));
    assert!(channel.send_message(&http, fits).await.is_ok());
    let err = channel
        .send_message(
            &http,
            CreateMessage::new().add_file(CreateAttachment::bytes(vec![0u8; 17], "big.bin")),
        )
        .await
        .unwrap_err();
    assert_eq!(error_of(err).1, 40005);
}

#[tokio::test]
async fn an_attachment_id_with_no_uploaded_part_is_invalid_form_body() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    // serenity numbers parts itself; the raw route lets the payload name a part that is missing.
    let body =
        json!({ "content": "x", "attachments": [{ "id": 0, "filename": "a.csv" }, { "id": 5, "filename": "b.csv" }] });
    let files = vec![CreateAttachment::bytes(CSV, "a.csv")];
    let err = http.send_message(channel, files, &body).await.unwrap_err();

    assert_eq!(error_of(err), (400, 50035, vec!["attachments.1.id".to_string()]));
    assert!(fake.posts(channel.get()).is_empty(), "nothing is posted");
}

#[tokio::test]
async fn empty_and_path_like_filenames_are_refused() {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let http = fake.http_for_bot(TOKEN).unwrap();
    let channel = ChannelId::new(fake.scene().channel_id);

    for name in ["", "../etc/passwd"] {
        let message = CreateMessage::new()
            .content("x")
            .add_file(CreateAttachment::bytes(CSV, name));
        let (status, code, _) = error_of(channel.send_message(&http, message).await.unwrap_err());
        assert_eq!((status, code), (400, 50035), "{name:?}");
    }
}
