//! Shared test helpers: the fake Discord bot, the shipped intake patterns, and a
//! hand-built catalog with the shapes of `config/catalog.toml`.

use chrono::NaiveDate;
use intakebot::core::catalog::{Catalog, Deployment, Product, Version};
use intakebot::core::intake::{
    explain, interpret, IntakeContext, IntakePatterns, IntakePatternsFile, Interpretation, Language, ProductIndex,
    Reading, SeverityFinding,
};

/// The `[intake]` table of this branch's `config/policy.toml`.
pub fn patterns_file() -> IntakePatternsFile {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/policy.toml");
    let text = std::fs::read_to_string(path).expect("config/policy.toml is readable");
    let mut root: toml::Table = text.parse().expect("policy.toml is valid TOML");
    let intake = root.remove("intake").expect("policy.toml has an [intake] table");
    intake.try_into().expect("[intake] matches IntakePatternsFile")
}

pub fn patterns() -> IntakePatterns {
    IntakePatterns::build(patterns_file()).expect("shipped patterns compile")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn version(name: &str, released: NaiveDate, aliases: &[&str]) -> Version {
    let mut v = Version::with_default_lifecycle(name, released);
    v.aliases = aliases.iter().map(|a| a.to_string()).collect();
    v
}

fn product(key: &str, name: &str, deployment: Deployment, aliases: &[&str], versions: Vec<Version>) -> Product {
    Product {
        key: key.to_string(),
        name: name.to_string(),
        deployment,
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        versions,
    }
}

pub fn catalog() -> Catalog {
    use Deployment::{Cloud, OnPremises};
    Catalog {
        products: vec![
            product(
                "sql-server",
                "SQL Server",
                OnPremises,
                &["sql", "mssql", "ms sql"],
                vec![
                    version("2016", d(2016, 6, 1), &[]),
                    version("2017", d(2017, 9, 29), &[]),
                    version("2019", d(2019, 11, 4), &[]),
                    version("2022", d(2022, 11, 16), &[]),
                    version("2025", d(2025, 11, 18), &[]),
                ],
            ),
            product(
                "exchange-server",
                "Exchange Server",
                OnPremises,
                &["exchange"],
                vec![
                    version("2016", d(2015, 10, 1), &[]),
                    version("2019", d(2018, 10, 22), &[]),
                    version("SE", d(2025, 7, 1), &["subscription edition"]),
                ],
            ),
            product(
                "windows-server",
                "Windows Server",
                OnPremises,
                &["win server", "windows srv"],
                vec![
                    version("2016", d(2016, 10, 15), &[]),
                    version("2019", d(2018, 11, 13), &[]),
                    version("2022", d(2021, 8, 18), &[]),
                    version("2025", d(2024, 11, 1), &[]),
                ],
            ),
            product(
                "sharepoint-server",
                "SharePoint Server",
                OnPremises,
                &["sharepoint"],
                vec![
                    version("2016", d(2016, 5, 1), &[]),
                    version("2019", d(2018, 10, 22), &[]),
                    version("Subscription Edition", d(2021, 11, 2), &["se"]),
                ],
            ),
            product(
                "office",
                "Office",
                OnPremises,
                &["microsoft office", "office ltsc"],
                vec![
                    version("2019", d(2018, 9, 24), &[]),
                    version("2021", d(2021, 10, 5), &[]),
                    version("2024", d(2024, 10, 1), &[]),
                ],
            ),
            product(
                "azure-sql-database",
                "Azure SQL Database",
                Cloud,
                &["azure sql", "azure sql db"],
                vec![version("current", d(2010, 2, 1), &[])],
            ),
            product(
                "exchange-online",
                "Exchange Online",
                Cloud,
                &["exo"],
                vec![version("current", d(2011, 6, 28), &[])],
            ),
            product(
                "microsoft-365",
                "Microsoft 365",
                Cloud,
                &["m365", "office 365", "o365"],
                vec![version("current", d(2011, 6, 28), &[])],
            ),
        ],
    }
}

/// Patterns and catalog index built once per test binary.
pub struct Fixture {
    pub patterns: IntakePatterns,
    pub products: ProductIndex,
    pub catalog: Catalog,
}

impl Fixture {
    pub fn new() -> Fixture {
        let catalog = catalog();
        Fixture {
            patterns: patterns(),
            products: ProductIndex::new(&catalog),
            catalog,
        }
    }

    pub fn read(&self, text: &str, hint: Language, in_thread: bool) -> Reading {
        let ctx = IntakeContext {
            patterns: &self.patterns,
            products: &self.products,
            language_hint: hint,
            in_incident_thread: in_thread,
            addressed_to_bot: false,
        };
        // The bot's path and the operators' `explain` must read every message alike.
        let explained = explain(text, &ctx);
        let plain = interpret(text, &ctx);
        assert_eq!(plain.interpretation, explained.interpretation, "{text:?}");
        assert_eq!(
            (plain.language, plain.truncated),
            (explained.language, explained.truncated)
        );
        assert!(plain.matched.is_empty(), "interpret quotes no matches");
        explained
    }
}

/// A reading as `key=value` words, for compact table tests.
pub fn summary(r: &Reading) -> Vec<String> {
    let mut out = vec![r.interpretation.kind().to_string(), format!("lang={}", r.language)];
    if r.truncated {
        out.push("truncated=true".into());
    }
    match &r.interpretation {
        Interpretation::NotForUs(reason) => out.push(format!(
            "reason={}",
            serde_json::to_value(reason).unwrap().as_str().unwrap()
        )),
        Interpretation::Question { topic, answer } => {
            out.push(format!("topic={topic}"));
            out.push(format!("answer={}", if answer.is_empty() { "empty" } else { "some" }));
        }
        Interpretation::Pointer(kind) => out.push(format!("pointer={}", kind.as_str())),
        Interpretation::OutOfScope(key) => out.push(format!("excl={key}")),
        Interpretation::NotUnderstood => {}
        Interpretation::Request(draft) => {
            out.push(match &draft.severity {
                None => "sev=none".to_string(),
                Some(SeverityFinding::Explicit(s)) => format!("sev={s}"),
                Some(SeverityFinding::Suggested { severity, .. }) => format!("sev~{severity}"),
                Some(SeverityFinding::Conflicting(all)) => {
                    format!("sev={}", all.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("|"))
                }
            });
            out.push(format!("product={}", draft.product.as_deref().unwrap_or("none")));
            out.push(format!("version={}", draft.version.as_deref().unwrap_or("none")));
            out.push(format!("cov={}", draft.coverage.map_or("none", |c| c.as_str())));
            out.push(format!(
                "contact={}",
                draft.on_call_contact.map_or("none".into(), |c| c.0.to_string())
            ));
            out.push(format!(
                "flag={}",
                draft.borderline_exclusion.map_or("none", |k| k.as_str())
            ));
            let missing: Vec<&str> = draft.missing.iter().map(|m| m.as_str()).collect();
            out.push(format!(
                "missing={}",
                if missing.is_empty() {
                    "-".into()
                } else {
                    missing.join(",")
                }
            ));
            out.push(format!("split={}", draft.split_hint));
        }
    }
    out
}
