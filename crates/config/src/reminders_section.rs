//! The `[reminders]` section of `intakebot.toml`: lead times, escalation, digests, expiry notices.

use chrono::Duration;
use intakebot_core::reminders::{lead::parse_duration, Lead, ReminderPolicy, SeverityReminders};
use intakebot_core::severity::Severity;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// A duration written as `30m`, `2h`, `1h30m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigDuration(pub Duration);

impl<'de> Deserialize<'de> for ConfigDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_duration(&text)
            .map(ConfigDuration)
            .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a duration: write e.g. 30m, 2h or 1h30m")))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeverityEntry {
    before: Vec<Lead>,
    escalate_every: ConfigDuration,
    /// Escalations after the breach alert at most; then the managers' daily digest lists it.
    #[serde(default = "default_escalation_steps")]
    escalation_steps: u32,
}

fn default_escalation_steps() -> u32 {
    3
}

/// A time of day written as `08:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigTime(pub chrono::NaiveTime);

impl<'de> Deserialize<'de> for ConfigTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M")
            .map(ConfigTime)
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a time of day: write e.g. 08:00")))
    }
}

/// Which roles an escalation step pings, cumulatively: step 1 the first, step 2 the first two…
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PingRole {
    Engineer,
    OnCall,
    Manager,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemindersConfig {
    #[serde(rename = "A")]
    a: SeverityEntry,
    #[serde(rename = "B")]
    b: SeverityEntry,
    #[serde(rename = "C")]
    c: SeverityEntry,
    /// Roles pinged by escalation steps, cumulatively.
    pub escalation_pings: Vec<PingRole>,
    /// More than this many notices due for one channel within `digest_window` go out as one digest.
    pub digest_threshold: u32,
    pub digest_window: ConfigDuration,
    /// Days before an entitlement's expiry when its organisation is told (units left only).
    pub expiry_notice_days: Vec<u32>,
    /// How often the scheduler looks for due notices.
    pub poll_every: ConfigDuration,
    /// The scheduler's posts per second at most (Discord allows 50 per bot in all; with several
    /// instances, split the budget between them).
    #[serde(default = "default_max_posts_per_second")]
    pub max_posts_per_second: u32,
    /// More thread copies than this due in one pass (a burst) are not posted one by one: the
    /// engineers' or managers' digest lists every incident (each notice has such a copy).
    #[serde(default = "default_thread_burst")]
    pub thread_burst: u32,
    /// When the managers' daily digest of open breaches is posted, in the staff calendar's zone.
    #[serde(default = "default_breach_digest_at")]
    pub breach_digest_at: ConfigTime,
    /// Tries of one notice that Discord answers with 429 or 5xx before it is marked failed and
    /// the managers are told.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// Whether last week's SLA report is posted to the managers' channel every Monday at 08:00
    /// in the staff calendar's zone.
    #[serde(default = "default_weekly_report")]
    pub weekly_report: bool,
}

fn default_weekly_report() -> bool {
    true
}

fn default_max_attempts() -> u32 {
    8
}

fn default_breach_digest_at() -> ConfigTime {
    ConfigTime(chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default())
}

fn default_max_posts_per_second() -> u32 {
    40
}

fn default_thread_burst() -> u32 {
    50
}

impl Default for RemindersConfig {
    fn default() -> Self {
        let entry = |before: &[&str], every: i64| SeverityEntry {
            before: before.iter().filter_map(|l| l.parse().ok()).collect(),
            escalate_every: ConfigDuration(Duration::minutes(every)),
            escalation_steps: default_escalation_steps(),
        };
        RemindersConfig {
            a: entry(&["60m", "30m", "10m"], 30),
            b: entry(&["50%", "1h"], 120),
            c: entry(&["50%", "1h"], 120),
            escalation_pings: vec![PingRole::OnCall, PingRole::Manager],
            digest_threshold: 5,
            digest_window: ConfigDuration(Duration::minutes(1)),
            expiry_notice_days: vec![30, 7],
            poll_every: ConfigDuration(Duration::seconds(5)),
            max_posts_per_second: default_max_posts_per_second(),
            thread_burst: default_thread_burst(),
            breach_digest_at: default_breach_digest_at(),
            max_attempts: default_max_attempts(),
            weekly_report: default_weekly_report(),
        }
    }
}

impl RemindersConfig {
    pub fn policy(&self) -> ReminderPolicy {
        let entry = |e: &SeverityEntry| SeverityReminders {
            before: e.before.clone(),
            escalate_every: e.escalate_every.0,
            escalation_steps: e.escalation_steps,
        };
        ReminderPolicy {
            severities: BTreeMap::from([
                (Severity::A, entry(&self.a)),
                (Severity::B, entry(&self.b)),
                (Severity::C, entry(&self.c)),
            ]),
        }
    }

    /// The roles escalation `step` (1-based) pings: the first `step` entries of the list.
    pub fn pings_for_step(&self, step: u32) -> &[PingRole] {
        let n = (step as usize).min(self.escalation_pings.len());
        &self.escalation_pings[..n]
    }

    pub fn validate(&self) -> Result<(), (String, String)> {
        for (key, e) in [("A", &self.a), ("B", &self.b), ("C", &self.c)] {
            if e.escalation_steps > 20 {
                return Err((
                    format!("reminders.{key}.escalation_steps"),
                    "at most 20 escalations; after the last the daily digest lists the incident".into(),
                ));
            }
            if e.escalate_every.0 < Duration::minutes(5) {
                return Err((
                    format!("reminders.{key}.escalate_every"),
                    "escalate at most every 5 minutes".into(),
                ));
            }
        }
        if self.digest_threshold == 0 {
            return Err(("reminders.digest_threshold".into(), "must be at least 1".into()));
        }
        if !(1..=50).contains(&self.max_posts_per_second) {
            return Err((
                "reminders.max_posts_per_second".into(),
                "must be between 1 and 50 (Discord's global limit per bot)".into(),
            ));
        }
        if !(1..=100).contains(&self.max_attempts) {
            return Err((
                "reminders.max_attempts".into(),
                "must be between 1 and 100 (each retry waits at least Discord's Retry-After)".into(),
            ));
        }
        if self.thread_burst == 0 {
            return Err(("reminders.thread_burst".into(), "must be at least 1".into()));
        }
        if self.poll_every.0 < Duration::seconds(1) || self.poll_every.0 > Duration::minutes(1) {
            return Err(("reminders.poll_every".into(), "must be between 1s and 1m".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_per_second_stay_within_discords_global_limit() {
        let mut reminders = RemindersConfig::default();
        assert_eq!(reminders.validate(), Ok(()));
        for bad in [0, 51] {
            reminders.max_posts_per_second = bad;
            let (key, reason) = reminders.validate().unwrap_err();
            assert_eq!(key, "reminders.max_posts_per_second");
            assert!(reason.contains("50"), "{reason}");
        }
        reminders.max_posts_per_second = 50;
        reminders.thread_burst = 0;
        assert_eq!(reminders.validate().unwrap_err().0, "reminders.thread_burst");
        reminders.thread_burst = 50;
        reminders.max_attempts = 0;
        assert_eq!(reminders.validate().unwrap_err().0, "reminders.max_attempts");
    }

    #[test]
    fn older_config_files_without_the_pacing_keys_still_load() {
        let text = r#"
            A = { before = ["60m"], escalate_every = "30m" }
            B = { before = ["1h"], escalate_every = "2h" }
            C = { before = ["1h"], escalate_every = "2h" }
            escalation_pings = ["manager"]
            digest_threshold = 5
            digest_window = "1m"
            expiry_notice_days = [7]
            poll_every = "5s"
        "#;
        let reminders: RemindersConfig = toml::from_str(text).unwrap();
        assert_eq!((reminders.max_posts_per_second, reminders.thread_burst), (40, 50));
        assert_eq!(reminders.max_attempts, 8);
    }
}
