//! Organisations are tenants: a request by a member of one organisation in another's intake
//! channel is answered privately, opens nothing there (nor anywhere), and points to the
//! member's own channel. Through the app, as every front end reaches it.

use chrono::{TimeZone, Utc};
use intakebot::app::reply::{Audience, Content, Reply};
use intakebot::app::request::{Actor, Command, OpenCommand, Place, Request};
use intakebot::app::App;
use intakebot::core::ids::{AccountId, OrgId};
use intakebot::core::severity::Severity;
use intakebot::store::{SourceId, Store};

/// The shipped config: Contoso's customers have role …200 and intake channel …020; Fabrikam's
/// have …201 and …021.
const CONTOSO_ROLE: u64 = 1_100_000_000_000_000_200;
const CONTOSO_INTAKE: u64 = 1_100_000_000_000_000_020;
const FABRIKAM_INTAKE: u64 = 1_100_000_000_000_000_021;

fn in_fabrikams_channel(command: Command, source: &str) -> Request {
    Request {
        actor: Actor {
            account: AccountId::new("4242"),
            name: "carla".into(),
            roles: vec![CONTOSO_ROLE],
            locale: None,
        },
        place: Place {
            guild: Some(1_100_000_000_000_000_001),
            channel: FABRIKAM_INTAKE,
        },
        source: SourceId(source.into()),
        at: Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap(),
        command,
    }
}

fn assert_private_pointer(replies: &[Reply]) {
    assert!(!replies.is_empty(), "silence");
    for reply in replies {
        assert_eq!(reply.audience, Audience::Private, "{replies:#?}");
    }
    let Content::Message(message) = &replies[0].content else {
        panic!("{replies:#?}")
    };
    let shown = format!("{:?}", message.text);
    assert!(
        shown.contains(&CONTOSO_INTAKE.to_string()),
        "points to the member's own channel: {shown}"
    );
    // In the member's language: Contoso reads Norwegian.
    assert!(message.text.words().contains("ingenting ble åpnet"), "{shown}");
}

#[tokio::test]
async fn a_request_in_another_organisations_channel_is_answered_privately_and_opens_nothing() {
    let store = Store::connect("sqlite::memory:").await.unwrap();
    let app = App::new(std::sync::Arc::new(crate::helpers::sched::config()), store.clone());
    let by_message = app
        .handle(in_fabrikams_channel(
            Command::Message {
                text: "Sev B: our SQL Server 2022 backups fail every night".into(),
                addressed: false,
            },
            "m1",
        ))
        .await;
    assert_private_pointer(&by_message);
    let by_command = app
        .handle(in_fabrikams_channel(
            Command::Open(OpenCommand {
                product: "SQL Server".into(),
                version: "2022".into(),
                severity: Some(Severity::B),
                coverage: None,
                on_call: None,
                plan: None,
                title: None,
                problem: Some("Backups fail".into()),
            }),
            "c1",
        ))
        .await;
    assert_private_pointer(&by_command);
    for org in ["contoso", "fabrikam"] {
        let opened = store.list_incidents(&OrgId::new(org), None).await.unwrap();
        assert!(opened.is_empty(), "{org}: {opened:#?}");
    }
}
