//! Packs: a customer's balance, staff's view of every organisation's, a manager's grant and
//! transfer (P-PLAN-1..4); expiry notices are queued when a pack is granted (P-PLAN-2).

use crate::error::AppError;
use crate::present::{self, PackBalance};
use crate::request::GrantCommand;
use crate::say::Say;
use crate::turn::{Replies, Turn};
use crate::work::store_user_error;
use intakebot_core::ids::{AccountId, EntitlementId, OrderNumber, OrgId};
use intakebot_core::incident::Role;
use intakebot_core::policy::expiry_for;
use intakebot_store::{Author, NewEntitlement};

/// `/pack balance`: a customer sees their organisation's packs; staff see the one named, or
/// every organisation's.
pub(crate) async fn balance(turn: &Turn<'_>, named: Option<&OrgId>) -> Replies {
    let orgs: Vec<OrgId> = match (turn.member.customer_of(), named) {
        (Some(own), _) => vec![own.clone()],
        (None, _) if !turn.member.is_staff() => return Err(AppError::user(Say::NotAMember)),
        (None, Some(org)) => {
            known_org(turn, org)?;
            vec![org.clone()]
        }
        (None, None) => turn.app.config.app.organisations.iter().map(|o| o.id.clone()).collect(),
    };
    let mut sections = Vec::with_capacity(orgs.len());
    for org in orgs {
        let mut packs = Vec::new();
        for entitlement in turn.app.store.list_entitlements(&org).await? {
            let mut recent = turn.app.store.ledger(entitlement.id).await?;
            let keep = recent.len().saturating_sub(5);
            recent.drain(..keep);
            packs.push(PackBalance {
                expired: entitlement.is_expired_on(turn.now().date_naive()),
                entitlement,
                recent,
            });
        }
        sections.push((org, packs));
    }
    Ok(vec![turn.private_content(present::balance(
        turn.app,
        &sections,
        turn.lang(),
    ))])
}

fn known_org(turn: &Turn<'_>, org: &OrgId) -> Result<(), AppError> {
    match turn.app.organisation(org) {
        Some(_) => Ok(()),
        None => Err(AppError::user(Say::UnknownOrganisation { org: org.clone() })),
    }
}

fn require_manager(turn: &Turn<'_>) -> Result<(), AppError> {
    if turn.member.role == Role::Manager {
        Ok(())
    } else {
        Err(AppError::user(Say::OnlyManagers))
    }
}

/// Records a purchase: the plan's units, its expiry from the purchase date (P-PLAN-2).
pub(crate) async fn grant(turn: &Turn<'_>, grant: &GrantCommand) -> Replies {
    require_manager(turn)?;
    known_org(turn, &grant.organisation)?;
    let org = turn.app.organisation(&grant.organisation).map(|o| o.sign_in);
    // Packs reference their owner, who may never have written yet.
    if turn.app.store.account(&grant.owner).await?.is_none() {
        let sign_in = org.unwrap_or(intakebot_core::plan::SignInKind::Work);
        crate::member::record(turn.app, &grant.owner, &grant.organisation, sign_in).await?;
    }
    let rule = turn.app.config.policy.plan(grant.plan);
    let purchased_on = grant.purchased.unwrap_or(turn.now().date_naive());
    let new = NewEntitlement {
        plan: grant.plan,
        organisation: grant.organisation.clone(),
        owner: grant.owner.clone(),
        units: rule.units,
        purchased_on,
        expires_on: expiry_for(rule, purchased_on),
        order_number: grant.order.clone(),
    };
    let actor = Author::Account(turn.member.account.clone());
    let pack = turn.app.store.grant_entitlement(&new, &actor, turn.now()).await?;
    crate::notices::enqueue_expiry(turn.app, &pack).await?;
    Ok(vec![turn.private(Say::Granted {
        pack: pack.id,
        plan: pack.plan,
        units: pack.units_left,
    })])
}

/// Moves a pack's remaining units to a new owner on the matching order number (P-PLAN-4).
pub(crate) async fn transfer(turn: &Turn<'_>, id: EntitlementId, owner: &AccountId, proof: &OrderNumber) -> Replies {
    require_manager(turn)?;
    let store = &turn.app.store;
    let pack = store
        .entitlement(id)
        .await?
        .ok_or_else(|| AppError::user(Say::NoSuchPack { pack: id }))?;
    pack.check_transfer(owner, proof)
        .map_err(|why| AppError::user(Say::TransferRefused { pack: id, why }))?;
    if store.account(owner).await?.is_none() {
        let sign_in = turn
            .app
            .organisation(&pack.organisation)
            .map_or(intakebot_core::plan::SignInKind::Work, |o| o.sign_in);
        crate::member::record(turn.app, owner, &pack.organisation, sign_in).await?;
    }
    let actor = Author::Account(turn.member.account.clone());
    let moved = store
        .transfer_entitlement(id, proof, owner, &actor, turn.now())
        .await
        .map_err(store_user_error)?;
    Ok(vec![turn.private(Say::Transferred {
        pack: moved.id,
        owner: moved.owner,
    })])
}
