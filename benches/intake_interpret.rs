//! Messages per second through `interpret` with the shipped patterns, on typical
//! 200-character messages (on average) in English and Norwegian (target ≥ 200,000/s per core),
//! and the labelled corpus (tests/intake/corpus.txt): its scores printed once (the issue 18
//! floor is ≥ 95 % read right, no category under 90 %), then the time to read all of it.
//! All measured figures, with their ceilings and ratios: docs/performance.md.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use intakebot::core::intake::eval::{evaluate, parse_corpus};
use intakebot::core::intake::{interpret, IntakeContext, IntakePatterns, IntakePatternsFile, Language, ProductIndex};

#[path = "../tests/it/helpers/intake.rs"]
#[allow(dead_code)]
mod common;

const MESSAGES: &[&str] = &[
    "Sev A – our SQL Server 2019 cluster is down since 09:40, production halted for all users. Failover to the second node does not start, error 1205 in the log. Please call me on my mobile, I am at my desk.",
    "alvorlighetsgrad B: Exchange SE mottar ikke e-post fra eksterne avsendere siden i går kveld. Køen vokser, interne meldinger går fint. Vi har startet transporttjenesten på nytt, uten at det hjalp noe.",
    "Hi, our Windows Server 2022 file server is very slow when users open large Excel files over SMB, it started after the October update. Some users are affected, we have a workaround by copying the files locally first.",
    "Hei! Vi lurer på hva som regnes som en hendelse, og hvor lang responstid dere har for alvorlighetsgrad A når vi har valgt støtte døgnet rundt. Takk for svar så raskt som mulig, vi skal bestille i neste uke.",
    "question about my credit card invoice: we were charged twice for the same pay per incident purchase last month and need a corrected receipt for accounting, who can help us with this before the end of the month?",
    "can someone come on site tomorrow to look at our SharePoint 2019 farm? We would prefer an engineer in person because the network here is locked down and remote access is hard to arrange for outside staff.",
    "thanks a lot, that fixed it! the SQL jobs run again and the team is happy. have a nice weekend everyone, and thank you again for the quick help with this one, much appreciated by all of us here at the office",
    "Sev C: exchnage 2019 OWA shows the wrong logo after the CU update, and also the SQL Sever 2017 reporting server prints blank pages.\nBoth started last Tuesday.\n- logo wrong\n- blank pages on every report",
];

fn bench(c: &mut Criterion) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/policy.toml")).unwrap();
    let mut root: toml::Table = text.parse().unwrap();
    let file: IntakePatternsFile = root.remove("intake").unwrap().try_into().unwrap();
    let patterns = IntakePatterns::build(file).unwrap();
    let catalog = common::catalog();
    let products = ProductIndex::new(&catalog);
    let ctx = IntakeContext {
        patterns: &patterns,
        products: &products,
        language_hint: Language::En,
        in_incident_thread: false,
        addressed_to_bot: false,
    };
    let avg = MESSAGES.iter().map(|m| m.chars().count()).sum::<usize>() / MESSAGES.len();
    let mut group = c.benchmark_group("intake");
    group.throughput(Throughput::Elements(MESSAGES.len() as u64));
    group.bench_function(format!("interpret_{}_messages_avg_{avg}_chars", MESSAGES.len()), |b| {
        b.iter(|| {
            for m in MESSAGES {
                black_box(interpret(black_box(m), &ctx));
            }
        })
    });
    group.bench_function("normalize_only", |b| {
        b.iter(|| {
            for m in MESSAGES {
                black_box(intakebot::core::intake::normalize(black_box(m)));
            }
        })
    });
    let normalized: Vec<String> = MESSAGES
        .iter()
        .map(|m| intakebot::core::intake::normalize(m).text)
        .collect();
    group.bench_function("product_match_only", |b| {
        b.iter(|| {
            for m in &normalized {
                black_box(products.find(black_box(m)));
            }
        })
    });
    group.finish();
    corpus(c, &patterns);
}

/// The corpus with the shipped catalog (the one its labels name).
fn corpus(c: &mut Criterion, patterns: &IntakePatterns) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        intakebot::config::Config::load_with_env(&root.join("config"), Vec::<(String, String)>::new()).unwrap();
    let products = ProductIndex::new(&config.catalog);
    let ctx = IntakeContext {
        patterns,
        products: &products,
        language_hint: Language::En,
        in_incident_thread: false,
        addressed_to_bot: false,
    };
    let cases = parse_corpus(&std::fs::read_to_string(root.join("tests/intake/corpus.txt")).unwrap()).unwrap();
    let report = evaluate(&cases, &ctx);
    let summary = format!("{report}");
    println!("{}", summary.split("\nmisses").next().unwrap_or_default());
    println!("misses: {}", report.misses.len());
    let mut group = c.benchmark_group("intake_corpus");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function(format!("eval_{}_messages", cases.len()), |b| {
        b.iter(|| black_box(evaluate(black_box(&cases), &ctx)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
