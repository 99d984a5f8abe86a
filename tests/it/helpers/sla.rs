//! Shared helpers for the SLA tests and benches: the shipped calendars and a hand-made policy.

use chrono::{DateTime, Utc};
use intakebot::core::policy::{Localized, Pointers, Policy, SeverityRule};
use intakebot::core::severity::Severity;
use intakebot::core::sla::{CalendarSet, CalendarsFile};
use std::collections::BTreeMap;

pub const SHIPPED: &str = include_str!("../../../config/calendars.toml");

pub fn shipped() -> CalendarSet {
    parse(SHIPPED).expect("shipped calendars.toml is valid")
}

pub fn parse(text: &str) -> Result<CalendarSet, intakebot::core::sla::CalendarError> {
    let file: CalendarsFile = toml::from_str(text).expect("calendars toml deserializes");
    CalendarSet::build(file)
}

pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("test instant").to_utc()
}

/// The shipped policy's targets: A 2 h (24x7 allowed), B 4 h, C 8 h (P-SEV-1..P-SEV-4).
pub fn policy() -> Policy {
    let rule = |severity, hours, allows_24x7| SeverityRule {
        severity,
        first_response_hours: hours,
        allows_24x7,
        meaning: Localized::default(),
    };
    let severities = BTreeMap::from([
        (Severity::A, rule(Severity::A, 2, true)),
        (Severity::B, rule(Severity::B, 4, false)),
        (Severity::C, rule(Severity::C, 8, false)),
    ]);
    let pointers = Pointers {
        billing: String::new(),
        tax_exemption: String::new(),
        signature_cloud: String::new(),
        pay_per_incident: String::new(),
        personal_account: String::new(),
    };
    Policy {
        severities,
        plans: BTreeMap::new(),
        exclusions: Vec::new(),
        pointers,
    }
}
