//! Business-hours calendars and the SLA clock (pure; time passed in).
//! Owned by the SLA-clock work (issue 3): this stub only fixes the interface the config loader uses.

use serde::Deserialize;

/// `calendars.toml` as written (raw, before validation).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CalendarsFile {}

/// A load-time problem in `calendars.toml`: the key and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {reason}")]
pub struct CalendarError {
    pub key: String,
    pub reason: String,
}

/// Every calendar, validated, with the default one.
#[derive(Debug, Clone, Default)]
pub struct CalendarSet {}

impl CalendarSet {
    pub fn build(_file: CalendarsFile) -> Result<CalendarSet, CalendarError> {
        Ok(CalendarSet {})
    }

    pub fn names(&self) -> Vec<String> {
        Vec::new()
    }
}
