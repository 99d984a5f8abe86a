//! End to end: `/report sla` through serenity and the local Discord server. A manager gets the
//! summary as an embed with the chart (PNG) and the figures (CSV) attached, privately; a
//! customer and an engineer are refused in their language; organisations autocomplete.

use crate::helpers::bot::{customer, engineer, manager, snowflake, spawn_bot, text_of};
use intakebot_testkit::builders::{self, option_int, option_str};
use intakebot_testkit::MemberSpec;
use serde_json::Value;

const THIS_WEEK: i64 = 0;

#[tokio::test]
async fn a_manager_gets_the_report_with_its_chart_and_csv() {
    let bot = spawn_bot().await;
    bot.open_sample().await;
    let ask = bot.command(
        "report",
        Some("sla"),
        vec![option_int("period", THIS_WEEK), option_str("organisation", "contoso")],
        &manager(),
        "en-US",
        bot.ids.managers,
    );
    let answer = bot.responses(&ask, 1).await;
    let data = &answer[0].body["data"];
    assert_eq!(data["flags"], 64, "private");
    let title = data["embeds"][0]["title"].as_str().unwrap_or_default();
    assert!(title.starts_with("SLA report, first responses"), "{title}");
    assert!(title.ends_with("contoso"), "{title}");
    let fields: Vec<&str> = data["embeds"][0]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(fields[..4], ["Sev A", "Sev B", "Sev C", "All severities"], "{fields:?}");

    let message = bot.fake.original_response(snowflake(&ask)).expect("the answer");
    let files = message["attachments"].as_array().expect("attachments");
    let names: Vec<&str> = files.iter().map(|f| f["filename"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names[0].starts_with("sla-report-") && names[0].ends_with("-contoso.png"),
        "{names:?}"
    );
    assert!(names[1].ends_with("-contoso.csv"), "{names:?}");
    let png = bot.fake.attachment_data(id_of(&files[0])).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let csv = String::from_utf8(bot.fake.attachment_data(id_of(&files[1])).unwrap()).unwrap();
    let header = csv.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("organisation,severity,opened,met,breached,waiting,"),
        "{header}"
    );
    assert!(csv.contains("contoso,B,1,"), "the sample incident counted: {csv}");
    bot.stop().await;
}

fn id_of(file: &Value) -> u64 {
    file["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn customers_and_engineers_are_refused_in_their_language() {
    let bot = spawn_bot().await;
    for (who, locale, words) in [
        (customer(), "no", "Bare ledere kan se SLA-rapporten."),
        (engineer(), "en-US", "Only managers can see the SLA report."),
    ] {
        let ask = bot.command("report", Some("sla"), vec![], &who, locale, bot.ids.contoso_intake);
        let answer = bot.responses(&ask, 1).await;
        assert_eq!(answer[0].body["data"]["flags"], 64, "private");
        assert!(text_of(&answer).starts_with(words), "{}", text_of(&answer));
        let message = bot.fake.original_response(snowflake(&ask)).expect("the answer");
        assert!(
            message["attachments"].as_array().map_or(true, |a| a.is_empty()),
            "no files for {locale}: {message}"
        );
    }
    bot.stop().await;
}

#[tokio::test]
async fn organisations_autocomplete_for_staff_only() {
    let bot = spawn_bot().await;
    let suggest = |who: MemberSpec| {
        let option = builders::option_subcommand("sla", vec![builders::option_focused("organisation", "fab")]);
        let interaction = builders::interaction_autocomplete(bot.fake.scene(), "report", vec![option], &who, "en-US");
        bot.fake.dispatch("INTERACTION_CREATE", interaction.clone()).unwrap();
        interaction
    };
    let asked = suggest(manager());
    let answer = bot.responses(&asked, 1).await;
    let choices = answer[0].body["data"]["choices"].as_array().unwrap().clone();
    assert_eq!(choices.len(), 1, "{choices:?}");
    assert_eq!(choices[0]["value"], "fabrikam");
    let asked = suggest(customer());
    let answer = bot.responses(&asked, 1).await;
    assert_eq!(answer[0].body["data"]["choices"], serde_json::json!([]));
    bot.stop().await;
}
