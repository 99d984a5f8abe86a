//! The console's simulated clock: starts at a chosen instant, only moves forward, and is
//! kept beside the database so a try-out resumes where it stopped.

use chrono::{DateTime, Utc};
use std::path::PathBuf;

pub struct SimClock {
    now: DateTime<Utc>,
    file: Option<PathBuf>,
}

impl SimClock {
    /// Reads the saved instant from `file`, or starts at `start`.
    pub fn load(file: Option<PathBuf>, start: DateTime<Utc>) -> SimClock {
        let saved = file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|s| DateTime::parse_from_rfc3339(s.trim()).ok())
            .map(|t| t.with_timezone(&Utc));
        SimClock { now: saved.unwrap_or(start), file }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Moves to `t`; time never goes backwards.
    pub fn set(&mut self, t: DateTime<Utc>) -> std::io::Result<()> {
        if t > self.now {
            self.now = t;
        }
        match &self.file {
            Some(f) => std::fs::write(f, self.now.to_rfc3339()),
            None => Ok(()),
        }
    }
}
