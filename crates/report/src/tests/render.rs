//! The chart as a PNG: it decodes at the promised size, draws each severity that has data in
//! its own colour (and no other), draws the bars, and says so when there is nothing to draw.
//! `write_docs_sample` (ignored) renders `docs/sla-report-sample.png` from a realistic
//! 12-week fixture: `cargo test -p intakebot-report -- --ignored write_docs_sample`.

use super::fixture::report_for;
use super::support::*;
use crate::{chart_png, sla_report, OrgCalendars, Period, ReportInput, SlaReport, CHART_HEIGHT, CHART_WIDTH};
use chrono::{DateTime, Datelike, Days, TimeDelta, Utc};
use intakebot_core::severity::{Coverage, Severity};
use intakebot_core::sla::CalendarSet;
use intakebot_store::Incident;

/// Decoded RGB pixels of a PNG.
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("one frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Pixels of exactly `rgb` below the header band (the plots, not the legend).
fn plot_pixels(png_bytes: &[u8], rgb: [u8; 3]) -> usize {
    let (w, _, buf) = decode(png_bytes);
    let header_bytes = (140 * w * 3) as usize;
    buf[header_bytes..].chunks_exact(3).filter(|p| *p == rgb).count()
}

const A: [u8; 3] = [213, 94, 0];
const B: [u8; 3] = [0, 114, 178];
const C: [u8; 3] = [0, 158, 115];
/// No blend of a severity colour or of grey text with white gives this one.
const BARS: [u8; 3] = [204, 121, 167];

#[test]
fn the_chart_is_a_png_of_the_promised_size() {
    let png_bytes = chart_png(&report_for(&calendars(), None)).unwrap();
    let (w, h, _) = decode(&png_bytes);
    assert_eq!((w, h), (CHART_WIDTH, CHART_HEIGHT));
    // The fixture has all three severities in W12 and breaches in W11 and W12.
    for colour in [A, B, C, BARS] {
        assert!(plot_pixels(&png_bytes, colour) > 50, "{colour:?} missing");
    }
}

#[test]
fn one_severity_only_draws_one_series() {
    let set = calendars();
    let report = one_severity_report(&set);
    let png_bytes = chart_png(&report).unwrap();
    assert!(plot_pixels(&png_bytes, A) > 50);
    assert_eq!(plot_pixels(&png_bytes, B), 0);
    assert_eq!(plot_pixels(&png_bytes, C), 0);
}

#[test]
fn an_empty_period_still_draws_a_chart() {
    let set = calendars();
    let report = report_of(&set, &[], "2027-03-01", "2027-03-08");
    let png_bytes = chart_png(&report).unwrap();
    for colour in [A, B, C, BARS] {
        assert_eq!(plot_pixels(&png_bytes, colour), 0);
    }
}

/// Writes the README's sample chart and, for review, the other cases next to it.
#[test]
#[ignore = "writes docs/sla-report-sample.png; run by hand after changing the chart"]
fn write_docs_sample() {
    let set = calendars();
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
    let incidents = realistic_weeks(&set);
    let sample = report_of(&set, &incidents, "2027-03-01", "2027-03-08");
    std::fs::write(docs.join("sla-report-sample.png"), chart_png(&sample).unwrap()).unwrap();
    if let Ok(dir) = std::env::var("SLA_CHART_REVIEW_DIR") {
        let dir = std::path::Path::new(&dir);
        let empty = report_of(&set, &[], "2027-03-01", "2027-03-08");
        std::fs::write(dir.join("empty.png"), chart_png(&empty).unwrap()).unwrap();
        std::fs::write(
            dir.join("one-severity.png"),
            chart_png(&one_severity_report(&set)).unwrap(),
        )
        .unwrap();
        let fixture = report_for(&set, None);
        std::fs::write(dir.join("fixture.png"), chart_png(&fixture).unwrap()).unwrap();
    }
}

fn report_of(set: &CalendarSet, incidents: &[Incident], from: &str, to: &str) -> SlaReport {
    let calendars = OrgCalendars::new(set.default_calendar()).with(org("fabrikam"), set.get("us-pacific").unwrap());
    let input = ReportInput {
        period: Period::new(day(from), day(to), set.default_calendar().zone()).unwrap(),
        organisation: None,
        organisations: vec![org("contoso"), org("fabrikam"), org("northwind")],
        as_of: utc(&format!("{to}T08:00:00Z")),
        incidents,
        ledger: &[],
        packs: &[],
        calendars: &calendars,
    };
    sla_report(&input).unwrap()
}

/// Only severity A, in a few of the weeks.
fn one_severity_report(set: &CalendarSet) -> SlaReport {
    let only_a: Vec<Incident> = realistic_weeks(set)
        .into_iter()
        .filter(|i| i.severity == Severity::A)
        .collect();
    report_of(set, &only_a, "2027-03-01", "2027-03-08")
}

/// Twelve weeks (2026-W51 to 2027-W09) of a plausible helpdesk: 8-18 incidents a week over
/// three organisations, most answered in time, a few late, some weeks worse than others.
/// A small linear congruential generator keeps it the same on every run.
fn realistic_weeks(set: &CalendarSet) -> Vec<Incident> {
    let mut seed: u64 = 20_270_301;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut out = Vec::new();
    let first_monday = day("2026-12-14");
    for week in 0..12u64 {
        // Two hard weeks (the third and the eighth): more late answers.
        let late_per_mille = if week == 2 || week == 7 { 350 } else { 90 };
        for k in 0..(8 + next(11)) {
            let (severity, org_id) = pick(next(20), next(3));
            let monday = first_monday + Days::new(7 * week);
            let opened = monday.and_hms_opt(6 + next(9) as u32, 0, 0).unwrap().and_utc()
                + TimeDelta::days(next(5) as i64)
                + TimeDelta::minutes(next(60) as i64);
            let number = (week * 100 + k + 1) as i64;
            let late = next(1000) < late_per_mille;
            out.push(sample_incident(set, number, org_id, severity, opened, late, next(100)));
        }
    }
    out
}

fn pick(severity: u64, organisation: u64) -> (Severity, &'static str) {
    let severity = match severity {
        0..=2 => Severity::A,
        3..=10 => Severity::B,
        _ => Severity::C,
    };
    (severity, ["contoso", "fabrikam", "northwind"][organisation as usize])
}

/// An answered incident, `late` past its deadline or within it, on its organisation's clock.
fn sample_incident(
    set: &CalendarSet,
    number: i64,
    org_id: &str,
    severity: Severity,
    opened_at: DateTime<Utc>,
    late: bool,
    percent: u64,
) -> Incident {
    let calendar = if org_id == "fabrikam" {
        set.get("us-pacific").unwrap()
    } else {
        set.default_calendar()
    };
    let hours = match severity {
        Severity::A => 2,
        Severity::B => 4,
        Severity::C => 8,
    };
    let coverage = if severity == Severity::A && opened_at.weekday().number_from_monday() % 2 == 0 {
        Coverage::TwentyFourSeven
    } else {
        Coverage::BusinessHours
    };
    let after = |d: TimeDelta| match coverage {
        Coverage::TwentyFourSeven => opened_at + d,
        Coverage::BusinessHours => calendar.deadline(opened_at, d).unwrap(),
    };
    let target = TimeDelta::hours(hours);
    let response = if late {
        target + target * (10 + percent as i32) / 100
    } else {
        target * (5 + percent as i32 * 9 / 10) / 100
    };
    let i = incident(number, org_id, 1, severity, coverage);
    let i = opened(i, &opened_at.to_rfc3339(), &after(target).to_rfc3339());
    answered(i, &after(response).to_rfc3339())
}
