//! The I/O half of the SLA report: the store reads a period needs and each organisation's
//! calendar from the config. The Discord command and the Monday post call the same two
//! functions, then `intakebot_report::sla_report`.

use crate::config::Config;
use crate::core::entitlement::Entitlement;
use crate::core::ids::OrgId;
use crate::store::{Incident, LedgerEntry, Store, StoreError};
use chrono::{DateTime, Utc};
use intakebot_report::{OrgCalendars, Period, ReportInput};

/// What `sla_report` computes from, read once.
#[derive(Debug, Clone, Default)]
pub struct ReportData {
    pub incidents: Vec<Incident>,
    pub ledger: Vec<LedgerEntry>,
    pub packs: Vec<Entitlement>,
}

impl ReportData {
    /// The incidents of the period and of its chart's 12 weeks (and older ones still without a
    /// first response), the ledger up to the period's end, and the packs.
    pub async fn read(store: &Store, period: &Period, org: Option<&OrgId>) -> Result<ReportData, StoreError> {
        Ok(ReportData {
            incidents: store.report_incidents(period.reads_from(), period.end(), org).await?,
            ledger: store.report_ledger(period.end(), org).await?,
            packs: store.report_packs(org).await?,
        })
    }

    /// The input of `sla_report`: every configured organisation is listed (or the one asked).
    pub fn input<'a>(
        &'a self,
        period: Period,
        organisation: Option<OrgId>,
        config: &Config,
        as_of: DateTime<Utc>,
        calendars: &'a OrgCalendars<'a>,
    ) -> ReportInput<'a> {
        ReportInput {
            period,
            organisation,
            organisations: config.app.organisations.iter().map(|o| o.id.clone()).collect(),
            as_of,
            incidents: &self.incidents,
            ledger: &self.ledger,
            packs: &self.packs,
            calendars,
        }
    }
}

/// Each configured organisation's calendar (`calendar = …`), the default one for the rest.
pub fn org_calendars(config: &Config) -> OrgCalendars<'_> {
    let mut calendars = OrgCalendars::new(config.calendars.default_calendar());
    for org in &config.app.organisations {
        if let Some(calendar) = org.calendar.as_deref().and_then(|name| config.calendars.get(name)) {
            calendars = calendars.with(org.id.clone(), calendar);
        }
    }
    calendars
}
