//! Packs: a customer's balance, a manager's grant and transfer (P-PLAN-1..4).

use super::error::AppError;
use super::member::Member;
use super::App;
use crate::core::entitlement::Entitlement;
use crate::core::ids::{AccountId, EntitlementId, OrderNumber, OrgId};
use crate::core::incident::Role;
use crate::core::language::Language;
use crate::core::plan::PlanId;
use crate::core::policy::expiry_for;
use crate::store::{Author, LedgerEntry, NewEntitlement};
use chrono::{DateTime, NaiveDate, Utc};

/// One entitlement with its latest ledger rows, for `/pack balance`.
#[derive(Debug, Clone)]
pub struct PackBalance {
    pub entitlement: Entitlement,
    pub expired: bool,
    pub recent: Vec<LedgerEntry>,
}

/// A manager's purchase record.
#[derive(Debug, Clone)]
pub struct Grant {
    pub plan: PlanId,
    pub organisation: OrgId,
    pub owner: AccountId,
    pub purchased_on: NaiveDate,
    pub order_number: OrderNumber,
}

impl App {
    /// The organisation's packs with their last uses. Customers see their own organisation only.
    pub async fn balance(
        &self,
        member: &Member,
        organisation: Option<OrgId>,
        now: DateTime<Utc>,
    ) -> Result<Vec<PackBalance>, AppError> {
        let org = match (member.role, organisation) {
            (Role::Customer, _) => member
                .organisation
                .clone()
                .ok_or_else(|| AppError::user(no_org(member.language)))?,
            (_, Some(org)) => org,
            (_, None) => member
                .organisation
                .clone()
                .ok_or_else(|| AppError::user(name_org(member.language)))?,
        };
        let mut out = Vec::new();
        for entitlement in self.store.list_entitlements(&org).await? {
            let mut recent = self.store.ledger(entitlement.id).await?;
            let keep = recent.len().saturating_sub(5);
            recent.drain(..keep);
            out.push(PackBalance {
                expired: entitlement.is_expired_on(now.date_naive()),
                entitlement,
                recent,
            });
        }
        Ok(out)
    }

    /// Records a purchase: the plan's units, its expiry from the purchase date (P-PLAN-2).
    pub async fn grant(&self, member: &Member, grant: Grant, now: DateTime<Utc>) -> Result<Entitlement, AppError> {
        require_manager(member)?;
        if !self.config.app.organisations.iter().any(|o| o.id == grant.organisation) {
            return Err(AppError::user(unknown_org(&grant.organisation, member.language)));
        }
        let rule = self.config.policy.plan(grant.plan);
        let new = NewEntitlement {
            plan: grant.plan,
            organisation: grant.organisation,
            owner: grant.owner,
            units: rule.units,
            purchased_on: grant.purchased_on,
            expires_on: expiry_for(rule, grant.purchased_on),
            order_number: grant.order_number,
        };
        let actor = Author::Account(member.account.clone());
        let entitlement = self.store.grant_entitlement(&new, &actor, now).await?;
        self.enqueue_expiry_notices(&entitlement).await?;
        Ok(entitlement)
    }

    /// Moves a pack's remaining units to a new owner on the matching order number (P-PLAN-4).
    pub async fn transfer(
        &self,
        member: &Member,
        id: EntitlementId,
        new_owner: AccountId,
        proof: OrderNumber,
        now: DateTime<Utc>,
    ) -> Result<Entitlement, AppError> {
        require_manager(member)?;
        let lang = member.language;
        let entitlement = self
            .store
            .entitlement(id)
            .await?
            .ok_or_else(|| AppError::user(no_pack(id, lang)))?;
        entitlement
            .check_transfer(&new_owner, &proof)
            .map_err(|e| AppError::user(format!("{}: {e} (P-PLAN-4); nothing was moved.", entitlement.id)))?;
        let actor = Author::Account(member.account.clone());
        self.store
            .transfer_entitlement(id, &proof, &new_owner, &actor, now)
            .await
            .map_err(|e| super::store_user_error(e, lang))
    }
}

pub(crate) fn require_manager(member: &Member) -> Result<(), AppError> {
    if member.role == Role::Manager {
        Ok(())
    } else {
        Err(AppError::user(
            member
                .language
                .pick("Only managers can do that.", "Bare ledere kan gjøre det."),
        ))
    }
}

fn no_org(lang: Language) -> &'static str {
    lang.pick(
        "You are not a member of any organisation.",
        "Du er ikke medlem av noen organisasjon.",
    )
}

fn name_org(lang: Language) -> &'static str {
    lang.pick("Name the organisation.", "Oppgi organisasjonen.")
}

fn unknown_org(org: &OrgId, lang: Language) -> String {
    match lang {
        Language::En => format!("There is no organisation {org} in the config."),
        Language::No => format!("Det finnes ingen organisasjon {org} i konfigurasjonen."),
    }
}

fn no_pack(id: EntitlementId, lang: Language) -> String {
    match lang {
        Language::En => format!("There is no pack {id}."),
        Language::No => format!("Det finnes ingen pakke {id}."),
    }
}
