//! Scheduler test fixtures: the shipped config, a seeded store, incidents opened with the
//! app's own SLA plan, and a recording `NoticeSender` whose faults can be switched on.

use crate::helpers::db::{pack_of, seed, t0, Backend, Seed, TestDb};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use intakebot::app::{notices, App};
use intakebot::config::Config;
use intakebot::core::ids::IncidentNumber;
use intakebot::core::policy::Clock;
use intakebot::core::rules::RuleId;
use intakebot::core::severity::{Coverage, Severity};
use intakebot::scheduler::{Channel, NoticeSender, Outgoing, SendError};
use intakebot::store::{DiscordIds, NewIncident, SourceId};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub const ENGINEERS: u64 = 1_100_000_000_000_000_010;
pub const MANAGERS: u64 = 1_100_000_000_000_000_011;

pub fn config() -> Config {
    Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config")).expect("shipped config loads")
}

pub struct Fixture {
    pub db: TestDb,
    pub app: App,
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
    Fixture { db, app, seed }
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

/// Opens an incident whose thread Discord has not created (yet, or ever).
pub async fn open_without_thread(
    f: &Fixture,
    source: &str,
    severity: Severity,
    coverage: Coverage,
    opened_at: DateTime<Utc>,
) -> IncidentNumber {
    let clock = match coverage {
        Coverage::TwentyFourSeven => Clock::ClockHours,
        Coverage::BusinessHours => Clock::BusinessHours,
    };
    let plan = f.app.sla_plan(&f.seed.org, severity, clock, opened_at).expect("plan");
    let source = SourceId(source.to_string());
    let req = NewIncident {
        source: source.clone(),
        organisation: f.seed.org.clone(),
        requester: f.seed.requester.clone(),
        entitlement: f.seed.pack.id,
        product: "SQL Server".into(),
        version: "2022".into(),
        severity,
        coverage,
        title: "Backups fail".into(),
        problem: "Nightly backup job fails".into(),
        language: "en".into(),
        flags: vec![],
        opened_at,
        first_response_due: plan.deadline,
        rules: vec![RuleId::Sev6],
        notifications: notices::incident_rows(&source, &plan.notices),
    };
    let opened = f.app.store.open_incident(&req).await.expect("open");
    opened.incident().number
}

/// Records the incident's Discord thread, as the adapter does once Discord created it.
pub async fn set_thread(f: &Fixture, number: IncidentNumber, thread: u64) {
    let ids = DiscordIds {
        channel: None,
        thread: Some(thread),
        message: None,
    };
    f.app.store.set_discord_ids(number, &ids).await.expect("thread");
}

/// One post seen by the recording sender.
#[derive(Debug, Clone)]
pub struct Post {
    pub at: DateTime<Utc>,
    pub channel: u64,
    pub message: Outgoing,
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
    async fn post(&self, channel: Channel, message: &Outgoing) -> Result<u64, SendError> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        let b = self
            .behaviour
            .lock()
            .unwrap()
            .get(&channel.0)
            .copied()
            .or(*self.default.lock().unwrap())
            .unwrap_or(Behaviour::Accept);
        match b {
            Behaviour::RateLimited => return Err(SendError::Retry(Duration::milliseconds(200))),
            Behaviour::MissingAccess => return Err(SendError::Permanent("Missing Access (50001)".into())),
            Behaviour::Accept => {}
        }
        self.accepted.lock().unwrap().push(message.nonce.clone());
        if let Some(id) = self.by_nonce.lock().unwrap().get(&message.nonce) {
            return Ok(*id);
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        self.by_nonce.lock().unwrap().insert(message.nonce.clone(), id);
        let at = self.now.lock().unwrap().unwrap_or_else(Utc::now);
        self.posts.lock().unwrap().push(Post {
            at,
            channel: channel.0,
            message: message.clone(),
        });
        Ok(id)
    }
}

/// What a post is, read from its text.
pub fn kind_of(content: &str) -> String {
    if content.starts_with("⏰") {
        "reminder".into()
    } else if content.starts_with("🚨") {
        "breach".into()
    } else if let Some(rest) = content.strip_prefix("⏫ Escalation ") {
        format!("escalation-{}", rest.split(':').next().unwrap_or(""))
    } else if content.starts_with("⚠️") {
        "config-problem".into()
    } else if content.starts_with("**") {
        "digest".into()
    } else {
        content.chars().take(20).collect()
    }
}
