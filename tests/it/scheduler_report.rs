//! The managers' Monday report (issue 20): posted once a week at 08:00 in Oslo to the managers'
//! channel through `DiscordSender` (multipart upload with its nonce), caught up after the bot
//! was down over Monday morning, and never twice across restarts or two instances at once.

use crate::helpers::db::{Backend, TestDb};
use crate::helpers::sched::*;
use chrono::{DateTime, TimeZone, Utc};
use intakebot::app::scheduler::Scheduler;
use intakebot::app::App;
use intakebot::config::DiscordId;
use intakebot::core::severity::{Coverage, Severity};
use intakebot_testkit::{FakeDiscord, Mode, Post};
use std::sync::Arc;

fn z(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// One bot process: its own app and scheduler on the shared database, posting to `fake`.
fn instance(f: &Fixture, fake: &FakeDiscord, channels: (u64, u64), name: &str) -> Scheduler {
    let mut config = config();
    config.app.reminders.weekly_report = true;
    config.app.discord.engineers_channel = DiscordId(channels.0);
    config.app.discord.managers_channel = DiscordId(channels.1);
    let app = App::new(Arc::new(config), f.store.clone());
    let http = fake.http_for_bot("report-token").unwrap();
    let sender = Arc::new(intakebot::discord::DiscordSender {
        http: Arc::new(http),
        pace: None,
    });
    Scheduler::new(app, sender, name)
}

fn reports(fake: &FakeDiscord, managers: u64) -> Vec<Post> {
    fake.bot_posts(managers)
        .into_iter()
        .filter(|p| !p.attachments.is_empty())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monday_report_is_posted_once_across_restarts_and_instances() {
    once_a_week(fixture(10).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monday_report_is_posted_once_on_postgres_too() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    once_a_week(fixture_on(db, 10).await).await;
}

async fn once_a_week(f: Fixture) {
    let fake = FakeDiscord::start(Mode::Proxy).await.unwrap();
    let channels = (fake.add_text_channel("engineers"), fake.add_text_channel("managers"));
    let managers = channels.1;
    // An incident in the week reported (Monday 2 March 2026), answered late.
    let thread = fake.add_text_channel("inc-1");
    open(
        &f,
        "weekly-1",
        Severity::B,
        Coverage::BusinessHours,
        z(2026, 3, 2, 9, 0),
        thread,
    )
    .await;

    // The bot runs on Friday, then is down over Monday 08:00 (07:00 UTC).
    let first = instance(&f, &fake, channels, "first");
    first.run_due(z(2026, 3, 6, 12, 0)).await.unwrap();
    drop(first);
    assert!(reports(&fake, managers).is_empty(), "nothing before Monday");

    // Two instances start at 10:00 UTC at once: the missed post is caught up, once.
    let (a, b) = (instance(&f, &fake, channels, "a"), instance(&f, &fake, channels, "b"));
    let late = z(2026, 3, 9, 10, 0);
    let (ra, rb) = tokio::join!(a.run_due(late), b.run_due(late));
    ra.unwrap();
    rb.unwrap();
    let posted = reports(&fake, managers);
    assert_eq!(posted.len(), 1, "caught up once: {posted:?}");
    let post = &posted[0];
    assert!(post.nonce.is_some(), "posted with its nonce");
    let names: Vec<&str> = post.attachments.iter().map(|a| a.filename.as_str()).collect();
    assert_eq!(
        names,
        [
            "sla-report-2026-03-02-2026-03-08.png",
            "sla-report-2026-03-02-2026-03-08.csv"
        ]
    );
    let png = fake.attachment_data(post.attachments[0].id).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let csv = String::from_utf8(fake.attachment_data(post.attachments[1].id).unwrap()).unwrap();
    assert!(
        csv.starts_with("organisation,severity,opened,met,breached,waiting"),
        "{csv}"
    );
    assert!(csv.contains("contoso,B,1,"), "the week's incident counted: {csv}");
    let embed = &post.message["embeds"][0];
    assert!(embed["title"].as_str().unwrap().contains("2026-03-02"), "{embed}");

    // A restart later that Monday posts nothing more; the next Monday posts next week's, once.
    let again = instance(&f, &fake, channels, "again");
    again.run_due(z(2026, 3, 9, 11, 0)).await.unwrap();
    assert_eq!(reports(&fake, managers).len(), 1, "not twice after a restart");
    again.run_due(z(2026, 3, 16, 6, 59)).await.unwrap();
    assert_eq!(reports(&fake, managers).len(), 1, "not before 08:00 Oslo");
    again.run_due(z(2026, 3, 16, 7, 0)).await.unwrap();
    let restarted = instance(&f, &fake, channels, "restarted");
    restarted.run_due(z(2026, 3, 16, 7, 5)).await.unwrap();
    let posted = reports(&fake, managers);
    assert_eq!(posted.len(), 2, "one a week");
    assert_eq!(
        posted[1].attachments[0].filename,
        "sla-report-2026-03-09-2026-03-15.png"
    );
    f.db.finish().await;
}
