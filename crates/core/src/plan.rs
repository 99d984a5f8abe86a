//! Support plans ("packs", entitlements kinds) and how a requester signs in (P-PLAN-1, P-PLAN-5).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The plan ids used everywhere: config, CLI, commands and the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanId {
    PayPerIncident,
    FivePack,
    #[serde(rename = "partner-gold-20")]
    PartnerGold20,
    #[serde(rename = "partner-silver-15")]
    PartnerSilver15,
    #[serde(rename = "partner-maps-10")]
    PartnerMaps10,
    Signature,
    AdvancedPartner,
    SignatureCloud,
}

impl PlanId {
    pub const ALL: [PlanId; 8] = [
        PlanId::PayPerIncident,
        PlanId::FivePack,
        PlanId::PartnerGold20,
        PlanId::PartnerSilver15,
        PlanId::PartnerMaps10,
        PlanId::Signature,
        PlanId::AdvancedPartner,
        PlanId::SignatureCloud,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanId::PayPerIncident => "pay-per-incident",
            PlanId::FivePack => "five-pack",
            PlanId::PartnerGold20 => "partner-gold-20",
            PlanId::PartnerSilver15 => "partner-silver-15",
            PlanId::PartnerMaps10 => "partner-maps-10",
            PlanId::Signature => "signature",
            PlanId::AdvancedPartner => "advanced-partner",
            PlanId::SignatureCloud => "signature-cloud",
        }
    }
}

impl fmt::Display for PlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown plan id {0:?}: expected one of pay-per-incident, five-pack, partner-gold-20, partner-silver-15, partner-maps-10, signature, advanced-partner, signature-cloud")]
pub struct UnknownPlan(pub String);

impl FromStr for PlanId {
    type Err = UnknownPlan;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Norwegian members type the glossary's words for the two plans they buy themselves.
        let norwegian = match s.trim() {
            "fempakning" => Some(PlanId::FivePack),
            "betal-per-hendelse" => Some(PlanId::PayPerIncident),
            _ => None,
        };
        norwegian
            .or_else(|| PlanId::ALL.into_iter().find(|p| p.as_str() == s.trim()))
            .ok_or_else(|| UnknownPlan(s.to_string()))
    }
}

/// How the requester signed in: a personal account (MSA) or a work account (Entra).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignInKind {
    Personal,
    Work,
}

impl SignInKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SignInKind::Personal => "personal",
            SignInKind::Work => "work",
        }
    }
}

impl fmt::Display for SignInKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown sign-in kind {0:?}: use personal or work")]
pub struct UnknownSignIn(pub String);

impl FromStr for SignInKind {
    type Err = UnknownSignIn;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "personal" | "msa" => Ok(SignInKind::Personal),
            "work" | "entra" => Ok(SignInKind::Work),
            _ => Err(UnknownSignIn(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plan_id_round_trips_through_text_and_serde() {
        for plan in PlanId::ALL {
            assert_eq!(plan.as_str().parse::<PlanId>().unwrap(), plan);
            let json = serde_json::to_string(&plan).unwrap();
            assert_eq!(json, format!("\"{}\"", plan.as_str()));
        }
        assert!("gold".parse::<PlanId>().is_err());
        assert_eq!("fempakning".parse::<PlanId>().unwrap(), PlanId::FivePack);
        assert_eq!("betal-per-hendelse".parse::<PlanId>().unwrap(), PlanId::PayPerIncident);
    }
}
