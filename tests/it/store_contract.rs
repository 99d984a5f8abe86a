//! The store contract, run against SQLite and PostgreSQL (`TEST_DATABASE_URL`).
//! Every case ends with the ledger invariant check (`crate::helpers::db::run`).

use crate::helpers::db::*;
use chrono::Duration;
use intakebot::core::ids::{IncidentNumber, OrderNumber};
use intakebot::core::incident::{IncidentState, Outcome, RefundDecision};
use intakebot::core::rules::RuleId;
use intakebot::core::severity::{Coverage, Severity};
use intakebot::core::text::{clean, UserField};
use intakebot::store::*;
use std::collections::HashSet;

macro_rules! contract {
    ($($case:ident),* $(,)?) => {$(
        mod $case {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { run(Backend::Sqlite, super::cases::$case).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { run(Backend::Postgres, super::cases::$case).await }
        }
    )*};
}
pub(crate) use contract;

contract!(
    open_writes_everything_in_one_go,
    same_source_twice_opens_one_incident,
    refusals_are_typed_and_write_nothing,
    two_hundred_opens_on_a_hundred_units,
    a_burst_of_opens_gets_each_its_own_answer,
    read_then_write_variant_is_caught,
    transfer_needs_the_order_number,
    expiry_writes_an_expire_row,
    refund_happens_once,
    transitions_are_fenced_and_cancel_reminders,
    split_is_all_or_nothing,
    outbox_claims_are_leased_and_fenced,
    an_unreadable_outbox_row_is_failed_not_blocking,
    concurrent_claims_never_share_a_row,
    discord_ids_are_stored,
    newer_schema_is_refused_untouched,
    partial_indexes_serve_their_lookups,
    the_schema_refuses_impossible_values,
    cleaned_user_text_is_stored_alike,
    a_nul_that_reaches_the_store_is_refused,
    usable_packs_have_units_and_days_left,
);

fn engineer(seed: &Seed) -> Author {
    Author::Account(seed.engineer.clone())
}

fn ack(seed: &Seed, number: IncidentNumber, at: chrono::DateTime<chrono::Utc>) -> TransitionRecord {
    TransitionRecord {
        number,
        from: IncidentState::Open,
        to: IncidentState::Acknowledged,
        first_response: true,
        author: engineer(seed),
        at,
        reason: "engineer acknowledged".into(),
        rules: vec![RuleId::Sev6],
        notifications: vec![],
    }
}

fn close(seed: &Seed, number: IncidentNumber, from: IncidentState, outcome: Outcome) -> TransitionRecord {
    TransitionRecord {
        number,
        from,
        to: IncidentState::Closed { outcome, refund: None },
        first_response: from == IncidentState::Open,
        author: engineer(seed),
        at: t0() + Duration::hours(6),
        reason: "closed".into(),
        rules: vec![RuleId::Close2],
        notifications: vec![],
    }
}

/// Opens an incident from `source` on the seed's pack; its number.
async fn open(store: &Store, s: &Seed, source: &str) -> IncidentNumber {
    store
        .open_incident(&request(s, source, s.pack.id))
        .await
        .unwrap()
        .incident()
        .number
}

/// The race verdict, shared by the real open and the broken variant (P-PLAN-6).
async fn race_verdict(store: &Store, pack: intakebot::core::ids::EntitlementId, opened: usize) -> Result<(), String> {
    let left = store.entitlement(pack).await.unwrap().unwrap().units_left;
    let balance = store.check_ledger(pack).await.unwrap();
    if opened == 100 && left == 0 && balance.is_balanced() && balance.consumed == 100 {
        Ok(())
    } else {
        Err(format!("opened {opened}, {left} left, ledger {balance:?}"))
    }
}

mod cases {
    use super::*;

    /// What an open judges: packs with units left and not expired on the day, oldest first.
    pub async fn usable_packs_have_units_and_days_left(store: Store, _url: String) {
        let s = seed(&store, "contoso", 1).await;
        open(&store, &s, "spends-the-only-unit").await;
        let live = store
            .grant_entitlement(&pack_of(&s.org, &s.requester, 5), &system(), t0())
            .await
            .unwrap();
        let mut other = pack_of(&s.org, &s.requester, 5);
        other.organisation = intakebot::core::ids::OrgId::new("elsewhere");
        store
            .upsert_organisation(&other.organisation, "Elsewhere")
            .await
            .unwrap();
        let mut customer = store.account(&s.requester).await.unwrap().unwrap();
        customer.id = intakebot::core::ids::AccountId::new("elsewhere-cust");
        customer.organisation = other.organisation.clone();
        store.upsert_account(&customer).await.unwrap();
        other.owner = customer.id;
        store.grant_entitlement(&other, &system(), t0()).await.unwrap();
        let day = t0().date_naive();
        let usable = store.usable_entitlements(&s.org, day).await.unwrap();
        assert_eq!(usable.iter().map(|e| e.id).collect::<Vec<_>>(), vec![live.id]);
        let expiry = live.expires_on.unwrap();
        assert_eq!(
            store
                .usable_entitlements(&s.org, expiry.pred_opt().unwrap())
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(store.usable_entitlements(&s.org, expiry).await.unwrap(), vec![]);
        assert_eq!(store.list_entitlements(&s.org).await.unwrap().len(), 2);
    }

    pub async fn open_writes_everything_in_one_go(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        let opened = store.open_incident(&request(&s, "i-1", s.pack.id)).await.unwrap();
        let Opened::New(inc) = opened else {
            panic!("expected a new incident")
        };
        assert!(inc.number.to_string().starts_with("INC-0000"));
        assert_eq!(store.incident(inc.number).await.unwrap(), Some(inc.clone()));
        assert_eq!(
            store.incident_in_org(&s.org, inc.number).await.unwrap(),
            Some(inc.clone())
        );
        assert_eq!(
            store
                .incident_in_org(&intakebot::core::ids::OrgId::new("other"), inc.number)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store.list_incidents(&s.org, Some(StateFilter::Open)).await.unwrap(),
            vec![inc.clone()]
        );
        assert_eq!(
            store.list_incidents(&s.org, Some(StateFilter::Closed)).await.unwrap(),
            vec![]
        );
        assert_eq!(store.list_entitlements(&s.org).await.unwrap()[0].units_left, 4);
        let events = store.events(inc.number).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(
            (events[0].kind, events[0].to, events[0].rules.clone()),
            (
                EventKind::Opened,
                IncidentState::Open,
                vec![RuleId::Sev2, RuleId::Plan6]
            )
        );
        let ledger = store.ledger(s.pack.id).await.unwrap();
        let kinds: Vec<_> = ledger.iter().map(|l| (l.kind, l.delta, l.incident)).collect();
        assert_eq!(
            kinds,
            vec![
                (LedgerKind::Grant, 5, None),
                (LedgerKind::Consume, -1, Some(inc.number))
            ]
        );
        let outbox = store.outbox_for_incident(inc.number).await.unwrap();
        assert_eq!(outbox.len(), REMINDERS);
        assert!(outbox
            .iter()
            .all(|n| n.state == OutboxState::Pending && n.attempts == 0));
    }

    pub async fn same_source_twice_opens_one_incident(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        let req = request(&s, "interaction-77", s.pack.id);
        let first = store.open_incident(&req).await.unwrap();
        let second = store.open_incident(&req).await.unwrap();
        assert!(matches!(first, Opened::New(_)));
        assert_eq!(second, Opened::AlreadyOpened(first.incident().clone()));
        assert_eq!(store.list_incidents(&s.org, None).await.unwrap().len(), 1);
        assert_eq!(store.entitlement(s.pack.id).await.unwrap().unwrap().units_left, 4);
        // Delivered concurrently, still one incident and one unit.
        let req = request(&s, "interaction-78", s.pack.id);
        let (a, b) = tokio::join!(store.open_incident(&req), store.open_incident(&req));
        assert_eq!(a.unwrap().incident(), b.unwrap().incident());
        assert_eq!(store.entitlement(s.pack.id).await.unwrap().unwrap().units_left, 3);
    }

    pub async fn refusals_are_typed_and_write_nothing(store: Store, _url: String) {
        let s = seed(&store, "contoso", 1).await;
        store.open_incident(&request(&s, "a", s.pack.id)).await.unwrap();
        let err = store.open_incident(&request(&s, "b", s.pack.id)).await.unwrap_err();
        assert!(matches!(err, StoreError::NoUnitsLeft(id) if id == s.pack.id), "{err}");
        assert_eq!(store.incident_by_source(&SourceId("b".into())).await.unwrap(), None);
        assert_eq!(store.ledger(s.pack.id).await.unwrap().len(), 2);

        let other = seed(&store, "fabrikam", 3).await;
        let err = store.open_incident(&request(&s, "c", other.pack.id)).await.unwrap_err();
        assert!(matches!(err, StoreError::WrongOrganisation { .. }), "{err}");
        // P-PLAN-2: not on or after the first expired day.
        let mut late = request(&other, "d", other.pack.id);
        late.opened_at = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 1, 10, 0, 0, 0).unwrap();
        let err = store.open_incident(&late).await.unwrap_err();
        assert!(matches!(err, StoreError::EntitlementExpired(_)), "{err}");
        assert_eq!(store.entitlement(other.pack.id).await.unwrap().unwrap().units_left, 3);
        let err = store
            .open_incident(&request(&s, "e", intakebot::core::ids::EntitlementId(999)))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::EntitlementNotFound(_)), "{err}");
    }

    // P-PLAN-6: 200 concurrent opens on 100 units spend exactly 100.
    pub async fn two_hundred_opens_on_a_hundred_units(store: Store, _url: String) {
        let s = std::sync::Arc::new(seed(&store, "contoso", 100).await);
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let (store, s) = (store.clone(), s.clone());
                tokio::spawn(async move { store.open_incident(&request(&s, &format!("s{i}"), s.pack.id)).await })
            })
            .collect();
        let mut opened = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(Opened::New(_)) => opened += 1,
                Err(StoreError::NoUnitsLeft(_)) => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        race_verdict(&store, s.pack.id, opened).await.unwrap();
        assert_eq!(store.list_incidents(&s.org, None).await.unwrap().len(), 100);
    }

    // P-PLAN-6: opens arriving together (written together where the backend can) each get the
    // answer they would get alone: a short pack opens what it has and refuses the rest, another
    // pack is unaffected, a redelivered source opens once, a pack of another organisation refuses.
    pub async fn a_burst_of_opens_gets_each_its_own_answer(store: Store, _url: String) {
        let short = std::sync::Arc::new(seed(&store, "contoso", 5).await);
        let full = std::sync::Arc::new(seed(&store, "fabrikam", 20).await);
        let mut asks = Vec::new();
        for i in 0..10 {
            asks.push((short.clone(), format!("a{i}"), short.pack.id));
            asks.push((full.clone(), format!("b{i}"), full.pack.id));
        }
        for _ in 0..4 {
            asks.push((full.clone(), "b0".to_string(), full.pack.id));
        }
        asks.push((full.clone(), "w0".to_string(), short.pack.id));
        let tasks: Vec<_> = asks
            .into_iter()
            .map(|(s, source, pack)| {
                let store = store.clone();
                tokio::spawn(async move {
                    let answer = store.open_incident(&request(&s, &source, pack)).await;
                    (source, answer)
                })
            })
            .collect();
        let (mut short_opened, mut short_refused, mut b0_numbers) = (0, 0, HashSet::new());
        let mut full_opened = HashSet::new();
        for t in tasks {
            let (source, answer) = t.await.unwrap();
            match (source.as_str(), answer) {
                ("w0", Err(StoreError::WrongOrganisation { .. })) => {}
                (a, Ok(Opened::New(_))) if a.starts_with('a') => short_opened += 1,
                (a, Err(StoreError::NoUnitsLeft(_))) if a.starts_with('a') => short_refused += 1,
                ("b0", Ok(Opened::New(i) | Opened::AlreadyOpened(i))) => {
                    b0_numbers.insert(i.number);
                    full_opened.insert("b0".to_string());
                }
                (b, Ok(Opened::New(i))) if b.starts_with('b') => {
                    assert_eq!(i.source.0, b);
                    assert!(full_opened.insert(b.to_string()), "{b} opened twice");
                }
                (source, other) => panic!("{source}: unexpected {other:?}"),
            }
        }
        assert_eq!((short_opened, short_refused), (5, 5));
        assert_eq!(full_opened.len(), 10);
        assert_eq!(b0_numbers.len(), 1, "the redelivered source opened {b0_numbers:?}");
        for (pack, consumed, left) in [(short.pack.id, 5, 0), (full.pack.id, 10, 10)] {
            let balance = store.check_ledger(pack).await.unwrap();
            assert!(balance.is_balanced() && balance.consumed == consumed, "{balance:?}");
            assert_eq!(store.entitlement(pack).await.unwrap().unwrap().units_left, left);
        }
        // A burst that a pack can give whole: every caller gets the incident of its own source.
        let roomy = std::sync::Arc::new(seed(&store, "northwind", 100).await);
        let tasks: Vec<_> = (0..30)
            .map(|i| {
                let (store, s) = (store.clone(), roomy.clone());
                tokio::spawn(async move {
                    let source = format!("n{i}");
                    let answer = store.open_incident(&request(&s, &source, s.pack.id)).await;
                    (source, answer)
                })
            })
            .collect();
        for t in tasks {
            let (source, answer) = t.await.unwrap();
            let Ok(Opened::New(opened)) = answer else {
                panic!("{source}: {answer:?}")
            };
            let stored = store.incident(opened.number).await.unwrap().unwrap();
            assert_eq!(
                (stored.source.0.as_str(), opened.source.0.as_str()),
                (source.as_str(), source.as_str())
            );
        }
        assert_eq!(store.entitlement(roomy.pack.id).await.unwrap().unwrap().units_left, 70);
        for s in [&short, &full, &roomy] {
            for incident in store.list_incidents(&s.org, None).await.unwrap() {
                assert_eq!(store.events(incident.number).await.unwrap().len(), 1);
                assert_eq!(
                    store.outbox_for_incident(incident.number).await.unwrap().len(),
                    REMINDERS
                );
            }
        }
    }

    // Text typed with NUL and other controls, cleaned at the edge, opens on both databases and
    // is stored as cleaned: the same expected text on each backend.
    pub async fn cleaned_user_text_is_stored_alike(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        let mut typed = request(&s, "typed-1", s.pack.id);
        typed.title = clean(UserField::Title, "Backups\0 fail\u{7}\r");
        typed.problem = clean(
            UserField::Problem,
            "Line one\0\r\n\tline two\u{1b}[0m\u{7f} \u{8}– «3041» på 😀",
        );
        typed.product = clean(UserField::Product, "SQL\0 Server");
        let opened = store.open_incident(&typed).await.unwrap();
        let stored = store.incident(opened.incident().number).await.unwrap().unwrap();
        assert_eq!(
            (stored.title.as_str(), stored.problem.as_str(), stored.product.as_str()),
            ("Backups fail", "Line one\n\tline two[0m – «3041» på 😀", "SQL Server")
        );
        assert_eq!(store.entitlement(s.pack.id).await.unwrap().unwrap().units_left, 4);
    }

    // A NUL that still reaches the store is a typed refusal on both databases (PostgreSQL cannot
    // store one, SQLite would): nothing written, nothing spent.
    pub async fn a_nul_that_reaches_the_store_is_refused(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        for (field, set) in [
            (
                "title",
                (|r: &mut NewIncident| r.title = "Back\0ups".into()) as fn(&mut NewIncident),
            ),
            ("problem", |r| r.problem = "fails\0 at night".into()),
            ("version", |r| r.version = "\0".into()),
        ] {
            let mut raw = request(&s, &format!("raw-{field}"), s.pack.id);
            set(&mut raw);
            let err = store.open_incident(&raw).await.unwrap_err();
            assert!(
                matches!(err, StoreError::NulInText { field: f } if f == field),
                "{err:?}"
            );
            assert_eq!(store.incident_by_source(&raw.source).await.unwrap(), None);
        }
        assert_eq!(store.entitlement(s.pack.id).await.unwrap().unwrap().units_left, 5);
        assert_eq!(store.ledger(s.pack.id).await.unwrap().len(), 1);
        // In a reason too: the transition is not written.
        let number = open(&store, &s, "clean-1").await;
        let mut t = ack(&s, number, t0() + Duration::hours(1));
        t.reason = "seen\0".into();
        let err = store.record_transition(&t).await.unwrap_err();
        assert!(matches!(err, StoreError::NulInText { field: "reason" }), "{err:?}");
        let still = store.incident(number).await.unwrap().unwrap();
        assert_eq!(
            (still.state, store.events(number).await.unwrap().len()),
            (IncidentState::Open, 1)
        );
    }

    // P-PLAN-6: the same verdict catches a read-then-write consumption, so the race test can fail.
    pub async fn read_then_write_variant_is_caught(store: Store, _url: String) {
        let s = seed(&store, "contoso", 100).await;
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let store = store.clone();
                let pack = s.pack.id.0;
                tokio::spawn(async move { broken_consume(&store, pack).await })
            })
            .collect();
        let mut opened = 0;
        for t in tasks {
            opened += usize::from(t.await.unwrap());
        }
        let verdict = race_verdict(&store, s.pack.id, opened).await;
        assert!(verdict.is_err(), "the broken variant went unnoticed: opened {opened}");
        // Leave the database balanced for the closing ledger check: record what the broken code lost.
        repair(&store, pack_id(&s)).await;
    }

    pub async fn transfer_needs_the_order_number(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        // P-PLAN-4: a wrong order number moves nothing.
        let err = store
            .transfer_entitlement(s.pack.id, &OrderNumber::new("ORD-9"), &s.engineer, &system(), t0())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::OrderNumberMismatch(_)), "{err}");
        assert_eq!(store.entitlement(s.pack.id).await.unwrap().unwrap().owner, s.requester);
        let moved = store
            .transfer_entitlement(s.pack.id, &OrderNumber::new("ORD-1001"), &s.engineer, &system(), t0())
            .await
            .unwrap();
        assert_eq!((moved.owner.clone(), moved.units_left), (s.engineer.clone(), 5));
        let last = store.ledger(s.pack.id).await.unwrap().pop().unwrap();
        assert_eq!((last.kind, last.delta), (LedgerKind::Transfer, 0));
    }

    // P-PLAN-2: expired units leave through an `expire` ledger row.
    pub async fn expiry_writes_an_expire_row(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        store.open_incident(&request(&s, "a", s.pack.id)).await.unwrap();
        assert_eq!(
            store
                .expire_units(s.pack.id, &system(), "one year passed", t0())
                .await
                .unwrap(),
            4
        );
        assert_eq!(
            store.expire_units(s.pack.id, &system(), "again", t0()).await.unwrap(),
            0
        );
        let b = store.check_ledger(s.pack.id).await.unwrap();
        assert_eq!((b.units_left, b.granted, b.consumed, b.expired), (0, 5, 1, 4));
        let err = store.open_incident(&request(&s, "b", s.pack.id)).await.unwrap_err();
        assert!(matches!(err, StoreError::NoUnitsLeft(_)));
    }

    // P-CLOSE-4: a refund gives the unit back once, with its ledger row.
    pub async fn refund_happens_once(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        let a = open(&store, &s, "a").await;
        store
            .record_transition(&close(&s, a, IncidentState::Open, Outcome::Unresolved))
            .await
            .unwrap();
        store.refund_unit(a, &system(), "manager refunded", t0()).await.unwrap();
        let err = store.refund_unit(a, &system(), "twice", t0()).await.unwrap_err();
        assert!(matches!(err, StoreError::AlreadyRefunded(n) if n == a), "{err}");
        assert_eq!(store.entitlement(s.pack.id).await.unwrap().unwrap().units_left, 5);

        // The manager's decision through a transition refunds in the same transaction.
        let b = open(&store, &s, "b").await;
        let closed = IncidentState::Closed {
            outcome: Outcome::OutOfScope,
            refund: None,
        };
        store
            .record_transition(&close(&s, b, IncidentState::Open, Outcome::OutOfScope))
            .await
            .unwrap();
        let decide = TransitionRecord {
            to: IncidentState::Closed {
                outcome: Outcome::OutOfScope,
                refund: Some(RefundDecision::Refund),
            },
            from: closed,
            rules: vec![RuleId::Close4],
            ..close(&s, b, closed, Outcome::OutOfScope)
        };
        let after = store.record_transition(&decide).await.unwrap();
        assert_eq!(after.state, decide.to);
        assert_eq!(store.entitlement(s.pack.id).await.unwrap().unwrap().units_left, 5);
        let err = store.record_transition(&decide).await.unwrap_err();
        assert!(matches!(err, StoreError::StateChanged { .. }), "{err}");
        assert_eq!(
            store.events(b).await.unwrap().last().unwrap().kind,
            EventKind::RefundDecided
        );
    }

    // P-SEV-6: the first response stops the clock once; reminders stop with it.
    pub async fn transitions_are_fenced_and_cancel_reminders(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        let a = open(&store, &s, "a").await;
        let mut t = ack(&s, a, t0() + Duration::hours(1));
        t.notifications = vec![NewNotification {
            due_at: t0() + Duration::hours(1),
            kind: intakebot::core::outbox::OutboxKind::Breach,
            target: intakebot::core::outbox::OutboxTarget::Thread,
            nonce: Nonce::new("ack-a").unwrap(),
        }];
        let acked = store.record_transition(&t).await.unwrap();
        assert_eq!(acked.state, IncidentState::Acknowledged);
        assert_eq!(acked.first_response, FirstResponse::Met);
        assert_eq!(acked.acknowledged_by, Some(engineer(&s)));
        assert_eq!(acked.acknowledged_at, Some(t0() + Duration::hours(1)));
        let states: Vec<_> = store
            .outbox_for_incident(a)
            .await
            .unwrap()
            .iter()
            .map(|n| n.state)
            .collect();
        assert_eq!(
            states,
            vec![OutboxState::Cancelled, OutboxState::Cancelled, OutboxState::Pending]
        );
        // A second engineer deciding from the stale state writes nothing.
        let err = store
            .record_transition(&ack(&s, a, t0() + Duration::hours(2)))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::StateChanged {
                    current: IncidentState::Acknowledged,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(store.events(a).await.unwrap().len(), 2);

        // Closing an open incident after its deadline is a breached first response.
        let b = open(&store, &s, "b").await;
        let closed = store
            .record_transition(&close(&s, b, IncidentState::Open, Outcome::Resolved))
            .await
            .unwrap();
        assert_eq!(closed.first_response, FirstResponse::Breached);
        assert_eq!(closed.closed_at, Some(t0() + Duration::hours(6)));
        assert_eq!(
            store
                .list_incidents(&s.org, Some(StateFilter::Closed))
                .await
                .unwrap()
                .len(),
            1
        );
        let err = store
            .record_transition(&ack(&s, IncidentNumber(9999), t0()))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::IncidentNotFound(_)));
    }

    // P-INC-3: each child consumes a unit; too few units refuse the whole split.
    pub async fn split_is_all_or_nothing(store: Store, _url: String) {
        let s = seed(&store, "contoso", 3).await;
        let parent = open(&store, &s, "p").await;
        let child = |k: u32| NewChild {
            severity: Severity::C,
            coverage: Coverage::BusinessHours,
            title: format!("part {k}"),
            problem: format!("sub-problem {k}"),
            first_response_due: t0() + Duration::hours(8),
            notifications: vec![],
        };
        let req = |source: &str, n: u32| SplitRequest {
            parent,
            source: SourceId(source.into()),
            author: engineer(&s),
            at: t0() + Duration::hours(1),
            reason: "two problems".into(),
            rules: vec![RuleId::Inc1, RuleId::Inc3],
            children: (1..=n).map(child).collect(),
        };
        let err = store.split_incident(&req("split-1", 3)).await.unwrap_err();
        assert!(matches!(err, StoreError::NoUnitsLeft(_)), "{err}");
        assert_eq!(store.children(parent).await.unwrap(), vec![]);
        assert_eq!(store.entitlement(s.pack.id).await.unwrap().unwrap().units_left, 2);

        let Split::New(made) = store.split_incident(&req("split-2", 2)).await.unwrap() else {
            panic!("expected new")
        };
        assert_eq!(made.len(), 2);
        assert!(made
            .iter()
            .all(|c| c.parent == Some(parent) && c.severity == Severity::C));
        assert_eq!(store.children(parent).await.unwrap(), made);
        assert_eq!(store.entitlement(s.pack.id).await.unwrap().unwrap().units_left, 0);
        assert_eq!(
            store.split_incident(&req("split-2", 2)).await.unwrap(),
            Split::AlreadySplit(made)
        );
        assert_eq!(
            store.events(parent).await.unwrap().last().unwrap().kind,
            EventKind::Split
        );
    }

    /// Outbox kinds and targets are typed when a row is read; a row no version of the bot
    /// wrote (by hand, or by a newer version) is marked failed, and the rows behind it go on.
    pub async fn an_unreadable_outbox_row_is_failed_not_blocking(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        let a = open(&store, &s, "a").await;
        let bad = "UPDATE outbox SET kind = 'fax-to-the-ceo' WHERE id = (SELECT MIN(id) FROM outbox)";
        match &store {
            Store::Sqlite(db) => sqlx::query(bad).execute(db.pool()).await.map(drop).unwrap(),
            Store::Postgres(db) => sqlx::query(bad).execute(db.pool()).await.map(drop).unwrap(),
        }
        let rows = store.outbox_for_incident(a).await;
        assert!(
            rows.is_err(),
            "an unreadable row is an error when read directly: {rows:?}"
        );
        let claimed = store
            .claim_due(t0() + Duration::days(30), 100, Duration::minutes(5), "w1")
            .await
            .unwrap();
        assert_eq!(claimed.len(), REMINDERS - 1, "the others are claimed");
        let left = store
            .claim_due(t0() + Duration::days(30), 100, Duration::minutes(5), "w2")
            .await
            .unwrap();
        assert!(left.is_empty(), "the unreadable row is not claimed again: {left:?}");
    }

    pub async fn outbox_claims_are_leased_and_fenced(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        let a = open(&store, &s, "a").await;
        let lease = Duration::minutes(5);
        let now = t0() + Duration::minutes(45); // only the 30-minute reminder is due
        let claimed = store.claim_due(now, 10, lease, "w1").await.unwrap();
        assert_eq!(claimed.len(), 1);
        let row = &claimed[0];
        assert_eq!(
            (row.state, row.attempts, row.lease_until),
            (OutboxState::Claimed, 1, Some(now + lease))
        );
        assert_eq!(store.claim_due(now, 10, lease, "w2").await.unwrap(), vec![]);
        // The lease runs out: another worker takes it over, and the first can no longer finish.
        let later = now + Duration::minutes(6);
        let again = store.claim_due(later, 1, lease, "w2").await.unwrap();
        assert_eq!((again[0].id, again[0].attempts), (row.id, 2));
        assert!(matches!(
            store.complete(row.id, 1, Some(42)).await,
            Err(StoreError::StaleClaim { .. })
        ));
        assert!(matches!(
            store.heartbeat(row.id, 1, later).await,
            Err(StoreError::StaleClaim { .. })
        ));
        store.heartbeat(row.id, 2, later + Duration::minutes(10)).await.unwrap();
        store.complete(row.id, 2, Some(42)).await.unwrap();
        let sent = store
            .outbox_for_incident(a)
            .await
            .unwrap()
            .into_iter()
            .find(|n| n.id == row.id)
            .unwrap();
        assert_eq!((sent.state, sent.message_id), (OutboxState::Sent, Some(42)));

        // Retry later, then give up for good.
        let second = store
            .claim_due(t0() + Duration::hours(2), 10, lease, "w1")
            .await
            .unwrap();
        assert_eq!(second.len(), 1);
        let retry_at = t0() + Duration::hours(3);
        store
            .fail(second[0].id, 1, "discord 503", Some(retry_at))
            .await
            .unwrap();
        assert_eq!(
            store
                .claim_due(t0() + Duration::hours(2), 10, lease, "w1")
                .await
                .unwrap(),
            vec![]
        );
        let third = store.claim_due(retry_at, 10, lease, "w1").await.unwrap();
        assert_eq!(third[0].attempts, 2);
        store.fail(third[0].id, 2, "channel deleted", None).await.unwrap();
        let rows = store.outbox_for_incident(a).await.unwrap();
        assert_eq!(rows[1].state, OutboxState::Failed);
        assert_eq!(rows[1].last_error.as_deref(), Some("channel deleted"));
        assert_eq!(store.cancel_for_incident(a).await.unwrap(), 0);
    }

    // Several senders (or instances) never take the same row.
    pub async fn concurrent_claims_never_share_a_row(store: Store, _url: String) {
        let rows: Vec<_> = (0..60)
            .map(|i| NewNotification {
                due_at: t0(),
                kind: intakebot::core::outbox::OutboxKind::Breach,
                target: intakebot::core::outbox::OutboxTarget::Managers,
                nonce: Nonce::new(format!("n{i}")).unwrap(),
            })
            .collect();
        store.enqueue(None, &rows).await.unwrap();
        let workers: Vec<_> = (0..4)
            .map(|w| {
                let store = store.clone();
                tokio::spawn(async move {
                    let mut mine = vec![];
                    loop {
                        let got = store
                            .claim_due(t0(), 4, Duration::minutes(5), &format!("w{w}"))
                            .await
                            .unwrap();
                        if got.is_empty() {
                            return mine;
                        }
                        mine.extend(got.into_iter().map(|n| n.id));
                    }
                })
            })
            .collect();
        let mut all = vec![];
        for w in workers {
            all.extend(w.await.unwrap());
        }
        let unique: HashSet<_> = all.iter().collect();
        assert_eq!((all.len(), unique.len()), (60, 60));
    }

    pub async fn discord_ids_are_stored(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        let a = open(&store, &s, "a").await;
        let ids = DiscordIds {
            channel: Some(1_234_567_890_123_456_789),
            thread: Some(u64::MAX),
            message: None,
        };
        store.set_discord_ids(a, &ids).await.unwrap();
        store
            .set_discord_ids(
                a,
                &DiscordIds {
                    message: Some(7),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let got = store.incident(a).await.unwrap().unwrap().discord;
        assert_eq!(
            got,
            DiscordIds {
                message: Some(7),
                ..ids
            }
        );
        assert!(store.set_discord_ids(IncidentNumber(999), &got).await.is_err());
    }

    pub async fn newer_schema_is_refused_untouched(store: Store, url: String) {
        let future = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                      VALUES (99990101000000, 'from the future', TRUE, $1, 0)";
        let tables = match &store {
            Store::Sqlite(s) => {
                sqlx::query(future).bind(vec![0u8; 4]).execute(s.pool()).await.unwrap();
                "SELECT COUNT(*) FROM sqlite_master"
            }
            Store::Postgres(s) => {
                sqlx::query(future).bind(vec![0u8; 4]).execute(s.pool()).await.unwrap();
                "SELECT COUNT(*) FROM pg_class"
            }
        };
        let count = |store: &Store| {
            let store = store.clone();
            async move {
                match &store {
                    Store::Sqlite(s) => sqlx::query_scalar::<_, i64>(tables).fetch_one(s.pool()).await.unwrap(),
                    Store::Postgres(s) => sqlx::query_scalar::<_, i64>(tables).fetch_one(s.pool()).await.unwrap(),
                }
            }
        };
        let before = count(&store).await;
        let err = Store::connect(&url).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::SchemaTooNew {
                    found: 99990101000000,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("newer than this binary"), "{err}");
        assert_eq!(count(&store).await, before);
        let removed = "DELETE FROM _sqlx_migrations WHERE version = 99990101000000";
        match &store {
            Store::Sqlite(s) => sqlx::query(removed).execute(s.pool()).await.map(|_| ()).unwrap(),
            Store::Postgres(s) => sqlx::query(removed).execute(s.pool()).await.map(|_| ()).unwrap(),
        }
    }

    /// Incidents get a parent or a thread after they are opened, so those indexes hold only the
    /// incidents that have one (an open writes two index entries fewer); the lookups still use them.
    pub async fn partial_indexes_serve_their_lookups(store: Store, _url: String) {
        let lookups = [
            ("SELECT id FROM incidents WHERE parent = $1", "incidents_by_parent"),
            (
                "SELECT id FROM incidents WHERE discord_thread_id = $1",
                "incidents_by_thread",
            ),
        ];
        for (query, index) in lookups {
            let plan = match &store {
                Store::Sqlite(s) => {
                    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!("EXPLAIN QUERY PLAN {query}"))
                        .bind("1")
                        .fetch_all(s.pool())
                        .await
                        .unwrap();
                    rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n")
                }
                Store::Postgres(s) => {
                    // The tables are tiny: forbid the sequential scan so the plan shows what the
                    // planner can use, not what is cheapest on ten rows.
                    let mut tx = s.pool().begin().await.unwrap();
                    sqlx::query("SET LOCAL enable_seqscan = off")
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    let typed = query.replace("$1", if index == "incidents_by_parent" { "1" } else { "'1'" });
                    let rows: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {typed}"))
                        .fetch_all(&mut *tx)
                        .await
                        .unwrap();
                    rows.join("\n")
                }
            };
            assert!(plan.contains(index), "{query} does not use {index}:\n{plan}");
        }
    }

    /// The schema itself refuses what the code never writes: each value outside its column's
    /// rule fails as a check violation (PostgreSQL keeps the one-column rules as domains,
    /// migration 0004), and the same statement with an allowed value goes through.
    pub async fn the_schema_refuses_impossible_values(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        let number = open(&store, &s, "a").await.0;
        let (pack, account) = (pack_id(&s), s.requester.as_str().to_string());
        let long_nonce = "n".repeat(26);
        let ledger_row = "INSERT INTO ledger (entitlement, kind, delta, actor, incident, reason, at) \
                          VALUES ($1, $2, $3, 'system', NULL, 'schema test', $4)";
        // (statement, refused value, allowed value)
        let cases: Vec<(&str, &str, &str)> = vec![
            ("UPDATE incidents SET severity = $1 WHERE id = $2", "D", "A"),
            ("UPDATE incidents SET coverage = $1 WHERE id = $2", "weekends", "24x7"),
            (
                "UPDATE incidents SET state = $1 WHERE id = $2",
                "paused",
                "acknowledged",
            ),
            // A closed incident needs an outcome (a check over two columns).
            ("UPDATE incidents SET state = $1 WHERE id = $2", "closed", "open"),
            ("UPDATE incidents SET refund = $1 WHERE id = $2", "maybe", "keep"),
            (
                "UPDATE incidents SET state = 'closed', outcome = $1 WHERE id = $2",
                "lost",
                "resolved",
            ),
            ("UPDATE outbox SET state = $1 WHERE incident = $2", "lost", "cancelled"),
            (
                "UPDATE outbox SET nonce = $1 WHERE incident = $2 AND id = (SELECT MIN(id) FROM outbox)",
                "",
                "n1",
            ),
            (
                "UPDATE outbox SET nonce = $1 WHERE incident = $2 AND id = (SELECT MIN(id) FROM outbox)",
                &long_nonce,
                "n2",
            ),
        ];
        macro_rules! on {
            ($pool:expr) => {{
                for (sql, refused, allowed) in &cases {
                    let err = sqlx::query(sql)
                        .bind(*refused)
                        .bind(number)
                        .execute($pool)
                        .await
                        .unwrap_err();
                    assert_check_violation(&err, sql, refused);
                    let done = sqlx::query(sql)
                        .bind(*allowed)
                        .bind(number)
                        .execute($pool)
                        .await
                        .unwrap();
                    assert!(done.rows_affected() > 0, "{sql} with {allowed:?} changed nothing");
                }
                let accounts = [
                    ("UPDATE accounts SET role = $1 WHERE id = $2", "admin", "manager"),
                    (
                        "UPDATE accounts SET sign_in = $1 WHERE id = $2",
                        "sso",
                        "personal",
                    ),
                ];
                for (sql, refused, allowed) in accounts {
                    let err = sqlx::query(sql)
                        .bind(refused)
                        .bind(&account)
                        .execute($pool)
                        .await
                        .unwrap_err();
                    assert_check_violation(&err, sql, refused);
                    sqlx::query(sql)
                        .bind(allowed)
                        .bind(&account)
                        .execute($pool)
                        .await
                        .unwrap();
                }
                for column in ["units_left", "units_granted"] {
                    let sql = format!("UPDATE entitlements SET {column} = $1 WHERE id = $2");
                    let err = sqlx::query(&sql)
                        .bind(-1_i64)
                        .bind(pack)
                        .execute($pool)
                        .await
                        .unwrap_err();
                    assert_check_violation(&err, &sql, "-1");
                    // The value it has is allowed (another would break the ledger's sum).
                    let now: i64 = sqlx::query_scalar(&format!("SELECT {column} FROM entitlements WHERE id = $1"))
                        .bind(pack)
                        .fetch_one($pool)
                        .await
                        .unwrap();
                    let done = sqlx::query(&sql)
                        .bind(now)
                        .bind(pack)
                        .execute($pool)
                        .await
                        .unwrap();
                    assert_eq!(done.rows_affected(), 1, "{sql} with {now}");
                }
                // (kind, delta): an unknown kind, and a known kind with a delta it cannot have.
                for (kind, delta) in [
                    ("gift", 1_i64),
                    ("consume", -2),
                    ("refund", 2),
                    ("grant", -1),
                    ("transfer", 3),
                ] {
                    let err = sqlx::query(ledger_row)
                        .bind(pack)
                        .bind(kind)
                        .bind(delta)
                        .bind(t0())
                        .execute($pool)
                        .await;
                    let refused = format!("{kind} {delta}");
                    assert_check_violation(&err.unwrap_err(), ledger_row, &refused);
                }
                // An allowed row goes through (a transfer moves no unit, so the ledger still adds up).
                sqlx::query(ledger_row)
                    .bind(pack)
                    .bind("transfer")
                    .bind(0_i64)
                    .bind(t0())
                    .execute($pool)
                    .await
                    .unwrap();
            }};
        }
        match &store {
            Store::Sqlite(s) => on!(s.pool()),
            Store::Postgres(s) => on!(s.pool()),
        }
    }
}

