//! Who a person is to the bot, decided once per request from the configured role ids:
//! manager, engineer or customer of one organisation; how they sign in (recorded, or their
//! organisation's default, P-PLAN-5); which language they read.

use crate::error::AppError;
use crate::request::Actor;
use crate::App;
use intakebot_core::ids::{AccountId, OrgId};
use intakebot_core::incident::{Actor as StateActor, Role};
use intakebot_core::language::Language;
use intakebot_core::plan::SignInKind;
use intakebot_store::Account;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub account: AccountId,
    pub role: Role,
    /// The organisation whose customer role the person has. Staff may also hold one (a
    /// customer role in their own company) but act as staff.
    pub organisation: Option<OrgId>,
    pub sign_in: SignInKind,
    /// The language of replies only this person sees.
    pub language: Language,
}

impl Member {
    /// The state machine's view of this member on an incident opened by `requester`.
    pub fn on(&self, requester: &AccountId) -> StateActor {
        StateActor {
            role: self.role,
            is_requester: &self.account == requester,
        }
    }

    /// Whether this member may see an incident of `organisation`: staff see all, customers
    /// only their own organisation's (anything else reads as "not found").
    pub fn may_see(&self, organisation: &OrgId) -> bool {
        match self.role {
            Role::Engineer | Role::Manager => true,
            Role::Customer => self.organisation.as_ref() == Some(organisation),
        }
    }

    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Engineer | Role::Manager)
    }

    /// The customer's organisation; staff and people without a customer role have none.
    pub fn customer_of(&self) -> Option<&OrgId> {
        self.organisation.as_ref().filter(|_| self.role == Role::Customer)
    }
}

/// Resolves the actor: role by the configured ids (manager wins over engineer), the
/// organisation by its role, the sign-in kind from the store, the language from the
/// interaction's locale, else the organisation's, else the configured default.
pub(crate) async fn resolve(app: &App, actor: &Actor) -> Result<Member, AppError> {
    let discord = &app.config.app.discord;
    let has = |id: u64| actor.roles.contains(&id);
    let role = if has(discord.roles.manager.0) {
        Role::Manager
    } else if has(discord.roles.engineer.0) {
        Role::Engineer
    } else {
        Role::Customer
    };
    let organisation = app.config.app.organisations.iter().find(|o| has(o.role.0));
    let stored = app.store.account(&actor.account).await?;
    let sign_in = match (&stored, organisation) {
        (Some(account), _) => account.sign_in,
        (None, Some(org)) => org.sign_in,
        (None, None) => SignInKind::Work,
    };
    if let (None, Some(org), Role::Customer) = (&stored, organisation, role) {
        record(app, &actor.account, &org.id, sign_in).await?;
    }
    let language = actor
        .locale
        .or(organisation.map(|o| o.language))
        .unwrap_or(discord.language);
    Ok(Member {
        account: actor.account.clone(),
        role,
        organisation: organisation.map(|o| o.id.clone()),
        sign_in,
        language,
    })
}

/// Makes the account known with its organisation (packs and incidents reference accounts).
pub(crate) async fn record(app: &App, account: &AccountId, org: &OrgId, sign_in: SignInKind) -> Result<(), AppError> {
    let name = app.organisation(org).map_or(org.as_str(), |o| o.name.as_str());
    app.store.upsert_organisation(org, name).await?;
    app.store
        .upsert_account(&Account {
            id: account.clone(),
            organisation: org.clone(),
            role: Role::Customer,
            sign_in,
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: Role, org: Option<&str>) -> Member {
        Member {
            account: AccountId::new("1"),
            role,
            organisation: org.map(OrgId::new),
            sign_in: SignInKind::Work,
            language: Language::En,
        }
    }

    #[test]
    fn customers_see_only_their_own_organisation() {
        let contoso = OrgId::new("contoso");
        let fabrikam = OrgId::new("fabrikam");
        assert!(member(Role::Customer, Some("contoso")).may_see(&contoso));
        assert!(!member(Role::Customer, Some("contoso")).may_see(&fabrikam));
        assert!(!member(Role::Customer, None).may_see(&contoso));
        assert!(member(Role::Engineer, None).may_see(&fabrikam));
    }
}
