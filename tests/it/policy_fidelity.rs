//! Issue 17: what a customer, engineer and manager saw that the rulebook does not allow, each
//! replayed through the console's session (the same app as Discord, see `front_ends`) with the
//! demo's people: alice (Contoso, personal sign-in, owns the five-pack E1 and pay per incident
//! E3), bob (Contoso, work sign-in, owns the Gold 20-pack E2), frank (Fabrikam), erik (engineer),
//! mona (manager). Contoso reads Norwegian, staff English.

use crate::helpers::console::{lines_with, monday, Console};
use chrono::{TimeZone, Utc};

// A plan the member names is used or refused with its reason, never swapped for another pack.
#[tokio::test]
async fn p_plan_5_a_named_plan_is_refused_with_its_reason_and_never_swapped() {
    let mut c = Console::start(monday()).await;
    let printed = c
        .run(
            r#":as bob
            /incident open product:"SQL Server" version:2022 severity:B plan:pay-per-incident problem:"Backups fail"
            /pack balance"#,
        )
        .await;
    assert!(
        printed.contains(
            "Betal per hendelse (E3): denne støtteplanen kan ikke kjøpes med Microsoft Entra-pålogging (jobbkonto)"
        ),
        "the named plan's own reason (P-PLAN-5):\n{printed}"
    );
    assert!(
        printed.contains("Disse støtteplanene kan brukes")
            && printed.contains("Partnerstøtte Gold 20-pakke (E2) · 20 hendelser igjen"),
        "the refusal names what would work, with units left:\n{printed}"
    );
    assert!(!printed.contains("INC-000001"), "nothing opened:\n{printed}");
    assert!(
        printed.contains("Partnerstøtte Gold 20-pakke (E2): 20 hendelser igjen"),
        "nothing charged:\n{printed}"
    );
}

