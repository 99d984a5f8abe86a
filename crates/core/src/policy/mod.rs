//! The policy engine: which plans a request may use, and its SLA target, with reasons.
//!
//! Deny wins: every rule is checked, a single failing rule makes a plan unusable, and
//! every failing rule is reported with its ID so the reply can explain all of them.

pub mod config;
mod decision;
mod denial;
mod eligibility;
#[cfg(test)]
mod fixtures;
mod sla_target;
#[cfg(test)]
mod tests;

pub use config::{Localized, PlanFamily, PlanRule, Pointers, Policy, ScopeExclusion, SeverityRule};
pub use decision::{decide, plan_view, Decision, PlanView, UnavailablePlan, UnusableEntitlement};
pub use denial::{Denial, Pointer, UNAVAILABLE_MESSAGE, UNAVAILABLE_MESSAGE_NO};
pub use eligibility::{entitlement_denials, expiry_for, plan_denials, Requester, Subject};
pub use sla_target::{sla_target, Clock, Downgrade, SlaRequest, SlaTarget};

impl Pointers {
    /// The page a pointer sends the requester to.
    pub fn url(&self, pointer: Pointer) -> &str {
        match pointer {
            Pointer::SignatureCloud => &self.signature_cloud,
            Pointer::PayPerIncident => &self.pay_per_incident,
            Pointer::PersonalAccount => &self.personal_account,
            Pointer::Billing => &self.billing,
            Pointer::TaxExemption => &self.tax_exemption,
        }
    }
}
