//! End to end: chat intake in an organisation's intake channel (MESSAGE_CREATE through
//! serenity), replies and the mention policy on echoed text.

mod common;

use common::bot::{customer, other_customer, spawn_bot, WAIT};
use intakebot::core::plan::PlanId;
use serde_json::json;

fn content(call: &intakebot::testkit::discord::RecordedCall) -> String {
    call.body.as_ref().and_then(|b| b["content"].as_str()).unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_complete_message_opens_an_incident_with_a_thread() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    let (_, before) = bot.say(bot.ids.contoso_intake, &customer(), "prio C: Windows Server 2022 print spooler keeps crashing");
    let posted = bot.bot_post(bot.ids.contoso_intake, before).await;
    let text = content(&posted);
    assert!(text.contains("INC-000001"), "confirmation: {text}");
    let incident = bot.incident(1).await;
    assert_eq!(incident.product, "Windows Server");
    let thread = incident.discord.thread.expect("thread");
    assert!(bot.fake.thread_members(thread).contains(&customer().user_id));
    assert!(!bot.fake.messages(thread).is_empty(), "card in the thread");
    bot.stop().await;
}

#[tokio::test]
async fn an_incomplete_message_names_what_is_missing_and_offers_the_form() {
    let bot = spawn_bot().await;
    let (_, before) = bot.say(bot.ids.fabrikam_intake, &other_customer(), "Sharepiont 2016 search is broken");
    let posted = bot.bot_post(bot.ids.fabrikam_intake, before).await;
    let body = posted.body.clone().unwrap();
    let text = content(&posted).to_lowercase();
    assert!(text.contains("severity"), "names the missing severity: {text}");
    let button = &body["components"][0]["components"][0];
    assert_eq!(button["label"], "Complete the request");
    assert!(bot.store.incident(intakebot::core::ids::IncidentNumber(1)).await.unwrap().is_none(), "nothing opened (P-INC-1)");
    bot.stop().await;
}

#[tokio::test]
async fn out_of_scope_and_billing_get_words_not_incidents() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::FivePack, "fabrikam", &other_customer()).await;
    // P-SCOPE-1
    let (_, before) = bot.say(bot.ids.fabrikam_intake, &other_customer(), "can you write a PowerShell script for us to create mailboxes?");
    let text = content(&bot.bot_post(bot.ids.fabrikam_intake, before).await);
    assert!(text.contains("does not cover"), "out of scope: {text}");
    // P-SCOPE-2
    let (_, before) = bot.say(bot.ids.fabrikam_intake, &other_customer(), "question about my credit card invoice");
    let text = content(&bot.bot_post(bot.ids.fabrikam_intake, before).await);
    assert!(text.contains("billing"), "billing pointer: {text}");
    assert!(bot.store.incident(intakebot::core::ids::IncidentNumber(1)).await.unwrap().is_none());
    bot.stop().await;
}

#[tokio::test]
async fn norwegian_messages_get_norwegian_replies() {
    let bot = spawn_bot().await;
    let (_, before) = bot.say(bot.ids.contoso_intake, &customer(), "Kan dere skrive et skript som flytter brukere?");
    let text = content(&bot.bot_post(bot.ids.contoso_intake, before).await);
    assert!(text.contains("Profesjonell støtte dekker ikke"), "Norwegian: {text}");
    bot.stop().await;
}

#[tokio::test]
async fn everyone_in_a_problem_text_pings_nobody() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::FivePack, "fabrikam", &other_customer()).await;
    let (_, before) = bot.say(bot.ids.fabrikam_intake, &other_customer(), "Sev C: Windows Server 2022 print spooler keeps crashing @everyone @here help");
    let posted = bot.bot_post(bot.ids.fabrikam_intake, before).await;
    let _ = posted;
    let incident = bot.incident(1).await;
    let thread = incident.discord.thread.expect("thread");
    // Every message the bot sent for this request: no @everyone/@here, no users.
    for call in bot.fake.calls().iter().filter(|c| c.seq >= before && c.method == "POST" && c.path.ends_with("/messages")) {
        let allowed = &call.body.as_ref().unwrap()["allowed_mentions"];
        assert_eq!(allowed["parse"], json!([]), "{} pings: {allowed}", call.path);
        let users = allowed.get("users").cloned().unwrap_or(json!([]));
        assert_eq!(users, json!([]), "{}", call.path);
    }
    let card = bot.fake.wait_for_call(|c| c.is("POST", &format!("/channels/{thread}/messages")), WAIT).await.unwrap();
    assert_eq!(card.body.as_ref().unwrap()["allowed_mentions"]["roles"], json!([common::bot::ENGINEER_ROLE.to_string()]));
    bot.stop().await;
}
