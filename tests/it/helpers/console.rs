//! The console's session in-process, as a person drives it: the shipped config, an in-memory
//! database, the demo's people and packs, and a simulated clock.

use chrono::{DateTime, TimeZone, Utc};
use intakebot::app::App;
use intakebot::console::{Session, SimClock};
use std::sync::Arc;

/// Monday 2027-03-01, 08:55 in Oslo: inside business hours.
pub fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 7, 55, 0).unwrap()
}

pub struct Console {
    session: Session,
}

impl Console {
    pub async fn start(at: DateTime<Utc>) -> Console {
        let config = crate::helpers::sched::config();
        let clock = Arc::new(SimClock::load(None, at));
        let app = App::connect_to(config, "sqlite::memory:")
            .await
            .expect("in-memory app")
            .with_clock(clock.clone());
        let mut session = Session::new(app, clock);
        session.seed(&mut Vec::new()).await.unwrap();
        Console { session }
    }

    /// Runs the lines and returns what they printed.
    pub async fn run(&mut self, script: &str) -> String {
        let mut out = Vec::new();
        for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
            out.extend_from_slice(format!("> {line}\n").as_bytes());
            self.session.handle(line, &mut out).await.unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    /// Presses the last button labelled `label` in `printed`.
    pub async fn press(&mut self, printed: &str, label: &str) -> String {
        let re = regex::Regex::new(&format!(r"\[(\d+) {}\]", regex::escape(label))).unwrap();
        let number = re
            .captures_iter(printed)
            .last()
            .unwrap_or_else(|| panic!("no {label:?} button in:\n{printed}"))[1]
            .to_string();
        self.run(&format!(":press {number}")).await
    }
}

pub fn lines_with<'a>(printed: &'a str, needle: &str) -> Vec<&'a str> {
    printed.lines().filter(|l| l.contains(needle)).collect()
}
