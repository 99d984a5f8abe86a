//! The demo world a try-out starts with: one organisation, a user in each role, and a few packs.

use crate::app::{App, AppError, Grant, Member};
use crate::core::ids::{AccountId, OrderNumber, OrgId};
use crate::core::incident::Role;
use crate::core::language::Language;
use crate::core::plan::{PlanId, SignInKind};
use crate::store::Account;
use chrono::{DateTime, Duration, Utc};

/// A demo user: name, role, organisation, sign-in kind.
pub struct DemoUser {
    pub name: &'static str,
    pub role: Role,
    pub organisation: &'static str,
    pub sign_in: SignInKind,
}

pub const USERS: [DemoUser; 5] = [
    DemoUser {
        name: "alice",
        role: Role::Customer,
        organisation: "contoso",
        sign_in: SignInKind::Personal,
    },
    DemoUser {
        name: "bob",
        role: Role::Customer,
        organisation: "contoso",
        sign_in: SignInKind::Work,
    },
    DemoUser {
        name: "frank",
        role: Role::Customer,
        organisation: "fabrikam",
        sign_in: SignInKind::Work,
    },
    DemoUser {
        name: "erik",
        role: Role::Engineer,
        organisation: "contoso",
        sign_in: SignInKind::Work,
    },
    DemoUser {
        name: "mona",
        role: Role::Manager,
        organisation: "contoso",
        sign_in: SignInKind::Work,
    },
];

pub fn member(user: &DemoUser, lang: Language) -> Member {
    Member {
        account: AccountId::new(user.name),
        name: user.name.to_string(),
        role: user.role,
        organisation: (user.role == Role::Customer).then(|| OrgId::new(user.organisation)),
        sign_in: user.sign_in,
        language: lang,
    }
}

pub fn find(name: &str) -> Option<&'static DemoUser> {
    USERS.iter().find(|u| u.name == name)
}

/// Seeds the store once: organisations from config, the demo users, and their packs.
/// Returns false when the store was seeded before.
pub async fn seed(app: &App, now: DateTime<Utc>) -> Result<bool, AppError> {
    if app.store.account(&AccountId::new("alice")).await?.is_some() {
        return Ok(false);
    }
    for org in &app.config.app.organisations {
        app.store.upsert_organisation(&org.id, &org.name).await?;
    }
    for user in &USERS {
        let account = Account {
            id: AccountId::new(user.name),
            organisation: OrgId::new(user.organisation),
            role: user.role,
            sign_in: user.sign_in,
        };
        app.store.upsert_account(&account).await?;
    }
    let mona = member(&USERS[4], Language::En);
    let today = now.date_naive();
    let packs = [
        (PlanId::FivePack, "alice", today - Duration::days(30), "ORD-5PK-1001"),
        (PlanId::PartnerGold20, "bob", today - Duration::days(60), "ORD-GLD-2002"),
        (PlanId::PayPerIncident, "alice", today, "ORD-PPI-3003"),
        (PlanId::FivePack, "frank", today - Duration::days(10), "ORD-5PK-4004"),
    ];
    for (plan, owner, purchased_on, order) in packs {
        let organisation = OrgId::new(find(owner).map(|u| u.organisation).unwrap_or("contoso"));
        let grant = Grant {
            plan,
            organisation,
            owner: AccountId::new(owner),
            purchased_on,
            order_number: OrderNumber::new(order),
        };
        app.grant(&mona, grant, now).await?;
    }
    Ok(true)
}
