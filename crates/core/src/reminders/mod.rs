//! When reminders, breach alerts and escalations fall due for an incident (pure).
//!
//! Times are computed on the incident's own clock: wall-clock time for 24x7 incidents,
//! business time of the organisation's calendar otherwise, so a B reminder never lands at
//! 03:00. The caller passes that clock as an `advance` function.

pub mod lead;
mod schedule;

pub use lead::{Lead, LeadParseError};
pub use schedule::{first_response_notices, next_escalation, Notice, NoticeKind, ReminderPolicy, SeverityReminders};
