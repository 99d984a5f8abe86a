//! The policy engine: which plans a request may use, and its SLA target, with reasons.

pub mod config;

pub use config::{Localized, PlanFamily, PlanRule, Pointers, Policy, ScopeExclusion, SeverityRule};
