//! Read marks (where reading resumes after downtime) and the threads a catch-up reads, run on
//! SQLite and PostgreSQL like the rest of the store contract.

use crate::helpers::db::*;
use crate::store_contract::contract;
use intakebot::core::incident::IncidentState;
use intakebot::store::*;

contract!(
    a_read_mark_only_moves_forward,
    only_threads_waiting_for_a_response_are_read
);

fn mark(channel: u64, last_message: u64) -> ReadMark {
    ReadMark { channel, last_message }
}

mod cases {
    use super::*;

    pub async fn a_read_mark_only_moves_forward(store: Store, _url: String) {
        // Snowflakes past 2^53 and near 2^63: compared as integers, not text or floats.
        let (a, b) = (1_250_000_000_000_000_001, 1_250_000_000_000_000_002);
        assert_eq!(store.read_mark(a).await.unwrap(), None, "never read");

        assert!(store.advance_mark(mark(a, 9_000_000_000_000_000_010)).await.unwrap());
        assert!(
            !store.advance_mark(mark(a, 999_999_999_999_999_999)).await.unwrap(),
            "older"
        );
        assert!(
            !store.advance_mark(mark(a, 9_000_000_000_000_000_010)).await.unwrap(),
            "same"
        );
        assert!(store.advance_mark(mark(a, 9_000_000_000_000_000_011)).await.unwrap());
        store.advance_mark(mark(b, 5)).await.unwrap();

        assert_eq!(store.read_mark(a).await.unwrap(), Some(9_000_000_000_000_000_011));
        assert_eq!(store.read_mark(b).await.unwrap(), Some(5), "each channel its own mark");
        assert!(matches!(
            store.advance_mark(mark(a, u64::MAX)).await,
            Err(StoreError::SnowflakeOutOfRange(u64::MAX))
        ));
        assert_eq!(store.read_mark(a).await.unwrap(), Some(9_000_000_000_000_000_011));
    }

    pub async fn only_threads_waiting_for_a_response_are_read(store: Store, _url: String) {
        let s = seed(&store, "contoso", 5).await;
        let mut threads = Vec::new();
        for (k, source) in ["waiting", "answered", "closed", "no-thread"].iter().enumerate() {
            let number = store
                .open_incident(&request(&s, source, s.pack.id))
                .await
                .unwrap()
                .incident()
                .number;
            if *source != "no-thread" {
                let thread = 1_250_000_000_000_000_100 + k as u64;
                let ids = DiscordIds {
                    thread: Some(thread),
                    ..Default::default()
                };
                store.set_discord_ids(number, &ids).await.unwrap();
                threads.push(thread);
            }
            match *source {
                "answered" => move_from_open(&store, &s, number, IncidentState::Acknowledged, t0()).await,
                "closed" => {
                    let closed = IncidentState::Closed {
                        outcome: intakebot::core::incident::Outcome::Unresolved,
                        refund: None,
                    };
                    move_from_open(&store, &s, number, closed, t0()).await
                }
                _ => {}
            }
        }

        assert_eq!(store.threads_awaiting_response().await.unwrap(), vec![threads[0]]);
    }
}
