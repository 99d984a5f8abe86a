//! End to end: nothing read is lost across downtime or reconnects. Messages posted while the bot
//! has no gateway session are never dispatched to it (the local server keeps them in history
//! only, as Discord does); on its next Ready or Resumed the bot reads each intake channel and
//! each waiting incident's thread after the last message it handled, once, at the messages'
//! own times.

use crate::helpers::bot::{actor_of, bot_down, customer, engineer, snowflake, spawn_bot, Bot, WAIT};
use chrono::{DateTime, Duration, TimeZone, Utc};
use intakebot::app::request::{Place, Request};
use intakebot::app::{Command, FixedClock};
use intakebot::core::ids::IncidentNumber;
use intakebot::core::plan::PlanId;
use intakebot::store::{EventKind, FirstResponse, SourceId};
use intakebot_testkit::Mode;
use serde_json::Value;
use std::sync::Arc;

/// When the incidents are opened: a Tuesday morning, weeks before the messages are read.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap()
}

fn request(problem: &str) -> String {
    format!("prio C: Windows Server 2022 {problem}")
}

/// How many times the app handled `message` as a message.
fn times_handled(bot: &Bot, message: &Value) -> usize {
    let id = snowflake(message).to_string();
    bot.journal()
        .iter()
        .filter(|h| h.source == id && h.command == "message")
        .count()
}

/// The incident `message` opened, if any.
async fn opened_by(bot: &Bot, message: &Value) -> Option<i64> {
    let source = SourceId(snowflake(message).to_string());
    let incident = bot.store.incident_by_source(&source).await.expect("store");
    incident.map(|i| i.number.0)
}

async fn acks(bot: &Bot, number: i64) -> usize {
    let events = bot.store.events(IncidentNumber(number)).await.expect("events");
    events.iter().filter(|e| e.kind == EventKind::Acknowledged).count()
}

/// The `after` of the first history page the bot asked for in `channel` since call `since`.
async fn resumed_after(bot: &Bot, channel: u64, since: u64) -> u64 {
    let path = format!("/channels/{channel}/messages");
    let call = bot
        .fake
        .wait_for_call(|c| c.seq >= since && c.is("GET", &path), WAIT)
        .await
        .expect("history read");
    let after = call.query.iter().find(|(k, _)| k == "after").map(|(_, v)| v.clone());
    after
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no after in {:?}", call.query))
}

#[tokio::test]
async fn messages_posted_while_the_bot_is_down_are_handled_once_at_their_own_time() {
    let clock = Arc::new(FixedClock::new(t0()));
    let mut bot = bot_down(Mode::Proxy, Some(clock)).await;
    for member in [customer(), engineer()] {
        bot.fake.set_member(member);
    }
    let intake = bot.ids.contoso_intake;
    let before_the_bot = bot.fake.post_user_message(intake, &customer(), &request("old history"));
    bot.come_back().await;
    bot.grant_on(PlanId::FivePack, "contoso", &customer(), "ORD-1", t0().date_naive())
        .await;
    let (kept, kept_thread, _) = bot.open_sample_again().await;
    let (missed, missed_thread, _) = bot.open_sample_again().await;
    let (live, _) = bot.say(intake, &customer(), "thanks, talk later");
    bot.wait_handled(&live, "message", 1).await;

    bot.go_down().await.expect("run returned").expect("run ended cleanly");
    let requests = [
        bot.fake
            .post_user_message(intake, &customer(), &request("print spooler crashes")),
        bot.fake
            .post_user_message(intake, &customer(), &request("DNS stops resolving")),
    ];
    let (kept_due, missed_due) = (bot.incident(kept).await, bot.incident(missed).await);
    let (in_time, too_late) = (
        kept_due.opened_at + Duration::minutes(1),
        missed_due.first_response_due + Duration::minutes(1),
    );
    let replies = [
        bot.fake
            .post_user_message_at(kept_thread, &engineer(), "Looking at it now", in_time),
        bot.fake
            .post_user_message_at(missed_thread, &engineer(), "On it", too_late),
    ];
    bot.come_back().await;

    for message in requests.iter().chain(&replies) {
        bot.wait_handled(message, "message", 1).await;
    }
    let mut opened = Vec::new();
    for message in &requests {
        opened.push(opened_by(&bot, message).await.expect("the request opened an incident"));
    }
    assert_ne!(opened[0], opened[1], "one incident per message");
    let (kept, missed) = (bot.incident(kept).await, bot.incident(missed).await);
    assert_eq!(
        kept.acknowledged_at,
        Some(in_time),
        "acknowledged at the reply's own time"
    );
    assert_eq!(kept.first_response, FirstResponse::Met);
    assert_eq!(missed.acknowledged_at, Some(too_late));
    assert_eq!(missed.first_response, FirstResponse::Breached);
    assert_eq!(
        (acks(&bot, kept.number.0).await, acks(&bot, missed.number.0).await),
        (1, 1)
    );

    // A second restart reads on from the marks: nothing is handled twice.
    let since = bot.fake.call_count();
    bot.go_down().await;
    bot.come_back().await;
    let last_request = snowflake(&requests[1]);
    assert!(
        resumed_after(&bot, intake, since).await >= last_request,
        "intake read from its mark"
    );
    for message in requests.iter().chain(&replies).chain([&live]) {
        assert_eq!(times_handled(&bot, message), 1, "handled once: {message}");
    }
    assert_eq!(
        times_handled(&bot, &before_the_bot),
        0,
        "a channel's old history is not replayed"
    );
    assert_eq!(opened_by(&bot, &before_the_bot).await, None);
    bot.stop().await;
}

