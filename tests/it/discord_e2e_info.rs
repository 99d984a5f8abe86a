//! End to end: the read-only commands (`/plans`, `/faq`, `/pack balance`, `/incident list`)
//! and autocomplete, through serenity and the local Discord server.

use crate::helpers::bot::{customer, engineer, other_customer, spawn_bot, text_of};
use intakebot::core::plan::PlanId;
use intakebot_testkit::builders::{self, option_int, option_str};
use intakebot_testkit::ResponseKind;

// P-N1-3: the plans view for a product version, privately, within Discord's limits.
#[tokio::test]
async fn plans_and_faq_answer_privately() {
    let bot = spawn_bot().await;
    let plans = bot.command(
        "plans",
        None,
        vec![option_str("product", "sql-server"), option_str("version", "2019")],
        &customer(),
        "en-US",
        bot.ids.contoso_intake,
    );
    let answer = bot.responses(&plans, 1).await;
    assert_eq!(answer[0].body["data"]["flags"], 64);
    let text = text_of(&answer);
    assert!(
        text.contains("Professional support five-pack"),
        "usable plans listed: {text}"
    );
    assert!(
        !text.contains("Gold"),
        "unavailable plans only on request (P-N1-3): {text}"
    );
    // P-N1-3: on request, the others with the exact message and their rules.
    let message = bot
        .fake
        .original_response(crate::helpers::bot::snowflake(&plans))
        .expect("the answer");
    let button = answer[0].body["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .expect("a show-unavailable button")
        .to_string();
    let press = bot.press(&button, message, &customer(), "en-US");
    let text = text_of(&bot.responses(&press, 1).await);
    assert!(text.contains("Gold"), "{text}");
    assert!(
        text.contains("Support plan cannot be used for support on the specified product"),
        "{text}"
    );
    assert!(text.contains("P-N1-3"), "{text}");
    let faq = bot.command("faq", None, vec![], &customer(), "no", bot.ids.contoso_intake);
    let answer = bot.responses(&faq, 1).await;
    assert_eq!(answer[0].body["data"]["flags"], 64);
    assert!(!text_of(&answer).trim().is_empty());
    bot.stop().await;
}

// Customers see their own organisation's packs only, whatever they ask for.
#[tokio::test]
async fn a_customer_sees_only_their_own_packs() {
    let bot = spawn_bot().await;
    let mine = bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    let theirs = bot
        .grant_on(
            PlanId::PartnerGold20,
            "fabrikam",
            &other_customer(),
            "ORD-9",
            chrono::Utc::now().date_naive(),
        )
        .await;
    let cmd = bot.command(
        "pack",
        Some("balance"),
        vec![option_str("organisation", "fabrikam")],
        &customer(),
        "en-US",
        bot.ids.contoso_intake,
    );
    let text = text_of(&bot.responses(&cmd, 1).await);
    assert!(text.contains(&mine.id.to_string()), "{text}");
    assert!(
        !text.contains(&theirs.id.to_string()),
        "another organisation's pack shown: {text}"
    );
    bot.stop().await;
}

#[tokio::test]
async fn engineers_list_open_incidents() {
    let bot = spawn_bot().await;
    let (number, _, _) = bot.open_sample().await;
    let cmd = bot.command(
        "incident",
        Some("list"),
        vec![option_int("which", 0)],
        &engineer(),
        "en-US",
        bot.ids.engineers,
    );
    let text = text_of(&bot.responses(&cmd, 1).await);
    assert!(text.contains(&format!("INC-{number:06}")), "{text}");
    bot.stop().await;
}

#[tokio::test]
async fn product_autocomplete_suggests_catalog_products() {
    let bot = spawn_bot().await;
    let options = vec![builders::option_subcommand(
        "open",
        vec![builders::option_focused("product", "sql")],
    )];
    let mut ac = builders::interaction_autocomplete(bot.fake.scene(), "incident", options, &customer(), "en-US");
    crate::helpers::bot::set_channel(&mut ac, bot.ids.contoso_intake);
    bot.fake.dispatch("INTERACTION_CREATE", ac.clone()).unwrap();
    let answer = bot.responses(&ac, 1).await;
    assert_eq!(answer[0].kind, ResponseKind::Callback(8));
    let choices = answer[0].body["data"]["choices"].to_string();
    assert!(
        choices.contains("sql-server") || choices.contains("SQL Server"),
        "{choices}"
    );
    bot.stop().await;
}

// Outside the server (a DM), /incident says where to use it instead of staying silent.
#[tokio::test]
async fn incident_in_a_dm_is_answered() {
    let bot = spawn_bot().await;
    let mut cmd = bot.command_value(
        "incident",
        Some("status"),
        vec![option_str("incident", "INC-000001")],
        &customer(),
        "en-US",
        bot.ids.contoso_intake,
    );
    let user = cmd["member"]["user"].clone();
    let obj = cmd.as_object_mut().unwrap();
    obj.remove("guild_id");
    obj.remove("member");
    obj.insert("user".into(), user);
    obj.insert("context".into(), 1.into());
    cmd["channel"]["type"] = 1.into();
    bot.fake.dispatch("INTERACTION_CREATE", cmd.clone()).unwrap();
    let text = text_of(&bot.responses(&cmd, 1).await);
    assert!(text.contains("support server"), "{text}");
    bot.take_failures_quietly();
    bot.stop().await;
}
