//! Issue 18: a Norwegian organisation's whole conversation reads in Norwegian, in the seed's
//! words (`GLOSSARY.md`): open by command and by message, the thread card, reminders and the
//! breach in its thread, an engineer's acknowledgement and resolve, the customer's close,
//! refusals, `/plans`, `/faq`, errors and forms. Everything the bot posts where Contoso reads
//! (its intake channel, its incidents' threads) is checked; what the members typed is not.

use crate::helpers::console::{monday, Console};

/// The bot's posts in printed console output, with the place each went to.
fn posts(printed: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in printed.lines() {
        if let Some(rest) = line.strip_prefix('[') {
            let Some((head, text)) = rest.split_once("] bot: ") else {
                continue;
            };
            let place = head.split_whitespace().nth(2).unwrap_or_default().to_string();
            out.push((place, text.to_string()));
        } else if line.starts_with("    ") || line.starts_with("       ") {
            if let Some(last) = out.last_mut() {
                last.1.push('\n');
                last.1.push_str(line.trim());
            }
        } else if let Some(error) = line.strip_prefix("  ! ") {
            out.push(("console".to_string(), error.to_string()));
        }
    }
    out
}

/// What the members typed, echoed in cards and notices: not the bot's words.
const TYPED: &[&str] = &[
    "Sikkerhetskopien av SQL Server 2022 feiler hver natt",
    "Klyngen er nede",
    "Delte disken var full; ryddet og jobben gikk i natt",
    "SQL Server",
    "Exchange Server",
    "Windows Server",
    "Kari Nordmann",
    "(:press N)",
];

fn norwegian_problems(printed: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (place, text) in posts(printed) {
        if !(place.starts_with("#contoso") || place.starts_with("INC-")) {
            continue;
        }
        let mut bot_words = text.clone();
        for typed in TYPED {
            bot_words = bot_words.replace(typed, " ");
        }
        for problem in intakebot_testkit::glossary::problems(&bot_words) {
            found.push(format!("{place}: {problem}\n    in: {text}"));
        }
    }
    found
}

#[tokio::test]
async fn a_norwegian_organisations_whole_conversation_reads_in_norwegian() {
    let mut c = Console::start(monday()).await;
    let mut printed = c
        .run(
            r#"/incident open product:"SQL Server" version:2022 severity:B problem:"Sikkerhetskopien av SQL Server 2022 feiler hver natt"
            Alvorlighetsgrad A: SQL Server 2022 er nede. Klyngen er nede"#,
        )
        .await;
    printed += &c.press(&printed, "Bytt til døgnet rundt (24/7)").await;
    printed += &c.run(r#":submit on_call:"Kari Nordmann""#).await;
    printed += &c
        .run(
            r#"/plans product:"SQL Server" version:2019
            :unavailable
            /plans product:"SQL Server" version:2016
            /faq
            /incident open product:"SQL Server" version:1999 severity:B problem:"x"
            /incident status incident:INC-000777
            /incident close incident:INC-000001
            /pack balance
            Hvordan betaler jeg med kort?
            kan dere komme på stedet?"#,
        )
        .await;
    printed += &c.run(":advance 5h").await;
    printed += &c
        .run(
            r#":as erik
            :thread INC-000002
            Ser på det nå
            :thread
            /incident resolve incident:INC-000001 solution:"Delte disken var full; ryddet og jobben gikk i natt"
            :as alice
            /incident close incident:INC-000002"#,
        )
        .await;
    let found = norwegian_problems(&printed);
    assert!(found.is_empty(), "{}\n\ntranscript:\n{printed}", found.join("\n"));
    // The checks above only count if the bot spoke: each part of the conversation is here.
    for expected in [
        "Åpnet INC-000001",
        "Åpnet INC-000002",
        "Vaktkontakt hele døgnet",
        "følges nå opp døgnet rundt (24/7)",
        "frist for første svar",
        "Frist for første svar brutt",
        "Vis utilgjengelige støtteplaner",
    ] {
        assert!(printed.contains(expected), "{expected:?} missing:\n{printed}");
    }
}
