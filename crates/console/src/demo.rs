//! The demo world a try-out starts with: two organisations, a user in each role, and a few
//! packs, created through the app like any manager would.

use chrono::{DateTime, Duration, Utc};
use intakebot_app::request::{Actor, GrantCommand};
use intakebot_app::{App, AppError, Command};
use intakebot_config::Config;
use intakebot_core::ids::{AccountId, OrderNumber, OrgId};
use intakebot_core::plan::{PlanId, SignInKind};

/// What a console user is to the bot, as their Discord roles would say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRole {
    Customer(OrgId),
    Engineer,
    Manager,
}

/// Someone the console can act as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub account: AccountId,
    pub role: UserRole,
    pub sign_in: SignInKind,
}

impl User {
    fn demo(name: &str, role: UserRole, sign_in: SignInKind) -> User {
        User {
            name: name.to_string(),
            account: AccountId::new(name),
            role,
            sign_in,
        }
    }

    /// The user as Discord would present them: account, name, the configured role ids.
    pub fn actor(&self, config: &Config) -> Actor {
        let discord = &config.app.discord;
        let roles = match &self.role {
            UserRole::Customer(org) => config
                .app
                .organisations
                .iter()
                .filter(|o| &o.id == org)
                .map(|o| o.role.0)
                .collect(),
            UserRole::Engineer => vec![discord.roles.engineer.0],
            UserRole::Manager => vec![discord.roles.manager.0],
        };
        Actor {
            account: self.account.clone(),
            name: self.name.clone(),
            roles,
            locale: None,
        }
    }

    pub fn describe(&self) -> String {
        match &self.role {
            UserRole::Customer(org) => format!("customer of {org}"),
            UserRole::Engineer => "engineer".to_string(),
            UserRole::Manager => "manager".to_string(),
        }
    }
}

/// The demo's people: two Contoso customers (personal and work sign-in), a Fabrikam customer,
/// an engineer and a manager.
pub fn users() -> Vec<User> {
    let contoso = || UserRole::Customer(OrgId::new("contoso"));
    vec![
        User::demo("alice", contoso(), SignInKind::Personal),
        User::demo("bob", contoso(), SignInKind::Work),
        User::demo("frank", UserRole::Customer(OrgId::new("fabrikam")), SignInKind::Work),
        User::demo("erik", UserRole::Engineer, SignInKind::Work),
        User::demo("mona", UserRole::Manager, SignInKind::Work),
    ]
}

/// Seeds the demo once: records the customers' sign-in kinds and returns the purchases the
/// manager then records; `None` when the database was seeded before.
pub async fn seed(app: &App, now: DateTime<Utc>) -> Result<Option<Vec<Command>>, AppError> {
    if app.knows_account(&AccountId::new("alice")).await? {
        return Ok(None);
    }
    for user in users() {
        if let UserRole::Customer(org) = &user.role {
            app.record_account(&user.account, org, user.sign_in).await?;
        }
    }
    let today = now.date_naive();
    let packs = [
        (
            PlanId::FivePack,
            "alice",
            "contoso",
            today - Duration::days(30),
            "ORD-5PK-1001",
        ),
        (
            PlanId::PartnerGold20,
            "bob",
            "contoso",
            today - Duration::days(60),
            "ORD-GLD-2002",
        ),
        (PlanId::PayPerIncident, "alice", "contoso", today, "ORD-PPI-3003"),
        (
            PlanId::FivePack,
            "frank",
            "fabrikam",
            today - Duration::days(10),
            "ORD-5PK-4004",
        ),
    ];
    let grants = packs
        .into_iter()
        .map(|(plan, owner, org, purchased, order)| {
            Command::Grant(GrantCommand {
                plan,
                organisation: OrgId::new(org),
                owner: AccountId::new(owner),
                purchased: Some(purchased),
                order: OrderNumber::new(order),
            })
        })
        .collect();
    Ok(Some(grants))
}
