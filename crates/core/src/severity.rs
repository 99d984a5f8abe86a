//! Severity and coverage of an incident (P-SEV-1..P-SEV-5).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The business impact the customer declares; it sets the first-response target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    A,
    B,
    C,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::A, Severity::B, Severity::C];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::A => "A",
            Severity::B => "B",
            Severity::C => "C",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity {0:?}: use A, B or C")]
pub struct UnknownSeverity(pub String);

impl FromStr for Severity {
    type Err = UnknownSeverity;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "A" => Ok(Severity::A),
            "B" => Ok(Severity::B),
            "C" => Ok(Severity::C),
            _ => Err(UnknownSeverity(s.to_string())),
        }
    }
}

/// When the first-response clock runs: around the clock, or only in business hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Coverage {
    #[serde(rename = "24x7")]
    TwentyFourSeven,
    #[serde(rename = "business")]
    BusinessHours,
}

impl Coverage {
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::TwentyFourSeven => "24x7",
            Coverage::BusinessHours => "business",
        }
    }
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown coverage {0:?}: use 24x7 or business")]
pub struct UnknownCoverage(pub String);

impl FromStr for Coverage {
    type Err = UnknownCoverage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "24x7" | "24/7" => Ok(Coverage::TwentyFourSeven),
            "business" | "business-hours" | "business_hours" => Ok(Coverage::BusinessHours),
            _ => Err(UnknownCoverage(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_parses_case_insensitively_and_rejects_others() {
        assert_eq!("b".parse::<Severity>().unwrap(), Severity::B);
        assert_eq!(" A ".parse::<Severity>().unwrap(), Severity::A);
        assert!("D".parse::<Severity>().is_err());
    }

    #[test]
    fn coverage_accepts_both_spellings_of_round_the_clock() {
        assert_eq!("24/7".parse::<Coverage>().unwrap(), Coverage::TwentyFourSeven);
        assert_eq!("24x7".parse::<Coverage>().unwrap(), Coverage::TwentyFourSeven);
        assert_eq!("business".parse::<Coverage>().unwrap(), Coverage::BusinessHours);
        assert!("weekends".parse::<Coverage>().is_err());
    }
}