/// `err` is the database refusing a value by a CHECK rule (a table's or a domain's).
fn assert_check_violation(err: &sqlx::Error, sql: &str, value: &str) {
    let kind = err.as_database_error().map(|e| e.kind());
    assert!(
        matches!(kind, Some(sqlx::error::ErrorKind::CheckViolation)),
        "{sql} with {value:?}: expected a check violation, got {err}"
    );
}

fn pack_id(s: &Seed) -> i64 {
    s.pack.id.0
}

/// The broken consumption: read units left, then write `read - 1` (no condition, no transaction).
async fn broken_consume(store: &Store, pack: i64) -> bool {
    macro_rules! on {
        ($pool:expr) => {{
            let left: i64 = sqlx::query_scalar("SELECT units_left FROM entitlements WHERE id = $1")
                .bind(pack)
                .fetch_one($pool)
                .await
                .unwrap();
            if left <= 0 {
                return false;
            }
            tokio::task::yield_now().await;
            sqlx::query("UPDATE entitlements SET units_left = $1 WHERE id = $2")
                .bind(left - 1)
                .bind(pack)
                .execute($pool)
                .await
                .unwrap();
            sqlx::query("INSERT INTO ledger (entitlement, kind, delta, actor, reason, at) VALUES ($1, 'consume', -1, 'system', 'broken', $2)")
                .bind(pack)
                .bind(t0())
                .execute($pool)
                .await
                .unwrap();
            true
        }};
    }
    match store {
        Store::Sqlite(s) => on!(s.pool()),
        Store::Postgres(s) => on!(s.pool()),
    }
}

