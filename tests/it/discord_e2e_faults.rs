//! End to end: duplicates, rate limits and internal errors as a user meets them.

use crate::helpers::bot::{customer, engineer, set_channel, snowflake, spawn_bot, spawn_bot_in, text_of, WAIT};
use intakebot::core::ids::IncidentNumber;
use intakebot::core::plan::PlanId;
use intakebot_testkit::builders::{self, option_int, option_str};
use intakebot_testkit::{Fault, FaultRule, Mode};

fn open_options() -> Vec<serde_json::Value> {
    vec![
        option_str("product", "sql-server"),
        option_str("version", "2022"),
        option_int("severity", 1),
    ]
}

/// Nothing raw reaches the user: no SQL, no serenity or HTTP error text.
fn assert_not_raw(text: &str) {
    for raw in [
        "sqlite",
        "SQL",
        "pool",
        "serenity",
        "HTTP",
        "injected failure",
        "status code",
        "Internal {",
    ] {
        assert!(!text.contains(raw), "raw error text {raw:?} shown: {text}");
    }
}

// P-PLAN-6: one request, one incident and one unit, however often Discord delivers it.
#[tokio::test]
async fn the_same_command_interaction_delivered_twice_opens_one_incident() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    let cmd = bot.command_value(
        "incident",
        Some("open"),
        open_options(),
        &customer(),
        "en-US",
        bot.ids.contoso_intake,
    );
    bot.fake.dispatch("INTERACTION_CREATE", cmd.clone()).unwrap();
    bot.fake.dispatch("INTERACTION_CREATE", cmd.clone()).unwrap();
    bot.responses(&cmd, 1).await;
    let mut submit = builders::interaction_modal_submit(
        bot.fake.scene(),
        &snowflake(&cmd).to_string(),
        &[("title", "Backups fail"), ("problem", "Nightly")],
        &customer(),
        "en-US",
    );
    set_channel(&mut submit, bot.ids.contoso_intake);
    bot.fake.dispatch("INTERACTION_CREATE", submit.clone()).unwrap();
    bot.fake.dispatch("INTERACTION_CREATE", submit.clone()).unwrap();
    // The first submit opens; the replayed one is dropped by the front end.
    bot.wait_handled(&submit, "thread-ready", 1).await;
    assert!(bot.store.incident(IncidentNumber(1)).await.unwrap().is_some());
    assert!(
        bot.store.incident(IncidentNumber(2)).await.unwrap().is_none(),
        "opened twice"
    );
    let threads = bot
        .fake
        .calls()
        .iter()
        .filter(|c| c.is("POST", "/channels/*/threads") && c.status < 300)
        .count();
    assert_eq!(threads, 1, "one thread");
    bot.take_failures_quietly();
    bot.stop().await;
}

// P-PLAN-6: the same chat message delivered twice (a gateway replay) opens one incident.
#[tokio::test]
async fn the_same_message_delivered_twice_opens_one_incident() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    let message = builders::message_create(
        bot.fake.scene(),
        bot.ids.contoso_intake,
        &customer(),
        "prio C: Windows Server 2022 print spooler keeps crashing",
    );
    bot.fake.dispatch("MESSAGE_CREATE", message.clone()).unwrap();
    bot.fake.dispatch("MESSAGE_CREATE", message.clone()).unwrap();
    bot.wait_handled(&message, "thread-ready", 1).await;
    assert!(bot.store.incident(IncidentNumber(1)).await.unwrap().is_some());
    assert!(
        bot.store.incident(IncidentNumber(2)).await.unwrap().is_none(),
        "opened twice"
    );
    let threads = bot
        .fake
        .calls()
        .iter()
        .filter(|c| c.is("POST", "/channels/*/threads"))
        .count();
    assert_eq!(threads, 1, "one thread");
    bot.stop().await;
}

// With serenity's ratelimiter on (TLS mode), a 429 on thread creation is waited out and retried.
#[tokio::test]
async fn a_429_on_thread_creation_is_retried_and_the_incident_completes() {
    let bot = spawn_bot_in(Mode::Tls).await;
    bot.fake
        .inject(FaultRule::new("POST", "/channels/*/threads", Fault::RateLimited { retry_after: 0.3 }).times(1));
    let (number, thread, _card) = bot.open_sample().await;
    let attempts: Vec<u16> = bot
        .fake
        .calls()
        .iter()
        .filter(|c| c.is("POST", "/channels/*/threads"))
        .map(|c| c.status)
        .collect();
    assert_eq!(attempts.first(), Some(&429), "{attempts:?}");
    assert!(
        attempts.len() >= 2 && attempts.last().is_some_and(|s| *s < 300),
        "{attempts:?}"
    );
    assert_eq!(bot.incident(number).await.discord.thread, Some(thread));
    bot.stop().await;
}

// Internal errors show an error id, never the cause (the database is gone).
#[tokio::test]
async fn a_database_failure_shows_an_error_id_and_no_raw_text() {
    let bot = spawn_bot().await;
    let (number, thread, _) = bot.open_sample().await;
    bot.store.close().await;
    let cmd = bot.command(
        "incident",
        Some("status"),
        vec![option_str("incident", &format!("INC-{number:06}"))],
        &engineer(),
        "en-US",
        thread,
    );
    let text = text_of(&bot.responses(&cmd, 1).await);
    assert!(text.contains("error id E-"), "{text}");
    assert_not_raw(&text);
    bot.stop().await;
}

// A Discord failure the handler needs (500 on creating the thread) shows an error id too.
#[tokio::test]
async fn a_discord_500_shows_an_error_id_and_no_raw_text() {
    let bot = spawn_bot().await;
    bot.fake
        .inject(FaultRule::new("POST", "/channels/*/threads", Fault::Status(500)).times(1));
    bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    let (_, responses) = bot
        .open_by_command(&customer(), "en-US", open_options(), "Backups fail", "Nightly")
        .await;
    let text = text_of(&responses);
    assert!(text.contains("error id E-"), "{text}");
    assert_not_raw(&text);
    // The incident did open (its unit is spent): the reply names it and says not to retry,
    // where "nothing was lost; please try again" would invite a second paid incident (P-PLAN-6).
    assert!(
        text.contains("Opened INC-000001") && text.contains("Do not open it again"),
        "{text}"
    );
    assert!(!text.contains("try again"), "{text}");
    bot.take_failures_quietly();
    bot.stop().await;
}

// A gateway reconnect (op 7) resumes the session; the bot keeps handling events after it.
#[tokio::test]
async fn the_bot_keeps_working_after_a_gateway_reconnect() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    bot.fake.request_reconnect();
    bot.fake.resumed(1, WAIT).await.expect("resumed with op 6");
    let (_, before) = bot.say(
        bot.ids.contoso_intake,
        &customer(),
        "prio C: Windows Server 2022 print spooler keeps crashing",
    );
    let posted = bot.bot_post(bot.ids.contoso_intake, before).await;
    assert!(posted.body.unwrap()["content"].as_str().unwrap().contains("INC-000001"));
    bot.stop().await;
}
