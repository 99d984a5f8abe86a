//! The console's simulated clock: starts at a chosen instant, only moves forward, and is kept
//! beside the database so a try-out resumes where it stopped. The app reads it as its clock.

use chrono::{DateTime, Utc};
use intakebot_app::{Clock, FixedClock};
use std::path::PathBuf;

pub struct SimClock {
    clock: FixedClock,
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
        let clock = SimClock {
            clock: FixedClock::new(saved.unwrap_or(start)),
            file,
        };
        if saved.is_none() {
            // Keep the starting instant at once, so a session without `:advance` resumes from it.
            if let Err(err) = clock.save() {
                tracing::warn!(%err, "cannot save the console clock");
            }
        }
        clock
    }

    fn save(&self) -> std::io::Result<()> {
        match &self.file {
            Some(f) => {
                if let Some(dir) = f.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(f, self.now().to_rfc3339())
            }
            None => Ok(()),
        }
    }

    /// Moves to `t`; time never goes backwards.
    pub fn set(&self, t: DateTime<Utc>) -> std::io::Result<()> {
        self.clock.set(t);
        self.save()
    }
}

impl Clock for SimClock {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}
