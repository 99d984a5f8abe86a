//! The first-response deadline of an incident (P-SEV-1..P-SEV-4): clock hours on granted
//! 24x7 coverage, business hours of the organisation's calendar otherwise.

use super::{Calendar, SlaError};
use crate::policy::Policy;
use crate::severity::{Coverage, Severity};
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// When the first response is due, as a UTC instant (stored with the incident).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Deadline(pub DateTime<Utc>);

impl Deadline {
    pub fn at(self) -> DateTime<Utc> {
        self.0
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

/// The first-response deadline for an incident opened at `opened_at`.
///
/// `coverage` is what the policy engine granted (P-SEV-5). 24x7 counts plain UTC clock
/// hours and is accepted only where the policy allows it (P-SEV-4: severity A); asking for
/// it elsewhere is [`SlaError::CoverageNotAllowed`] rather than a silent change.
pub fn sla_deadline(
    policy: &Policy,
    severity: Severity,
    coverage: Coverage,
    calendar: &Calendar,
    opened_at: DateTime<Utc>,
) -> Result<Deadline, SlaError> {
    let rule = policy.severity(severity);
    let target = TimeDelta::hours(i64::from(rule.first_response_hours));
    match coverage {
        Coverage::TwentyFourSeven if !rule.allows_24x7 => Err(SlaError::CoverageNotAllowed { severity }),
        Coverage::TwentyFourSeven => super::clock_deadline(opened_at, target).map(Deadline),
        Coverage::BusinessHours => calendar.deadline(opened_at, target).map(Deadline),
    }
}
