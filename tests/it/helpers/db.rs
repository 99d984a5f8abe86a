//! Test databases: a temporary SQLite file, or a fresh PostgreSQL database on the server named
//! by `TEST_DATABASE_URL` (dropped afterwards), plus fixtures shared by the store suites.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use intakebot::core::entitlement::Entitlement;
use intakebot::core::ids::{AccountId, EntitlementId, IncidentNumber, OrderNumber, OrgId};
use intakebot::core::incident::{IncidentState, Role};
use intakebot::core::plan::{PlanId, SignInKind};
use intakebot::core::rules::RuleId;
use intakebot::core::severity::{Coverage, Severity};
use intakebot::store::*;
use sqlx::Connection;
use std::future::Future;

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

pub const PG_ENV: &str = "TEST_DATABASE_URL";

impl TestDb {
    /// `None` (after saying so) when the PostgreSQL suite has no server to run on.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/data/test.db", dir.path().display());
                let store = Store::connect(&url).await.expect("sqlite store");
                Some(TestDb {
                    store,
                    url,
                    _dir: Some(dir),
                    pg: None,
                })
            }
            Backend::Postgres => {
                let Ok(admin) = std::env::var(PG_ENV) else {
                    eprintln!("skipped: {PG_ENV} not set");
                    return None;
                };
                let name = format!("intakebot_test_{:016x}", rand::random::<u64>());
                let mut conn = sqlx::PgConnection::connect(&admin).await.expect("admin connection");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create db");
                conn.close().await.ok();
                let mut url = url::Url::parse(&admin).expect("admin url");
                url.set_path(&name);
                let url = url.to_string();
                let store = Store::connect(&url).await.expect("pg store");
                Some(TestDb {
                    store,
                    url,
                    _dir: None,
                    pg: Some((admin, name)),
                })
            }
        }
    }

    /// Checks the ledger invariant (P-PLAN-6), then closes the store.
    pub async fn finish(self) {
        assert_eq!(
            self.store.check_all_ledgers().await.unwrap(),
            vec![],
            "ledger does not add up"
        );
        self.store.close().await;
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // Runs on panic too; a thread of its own because Drop cannot await.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut conn)
                            .await;
                    }
                })
            })
            .join();
        }
    }
}

/// Runs one contract case on a fresh database, then checks the ledger.
pub async fn run<F, Fut>(backend: Backend, case: F)
where
    F: FnOnce(Store, String) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(db) = TestDb::new(backend).await else {
        return;
    };
    case(db.store.clone(), db.url.clone()).await;
    db.finish().await;
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

pub fn system() -> Author {
    Author::System
}

pub struct Seed {
    pub org: OrgId,
    pub requester: AccountId,
    pub engineer: AccountId,
    pub pack: Entitlement,
}

/// An organisation, a customer, an engineer and a pack of `units`.
pub async fn seed(store: &Store, org: &str, units: u32) -> Seed {
    let org = OrgId::new(org);
    store.upsert_organisation(&org, "Contoso").await.unwrap();
    let requester = AccountId::new(format!("{org}-cust"));
    let engineer = AccountId::new(format!("{org}-eng"));
    for (id, role) in [(&requester, Role::Customer), (&engineer, Role::Engineer)] {
        let a = Account {
            id: id.clone(),
            organisation: org.clone(),
            role,
            sign_in: SignInKind::Personal,
        };
        store.upsert_account(&a).await.unwrap();
    }
    let pack = store
        .grant_entitlement(&pack_of(&org, &requester, units), &system(), t0())
        .await
        .unwrap();
    Seed {
        org,
        requester,
        engineer,
        pack,
    }
}

pub fn pack_of(org: &OrgId, owner: &AccountId, units: u32) -> NewEntitlement {
    NewEntitlement {
        plan: PlanId::FivePack,
        organisation: org.clone(),
        owner: owner.clone(),
        units,
        purchased_on: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
        expires_on: NaiveDate::from_ymd_opt(2027, 1, 10),
        order_number: OrderNumber::new("ORD-1001"),
    }
}

pub const REMINDERS: usize = 2;

/// An incident request from `source` with two reminders (nonces derived from the source).
pub fn request(seed: &Seed, source: &str, entitlement: EntitlementId) -> NewIncident {
    let at = t0();
    let reminder = |k: i64| NewNotification {
        due_at: at + Duration::minutes(30 * k),
        kind: intakebot::core::outbox::OutboxKind::Reminder { step: 1 },
        target: intakebot::core::outbox::OutboxTarget::Engineers,
        nonce: Nonce::new(format!("r{k}-{source}")).unwrap(),
    };
    NewIncident {
        source: SourceId(source.to_string()),
        organisation: seed.org.clone(),
        requester: seed.requester.clone(),
        entitlement,
        product: "SQL Server".into(),
        version: "2022".into(),
        severity: Severity::B,
        coverage: Coverage::BusinessHours,
        title: "Backups fail".into(),
        problem: "Nightly backup job fails with error 3041".into(),
        language: intakebot::core::language::Language::En,
        flags: vec![IncidentFlag::BorderlineScope],
        opened_at: at,
        first_response_due: at + Duration::hours(4),
        rules: vec![RuleId::Sev2, RuleId::Plan6],
        notifications: (1..=REMINDERS as i64).map(reminder).collect(),
    }
}

/// Moves an open incident to `to` at `at` as the seed's engineer: a first response when `to`
/// is acknowledged (a close from open is not one here: the customer closed it).
pub async fn move_from_open(store: &Store, seed: &Seed, number: IncidentNumber, to: IncidentState, at: DateTime<Utc>) {
    let t = TransitionRecord {
        number,
        from: IncidentState::Open,
        to,
        first_response: to == IncidentState::Acknowledged,
        author: Author::Account(seed.engineer.clone()),
        at,
        reason: "moved by a test".into(),
        rules: vec![RuleId::Sev6],
        notifications: vec![],
    };
    store.record_transition(&t).await.unwrap();
}
