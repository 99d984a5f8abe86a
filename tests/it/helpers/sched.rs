//! Scheduler test fixtures: the shipped config, a seeded store, incidents opened through the
//! app (so with its own SLA plan and notices), and a recording `NoticeSender` whose faults can
//! be switched on.

use crate::helpers::db::{pack_of, seed, t0, Backend, Seed, TestDb};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use intakebot::app::reply::{Action, Audience, Content, Message};
use intakebot::app::request::{Actor, OpenCommand, Place, PlanChoice, Request};
use intakebot::app::scheduler::{NoticeSender, SendError};
use intakebot::app::{App, Command, Reply, SourceId};
use intakebot::config::Config;
use intakebot::core::ids::IncidentNumber;
use intakebot::core::severity::{Coverage, Severity};
use intakebot::store::{DiscordIds, Store};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub const ENGINEERS: u64 = 1_100_000_000_000_000_010;
pub const MANAGERS: u64 = 1_100_000_000_000_000_011;

/// The shipped config without the Monday report: these lives count incident notices exactly
/// (`scheduler_report` turns it back on).
pub fn config() -> Config {
    let mut config = Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config")).expect("shipped config loads");
    config.app.reminders.weekly_report = false;
    config
}

pub struct Fixture {
    pub db: TestDb,
    pub app: App,
    pub store: Store,
    pub seed: Seed,
}

/// A SQLite store seeded with organisation `contoso` (Oslo calendar) and a pack of `units`.
pub async fn fixture(units: u32) -> Fixture {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    fixture_on(db, units).await
}

pub async fn fixture_on(db: TestDb, units: u32) -> Fixture {
    let mut seed = seed(&db.store, "contoso", units).await;
    // The shared seed's pack expires in January 2027; these lives run until 2028.
    let mut long = pack_of(&seed.org, &seed.requester, units);
    long.expires_on = chrono::NaiveDate::from_ymd_opt(2029, 1, 10);
    seed.pack = db
        .store
        .grant_entitlement(&long, &intakebot::store::Author::System, t0())
        .await
        .expect("pack");
    let app = App::new(Arc::new(config()), db.store.clone());
    let store = db.store.clone();
    Fixture { db, app, store, seed }
}

/// Opens an incident at `opened_at` with the app's SLA plan and gives it thread `thread`.
pub async fn open(
    f: &Fixture,
    source: &str,
    severity: Severity,
    coverage: Coverage,
    opened_at: DateTime<Utc>,
    thread: u64,
) -> IncidentNumber {
    let number = open_without_thread(f, source, severity, coverage, opened_at).await;
    set_thread(f, number, thread).await;
    number
}

/// Opens an incident whose thread Discord has not created (yet, or ever): the seeded customer
/// runs `/incident open` on the seeded pack at `opened_at`.
pub async fn open_without_thread(
    f: &Fixture,
    source: &str,
    severity: Severity,
    coverage: Coverage,
    opened_at: DateTime<Utc>,
) -> IncidentNumber {
    let config = f.app.config();
    let contoso = config
        .app
        .organisations
        .iter()
        .find(|o| o.id == f.seed.org)
        .expect("contoso");
    let open = OpenCommand {
        product: "SQL Server".into(),
        version: "2022".into(),
        severity: Some(severity),
        coverage: Some(coverage),
        on_call: (coverage == Coverage::TwentyFourSeven).then(|| f.seed.requester.clone()),
        plan: Some(PlanChoice::Pack(f.seed.pack.id)),
        title: Some("Backups fail".into()),
        problem: Some("Nightly backup job fails".into()),
    };
    let request = Request {
        actor: Actor {
            account: f.seed.requester.clone(),
            name: "customer".into(),
            roles: vec![contoso.role.0],
            locale: None,
        },
        place: Place {
            guild: Some(config.app.discord.guild_id.0),
            channel: contoso.intake_channels[0].0,
        },
        source: SourceId(source.to_string()),
        at: opened_at,
        command: Command::Open(open),
    };
    let replies = f.app.handle(request).await;
    replies
        .iter()
        .find_map(|r| match &r.audience {
            Audience::NewThread(spec) => Some(spec.incident),
            _ => None,
        })
        .unwrap_or_else(|| panic!("not opened: {replies:#?}"))
}

/// Records the incident's Discord thread, as the adapter does once Discord created it.
pub async fn set_thread(f: &Fixture, number: IncidentNumber, thread: u64) {
    let ids = DiscordIds {
        channel: None,
        thread: Some(thread),
        message: None,
    };
    f.store.set_discord_ids(number, &ids).await.expect("thread");
}

/// One post seen by the recording sender: where, its words, and the message as the app made it.
#[derive(Debug, Clone)]
pub struct Post {
    pub at: DateTime<Utc>,
    pub channel: u64,
    pub content: String,
    pub nonce: String,
    pub message: Message,
}

