//! Why a plan cannot be used, as values: each reason names its rule and where to go instead;
//! the app says it in words.

use crate::plan::SignInKind;
use crate::rules::RuleId;
use chrono::NaiveDate;
use serde::Serialize;

/// The exact message of P-N1-3 for every plan that cannot be used.
pub const UNAVAILABLE_MESSAGE: &str = "Support plan cannot be used for support on the specified product";
/// The same message in Norwegian, as the FAQ words it.
pub const UNAVAILABLE_MESSAGE_NO: &str = "Støtteplan kan ikke brukes til støtte på det angitte produktet";

/// Where the policy sends a requester instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pointer {
    /// Cloud products are served by Signature Cloud (P-CLOUD-1).
    SignatureCloud,
    /// A partner excluded by N-1 can still buy pay per incident (P-N1-4).
    PayPerIncident,
    /// Pay per incident needs a personal-account sign-in (P-PLAN-5).
    PersonalAccount,
    /// Card billing questions (P-SCOPE-2).
    Billing,
    /// Tax-exemption paperwork (P-SCOPE-2).
    TaxExemption,
}

/// One reason a plan or entitlement cannot be used for a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Denial {
    /// The version is past the end of extended support (P-LIFE-4, P-SCOPE-1).
    OutOfLifecycle { extended_last_day: NaiveDate },
    /// The version is not released yet on the day asked about (P-LIFE-1).
    Unreleased { released: NaiveDate },
    /// The plan is usable in mainstream only and the version is in extended (P-LIFE-3).
    MainstreamOnly { mainstream_last_day: NaiveDate },
    /// N-1 covers the current version, and the previous one only while in mainstream (P-N1-2).
    NMinusOne {
        generations_behind: usize,
        previous_in_mainstream: bool,
    },
    /// The plan does not cover cloud products (P-CLOUD-1).
    CloudNotCovered,
    /// The plan covers cloud products only (P-CLOUD-1, reading).
    OnPremisesNotCovered,
    /// The plan cannot be bought or used with this sign-in kind (P-PLAN-5).
    SignInNotAllowed { sign_in: SignInKind },
    /// The units expired (P-PLAN-2).
    Expired { expired_on: NaiveDate },
    /// Only the account that bought the pack may use it (P-PLAN-3).
    NotOwner,
    /// No units left (P-PLAN-6).
    NoUnitsLeft,
}

impl Denial {
    pub fn rules(&self) -> &'static [RuleId] {
        match self {
            Denial::OutOfLifecycle { .. } => &[RuleId::Life4, RuleId::Scope1],
            Denial::Unreleased { .. } => &[RuleId::Life1],
            Denial::MainstreamOnly { .. } => &[RuleId::Life3],
            Denial::NMinusOne { .. } => &[RuleId::N1_2],
            Denial::CloudNotCovered | Denial::OnPremisesNotCovered => &[RuleId::Cloud1],
            Denial::SignInNotAllowed { .. } => &[RuleId::Plan5],
            Denial::Expired { .. } => &[RuleId::Plan2],
            Denial::NotOwner => &[RuleId::Plan3],
            Denial::NoUnitsLeft => &[RuleId::Plan6],
        }
    }

    /// Where to go instead, if the policy names a route.
    pub fn pointer(&self) -> Option<Pointer> {
        match self {
            Denial::NMinusOne { .. } | Denial::MainstreamOnly { .. } => Some(Pointer::PayPerIncident),
            Denial::CloudNotCovered => Some(Pointer::SignatureCloud),
            Denial::SignInNotAllowed { .. } => Some(Pointer::PersonalAccount),
            _ => None,
        }
    }
}
