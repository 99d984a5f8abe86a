//! The managers' SLA report (issue 20) as the app serves it: one way to read and compute it
//! (`sla_report`, also used by `intakebot report sla`), the `/report sla` command for managers,
//! and the Monday post's message. The figures, chart and CSV are `intakebot-report`'s.

mod command;
mod message;

pub(crate) use command::report;
pub(crate) use message::report_message;

use intakebot_config::Config;
use intakebot_core::ids::OrgId;
use intakebot_report::{OrgCalendars, Period, ReportError, ReportInput, SlaReport};
use intakebot_store::{Store, StoreError};

pub use intakebot_report::NamedPeriod;

/// Why a report could not be made (both internal: the period and organisation were checked).
#[derive(Debug, thiserror::Error)]
pub enum ReportFailure {
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Report(#[from] ReportError),
}

/// The report of `period` (one organisation, or every configured one) as it stands at `as_of`:
/// the incidents of the period and of the chart's 12 weeks (and older ones still without a
/// first response), the ledger up to the period's end and the packs, read once, then computed.
pub async fn sla_report(
    store: &Store,
    config: &Config,
    period: Period,
    organisation: Option<OrgId>,
    as_of: chrono::DateTime<chrono::Utc>,
) -> Result<SlaReport, ReportFailure> {
    let org = organisation.as_ref();
    let incidents = store.report_incidents(period.reads_from(), period.end(), org).await?;
    let ledger = store.report_ledger(period.end(), org).await?;
    let packs = store.report_packs(org).await?;
    let calendars = org_calendars(config);
    let input = ReportInput {
        period,
        organisation,
        organisations: config.app.organisations.iter().map(|o| o.id.clone()).collect(),
        as_of,
        incidents: &incidents,
        ledger: &ledger,
        packs: &packs,
        calendars: &calendars,
    };
    Ok(intakebot_report::sla_report(&input)?)
}

/// Each configured organisation's calendar (`calendar = …`), the default one for the rest.
fn org_calendars(config: &Config) -> OrgCalendars<'_> {
    let mut calendars = OrgCalendars::new(config.calendars.default_calendar());
    for org in &config.app.organisations {
        if let Some(calendar) = org.calendar.as_deref().and_then(|name| config.calendars.get(name)) {
            calendars = calendars.with(org.id.clone(), calendar);
        }
    }
    calendars
}

impl From<ReportFailure> for crate::AppError {
    fn from(err: ReportFailure) -> crate::AppError {
        crate::AppError::internal(err)
    }
}
