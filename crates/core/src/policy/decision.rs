//! Combines the rules into the answers the adapters show: the plan view of a product
//! version, and the decision on a concrete request with the organisation's entitlements.

use super::config::Policy;
use super::denial::{Denial, Pointer, UNAVAILABLE_MESSAGE};
use super::eligibility::{entitlement_denials, plan_denials, soonest_expiring_first, Requester, Subject};
use super::sla_target::{sla_target, SlaRequest, SlaTarget};
use crate::catalog::LifecyclePhase;
use crate::entitlement::Entitlement;
use crate::plan::{PlanId, SignInKind};
use crate::rules::RuleId;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A plan that cannot be used, with the P-N1-3 message and every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnavailablePlan {
    pub plan: PlanId,
    pub message: &'static str,
    pub rules: Vec<RuleId>,
    pub reasons: Vec<Denial>,
    pub pointers: Vec<Pointer>,
}

impl UnavailablePlan {
    fn new(plan: PlanId, reasons: Vec<Denial>) -> UnavailablePlan {
        UnavailablePlan {
            plan,
            message: UNAVAILABLE_MESSAGE,
            rules: rules_of(&reasons),
            pointers: pointers_of(&reasons),
            reasons,
        }
    }
}

/// Which kinds of plan can serve a product version (the `plans` command, P-N1-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanView {
    pub phase: LifecyclePhase,
    pub available: Vec<PlanId>,
    pub unavailable: Vec<UnavailablePlan>,
}

pub fn plan_view(policy: &Policy, subject: Subject<'_>, sign_in: SignInKind, now: DateTime<Utc>) -> PlanView {
    let day = now.date_naive();
    let mut view = PlanView {
        phase: subject.phase_on(day),
        available: Vec::new(),
        unavailable: Vec::new(),
    };
    for (plan, rule) in &policy.plans {
        let reasons = plan_denials(rule, subject, sign_in, day);
        if reasons.is_empty() {
            view.available.push(*plan);
        } else {
            view.unavailable.push(UnavailablePlan::new(*plan, reasons));
        }
    }
    view
}

/// An entitlement the request cannot use, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnusableEntitlement {
    pub entitlement: Entitlement,
    #[serde(flatten)]
    pub why: UnavailablePlan,
}

/// The decision on a request: usable entitlements (soonest-expiring first), the rest
/// with reasons, and the first-response target actually granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub phase: LifecyclePhase,
    pub usable: Vec<Entitlement>,
    pub unusable: Vec<UnusableEntitlement>,
    pub target: SlaTarget,
    /// Routes the policy offers when nothing held can be used.
    pub pointers: Vec<Pointer>,
}

impl Decision {
    /// The entitlement to charge by default: the one that expires soonest.
    pub fn default_entitlement(&self) -> Option<&Entitlement> {
        self.usable.first()
    }

    pub fn is_refused(&self) -> bool {
        self.usable.is_empty()
    }
}

/// Decides a request. `entitlements` are the organisation's; other organisations' never reach here.
pub fn decide(
    policy: &Policy,
    subject: Subject<'_>,
    requester: &Requester,
    entitlements: &[Entitlement],
    request: SlaRequest,
    now: DateTime<Utc>,
) -> Decision {
    let day = now.date_naive();
    let mut usable = Vec::new();
    let mut unusable = Vec::new();
    for entitlement in entitlements {
        let reasons = entitlement_denials(policy, entitlement, subject, requester, day);
        if reasons.is_empty() {
            usable.push(entitlement.clone());
        } else {
            unusable.push(UnusableEntitlement {
                entitlement: entitlement.clone(),
                why: UnavailablePlan::new(entitlement.plan, reasons),
            });
        }
    }
    usable.sort_by(soonest_expiring_first);
    let pointers = if usable.is_empty() {
        refusal_pointers(policy, subject, requester, &unusable, day)
    } else {
        Vec::new()
    };
    Decision {
        phase: subject.phase_on(day),
        usable,
        unusable,
        target: sla_target(policy, request),
        pointers,
    }
}

/// When nothing held can be used: the pointers of the reasons, and pay per incident when
/// that plan itself could serve this product for this sign-in (P-N1-4).
fn refusal_pointers(
    policy: &Policy,
    subject: Subject<'_>,
    requester: &Requester,
    unusable: &[UnusableEntitlement],
    day: chrono::NaiveDate,
) -> Vec<Pointer> {
    let mut pointers: Vec<Pointer> = Vec::new();
    for pointer in unusable.iter().flat_map(|u| u.why.pointers.iter().copied()) {
        if !pointers.contains(&pointer) {
            pointers.push(pointer);
        }
    }
    let ppi = policy.plan(PlanId::PayPerIncident);
    let ppi_reasons = plan_denials(ppi, subject, requester.sign_in, day);
    let ppi_only_blocked_by_sign_in = ppi_reasons.iter().all(|d| matches!(d, Denial::SignInNotAllowed { .. }));
    if ppi_reasons.is_empty() && !pointers.contains(&Pointer::PayPerIncident) {
        pointers.push(Pointer::PayPerIncident);
    } else if !ppi_reasons.is_empty() && ppi_only_blocked_by_sign_in {
        pointers.retain(|p| *p != Pointer::PayPerIncident);
        if !pointers.contains(&Pointer::PersonalAccount) {
            pointers.push(Pointer::PersonalAccount);
        }
    } else if !ppi_reasons.is_empty() {
        // Pay per incident cannot serve this product at all (e.g. out of lifecycle): a
        // personal sign-in would not help either.
        pointers.retain(|p| !matches!(p, Pointer::PayPerIncident | Pointer::PersonalAccount));
    }
    pointers
}

fn rules_of(reasons: &[Denial]) -> Vec<RuleId> {
    let mut rules = vec![RuleId::N1_3];
    for rule in reasons.iter().flat_map(|d| d.rules().iter().copied()) {
        if !rules.contains(&rule) {
            rules.push(rule);
        }
    }
    rules
}

fn pointers_of(reasons: &[Denial]) -> Vec<Pointer> {
    let mut pointers = Vec::new();
    for pointer in reasons.iter().filter_map(Denial::pointer) {
        if !pointers.contains(&pointer) {
            pointers.push(pointer);
        }
    }
    pointers
}
