//! What can go wrong while computing or rendering a report (all internal: the inputs were
//! already checked at the edge, see `PeriodError` for the user's dates).

use intakebot_core::ids::IncidentNumber;
use intakebot_core::sla::SlaError;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{number}: its SLA clock has no answer: {source}")]
    Clock { number: IncidentNumber, source: SlaError },
    #[error("writing the CSV failed: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the output failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("drawing the chart failed: {0}")]
    Chart(String),
    #[error("encoding the PNG failed: {0}")]
    Png(#[from] png::EncodingError),
}