#[tokio::test]
async fn messages_posted_while_the_session_reconnects_are_caught_up() {
    let bot = spawn_bot().await;
    bot.fake.set_member(customer());
    bot.grant(PlanId::FivePack, "contoso", &customer()).await;
    let intake = bot.ids.contoso_intake;
    let (live, _) = bot.say(intake, &customer(), "hello again");
    bot.wait_handled(&live, "message", 1).await;

    // Posted in the gap: Discord delivers them to no session, resumed or not.
    let missed = [
        bot.fake
            .post_user_message(intake, &customer(), &request("print spooler crashes")),
        bot.fake
            .post_user_message(intake, &customer(), &request("DNS stops resolving")),
    ];
    bot.fake.request_reconnect();
    bot.fake.resumed(1, WAIT).await.expect("the session resumed");

    for message in &missed {
        let handled = bot.wait_handled(message, "message", 1).await;
        assert_eq!(handled.len(), 1);
        assert!(opened_by(&bot, message).await.is_some(), "opened: {handled:?}");
    }
    assert_eq!(times_handled(&bot, &live), 1, "the live message is not read again");
    bot.stop().await;
}

/// An engineer's first thread message read twice at once (live and caught up, or by two
/// instances): one acknowledgement, one announcement, and no "changed meanwhile" for the other.
#[tokio::test]
async fn a_thread_message_read_twice_at_once_acknowledges_once() {
    let bot = spawn_bot().await;
    for order in ["ORD-1", "ORD-2"] {
        let today = Utc::now().date_naive();
        bot.grant_on(PlanId::FivePack, "contoso", &customer(), order, today)
            .await;
    }
    for round in 0..10 {
        let (number, thread, _) = bot.open_sample_again().await;
        let request = Request {
            actor: actor_of(&engineer()),
            place: Place {
                guild: Some(bot.ids.guild),
                channel: thread,
            },
            source: SourceId(format!("{}", 1_300_000_000_000_000_000u64 + round)),
            at: Utc::now(),
            command: Command::Message {
                text: "Looking at it now".into(),
                addressed: false,
            },
        };
        let (a, b) = tokio::join!(bot.app.handle(request.clone()), bot.app.handle(request));
        let answered: Vec<_> = [&a, &b].into_iter().filter(|r| !r.is_empty()).collect();
        assert_eq!(answered.len(), 1, "one announcement: {a:#?} {b:#?}");
        assert_eq!(acks(&bot, number).await, 1);
    }
    bot.stop().await;
}

/// Live messages are handled side by side: a newer one answered while an older one in the same
/// channel is still being handled must not move the read mark past the older one, or a process
/// dying then would never read it again. (The front end brackets each message's turn and the
/// delivery of its replies with `reading_started` and `reading_finished`, as here.)
#[tokio::test]
async fn a_read_mark_never_passes_a_message_still_being_handled() {
    let bot = bot_down(Mode::Proxy, None).await;
    let (older, newer) = (1_300_000_000_000_000_100u64, 1_300_000_000_000_000_200u64);
    let say = |channel: u64, id: u64| Request {
        actor: actor_of(&customer()),
        place: Place {
            guild: Some(bot.ids.guild),
            channel,
        },
        source: SourceId(id.to_string()),
        at: Utc::now(),
        command: Command::Message {
            text: "thanks, talk later".into(),
            addressed: false,
        },
    };
    let intake = bot.ids.contoso_intake;
    bot.app.reading_started(intake, older);
    bot.app.reading_started(intake, newer);
    bot.app.handle(say(intake, newer)).await;
    bot.app.reading_finished(intake, newer).await;
    assert_eq!(
        bot.store.read_mark(intake).await.unwrap(),
        Some(older - 1),
        "the older message is read again after a crash"
    );
    // A history page read to its end stops there too.
    bot.app.mark_read(intake, newer + 50).await.unwrap();
    assert_eq!(bot.store.read_mark(intake).await.unwrap(), Some(older - 1));
    bot.app.handle(say(intake, older)).await;
    bot.app.reading_finished(intake, older).await;
    assert_eq!(bot.store.read_mark(intake).await.unwrap(), Some(newer + 50));

    // Only what a reconnect reads is marked: not the engineers' channel.
    let engineers = bot.ids.engineers;
    bot.app.reading_started(engineers, newer);
    bot.app.handle(say(engineers, newer)).await;
    bot.app.reading_finished(engineers, newer).await;
    assert_eq!(bot.store.read_mark(engineers).await.unwrap(), None);
}
