//! Each incident's own clock (P-SEV-4): business time on its organisation's calendar, or
//! clock time when it runs on granted 24x7 coverage.

use chrono::{DateTime, TimeDelta, Utc};
use intakebot_core::ids::OrgId;
use intakebot_core::severity::Coverage;
use intakebot_core::sla::{Calendar, SlaError};
use intakebot_store::Incident;
use serde::Serialize;
use std::collections::HashMap;

/// Which calendar each organisation's business hours follow; the default for the rest.
#[derive(Debug, Clone)]
pub struct OrgCalendars<'a> {
    default: &'a Calendar,
    by_org: HashMap<OrgId, &'a Calendar>,
}

impl<'a> OrgCalendars<'a> {
    pub fn new(default: &'a Calendar) -> OrgCalendars<'a> {
        OrgCalendars {
            default,
            by_org: HashMap::new(),
        }
    }

    /// `organisation` follows `calendar` (from its `calendar = …` in intakebot.toml).
    pub fn with(mut self, organisation: OrgId, calendar: &'a Calendar) -> OrgCalendars<'a> {
        self.by_org.insert(organisation, calendar);
        self
    }

    pub fn of(&self, organisation: &OrgId) -> &'a Calendar {
        self.by_org.get(organisation).copied().unwrap_or(self.default)
    }

    /// The clock an incident's first response is timed on.
    pub fn clock_of(&self, incident: &Incident) -> Clock {
        match incident.coverage {
            Coverage::TwentyFourSeven => Clock::TwentyFourSeven,
            Coverage::BusinessHours => Clock::Business {
                calendar: self.of(&incident.organisation).name().to_string(),
            },
        }
    }

    /// Time from `a` to `b` on the incident's clock.
    pub(crate) fn elapsed(
        &self,
        incident: &Incident,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> Result<TimeDelta, SlaError> {
        match incident.coverage {
            Coverage::TwentyFourSeven => Ok(b - a),
            Coverage::BusinessHours => self.of(&incident.organisation).business_time_between(a, b),
        }
    }
}

/// The clock a duration was measured on, said with every lateness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Clock {
    /// Business hours of the named calendar (calendars.toml).
    Business { calendar: String },
    /// Clock hours: severity A with 24x7 coverage.
    #[serde(rename = "24x7")]
    TwentyFourSeven,
}

impl Clock {
    /// `business hours (oslo)` or `clock time (24x7)`.
    pub fn describe(&self) -> String {
        match self {
            Clock::Business { calendar } => format!("business hours ({calendar})"),
            Clock::TwentyFourSeven => "clock time (24x7)".to_string(),
        }
    }
}
