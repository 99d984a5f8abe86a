//! End to end: the policy's refusals and pack rules as a Discord user meets them.

use crate::helpers::bot::{customer, engineer, manager, other_customer, spawn_bot, text_of, Bot};
use chrono::{Months, Utc};
use intakebot::core::ids::IncidentNumber;
use intakebot::core::plan::PlanId;
use intakebot_testkit::builders::{self, option_int, option_str, MemberSpec};
use intakebot_testkit::ResponseKind;

/// `/incident open` for `who`; the first answer (modal or refusal).
async fn try_open(
    bot: &Bot,
    who: &MemberSpec,
    locale: &str,
    product: &str,
    version: &str,
) -> Vec<intakebot_testkit::InteractionResponse> {
    let options = vec![
        option_str("product", product),
        option_str("version", version),
        option_int("severity", 2),
    ];
    let channel = if who.roles.contains(&crate::helpers::bot::FABRIKAM_ROLE) {
        bot.ids.fabrikam_intake
    } else {
        bot.ids.contoso_intake
    };
    let cmd = bot.command("incident", Some("open"), options, who, locale, channel);
    bot.responses(&cmd, 1).await
}

// P-N1-2, P-N1-3: a partner pack covers N and N-1 only; refused with the unavailable-plans view.
#[tokio::test]
async fn n_minus_two_is_refused_and_the_unavailable_plans_button_explains() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::PartnerGold20, "contoso", &customer()).await;
    let options = vec![
        option_str("product", "sql-server"),
        option_str("version", "2019"),
        option_int("severity", 2),
    ];
    let first_cmd = bot.command(
        "incident",
        Some("open"),
        options,
        &customer(),
        "en-US",
        bot.ids.contoso_intake,
    );
    let first = bot.responses(&first_cmd, 1).await;
    assert_eq!(
        first[0].kind,
        ResponseKind::Callback(4),
        "refused at once, no modal: {first:?}"
    );
    let data = &first[0].body["data"];
    assert_eq!(data["flags"], 64);
    let button = &data["components"][0]["components"][0];
    assert_eq!(button["label"], "Show unavailable plans");
    // The press carries the message the button is on.
    let message = bot
        .fake
        .original_response(crate::helpers::bot::snowflake(&first_cmd))
        .expect("original response");
    let press = bot.press(button["custom_id"].as_str().unwrap(), message, &customer(), "en-US");
    let text = text_of(&bot.responses(&press, 1).await);
    assert!(
        text.contains("Support plan cannot be used for support on the specified product"),
        "{text}"
    );
    assert!(text.contains("P-N1"), "rule ids named: {text}");
    bot.stop().await;
}

// P-CLOUD-1: a cloud product is pointed to Signature Cloud.
#[tokio::test]
async fn a_cloud_product_points_to_signature_cloud() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    let first = try_open(&bot, &customer(), "en-US", "exchange-online", "current").await;
    let text = text_of(&first);
    assert!(text.contains("Signature Cloud"), "{text}");
    bot.stop().await;
}

// P-PLAN-5: pay per incident cannot be used with a work (Entra) sign-in.
#[tokio::test]
async fn pay_per_incident_is_refused_with_a_work_sign_in() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::PayPerIncident, "contoso", &customer()).await;
    let first = try_open(&bot, &customer(), "en-US", "sql-server", "2022").await;
    let text = text_of(&first);
    assert_eq!(first[0].kind, ResponseKind::Callback(4), "{text}");
    assert!(
        text.contains("personal"),
        "points to a personal-account sign-in: {text}"
    );
    bot.stop().await;
}

// P-PLAN-2: an expired five-pack is not charged.
#[tokio::test]
async fn an_expired_five_pack_is_refused() {
    let bot = spawn_bot().await;
    let bought = Utc::now().date_naive().checked_sub_months(Months::new(13)).unwrap();
    bot.grant_on(PlanId::FivePack, "contoso", &customer(), "ORD-OLD", bought)
        .await;
    let first = try_open(&bot, &customer(), "en-US", "sql-server", "2022").await;
    let text = text_of(&first);
    assert_eq!(first[0].kind, ResponseKind::Callback(4), "{text}");
    assert!(text.to_lowercase().contains("expire"), "{text}");
    bot.stop().await;
}

