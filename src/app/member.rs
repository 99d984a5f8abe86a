//! The member acting, resolved once at the edge (Discord roles, or the console's demo user).

use crate::core::ids::{AccountId, OrgId};
use crate::core::incident::{Actor, Role};
use crate::core::language::Language;
use crate::core::plan::SignInKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub account: AccountId,
    pub name: String,
    pub role: Role,
    /// Customers belong to one organisation; engineers and managers serve all of them.
    pub organisation: Option<OrgId>,
    pub sign_in: SignInKind,
    pub language: Language,
}

impl Member {
    /// The state machine's view of this member on an incident opened by `requester`.
    pub fn actor_on(&self, requester: &AccountId) -> Actor {
        Actor {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: Role, org: Option<&str>) -> Member {
        Member {
            account: AccountId::new("1"),
            name: "x".into(),
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
