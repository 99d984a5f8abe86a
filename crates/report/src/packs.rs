//! Per pack: units used in the period and left at its end, as the ledger says, and whether the
//! units run out by date soon (P-PLAN-2).
//!
//! The ledger is the truth: a split writes one `consume` row per sub-incident (P-INC-3), a
//! refund one `refund` row (P-CLOSE-4), an expiry one `expire` row; units left at the period's
//! end is the sum of every row before it (P-PLAN-6). A pack is listed when the period touched
//! it or it can still be used at the period's end; empty or expired packs with no activity are
//! left out.

use crate::figures::PackUsage;
use crate::period::Period;
use chrono::Days;
use intakebot_core::entitlement::Entitlement;
use intakebot_store::{LedgerEntry, LedgerKind};

/// Days after the period's end within which an expiry is "soon".
pub const EXPIRY_WARNING_DAYS: u64 = 30;

pub(crate) fn pack_usage(period: &Period, packs: &[Entitlement], ledger: &[LedgerEntry]) -> Vec<PackUsage> {
    let mut out: Vec<PackUsage> = packs.iter().map(|p| usage_of(period, p, ledger)).collect();
    out.retain(|u| u.consumed + u.refunded + u.expired > 0 || (u.units_left > 0 && usable_at_end(period, u)));
    out.sort_by(|a, b| (&a.organisation, a.entitlement).cmp(&(&b.organisation, b.entitlement)));
    out
}

fn usage_of(period: &Period, pack: &Entitlement, ledger: &[LedgerEntry]) -> PackUsage {
    let rows = ledger
        .iter()
        .filter(|l| l.entitlement == pack.id && l.at < period.end());
    let (mut consumed, mut refunded, mut expired, mut units_left) = (0, 0, 0, 0);
    for row in rows {
        units_left += row.delta;
        if !period.contains(row.at) {
            continue;
        }
        let units = u32::try_from(row.delta.unsigned_abs()).unwrap_or(u32::MAX);
        match row.kind {
            LedgerKind::Consume => consumed += units,
            LedgerKind::Refund => refunded += units,
            LedgerKind::Expire => expired += units,
            LedgerKind::Grant | LedgerKind::Transfer => {}
        }
    }
    let mut usage = PackUsage {
        entitlement: pack.id,
        organisation: pack.organisation.clone(),
        plan: pack.plan,
        consumed,
        refunded,
        expired,
        used: i64::from(consumed) - i64::from(refunded),
        units_left,
        expires_on: pack.expires_on,
        expiring_soon: false,
    };
    usage.expiring_soon = units_left > 0 && expires_soon(period, &usage);
    usage
}

/// The pack can be used on the period's last day (its expiry day is later).
fn usable_at_end(period: &Period, u: &PackUsage) -> bool {
    u.expires_on.map_or(true, |day| day > period.last_day())
}

/// Usable on the period's last day, unusable within 30 days after the period's end.
fn expires_soon(period: &Period, u: &PackUsage) -> bool {
    let horizon = period.to_day() + Days::new(EXPIRY_WARNING_DAYS);
    usable_at_end(period, u) && u.expires_on.is_some_and(|day| day <= horizon)
}