impl Post {
    fn of(reply: &Reply, nonce: &str, at: DateTime<Utc>) -> Post {
        let Audience::Channel(dest) = &reply.audience else {
            panic!("a notice to a channel")
        };
        let Content::Message(message) = &reply.content else {
            panic!("a notice message")
        };
        Post {
            at,
            channel: dest.id,
            content: written(&message.text),
            nonce: nonce.to_string(),
            message: message.clone(),
        }
    }

    /// The incident whose Acknowledge button the post carries.
    pub fn ack_button(&self) -> Option<IncidentNumber> {
        ack_button_in(&self.message)
    }
}

fn ack_button_in(message: &Message) -> Option<IncidentNumber> {
    message.buttons.iter().find_map(|b| match b.action {
        Action::Acknowledge(n) => Some(n),
        _ => None,
    })
}

/// A notice's text with its references written out as Discord would (`<#id>`, `<t:…:R>`).
fn written(text: &intakebot::app::reply::Text) -> String {
    use intakebot::app::reply::Span;
    text.0
        .iter()
        .map(|s| match s {
            Span::Plain(p) | Span::Typed(p) => p.clone(),
            Span::Time(t, _) => format!("<t:{}>", t.timestamp()),
            Span::Channel(id) => format!("<#{id}>"),
            Span::User(a) => format!("<@{a}>"),
        })
        .collect()
}

/// The incident whose Acknowledge button a notice carries.
pub fn ack_button_of(notice: &Reply) -> Option<IncidentNumber> {
    match &notice.content {
        Content::Message(m) => ack_button_in(m),
        _ => None,
    }
}

/// What the recording sender does with a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Accept,
    RateLimited,
    MissingAccess,
}

/// Records posts (deduplicating repeated nonces like Discord), with the pass's `now`.
#[derive(Default)]
pub struct Recorder {
    pub now: Mutex<Option<DateTime<Utc>>>,
    pub posts: Mutex<Vec<Post>>,
    by_nonce: Mutex<HashMap<String, u64>>,
    pub behaviour: Mutex<HashMap<u64, Behaviour>>,
    pub default: Mutex<Option<Behaviour>>,
    next_id: AtomicU64,
    pub attempts: AtomicU64,
    /// Every accepted post's nonce, repeats included (Discord would dedupe them).
    pub accepted: Mutex<Vec<String>>,
}

impl Recorder {
    pub fn set_now(&self, now: DateTime<Utc>) {
        *self.now.lock().unwrap() = Some(now);
    }
    pub fn posts(&self) -> Vec<Post> {
        self.posts.lock().unwrap().clone()
    }
    pub fn set_all(&self, b: Behaviour) {
        *self.default.lock().unwrap() = Some(b);
    }
    pub fn set_channel(&self, channel: u64, b: Behaviour) {
        self.behaviour.lock().unwrap().insert(channel, b);
    }
}

#[async_trait]
impl NoticeSender for Recorder {
    async fn post(&self, notice: &Reply, nonce: &str) -> Result<u64, SendError> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        let at = self.now.lock().unwrap().unwrap_or_else(Utc::now);
        let post = Post::of(notice, nonce, at);
        let channel = post.channel;
        let b = self
            .behaviour
            .lock()
            .unwrap()
            .get(&channel)
            .copied()
            .or(*self.default.lock().unwrap())
            .unwrap_or(Behaviour::Accept);
        match b {
            Behaviour::RateLimited => return Err(SendError::Retry(Duration::milliseconds(200))),
            Behaviour::MissingAccess => return Err(SendError::Permanent("Missing Access (50001)".into())),
            Behaviour::Accept => {}
        }
        self.accepted.lock().unwrap().push(post.nonce.clone());
        if let Some(id) = self.by_nonce.lock().unwrap().get(&post.nonce) {
            return Ok(*id);
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        self.by_nonce.lock().unwrap().insert(post.nonce.clone(), id);
        self.posts.lock().unwrap().push(post);
        Ok(id)
    }
}

/// What a post is, read from its text.
pub fn kind_of(content: &str) -> String {
    if content.starts_with("⏰") {
        "reminder".into()
    } else if content.starts_with("🚨") {
        "breach".into()
    } else if let Some(rest) = content
        .strip_prefix("⏫ Escalation ")
        .or_else(|| content.strip_prefix("⏫ Eskalering "))
    {
        format!("escalation-{}", rest.split(':').next().unwrap_or(""))
    } else if content.starts_with("⚠️") {
        "config-problem".into()
    } else if content.starts_with("**") {
        "digest".into()
    } else {
        content.chars().take(20).collect()
    }
}
