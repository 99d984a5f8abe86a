//! The SLA report's store reads (`report_incidents`, `report_ledger`, `report_packs`), run on
//! SQLite and PostgreSQL like the rest of the store contract.

use crate::helpers::db::*;
use crate::store_contract::contract;
use chrono::{DateTime, Duration, Utc};
use intakebot::core::ids::{IncidentNumber, OrgId};
use intakebot::core::incident::{IncidentState, Outcome};
use intakebot::store::*;

contract!(report_reads_take_the_period_and_the_still_unanswered);

/// Opens `source` for `seed` at `at` and returns its number.
async fn open_at(store: &Store, seed: &Seed, source: &str, at: DateTime<Utc>) -> IncidentNumber {
    let mut n = request(seed, source, seed.pack.id);
    n.opened_at = at;
    n.first_response_due = at + Duration::hours(4);
    n.notifications.clear();
    store.open_incident(&n).await.unwrap().incident().number
}

mod cases {
    use super::*;

    pub async fn report_reads_take_the_period_and_the_still_unanswered(store: Store, _url: String) {
        let (c, f) = (seed(&store, "contoso", 10).await, seed(&store, "fabrikam", 5).await);
        let (from, to) = (t0(), t0() + Duration::days(7));
        let early = from - Duration::days(20);
        let answered_early = open_at(&store, &c, "answered-early", early).await;
        move_from_open(
            &store,
            &c,
            answered_early,
            IncidentState::Acknowledged,
            early + Duration::hours(1),
        )
        .await;
        let closed_early = open_at(&store, &c, "closed-early", early).await;
        let customer_closed = IncidentState::Closed {
            outcome: Outcome::CustomerClosed,
            refund: None,
        };
        move_from_open(&store, &c, closed_early, customer_closed, early + Duration::hours(1)).await;
        let still_open = open_at(&store, &c, "still-open", early).await;
        let answered_in_period = open_at(&store, &c, "answered-in-period", early).await;
        move_from_open(&store, &c, answered_in_period, IncidentState::Acknowledged, from).await;
        let inside = open_at(&store, &c, "inside", from).await;
        open_at(&store, &c, "after", to).await;
        let other_org = open_at(&store, &f, "other-org", from + Duration::hours(1)).await;

        let got = |org: Option<OrgId>| {
            let store = store.clone();
            async move {
                let list = store.report_incidents(from, to, org.as_ref()).await.unwrap();
                list.into_iter().map(|i| i.number).collect::<Vec<_>>()
            }
        };
        // Opened in [from, to), or before with neither answer nor close by `from`.
        assert_eq!(got(None).await, vec![still_open, answered_in_period, inside, other_org]);
        assert_eq!(
            got(Some(c.org.clone())).await,
            vec![still_open, answered_in_period, inside]
        );

        // Contoso's ledger before `to`: the grant and five consumes ("after" opens at `to`).
        let ledger = store.report_ledger(to, Some(&c.org)).await.unwrap();
        let kinds: Vec<(LedgerKind, i64)> = ledger.iter().map(|l| (l.kind, l.delta)).collect();
        let mut expected = vec![(LedgerKind::Grant, 10)];
        expected.extend([(LedgerKind::Consume, -1); 5]);
        assert_eq!(kinds, expected);
        assert!(ledger.iter().all(|l| l.entitlement == c.pack.id));
        assert_eq!(store.report_ledger(to, None).await.unwrap().len(), 6 + 2);

        let packs = |org: Option<OrgId>| {
            let store = store.clone();
            async move {
                store
                    .report_packs(org.as_ref())
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|p| p.id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(packs(Some(f.org.clone())).await, vec![f.pack.id]);
        assert_eq!(packs(None).await, vec![c.pack.id, f.pack.id]);
    }
}
