//! `deadline` on the shipped `oslo` calendar, +4 h and +8 h from random starts in 2027
//! (target ≥ 10 M/s, ≤ 100 ns each), and the cost of building a calendar's table.
//! All measured figures, with their ceilings and ratios: docs/performance.md.

#[path = "../tests/it/helpers/sla.rs"]
#[allow(dead_code)]
mod sla_support;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use rand::{Rng, SeedableRng};

fn starts_2027(n: usize) -> Vec<DateTime<Utc>> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(2027);
    let first = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap().timestamp();
    let last = Utc.with_ymd_and_hms(2028, 1, 1, 0, 0, 0).unwrap().timestamp();
    (0..n)
        .map(|_| DateTime::from_timestamp(rng.gen_range(first..last), 0).unwrap())
        .collect()
}

fn deadline(c: &mut Criterion) {
    let set = sla_support::shipped();
    let oslo = set.get("oslo").unwrap();
    let starts = starts_2027(1 << 16);
    let mut group = c.benchmark_group("sla_deadline_oslo_2027");
    group.throughput(Throughput::Elements(1));
    for hours in [4, 8] {
        let d = TimeDelta::hours(hours);
        group.bench_function(format!("+{hours}h"), |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) & (starts.len() - 1);
                black_box(oslo.deadline(black_box(starts[i]), d))
            })
        });
    }
    group.finish();
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("sla_calendar_build");
    group.sample_size(10);
    group.bench_function("shipped_oslo_and_us_pacific", |b| {
        b.iter(|| black_box(sla_support::shipped()))
    });
    group.finish();
}

criterion_group!(benches, deadline, build);
criterion_main!(benches);
