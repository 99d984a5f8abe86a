//! End to end: acknowledging, resolving and closing an incident by buttons, commands and
//! thread messages, and the manager's refund decision.

use crate::helpers::bot::{customer, engineer, manager, spawn_bot, text_of};
use intakebot::core::ids::IncidentNumber;
use intakebot::core::incident::{IncidentState, Outcome};
use intakebot::store::LedgerKind;
use intakebot_testkit::builders::{option_int, option_str};
use intakebot_testkit::ResponseKind;

// P-SEV-6: the first response is an engineer's acknowledgement.
#[tokio::test]
async fn an_engineer_acknowledges_by_button() {
    let bot = spawn_bot().await;
    let (number, _, card) = bot.open_sample().await;
    let press = bot.press(&format!("ack:{number}"), card, &engineer(), "en-US");
    let text = text_of(&bot.responses(&press, 1).await);
    // Said in the thread, so in the incident's language (Contoso's Norwegian), whoever acted.
    assert!(text.contains("er kvittert"), "{text}");
    assert_eq!(bot.incident(number).await.state, IncidentState::Acknowledged);
    bot.stop().await;
}

// P-SEV-6: only an engineer's acknowledgement counts; a customer's press is refused.
#[tokio::test]
async fn a_customer_pressing_acknowledge_is_refused() {
    let bot = spawn_bot().await;
    let (number, _, card) = bot.open_sample().await;
    let press = bot.press(&format!("ack:{number}"), card, &customer(), "en-US");
    let responses = bot.responses(&press, 1).await;
    assert_eq!(
        responses[0].body["data"]["flags"], 64,
        "refusal is private: {responses:?}"
    );
    assert!(
        !text_of(&responses).contains("E-"),
        "a refusal, not an internal error: {responses:?}"
    );
    assert_eq!(bot.incident(number).await.state, IncidentState::Open);
    bot.stop().await;
}

#[tokio::test]
async fn an_engineer_acknowledges_by_command_in_the_thread() {
    let bot = spawn_bot().await;
    let (number, thread, _) = bot.open_sample().await;
    let cmd = bot.command("incident", Some("ack"), vec![], &engineer(), "en-US", thread);
    let text = text_of(&bot.responses(&cmd, 1).await);
    assert!(text.contains(&format!("INC-{number:06} er kvittert")), "{text}");
    assert_eq!(bot.incident(number).await.state, IncidentState::Acknowledged);
    bot.stop().await;
}

// P-SEV-6: an engineer's first message in the thread is the first response.
#[tokio::test]
async fn an_engineers_first_thread_message_acknowledges() {
    let bot = spawn_bot().await;
    let (number, thread, _) = bot.open_sample().await;
    let (message, before) = bot.say(thread, &customer(), "any news?");
    bot.assert_no_post(thread, before, &message).await;
    assert_eq!(
        bot.incident(number).await.state,
        IncidentState::Open,
        "a customer's message is no response"
    );
    let (_, before) = bot.say(thread, &engineer(), "Looking at it now");
    let posted = bot.bot_post(thread, before).await;
    assert!(posted.body.unwrap()["content"]
        .as_str()
        .unwrap()
        .contains("er kvittert"));
    assert_eq!(bot.incident(number).await.state, IncidentState::Acknowledged);
    bot.stop().await;
}

// P-CLOSE-2: resolved with a proposed solution, given in a modal.
#[tokio::test]
async fn p_close_2_resolve_by_button_asks_for_the_solution_in_a_modal() {
    let bot = spawn_bot().await;
    let (number, _, card) = bot.open_sample().await;
    let ack = bot.press(&format!("ack:{number}"), card.clone(), &engineer(), "en-US");
    bot.responses(&ack, 1).await;
    let press = bot.press(&format!("resolve:{number}"), card, &engineer(), "en-US");
    let first = bot.responses(&press, 1).await;
    assert_eq!(first[0].kind, ResponseKind::Callback(9), "modal: {first:?}");
    let channel = press["channel_id"].as_str().unwrap().parse().unwrap();
    let all = bot
        .submit_modal(
            &press,
            &[("solution", "Restart the agent")],
            &engineer(),
            "en-US",
            channel,
            1,
        )
        .await;
    assert!(text_of(&all).contains("Restart the agent"), "{all:?}");
    assert_eq!(
        bot.incident(number).await.state,
        IncidentState::Closed {
            outcome: Outcome::Resolved,
            refund: None
        }
    );
    bot.stop().await;
}

