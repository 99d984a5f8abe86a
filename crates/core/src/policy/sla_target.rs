//! The first-response target of a request: severity, the coverage actually granted, and why
//! 24x7 was downgraded when it was (P-SEV-1..P-SEV-5).

use super::config::Policy;
use crate::rules::RuleId;
use crate::severity::{Coverage, Severity};
use serde::Serialize;

/// How the target's hours are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Clock {
    /// Wall-clock hours, around the clock (A on 24x7).
    ClockHours,
    /// Hours while the organisation's calendar is open.
    BusinessHours,
}

/// Why 24x7 was not granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Downgrade {
    /// 24x7 is offered for severity A only (P-SEV-4, reading).
    SeverityNotEligible,
    /// No on-call contact was named (P-SEV-5).
    NoOnCallContact,
}

impl Downgrade {
    pub fn rule(self) -> RuleId {
        match self {
            Downgrade::SeverityNotEligible => RuleId::Sev4,
            Downgrade::NoOnCallContact => RuleId::Sev5,
        }
    }
}

/// What the request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaRequest {
    pub severity: Severity,
    pub coverage: Coverage,
    pub has_on_call_contact: bool,
}

/// The granted first-response target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlaTarget {
    pub severity: Severity,
    pub coverage: Coverage,
    pub hours: u32,
    pub clock: Clock,
    pub downgrade: Option<Downgrade>,
}

impl SlaTarget {
    pub fn rules(&self) -> Vec<RuleId> {
        let mut rules = vec![match self.severity {
            Severity::A => RuleId::Sev1,
            Severity::B => RuleId::Sev2,
            Severity::C => RuleId::Sev3,
        }];
        rules.push(RuleId::Sev4);
        rules.extend(self.downgrade.map(Downgrade::rule));
        rules
    }
}

/// Grants 24x7 only where the severity allows it and an on-call contact is named.
pub fn sla_target(policy: &Policy, request: SlaRequest) -> SlaTarget {
    let rule = policy.severity(request.severity);
    let downgrade = match request.coverage {
        Coverage::BusinessHours => None,
        Coverage::TwentyFourSeven if !rule.allows_24x7 => Some(Downgrade::SeverityNotEligible),
        Coverage::TwentyFourSeven if !request.has_on_call_contact => Some(Downgrade::NoOnCallContact),
        Coverage::TwentyFourSeven => None,
    };
    let coverage = if downgrade.is_some() {
        Coverage::BusinessHours
    } else {
        request.coverage
    };
    SlaTarget {
        severity: request.severity,
        coverage,
        hours: rule.first_response_hours,
        clock: match coverage {
            Coverage::TwentyFourSeven => Clock::ClockHours,
            Coverage::BusinessHours => Clock::BusinessHours,
        },
        downgrade,
    }
}
