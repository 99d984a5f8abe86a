//! Which plans and entitlements a request may use (P-LIFE-*, P-N1-*, P-CLOUD-1, P-PLAN-*).
//!
//! How rules combine: every rule is checked and every failing rule is reported;
//! a single failure denies the plan (deny wins, nothing overrides it).

use super::config::{PlanRule, Policy};
use super::denial::Denial;
use crate::catalog::{LifecyclePhase, Product, Version};
use crate::entitlement::Entitlement;
use crate::ids::AccountId;
use crate::plan::SignInKind;
use chrono::{Months, NaiveDate};

/// The product version a request is about, resolved from the catalog.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub product: &'a Product,
    pub version: &'a Version,
}

impl Subject<'_> {
    pub fn phase_on(&self, day: NaiveDate) -> LifecyclePhase {
        self.version.phase_on(day)
    }
}

/// Who asks: the account and how it signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requester {
    pub account: AccountId,
    pub sign_in: SignInKind,
}

/// Reasons a kind of plan cannot serve this product version on `day` for this sign-in.
pub fn plan_denials(rule: &PlanRule, subject: Subject<'_>, sign_in: SignInKind, day: NaiveDate) -> Vec<Denial> {
    let mut denials = lifecycle_denials(rule, subject, day);
    denials.extend(deployment_denial(rule, subject));
    if !subject.product.is_cloud() {
        denials.extend(n_minus_one_denial(rule, subject, day));
    }
    if !rule.sign_in.contains(&sign_in) {
        denials.push(Denial::SignInNotAllowed { sign_in });
    }
    denials
}

/// Reasons a held entitlement cannot be used: the plan's reasons plus expiry, owner and units.
pub fn entitlement_denials(
    policy: &Policy,
    entitlement: &Entitlement,
    subject: Subject<'_>,
    requester: &Requester,
    day: NaiveDate,
) -> Vec<Denial> {
    let rule = policy.plan(entitlement.plan);
    let mut denials = plan_denials(rule, subject, requester.sign_in, day);
    if let Some(expired_on) = entitlement.expires_on.filter(|_| entitlement.is_expired_on(day)) {
        denials.push(Denial::Expired { expired_on });
    }
    if rule.owner_only && entitlement.owner != requester.account {
        denials.push(Denial::NotOwner);
    }
    if entitlement.units_left == 0 {
        denials.push(Denial::NoUnitsLeft);
    }
    denials
}

/// The first day a purchase's units can no longer be used (P-PLAN-2).
/// (reading) "Expires one year after purchase": usable through the day before the anniversary.
pub fn expiry_for(rule: &PlanRule, purchased_on: NaiveDate) -> Option<NaiveDate> {
    rule.expires_after_months
        .and_then(|months| purchased_on.checked_add_months(Months::new(months)))
}

fn lifecycle_denials(rule: &PlanRule, subject: Subject<'_>, day: NaiveDate) -> Vec<Denial> {
    let version = subject.version;
    match version.phase_on(day) {
        LifecyclePhase::Unreleased => vec![Denial::Unreleased {
            released: version.released,
        }],
        LifecyclePhase::Out => vec![Denial::OutOfLifecycle {
            extended_last_day: version.extended_last_day,
        }],
        LifecyclePhase::Extended if rule.mainstream_only => {
            vec![Denial::MainstreamOnly {
                mainstream_last_day: version.mainstream_last_day,
            }]
        }
        LifecyclePhase::Extended | LifecyclePhase::Mainstream => Vec::new(),
    }
}

fn deployment_denial(rule: &PlanRule, subject: Subject<'_>) -> Option<Denial> {
    match (subject.product.is_cloud(), rule.covers_cloud, rule.covers_on_premises) {
        (true, false, _) => Some(Denial::CloudNotCovered),
        (false, _, false) => Some(Denial::OnPremisesNotCovered),
        _ => None,
    }
}

/// P-N1-2: the current version (N) always; N-1 only while in mainstream; older never.
fn n_minus_one_denial(rule: &PlanRule, subject: Subject<'_>, day: NaiveDate) -> Option<Denial> {
    if !rule.n_minus_one {
        return None;
    }
    let behind = subject.product.generations_behind(subject.version, day)?;
    let in_mainstream = subject.version.phase_on(day) == LifecyclePhase::Mainstream;
    match behind {
        0 => None,
        1 if in_mainstream => None,
        _ => Some(Denial::NMinusOne {
            generations_behind: behind,
            previous_in_mainstream: in_mainstream,
        }),
    }
}

/// Orders usable entitlements: soonest-expiring first, never-expiring last, then fewest units.
pub fn soonest_expiring_first(a: &Entitlement, b: &Entitlement) -> std::cmp::Ordering {
    let expiry = |e: &Entitlement| e.expires_on.unwrap_or(NaiveDate::MAX);
    expiry(a)
        .cmp(&expiry(b))
        .then(a.units_left.cmp(&b.units_left))
        .then(a.id.cmp(&b.id))
}
