//! Identifiers that carry meaning: an incident number is not just an integer.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The human number of an incident, shown as `INC-000123`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IncidentNumber(pub i64);

impl fmt::Display for IncidentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "INC-{:06}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an incident number: expected INC-000123 or 123")]
pub struct BadIncidentNumber(pub String);

impl FromStr for IncidentNumber {
    type Err = BadIncidentNumber;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let digits = trimmed
            .strip_prefix("INC-")
            .or_else(|| trimmed.strip_prefix("inc-"))
            .unwrap_or(trimmed);
        match digits.parse::<i64>() {
            Ok(n) if n > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Ok(IncidentNumber(n)),
            _ => Err(BadIncidentNumber(s.to_string())),
        }
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(s: impl Into<String>) -> Self { Self(s.into()) }
            pub fn as_str(&self) -> &str { &self.0 }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
    };
}

string_id!(
    /// An organisation (a customer company or partner), as named in config.
    OrgId
);
string_id!(
    /// An account: a person who buys or uses support (a Discord user id in the bot).
    AccountId
);
string_id!(
    /// The order confirmation number of a purchase (proof of purchase, P-PLAN-4).
    OrderNumber
);

/// The database id of an entitlement (a pack or plan an organisation holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntitlementId(pub i64);

impl fmt::Display for EntitlementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "E{}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a pack id: expected E12 or 12")]
pub struct BadEntitlementId(pub String);

impl FromStr for EntitlementId {
    type Err = BadEntitlementId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let digits = trimmed
            .strip_prefix('E')
            .or_else(|| trimmed.strip_prefix('e'))
            .unwrap_or(trimmed);
        match digits.parse::<i64>() {
            Ok(n) if n > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => Ok(EntitlementId(n)),
            _ => Err(BadEntitlementId(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incident_numbers_print_padded_and_parse_both_forms() {
        assert_eq!(IncidentNumber(123).to_string(), "INC-000123");
        assert_eq!("INC-000123".parse::<IncidentNumber>().unwrap(), IncidentNumber(123));
        assert_eq!("42".parse::<IncidentNumber>().unwrap(), IncidentNumber(42));
        assert!("INC-".parse::<IncidentNumber>().is_err());
        assert!("INC-+5".parse::<IncidentNumber>().is_err());
        assert!("0".parse::<IncidentNumber>().is_err());
    }

    #[test]
    fn pack_ids_print_with_their_letter_and_parse_both_forms() {
        assert_eq!(EntitlementId(12).to_string(), "E12");
        assert_eq!("E12".parse::<EntitlementId>().unwrap(), EntitlementId(12));
        assert_eq!(" e7 ".parse::<EntitlementId>().unwrap(), EntitlementId(7));
        assert_eq!("3".parse::<EntitlementId>().unwrap(), EntitlementId(3));
        assert!("E".parse::<EntitlementId>().is_err());
        assert!("E-1".parse::<EntitlementId>().is_err());
        assert!("five-pack".parse::<EntitlementId>().is_err());
    }
}