// A clear severity-A message opens at once on business hours (the coverage that needs no
// commitment), says so, and offers 24x7, which asks for the on-call contact first.
#[tokio::test]
async fn p_sev_4_p_sev_5_a_clear_sev_a_message_opens_on_business_hours_and_offers_24x7() {
    // Monday 17:30 in Oslo: after business hours, so the two clocks give different deadlines.
    let mut c = Console::start(Utc.with_ymd_and_hms(2027, 3, 1, 16, 30, 0).unwrap()).await;
    let printed = c.run("Sev A: our SQL Server 2022 cluster is down").await;
    assert!(printed.contains("Åpnet INC-000001"), "opened at once:\n{printed}");
    assert!(printed.contains("Dekning: arbeidstid"), "{printed}");
    assert!(
        printed.contains("Den følger arbeidstiden") && printed.contains("(P-SEV-4, P-SEV-5)"),
        "says which coverage and why:\n{printed}"
    );
    assert!(
        printed.contains("Frist for første svar: 02.03.2027"),
        "business hours: tomorrow:\n{printed}"
    );
    let form = c.press(&printed, "Bytt til døgnet rundt (24/7)").await;
    assert!(
        form.contains("Vaktkontakt hele døgnet"),
        "asks for the on-call contact:\n{form}"
    );
    let switched = c.run(r#":submit on_call:"Kari, +47 99 99 99 99""#).await;
    assert!(
        switched.contains("INC-000001 følges nå opp døgnet rundt (24/7), frist for første svar 01.03.2027 19:30 CET")
            && switched.contains("Vaktkontakt: Kari, +47 99 99 99 99"),
        "24x7 from the open, with the contact:\n{switched}"
    );
}

// P-SEV-6: an unacknowledged incident escalates along a bounded ladder (three steps in the
// shipped config), then appears once a day in the managers' digest, not in a ping per hour.
#[tokio::test]
async fn p_sev_6_escalations_follow_a_bounded_ladder_then_a_daily_digest() {
    let mut c = Console::start(monday()).await;
    c.run("Sev A: our SQL Server 2022 cluster is down").await;
    let printed = c.run(":as mona\n:advance 3d").await;
    let managers: Vec<&str> = lines_with(&printed, "#managers] bot:");
    let escalations = managers.iter().filter(|l| l.contains("Escalation")).count();
    assert_eq!(escalations, 3, "{printed}");
    let digests = lines_with(&printed, "📋 Still waiting for a first response past the deadline (1)");
    assert_eq!(digests.len(), 3, "one digest a day:\n{printed}");
    assert!(
        lines_with(&printed, "- INC-000001").len() == 3,
        "the incident is in each digest:\n{printed}"
    );
    // Acknowledged, it leaves the digest: no more posts about it.
    let after = c.run(":as erik\n/incident ack incident:INC-000001\n:advance 2d").await;
    assert!(!after.contains("📋"), "{after}");
}

// A manager's "Take over" on the breach alert assigns the incident and stops its ladder.
#[tokio::test]
async fn p_sev_6_take_over_stops_the_escalations() {
    let mut c = Console::start(monday()).await;
    c.run("Sev A: our SQL Server 2022 cluster is down").await;
    let breach = c.run(":as mona\n:advance 2h").await;
    assert!(
        breach.contains("First-response deadline missed: INC-000001"),
        "{breach}"
    );
    let taken = c.press(&breach, "Take over").await;
    assert!(
        taken.contains("INC-000001") && taken.contains("mona"),
        "says who took it:\n{taken}"
    );
    let later = c.run(":advance 1d").await;
    assert!(!later.contains("Escalation"), "the ladder stopped:\n{later}");
    let digest = lines_with(&later, "- INC-000001");
    assert_eq!(digest.len(), 1, "{later}");
    assert!(digest[0].contains("taken over by"), "{later}");
}

// P-PLAN-3/P-PLAN-4: a five-pack someone else bought is refused for ownership, naming the owner
// and the transfer; the exact message of P-N1-3 is kept for product eligibility.
#[tokio::test]
async fn p_plan_3_p_plan_4_ownership_names_the_owner_and_the_transfer_p_n1_3_is_for_eligibility() {
    let mut c = Console::start(monday()).await;
    let printed = c.run(":as bob\nSev A: our SQL Server 2019 cluster is down").await;
    let e1 = lines_with(&printed, "Fempakning for profesjonell støtte (E1)");
    assert_eq!(e1.len(), 1, "{printed}");
    assert!(
        e1[0].contains("(P-PLAN-3)")
            && e1[0].contains("den tilhører @alice")
            && e1[0].contains("/pakke overfør")
            && e1[0].contains("(P-PLAN-4)"),
        "{printed}"
    );
    let unavailable = c.run(":unavailable").await;
    let n13 = "Støtteplan kan ikke brukes til støtte på det angitte produktet";
    let e2 = lines_with(&unavailable, "Partnerstøtte Gold 20-pakke (E2)");
    assert!(
        e2.iter().any(|l| l.contains(n13) && l.contains("P-N1-3")),
        "eligibility: {unavailable}"
    );
    let e1 = lines_with(&unavailable, "(E1)");
    assert!(
        e1.iter().all(|l| !l.contains(n13)),
        "ownership is not eligibility:\n{unavailable}"
    );
}

// P-LIFE-4: a refusal points only to plans that can serve the product: pay per incident for a
// version in extended support (P-LIFE-2), nothing for a version out of lifecycle.
#[tokio::test]
async fn p_life_4_a_refusal_points_only_to_plans_available_for_the_product() {
    let mut c = Console::start(monday()).await;
    let extended = c.run(":as bob\nSev B: SQL Server 2019 backups fail").await;
    assert!(extended.contains("Hvor du kan få hjelp i stedet"), "{extended}");
    let gone = c
        .run(r#"/incident open product:"SQL Server" version:2016 severity:B problem:"Old box""#)
        .await;
    assert!(gone.contains("(P-LIFE-4)"), "{gone}");
    assert!(
        !gone.contains("Hvor du kan få hjelp i stedet"),
        "no pointer for a version out of lifecycle:\n{gone}"
    );
}

// Titles are cut at a safe boundary: never inside a mention or a markdown pair, with an ellipsis.
#[tokio::test]
async fn titles_are_cut_between_words_never_inside_a_mention() {
    let mut c = Console::start(monday()).await;
    let title = format!("{} **urgent** <@123456789012345678> please", "word ".repeat(17));
    let printed = c
        .run(&format!(
            r#"/incident open product:"SQL Server" version:2022 severity:B title:"{title}" problem:"x""#
        ))
        .await;
    let card = lines_with(&printed, "┌ INC-000001 · ");
    assert_eq!(card.len(), 1, "{printed}");
    assert!(card[0].ends_with('…'), "{printed}");
    assert!(!card[0].contains("<@1234"), "{printed}");
    assert_eq!(card[0].matches("**").count() % 2, 0, "{printed}");
}

// Lists: "waiting" is what waits for a first response; "open" is every incident not closed.
#[tokio::test]
async fn incident_lists_name_waiting_and_open_apart() {
    let mut c = Console::start(monday()).await;
    c.run(
        r#"/incident open product:"SQL Server" version:2022 severity:B problem:"Backups fail"
        /incident open product:"SQL Server" version:2022 severity:C problem:"Slow report""#,
    )
    .await;
    let printed = c
        .run(":as erik\n/incident ack incident:INC-000001\n/incident list which:open")
        .await;
    assert!(
        printed.contains("INC-000001") && printed.contains("INC-000002"),
        "{printed}"
    );
    let waiting = c.run("/incident list which:waiting").await;
    assert!(waiting.contains("Waiting for a first response"), "{waiting}");
    assert!(
        waiting.contains("INC-000002") && !lines_with(&waiting, "· Sev").iter().any(|l| l.contains("INC-000001")),
        "{waiting}"
    );
}

// A manager's balance without an organisation lists every organisation's packs.
#[tokio::test]
async fn a_managers_balance_lists_every_organisation() {
    let mut c = Console::start(monday()).await;
    let printed = c.run(":as mona\n/pack balance").await;
    assert!(
        printed.contains("Contoso AS") && printed.contains("Fabrikam Inc."),
        "{printed}"
    );
    let one = c.run("/pack balance organisation:fabrikam").await;
    assert!(one.contains("Fabrikam Inc.") && !one.contains("Contoso AS"), "{one}");
}

// P-PLAN-2: the expiry notice is labelled with the organisation's channel, as a person reads it.
#[tokio::test]
async fn p_plan_2_expiry_notices_show_the_channel_by_name() {
    let mut c = Console::start(monday()).await;
    let printed = c.run(":advance to 2028-01-29T12:00").await;
    let expiry = lines_with(&printed, "E1");
    assert!(!expiry.is_empty(), "an expiry notice for the five-pack:\n{printed}");
    assert!(expiry.iter().all(|l| l.contains("#contoso-intake")), "{printed}");
    let raw_id = regex::Regex::new(r"#\d{6,}").unwrap();
    assert!(
        !raw_id.is_match(&printed),
        "a channel id instead of its name:\n{printed}"
    );
}
