//! The CSV: one row per organisation and severity (A, B, C, and `all` for the total), then the
//! same over all organisations (organisation `all`). Empty cells where a figure is undefined
//! (no decided incident, no response). Minutes are whole minutes elapsed (rounded down).

use crate::error::ReportError;
use crate::figures::{SlaReport, SlaRow};

pub const CSV_COLUMNS: [&str; 10] = [
    "organisation",
    "severity",
    "opened",
    "met",
    "breached",
    "waiting",
    "withdrawn",
    "pct_met",
    "median_minutes",
    "p90_minutes",
];

/// The CSV text, header first, `\n` line ends.
pub fn csv_rows(report: &SlaReport) -> Result<String, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    for row in &report.rows {
        w.write_record(record(row))?;
    }
    let bytes = w.into_inner().map_err(|e| ReportError::Io(e.into_error()))?;
    String::from_utf8(bytes).map_err(|e| ReportError::Io(std::io::Error::other(e)))
}

fn record(r: &SlaRow) -> Vec<String> {
    let minutes = |secs: Option<i64>| secs.map_or(String::new(), |s| (s / 60).to_string());
    let pct = r.pct_met.map_or(String::new(), |p| format!("{p:.1}"));
    r.leading_cells()
        .chain([pct, minutes(r.median_response_secs), minutes(r.p90_response_secs)])
        .collect()
}