/// Brings units left back in line with the ledger after the broken variant (the grant is the fix).
async fn repair(store: &Store, pack: i64) {
    let b = store
        .check_ledger(intakebot::core::ids::EntitlementId(pack))
        .await
        .unwrap();
    let fix = "UPDATE entitlements SET units_left = $1 WHERE id = $2";
    let want = b.granted - b.consumed + b.refunded - b.expired;
    let want = want.max(0);
    match store {
        Store::Sqlite(s) => sqlx::query(fix)
            .bind(want)
            .bind(pack)
            .execute(s.pool())
            .await
            .map(|_| ())
            .unwrap(),
        Store::Postgres(s) => sqlx::query(fix)
            .bind(want)
            .bind(pack)
            .execute(s.pool())
            .await
            .map(|_| ())
            .unwrap(),
    }
    if want == 0 && b.granted - b.consumed + b.refunded - b.expired < 0 {
        let extra = -(b.granted - b.consumed + b.refunded - b.expired);
        let grant = "INSERT INTO ledger (entitlement, kind, delta, actor, reason, at) VALUES ($1, 'grant', $2, 'system', 'repair after broken test', $3)";
        match store {
            Store::Sqlite(s) => sqlx::query(grant)
                .bind(pack)
                .bind(extra)
                .bind(t0())
                .execute(s.pool())
                .await
                .map(|_| ())
                .unwrap(),
            Store::Postgres(s) => sqlx::query(grant)
                .bind(pack)
                .bind(extra)
                .bind(t0())
                .execute(s.pool())
                .await
                .map(|_| ())
                .unwrap(),
        }
    }
}
