//! Slash-command options map into the same draft and the same missing-field rules
//! as chat text (issue 5), and bad option values are typed errors.

use crate::helpers::intake::Fixture;
use intakebot::core::intake::{
    CommandOptions, DiscordUserId, IncidentDraft, Interpretation, Language, MissingField, OptionError, SeverityFinding,
};
use intakebot::core::severity::{Coverage, Severity};

fn options() -> CommandOptions {
    CommandOptions {
        product: None,
        version: None,
        severity: None,
        coverage: None,
        on_call_contact: None,
        problem: None,
        language: Language::En,
    }
}

#[test]
fn complete_options_leave_nothing_missing() {
    let fx = Fixture::new();
    let opts = CommandOptions {
        product: Some("SQL Server".into()),
        version: Some("2019".into()),
        severity: Some(Severity::B),
        problem: Some("Agent jobs fail after patching".into()),
        ..options()
    };
    let d = IncidentDraft::from_options(&opts, &fx.products, &fx.catalog).unwrap();
    assert_eq!(d.product.as_deref(), Some("sql-server"));
    assert_eq!(d.version.as_deref(), Some("2019"));
    assert_eq!(d.severity, Some(SeverityFinding::Explicit(Severity::B)));
    assert!(d.missing.is_empty(), "{:?}", d.missing);
}

#[test]
fn product_option_goes_through_the_same_fuzzy_matcher() {
    let fx = Fixture::new();
    let opts = CommandOptions {
        product: Some("sql sever 2022".into()),
        ..options()
    };
    let d = IncidentDraft::from_options(&opts, &fx.products, &fx.catalog).unwrap();
    assert_eq!(
        (d.product.as_deref(), d.version.as_deref()),
        (Some("sql-server"), Some("2022"))
    );
}

#[test]
fn empty_options_miss_the_same_fields_as_empty_text() {
    let fx = Fixture::new();
    let d = IncidentDraft::from_options(&options(), &fx.products, &fx.catalog).unwrap();
    assert_eq!(
        d.missing,
        [
            MissingField::Severity,
            MissingField::Product,
            MissingField::ProblemStatement
        ]
    );
}

// P-SEV-4, P-SEV-5: severity A asks for coverage; 24x7 asks for an on-call contact.
#[test]
fn severity_a_asks_coverage_and_24x7_asks_a_contact_on_both_paths() {
    let fx = Fixture::new();
    let opts = CommandOptions {
        product: Some("Exchange Server".into()),
        version: Some("SE".into()),
        severity: Some(Severity::A),
        problem: Some("No mail flow at all since 8 o'clock".into()),
        ..options()
    };
    let d = IncidentDraft::from_options(&opts, &fx.products, &fx.catalog).unwrap();
    assert_eq!(d.missing, [MissingField::Coverage]);
    let d = IncidentDraft::from_options(
        &CommandOptions {
            coverage: Some(Coverage::TwentyFourSeven),
            ..opts.clone()
        },
        &fx.products,
        &fx.catalog,
    )
    .unwrap();
    assert_eq!(d.missing, [MissingField::OnCallContact]);
    let d = IncidentDraft::from_options(
        &CommandOptions {
            coverage: Some(Coverage::TwentyFourSeven),
            on_call_contact: Some(DiscordUserId(42)),
            ..opts
        },
        &fx.products,
        &fx.catalog,
    )
    .unwrap();
    assert!(d.missing.is_empty());

    let text = fx.read(
        "Sev A: Exchange SE has no mail flow at all, 24/7 please",
        Language::En,
        false,
    );
    let Interpretation::Request(chat) = text.interpretation else {
        panic!("not a request")
    };
    assert_eq!(chat.missing, [MissingField::OnCallContact]);
}

#[test]
fn chat_and_options_agree_on_the_same_request() {
    let fx = Fixture::new();
    let chat = fx.read(
        "sev b: Windows Server 2019 print spooler crashes hourly",
        Language::En,
        false,
    );
    let Interpretation::Request(chat) = chat.interpretation else {
        panic!("not a request")
    };
    let opts = CommandOptions {
        product: Some("windows server".into()),
        version: Some("2019".into()),
        severity: Some(Severity::B),
        problem: Some("sev b: Windows Server 2019 print spooler crashes hourly".into()),
        ..options()
    };
    let from_opts = IncidentDraft::from_options(&opts, &fx.products, &fx.catalog).unwrap();
    assert_eq!(chat, from_opts);
}

#[test]
fn cloud_products_need_no_version() {
    let fx = Fixture::new();
    let opts = CommandOptions {
        product: Some("Exchange Online".into()),
        severity: Some(Severity::C),
        problem: Some("Mailbox rules do not run".into()),
        ..options()
    };
    let d = IncidentDraft::from_options(&opts, &fx.products, &fx.catalog).unwrap();
    assert_eq!(d.version.as_deref(), Some("current"));
    assert!(d.missing.is_empty());
}

#[test]
fn unknown_product_or_version_is_a_typed_error() {
    let fx = Fixture::new();
    let bad = CommandOptions {
        product: Some("Lotus Notes".into()),
        ..options()
    };
    assert_eq!(
        IncidentDraft::from_options(&bad, &fx.products, &fx.catalog),
        Err(OptionError::UnknownProduct("Lotus Notes".into()))
    );
    let bad = CommandOptions {
        product: Some("SQL Server".into()),
        version: Some("2000".into()),
        ..options()
    };
    assert!(matches!(
        IncidentDraft::from_options(&bad, &fx.products, &fx.catalog),
        Err(OptionError::UnknownVersion { .. })
    ));
    let bad = CommandOptions {
        version: Some("2019".into()),
        ..options()
    };
    assert_eq!(
        IncidentDraft::from_options(&bad, &fx.products, &fx.catalog),
        Err(OptionError::VersionWithoutProduct)
    );
}
