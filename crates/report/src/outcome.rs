//! How one incident's first response stands at the report's instant (`as_of`), on its own clock.
//!
//! - **met**: a first response at or before the deadline (the store's `ack <= due`, P-SEV-6);
//! - **breached**: a first response after the deadline, or none yet and the deadline has passed
//!   (`as_of > due`), or closed without one after the deadline; lateness runs from the deadline
//!   to the response, or to `as_of`, or to the close;
//! - **waiting**: no first response, still open, deadline not passed (`as_of <= due`);
//! - **withdrawn**: closed by the customer before the deadline without any response (P-CLOSE-3):
//!   nothing was late, nothing was answered, so it counts in neither `met` nor `breached`.
//!
//! Events after `as_of` are ignored, so a report for a past instant gives the same figures
//! whenever it is run.

use crate::clock::OrgCalendars;
use chrono::{DateTime, TimeDelta, Utc};
use intakebot_core::sla::SlaError;
use intakebot_store::Incident;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Met { response: TimeDelta },
    Breached(Breach),
    Waiting,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Breach {
    /// From the deadline to the response, close or `as_of`, on the incident's clock.
    pub late: TimeDelta,
    /// Time to first response on the incident's clock, when there was one.
    pub response: Option<TimeDelta>,
    pub responded_at: Option<DateTime<Utc>>,
    /// Neither answered nor closed at `as_of`: someone still owes a first response.
    pub still_waiting: bool,
}

impl Outcome {
    /// The time to first response, for the median and 90th percentile.
    pub(crate) fn response(&self) -> Option<TimeDelta> {
        match self {
            Outcome::Met { response } => Some(*response),
            Outcome::Breached(b) => b.response,
            Outcome::Waiting | Outcome::Withdrawn => None,
        }
    }
}

/// Judges `incident` at `as_of`.
pub(crate) fn judge(incident: &Incident, as_of: DateTime<Utc>, clocks: &OrgCalendars) -> Result<Outcome, SlaError> {
    let due = incident.first_response_due;
    let responded_at = incident.acknowledged_at.filter(|t| *t <= as_of);
    if let Some(at) = responded_at {
        let response = clocks.elapsed(incident, incident.opened_at, at)?;
        if at <= due {
            return Ok(Outcome::Met { response });
        }
        return Ok(Outcome::Breached(Breach {
            late: clocks.elapsed(incident, due, at)?,
            response: Some(response),
            responded_at,
            still_waiting: false,
        }));
    }
    let closed_at = incident.closed_at.filter(|t| *t <= as_of);
    let stop = closed_at.unwrap_or(as_of);
    if stop <= due {
        return Ok(if closed_at.is_some() {
            Outcome::Withdrawn
        } else {
            Outcome::Waiting
        });
    }
    Ok(Outcome::Breached(Breach {
        late: clocks.elapsed(incident, due, stop)?,
        response: None,
        responded_at: None,
        still_waiting: closed_at.is_none(),
    }))
}
