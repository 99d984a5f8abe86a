//! A storm of 429s on the engineers' channel, through the real `DiscordSender` in proxy mode
//! (serenity's ratelimiter off) against the local server: each notice is tried at most
//! `reminders.max_attempts` times, never sooner than the Retry-After Discord asked for, then
//! marked failed, and the managers are told once however many notices were given up.

use crate::helpers::sched::{fixture, open, Fixture};
use chrono::{DateTime, Duration, TimeZone, Utc};
use intakebot::app::scheduler::Scheduler;
use intakebot::app::App;
use intakebot::core::severity::{Coverage, Severity};
use intakebot::discord::DiscordSender;
use intakebot_testkit::{FakeDiscord, Fault, FaultRule, Mode, RateLimit, RetryAfterHeader};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Discord writes the header rounded up (8); the body keeps 7.5.
const RETRY_AFTER: Duration = Duration::seconds(8);

struct Scene {
    fake: FakeDiscord,
    f: Fixture,
    engineers: u64,
    managers: u64,
}

async fn scene() -> Scene {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let engineers = fake.add_text_channel("engineers");
    let managers = fake.add_text_channel("managers");
    let mut f = fixture(10).await;
    let mut config = f.app.config().clone();
    config.app.discord.engineers_channel.0 = engineers;
    config.app.discord.managers_channel.0 = managers;
    f.app = App::new(Arc::new(config), f.store.clone());
    Scene {
        fake,
        f,
        engineers,
        managers,
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 6, 1, 9, 0, 0).unwrap()
}

#[tokio::test]
async fn a_429_storm_is_retried_after_retry_after_up_to_the_max_then_the_managers_are_told_once() {
    let Scene {
        fake,
        f,
        engineers,
        managers,
    } = scene().await;
    let max = f.app.config().app.reminders.max_attempts as usize;
    let route = format!("/channels/{engineers}/messages");
    let storm = RateLimit::after(7.5).header(RetryAfterHeader::WholeSeconds);
    fake.inject(FaultRule::new("POST", &route, Fault::RateLimit(storm)).times(u32::MAX));
    let thread = fake.add_text_channel("inc-thread");
    open(&f, "storm", Severity::A, Coverage::TwentyFourSeven, t0(), thread).await;
    let sender = DiscordSender {
        http: Arc::new(fake.http_for_bot("fake-bot-token").unwrap()),
        pace: None,
    };
    let scheduler = Scheduler::new(f.app.clone(), Arc::new(sender), "storm");

    // Each pass runs at the next instant something is due (time is a parameter, no sleeps);
    // every attempt on the engineers' route is tagged with the pass's instant.
    let end = t0() + Duration::hours(3);
    let mut tried: BTreeMap<String, Vec<DateTime<Utc>>> = BTreeMap::new();
    let mut seen = 0;
    while let Some(now) = f.store.next_due_at().await.unwrap().filter(|t| *t <= end) {
        scheduler.run_due(now).await.unwrap();
        let calls = fake.calls();
        for call in calls[seen..].iter().filter(|c| c.is("POST", &route)) {
            let nonce = call.body_str("nonce").unwrap_or_default().to_string();
            tried.entry(nonce).or_default().push(now);
        }
        seen = calls.len();
    }

    assert!(tried.len() >= 2, "several notices to the engineers: {tried:?}");
    for (nonce, at) in &tried {
        assert_eq!(at.len(), max, "{nonce} tried {} times, max {max}", at.len());
        for pair in at.windows(2) {
            assert!(
                pair[1] - pair[0] >= RETRY_AFTER,
                "{nonce} retried after {} s, Discord asked for {}",
                (pair[1] - pair[0]).num_seconds(),
                RETRY_AFTER.num_seconds()
            );
        }
    }
    let told: Vec<_> = fake
        .bot_posts(managers)
        .into_iter()
        .filter(|p| p.content.contains("kept refusing"))
        .collect();
    assert_eq!(told.len(), 1, "{told:#?}");
    assert!(told[0].content.contains(&engineers.to_string()), "{}", told[0].content);
    assert!(told[0].content.contains(&format!("after {max} attempts")));
    assert!(fake.bot_posts(engineers).is_empty());
    f.db.finish().await;
}
