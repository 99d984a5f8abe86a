//! The typed policy (from `config/policy.toml`): numbers and names an operator may
//! change; the mechanisms that use them live in the engine.

use crate::plan::{PlanId, SignInKind};
use crate::severity::Severity;
use std::collections::BTreeMap;

/// A text in each language the bot speaks.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub en: String,
    pub no: String,
}

/// First-response target of one severity (P-SEV-1..P-SEV-4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeverityRule {
    pub severity: Severity,
    pub first_response_hours: u32,
    /// Whether 24x7 coverage may be granted at this severity (P-SEV-4).
    pub allows_24x7: bool,
    pub meaning: Localized,
}

/// Which family a plan belongs to; the family decides which rules bind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFamily {
    Professional,
    /// The MAICPP partner packs: Gold 20, Silver 15, MAPS 10 (P-N1-1).
    PartnerPack,
    Signature,
    AdvancedPartner,
    SignatureCloud,
}

/// What one plan covers and who may use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRule {
    pub id: PlanId,
    pub name: Localized,
    pub family: PlanFamily,
    /// Units in one purchase (P-PLAN-1).
    pub units: u32,
    /// Units expire this many months after purchase (P-PLAN-2).
    pub expires_after_months: Option<u32>,
    /// Only the buying account may use it (P-PLAN-3).
    pub owner_only: bool,
    /// Bound by the N-1 policy (P-N1-1, P-N1-2).
    pub n_minus_one: bool,
    /// Usable only in mainstream (P-LIFE-3).
    pub mainstream_only: bool,
    pub covers_on_premises: bool,
    /// Covers cloud products (P-CLOUD-1).
    pub covers_cloud: bool,
    /// Sign-in kinds allowed to buy or use it (P-PLAN-5).
    pub sign_in: Vec<SignInKind>,
}

/// Web pages the bot points to instead of opening an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointers {
    /// Card billing questions (P-SCOPE-2).
    pub billing: String,
    /// Tax-exemption paperwork (P-SCOPE-2).
    pub tax_exemption: String,
    /// Cloud products (P-CLOUD-1).
    pub signature_cloud: String,
    /// Buying one incident online (P-N1-4).
    pub pay_per_incident: String,
    /// Signing in with a personal account to buy pay per incident (P-PLAN-5).
    pub personal_account: String,
}

/// One kind of request the policy does not cover (P-SCOPE-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeExclusion {
    pub key: String,
    pub name: Localized,
}

/// The whole policy, validated at load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub severities: BTreeMap<Severity, SeverityRule>,
    pub plans: BTreeMap<PlanId, PlanRule>,
    pub exclusions: Vec<ScopeExclusion>,
    pub pointers: Pointers,
}

impl Policy {
    pub fn severity(&self, severity: Severity) -> &SeverityRule {
        &self.severities[&severity]
    }

    pub fn plan(&self, plan: PlanId) -> &PlanRule {
        &self.plans[&plan]
    }
}