// P-INC-3, P-PLAN-6: a split spends one unit per sub-incident; the units left cover the first
// parts listed, the rest are refused each with its reason, and the reply says what was used.
#[tokio::test]
async fn p_inc_3_a_split_opens_what_the_units_cover_and_refuses_the_rest() {
    let bot = spawn_bot().await;
    let (number, thread, _) = bot.open_sample().await; // five-pack: 4 left
    let split = bot.command(
        "incident",
        Some("split"),
        vec![option_str("parts", "a; b; c; d; e")],
        &engineer(),
        "en-US",
        thread,
    );
    let text = text_of(&bot.responses(&split, 2).await);
    // In the thread, so in the incident's language (Contoso's Norwegian).
    assert!(
        text.contains("INC-000002, INC-000003, INC-000004 og INC-000005 er åpnet"),
        "{text}"
    );
    assert!(
        text.contains("«e» er ikke åpnet: pakken har ingen hendelser igjen"),
        "{text}"
    );
    assert!(text.contains("Trukket fra pakken: 4; 0 hendelser igjen"), "{text}");
    let split = bot.command(
        "incident",
        Some("split"),
        vec![option_str("parts", "mail flow; calendar sync")],
        &engineer(),
        "en-US",
        thread,
    );
    let text = text_of(&bot.responses(&split, 1).await);
    assert!(text.contains("ble ikke delt"), "{text}");
    assert!(text.contains("«mail flow» er ikke åpnet"), "{text}");
    let parent = bot.incident(number).await;
    let pack = bot.store.entitlement(parent.entitlement).await.unwrap().unwrap();
    assert_eq!(pack.units_left, 0, "5 - 1 - 4, never below zero");
    assert_eq!(bot.store.children(IncidentNumber(number)).await.unwrap().len(), 4);
    bot.stop().await;
}

// P-PLAN-4: a transfer needs the purchase's order number.
#[tokio::test]
async fn transfer_with_wrong_then_right_order_number() {
    let bot = spawn_bot().await;
    let pack = bot
        .grant_on(
            PlanId::FivePack,
            "contoso",
            &customer(),
            "ORD-77",
            Utc::now().date_naive(),
        )
        .await;
    let new_owner = MemberSpec::new(5_000_000_000_000_000_099, "nina").with_roles(&[crate::helpers::bot::CONTOSO_ROLE]);
    for (order, moved) in [("ORD-12", false), ("ORD-77", true)] {
        let options = vec![
            option_str("pack", &pack.id.to_string()),
            builders::option_str("owner", &new_owner.user_id.to_string()),
            option_str("order", order),
        ];
        let mut cmd = bot.command_value("pack", Some("transfer"), options, &manager(), "en-US", bot.ids.managers);
        cmd["data"]["options"][0]["options"][1]["type"] = 6.into();
        Bot::with_resolved_user(&mut cmd, &new_owner);
        bot.fake.dispatch("INTERACTION_CREATE", cmd.clone()).unwrap();
        let text = text_of(&bot.responses(&cmd, 1).await);
        assert_eq!(text.contains("Moved"), moved, "{order}: {text}");
        let owner = bot.store.entitlement(pack.id).await.unwrap().unwrap().owner;
        assert_eq!(owner.as_str() == new_owner.user_id.to_string(), moved, "{order}");
    }
    bot.stop().await;
}

// Visibility (no policy rule; privacy): another organisation's incident reads exactly like a missing one.
#[tokio::test]
async fn cross_organisation_status_is_refused_like_a_missing_incident() {
    let bot = spawn_bot().await;
    let (number, _, _) = bot.open_sample().await;
    let theirs = bot.command(
        "incident",
        Some("status"),
        vec![option_str("incident", &format!("INC-{number:06}"))],
        &other_customer(),
        "en-US",
        bot.ids.fabrikam_intake,
    );
    let missing = bot.command(
        "incident",
        Some("status"),
        vec![option_str("incident", "INC-000999")],
        &other_customer(),
        "en-US",
        bot.ids.fabrikam_intake,
    );
    let a = text_of(&bot.responses(&theirs, 1).await).replace(&format!("INC-{number:06}"), "INC-X");
    let b = text_of(&bot.responses(&missing, 1).await).replace("INC-000999", "INC-X");
    assert_eq!(a, b);
    assert!(!a.contains("Backups"), "nothing of the incident leaks: {a}");
    bot.stop().await;
}

// Norwegian locale: the command replies in Norwegian.
#[tokio::test]
async fn norwegian_locale_replies_in_norwegian() {
    let bot = spawn_bot().await;
    let first = try_open(&bot, &customer(), "no", "sql-server", "2022").await;
    let text = text_of(&first);
    assert!(text.contains("Ingen av organisasjonens støtteplaner"), "{text}");
    bot.stop().await;
}

// P-PLAN-3: a customer cannot charge another organisation's pack by naming it.
#[tokio::test]
async fn naming_another_organisations_pack_charges_nothing_of_it() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    let theirs = bot.grant(PlanId::FivePack, "fabrikam", &other_customer()).await;
    let options = vec![
        option_str("product", "sql-server"),
        option_str("version", "2022"),
        option_int("severity", 2),
        option_str("plan", &theirs.id.to_string()),
    ];
    let (_, responses) = bot.open_by_command(&customer(), "en-US", options, "t", "p").await;
    let after = bot.store.entitlement(theirs.id).await.unwrap().unwrap();
    assert_eq!(
        after.units_left, theirs.units_left,
        "their pack untouched: {responses:?}"
    );
    bot.stop().await;
}
