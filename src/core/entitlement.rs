//! An entitlement: a pack or plan an organisation holds, with units left (P-PLAN-1..4).

use crate::core::ids::{AccountId, EntitlementId, OrderNumber, OrgId};
use crate::core::plan::PlanId;
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
