//! An entitlement: a pack or plan an organisation holds, with units left (P-PLAN-1..4).

use crate::ids::{AccountId, EntitlementId, OrderNumber, OrgId};
use crate::plan::PlanId;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entitlement {
    pub id: EntitlementId,
    pub plan: PlanId,
    pub organisation: OrgId,
    pub units_left: u32,
    pub purchased_on: NaiveDate,
    /// First day on which the units can no longer be used, if the plan expires (P-PLAN-2).
    pub expires_on: Option<NaiveDate>,
    /// The account that bought it (P-PLAN-3, P-PLAN-4).
    pub owner: AccountId,
    pub order_number: OrderNumber,
}

impl Entitlement {
    pub fn is_expired_on(&self, day: NaiveDate) -> bool {
        self.expires_on
            .is_some_and(|first_expired_day| day >= first_expired_day)
    }
}

/// Why a transfer of remaining units to a new owner was refused (P-PLAN-4).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferRefused {
    #[error("the order confirmation number does not match this pack's purchase")]
    OrderNumberMismatch,
    #[error("the new owner already owns this pack")]
    SameOwner,
    #[error("no units are left to transfer")]
    NothingLeft,
}

impl Entitlement {
    /// Remaining units move to `new_owner` only on proof of purchase: the order
    /// confirmation number must match the pack's (P-PLAN-4). Spaces and case are ignored.
    pub fn check_transfer(&self, new_owner: &AccountId, proof: &OrderNumber) -> Result<(), TransferRefused> {
        let normalise = |s: &str| {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_uppercase()
        };
        if normalise(proof.as_str()) != normalise(self.order_number.as_str()) {
            return Err(TransferRefused::OrderNumberMismatch);
        }
        if &self.owner == new_owner {
            return Err(TransferRefused::SameOwner);
        }
        if self.units_left == 0 {
            return Err(TransferRefused::NothingLeft);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(units_left: u32) -> Entitlement {
        Entitlement {
            id: EntitlementId(1),
            plan: PlanId::FivePack,
            organisation: OrgId::new("contoso"),
            units_left,
            purchased_on: NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
            expires_on: NaiveDate::from_ymd_opt(2027, 3, 15),
            owner: AccountId::new("alice"),
            order_number: OrderNumber::new("ORD-4711"),
        }
    }

    // P-PLAN-4: units move to another account only when the order confirmation number matches.
    #[test]
    fn transfer_needs_the_matching_order_number() {
        let bob = AccountId::new("bob");
        assert_eq!(
            pack(3).check_transfer(&bob, &OrderNumber::new("ORD-4712")),
            Err(TransferRefused::OrderNumberMismatch)
        );
        assert_eq!(pack(3).check_transfer(&bob, &OrderNumber::new(" ord-4711 ")), Ok(()));
        assert_eq!(
            pack(0).check_transfer(&bob, &OrderNumber::new("ORD-4711")),
            Err(TransferRefused::NothingLeft)
        );
        assert_eq!(
            pack(3).check_transfer(&AccountId::new("alice"), &OrderNumber::new("ORD-4711")),
            Err(TransferRefused::SameOwner)
        );
    }

    // P-PLAN-2: expired from the first expired day on, not before.
    #[test]
    fn expiry_is_exclusive_of_the_day_before() {
        assert!(!pack(1).is_expired_on(NaiveDate::from_ymd_opt(2027, 3, 14).unwrap()));
        assert!(pack(1).is_expired_on(NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()));
    }
}
