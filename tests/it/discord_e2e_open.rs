//! End to end through serenity and the local Discord server: startup, and opening an
//! incident by slash command with its modal (thread, card, pings, unit spent, deadline).

use crate::helpers::bot::{customer, spawn_bot, text_of, WAIT};
use intakebot::core::plan::PlanId;
use intakebot_testkit::builders::{option_int, option_str};
use intakebot_testkit::ResponseKind;

#[tokio::test]
async fn startup_registers_every_command_with_norwegian_localisations() {
    let bot = spawn_bot().await;
    let put = bot
        .fake
        .wait_for_call(|c| c.is("PUT", "/applications/*/guilds/*/commands"), WAIT)
        .await
        .unwrap();
    assert!(
        put.path.contains(&bot.ids.guild.to_string()),
        "registered in the configured guild: {}",
        put.path
    );
    let body = put.body.as_ref().unwrap().as_array().unwrap().clone();
    let names: Vec<&str> = body.iter().map(|c| c["name"].as_str().unwrap()).collect();
    for expected in ["incident", "pack", "report", "plans", "faq"] {
        assert!(names.contains(&expected), "{expected} registered: {names:?}");
    }
    for command in &body {
        assert!(
            command["description_localizations"]["no"].is_string(),
            "no description for {}",
            command["name"]
        );
        for sub in command["options"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|o| o["type"] == 1)
        {
            assert!(
                sub["name_localizations"]["no"].is_string(),
                "no name for {} {}",
                command["name"],
                sub["name"]
            );
            assert!(
                sub["description_localizations"]["no"].is_string(),
                "no description for {} {}",
                command["name"],
                sub["name"]
            );
        }
    }
    let incident = body.iter().find(|c| c["name"] == "incident").unwrap();
    assert_eq!(incident["name_localizations"]["no"], "hendelse", "the glossary's word");
    let subs: Vec<&str> = incident["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        subs,
        ["open", "ack", "resolve", "close", "split", "refund", "note", "status", "list"]
    );
    // The shutdown trigger ends `run_with` cleanly.
    let result = bot.shutdown_and_join().await;
    assert!(matches!(result, Some(Ok(()))), "run_with after shutdown: {result:?}");
}

// P-CLOSE-1 (problem definition agreed in the modal), P-SEV-2, P-PLAN-1.
#[tokio::test]
async fn p_close_1_open_by_command_agrees_the_problem_in_a_modal_and_spends_a_unit() {
    let bot = spawn_bot().await;
    let pack = bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    let options = vec![
        option_str("product", "sql-server"),
        option_str("version", "2022"),
        option_int("severity", 1),
    ];
    let (cmd, responses) = bot
        .open_by_command(
            &customer(),
            "en-US",
            options,
            "Backups fail",
            "Nightly backup job fails with error 3041",
        )
        .await;
    assert_eq!(
        responses[0].kind,
        ResponseKind::Callback(9),
        "the modal first: {responses:?}"
    );
    let text = text_of(&responses);
    assert!(text.contains("INC-"), "confirmation names the incident: {text}");
    // The submit is answered "thinking…" first (the thread takes several calls), privately,
    // and the confirmation fills that answer in.
    let deferral = responses
        .iter()
        .find(|r| r.kind == ResponseKind::Callback(5))
        .expect("deferred");
    assert_eq!(
        deferral.body["data"]["flags"].as_u64().unwrap_or(0) & 64,
        64,
        "the confirmation is ephemeral: {deferral:?}"
    );
    assert_eq!(responses.last().unwrap().kind, ResponseKind::EditOriginal);

    // The thread: private, in the organisation's intake channel, customer added.
    let thread_call = bot
        .fake
        .wait_for_call(|c| c.is("POST", "/channels/*/threads"), WAIT)
        .await
        .unwrap();
    assert_eq!(
        thread_call.path,
        format!("/channels/{}/threads", bot.ids.contoso_intake)
    );
    assert_eq!(thread_call.body.as_ref().unwrap()["type"], 12, "private thread");
    let incident = bot.incident(1).await;
    let thread = incident.discord.thread.expect("thread recorded");
    assert!(bot.fake.thread_members(thread).contains(&customer().user_id));

    // The card: embed + buttons, pinging the engineers role only (mention policy).
    let messages = bot.fake.messages(thread);
    let card = messages
        .iter()
        .find(|m| !m["embeds"].as_array().unwrap().is_empty())
        .expect("card posted");
    assert!(card["components"][0]["components"].as_array().unwrap().len() == 3);
    let post = bot
        .fake
        .calls()
        .into_iter()
        .find(|c| c.is("POST", &format!("/channels/{thread}/messages")))
        .unwrap();
    let allowed = &post.body.as_ref().unwrap()["allowed_mentions"];
    assert_eq!(
        allowed["parse"],
        serde_json::json!([]),
        "no @everyone, no users: {allowed}"
    );
    assert_eq!(
        allowed["roles"],
        serde_json::json!([crate::helpers::bot::ENGINEER_ROLE.to_string()]),
        "{allowed}"
    );

    // The unit is spent (P-PLAN-1) and the deadline follows the Oslo business calendar (P-SEV-2).
    let after = bot.store.entitlement(pack.id).await.unwrap().unwrap();
    assert_eq!(after.units_left + 1, pack.units_left);
    let oslo = bot.app.config().calendars.get("oslo").expect("oslo");
    let expected = intakebot::core::sla::deadline(oslo, incident.opened_at, chrono::Duration::hours(4)).unwrap();
    assert_eq!(
        incident.first_response_due, expected,
        "B: 4 business hours on the Oslo calendar"
    );
    let _ = cmd;
    bot.stop().await;
}

// P-SEV-1, P-SEV-4, P-SEV-5: severity A around the clock names an on-call contact; its
// deadline is two clock hours.
#[tokio::test]
async fn open_24x7_with_an_on_call_contact() {
    let bot = spawn_bot().await;
    bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    let contact = intakebot_testkit::builders::MemberSpec::new(5_000_000_000_000_000_050, "olav")
        .with_roles(&[crate::helpers::bot::CONTOSO_ROLE]);
    let options = vec![
        option_str("product", "sql-server"),
        option_str("version", "2022"),
        option_int("severity", 0),
        option_int("coverage", 1),
        option_str("on_call", &contact.user_id.to_string()),
    ];
    let mut cmd = bot.command_value(
        "incident",
        Some("open"),
        options,
        &customer(),
        "en-US",
        bot.ids.contoso_intake,
    );
    cmd["data"]["options"][0]["options"][4]["type"] = 6.into();
    crate::helpers::bot::Bot::with_resolved_user(&mut cmd, &contact);
    bot.fake.dispatch("INTERACTION_CREATE", cmd.clone()).unwrap();
    let first = bot.responses(&cmd, 1).await;
    assert_eq!(first[0].kind, ResponseKind::Callback(9), "{first:?}");
    let all = bot
        .submit_modal(
            &cmd,
            &[("title", "Cluster down"), ("problem", "AG failover loops")],
            &customer(),
            "en-US",
            bot.ids.contoso_intake,
            2,
        )
        .await;
    let text = text_of(&all);
    assert!(text.contains("INC-000001"), "{text}");
    let incident = bot.incident(1).await;
    assert_eq!(
        incident.first_response_due - incident.opened_at,
        chrono::Duration::hours(2)
    );
    bot.stop().await;
}
