//! The managers' SLA report (issue 20): first responses met per severity and organisation, the
//! breached incidents with how late, the packs' units, and a 12-week chart. Pure: the caller
//! reads the store (`report_incidents`, `report_ledger`, `report_packs`) and passes the time.
//!
//! Layout:
//! - `period`: the days `[from, to)` in the managers' zone, named periods, the chart's weeks.
//! - `clock`: each incident's own clock (business hours of its organisation, or 24x7).
//! - `outcome`: met / breached / waiting / withdrawn at the report's instant.
//! - `compute`: [`sla_report`] and its counting rules; `tally`, `packs`, `weekly` its parts.
//! - `figures`: the result as plain serde data for any renderer.
//! - `text`, `csv_out`, `chart`: the English summary, the CSV and the PNG.

mod chart;
mod clock;
mod compute;
mod csv_out;
mod error;
mod figures;
mod outcome;
mod packs;
mod period;
mod tally;
mod text;
mod weekly;

pub use chart::{chart_png, CHART_HEIGHT, CHART_WIDTH};
pub use clock::{Clock, OrgCalendars};
pub use compute::{sla_report, ReportInput};
pub use csv_out::{csv_rows, CSV_COLUMNS};
pub use error::ReportError;
pub use figures::{BreachedIncident, Counts, PackUsage, PeriodInfo, SeverityWeek, SlaReport, SlaRow, WeekFigures};
pub use packs::EXPIRY_WARNING_DAYS;
pub use period::{NamedPeriod, Period, PeriodError, Week, CHART_WEEKS};
pub use text::{hours_minutes, text_summary};

#[cfg(test)]
mod tests;