// P-CLOSE-4: unresolved closes hold the unit until a manager decides; a refund is a ledger row.
#[tokio::test]
async fn p_close_4_unresolved_close_then_manager_refund_shows_in_the_ledger() {
    let bot = spawn_bot().await;
    let (number, thread, _) = bot.open_sample().await;
    let close = bot.command(
        "incident",
        Some("close"),
        vec![option_int("outcome", 0), option_str("reason", "no fix exists")],
        &engineer(),
        "en-US",
        thread,
    );
    let text = text_of(&bot.responses(&close, 1).await);
    assert!(text.contains("lukket som uløst"), "{text}");
    let refund = bot.command(
        "incident",
        Some("refund"),
        vec![
            option_str("incident", &format!("INC-{number:06}")),
            option_int("decision", 0),
        ],
        &manager(),
        "en-US",
        thread,
    );
    let text = text_of(&bot.responses(&refund, 1).await);
    assert!(text.contains(&format!("INC-{number:06}")), "{text}");
    let incident = bot.incident(number).await;
    let ledger = bot.store.ledger(incident.entitlement).await.unwrap();
    assert!(
        ledger
            .iter()
            .any(|e| e.kind == LedgerKind::Refund && e.delta == 1 && e.incident == Some(IncidentNumber(number))),
        "{ledger:?}"
    );
    bot.stop().await;
}

// P-CLOSE-4: out of scope, decided by an engineer.
#[tokio::test]
async fn out_of_scope_close_by_an_engineer() {
    let bot = spawn_bot().await;
    let (number, thread, _) = bot.open_sample().await;
    let close = bot.command(
        "incident",
        Some("close"),
        vec![option_int("outcome", 1)],
        &engineer(),
        "en-US",
        thread,
    );
    let text = text_of(&bot.responses(&close, 1).await);
    assert!(text.contains("utenfor omfanget av profesjonell støtte"), "{text}");
    assert_ne!(bot.incident(number).await.state, IncidentState::Open);
    bot.stop().await;
}

// P-CLOSE-3: the customer may close their own incident.
#[tokio::test]
async fn p_close_3_the_customer_closes_by_button() {
    let bot = spawn_bot().await;
    let (number, _, card) = bot.open_sample().await;
    let press = bot.press(&format!("close:{number}"), card, &customer(), "en-US");
    let text = text_of(&bot.responses(&press, 1).await);
    assert!(text.contains("etter kundens ønske"), "{text}");
    assert_eq!(
        bot.incident(number).await.state,
        IncidentState::Closed {
            outcome: Outcome::CustomerClosed,
            refund: None
        }
    );
    bot.stop().await;
}

// P-CLOSE-2: /incident resolve in the thread asks for the solution in a modal.
#[tokio::test]
async fn resolve_by_command_in_the_thread() {
    let bot = spawn_bot().await;
    let (number, thread, _) = bot.open_sample().await;
    let cmd = bot.command("incident", Some("resolve"), vec![], &engineer(), "no", thread);
    let first = bot.responses(&cmd, 1).await;
    assert_eq!(first[0].kind, ResponseKind::Callback(9), "modal: {first:?}");
    let all = bot
        .submit_modal(&cmd, &[("solution", "Oppdater driveren")], &engineer(), "no", thread, 1)
        .await;
    let text = text_of(&all);
    assert!(
        text.contains("lukket som løst") && text.contains("Oppdater driveren"),
        "Norwegian: {text}"
    );
    assert_eq!(
        bot.incident(number).await.state,
        IncidentState::Closed {
            outcome: Outcome::Resolved,
            refund: None
        }
    );
    bot.stop().await;
}

// P-CLOSE-4: only a manager decides a refund.
#[tokio::test]
async fn an_engineer_cannot_decide_a_refund() {
    let bot = spawn_bot().await;
    let (number, thread, _) = bot.open_sample().await;
    let close = bot.command(
        "incident",
        Some("close"),
        vec![option_int("outcome", 0)],
        &engineer(),
        "en-US",
        thread,
    );
    bot.responses(&close, 1).await;
    let refund = bot.command(
        "incident",
        Some("refund"),
        vec![
            option_str("incident", &format!("INC-{number:06}")),
            option_int("decision", 0),
        ],
        &engineer(),
        "en-US",
        thread,
    );
    let answer = bot.responses(&refund, 1).await;
    assert_eq!(answer[0].body["data"]["flags"], 64, "{answer:?}");
    let incident = bot.incident(number).await;
    let ledger = bot.store.ledger(incident.entitlement).await.unwrap();
    assert!(!ledger.iter().any(|e| e.kind == LedgerKind::Refund), "{ledger:?}");
    bot.stop().await;
}
