//! The English text summary for the command line (and the console): the table, the breached
//! incidents with how late on which clock, and the packs. Instants are shown in the report's zone.

use crate::figures::{BreachedIncident, PackUsage, SlaReport, SlaRow};
use crate::packs::EXPIRY_WARNING_DAYS;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::fmt::Write;

/// The whole summary, ending with a newline.
pub fn text_summary(report: &SlaReport) -> String {
    let zone: Tz = report.period.zone.parse().unwrap_or(Tz::UTC);
    let mut out = String::new();
    let scope = report
        .organisation
        .as_ref()
        .map_or("all organisations".to_string(), |o| format!("organisation {o}"));
    let p = &report.period;
    let _ = writeln!(
        out,
        "SLA report, first responses: {} to {} ({}), {scope}",
        p.from, p.last_day, p.zone
    );
    let _ = writeln!(out, "As of {}.", local(report.as_of, zone));
    out.push('\n');
    table(&mut out, &report.rows);
    out.push_str("\n% met = met / (met + breached). Times to first response on each incident's own clock.\n");
    breached_section(&mut out, "Breached", &report.breached, zone);
    breached_section(
        &mut out,
        "Opened before the period, still without a first response",
        &report.overdue_from_earlier,
        zone,
    );
    packs_section(&mut out, &report.packs);
    out
}

const HEADER: [&str; 10] = [
    "organisation",
    "sev",
    "opened",
    "met",
    "breached",
    "waiting",
    "withdrawn",
    "% met",
    "median",
    "p90",
];

fn table(out: &mut String, rows: &[SlaRow]) {
    let cells: Vec<Vec<String>> = rows.iter().map(row_cells).collect();
    let widths: Vec<usize> = (0..HEADER.len())
        .map(|k| {
            cells
                .iter()
                .map(|c| c[k].len())
                .chain([HEADER[k].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cols: Vec<&str>| -> String {
        let parts: Vec<String> = cols
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(k, (c, w))| if k < 2 { format!("{c:<w$}") } else { format!("{c:>w$}") })
            .collect();
        format!("{}\n", parts.join("  ").trim_end())
    };
    out.push_str(&line(HEADER.to_vec()));
    for c in &cells {
        out.push_str(&line(c.iter().map(String::as_str).collect()));
    }
}

fn row_cells(r: &SlaRow) -> Vec<String> {
    let pct = r.pct_met.map_or("-".to_string(), |p| format!("{p:.1}"));
    let duration = |secs: Option<i64>| secs.map_or("-".to_string(), hours_minutes);
    r.leading_cells()
        .chain([pct, duration(r.median_response_secs), duration(r.p90_response_secs)])
        .collect()
}

fn breached_section(out: &mut String, title: &str, list: &[BreachedIncident], zone: Tz) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({}):", list.len());
    for b in list {
        let answer = match b.responded_at {
            Some(t) => format!("answered {}", local(t, zone)),
            None => "no first response".to_string(),
        };
        let _ = writeln!(
            out,
            "  {} {} {} {:?}: due {}, {} late on {}, {answer}",
            b.number,
            b.organisation,
            b.severity,
            b.title,
            local(b.due, zone),
            hours_minutes(b.late_secs),
            b.clock.describe(),
        );
    }
}

fn packs_section(out: &mut String, packs: &[PackUsage]) {
    if packs.is_empty() {
        return;
    }
    out.push_str("\nPacks (units as the ledger says; left at the period's end):\n");
    for p in packs {
        let expiry = match (p.expires_on, p.expiring_soon) {
            (Some(day), true) => format!(", expires {day} (within {EXPIRY_WARNING_DAYS} days)"),
            (Some(day), false) => format!(", expires {day}"),
            (None, _) => String::new(),
        };
        let expired = if p.expired > 0 {
            format!(", {} expired", p.expired)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {} {} {}: used {} ({} consumed, {} refunded{expired}), {} left{expiry}",
            p.entitlement, p.organisation, p.plan, p.used, p.consumed, p.refunded, p.units_left
        );
    }
}

/// `7h 05m`, `45m`, `27h 00m`: business durations are read in hours, so no days.
pub fn hours_minutes(secs: i64) -> String {
    let minutes = secs / 60;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, m) => format!("{h}h {m:02}m"),
    }
}

fn local(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z").to_string()
}

#[cfg(test)]
mod tests {
    use super::hours_minutes;

    #[test]
    fn durations_read_in_hours_and_minutes() {
        assert_eq!(hours_minutes(59), "0m");
        assert_eq!(hours_minutes(45 * 60), "45m");
        assert_eq!(hours_minutes(7 * 3600 + 300), "7h 05m");
        assert_eq!(hours_minutes(27 * 3600), "27h 00m");
    }
}
