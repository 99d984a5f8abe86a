//! `intakebot sla deadline` streaming mode: 1 M RFC3339 lines from an in-memory stdin through
//! `cli::sla::run` (target ≥ 1 M lines/s). End to end through the binary, against the workclock
//! peer: `benches/sla_stream_peer.rs`.
//! All measured figures, with their ceilings and ratios: docs/performance.md.

#[path = "../tests/it/helpers/sla.rs"]
#[allow(dead_code)]
mod sla_support;

use chrono::{DateTime, TimeZone, Utc};
use clap::Parser;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use intakebot::cli::sla::{run, SlaCommand, SlaOutcome};
use intakebot::cli::{Cli, Command};
use rand::{Rng, SeedableRng};

const LINES: usize = 1_000_000;

fn input() -> Vec<u8> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let first = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap().timestamp();
    let last = Utc.with_ymd_and_hms(2028, 1, 1, 0, 0, 0).unwrap().timestamp();
    let mut text = String::with_capacity(LINES * 26);
    for _ in 0..LINES {
        let t = DateTime::from_timestamp(rng.gen_range(first..last), 0).unwrap();
        text.push_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        text.push('\n');
    }
    text.into_bytes()
}

fn command() -> SlaCommand {
    let argv = ["intakebot", "sla", "deadline", "--calendar", "oslo", "--severity", "B"];
    let Command::Sla { cmd } = Cli::parse_from(argv).command else {
        panic!("not an sla command")
    };
    cmd
}

fn stream(c: &mut Criterion) {
    let (set, policy, input) = (sla_support::shipped(), sla_support::policy(), input());
    let mut group = c.benchmark_group("sla_stream");
    group.sample_size(10);
    group.throughput(Throughput::Elements(LINES as u64));
    group.bench_function("1M_lines_oslo_B", |b| {
        b.iter(|| {
            let outcome = run(command(), &set, &policy, &input[..], std::io::sink(), std::io::sink());
            assert_eq!(outcome, SlaOutcome::Success);
            black_box(outcome)
        })
    });
    group.finish();
}

criterion_group!(benches, stream);
criterion_main!(benches);
