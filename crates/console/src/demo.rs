//! The demo world a try-out starts with: two organisations, a user in each role, and a few
//! packs, created through the app like any manager would.

use chrono::{DateTime, Duration, Utc};
use intakebot_app::request::{Actor, GrantCommand};
use intakebot_app::{App, AppError, Command};
use intakebot_config::Config;
use intakebot_core::ids::{AccountId, OrderNumber, OrgId};
use intakebot_core::plan::{PlanId, SignInKind};

/// What a demo user is to the bot, as their Discord roles would say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoRole {
    Customer(&'static str),
    Engineer,
    Manager,
}

pub struct DemoUser {
    pub name: &'static str,
    pub role: DemoRole,
    pub sign_in: SignInKind,
}

pub const USERS: [DemoUser; 5] = [
    DemoUser {
        name: "alice",
        role: DemoRole::Customer("contoso"),
        sign_in: SignInKind::Personal,
    },
    DemoUser {
        name: "bob",
        role: DemoRole::Customer("contoso"),
        sign_in: SignInKind::Work,
    },
    DemoUser {
        name: "frank",
        role: DemoRole::Customer("fabrikam"),
        sign_in: SignInKind::Work,
    },
    DemoUser {
        name: "erik",
        role: DemoRole::Engineer,
        sign_in: SignInKind::Work,
    },
    DemoUser {
        name: "mona",
        role: DemoRole::Manager,
        sign_in: SignInKind::Work,
    },
];

pub fn find(name: &str) -> Option<&'static DemoUser> {
    USERS.iter().find(|u| u.name == name)
}

impl DemoUser {
    /// The user as Discord would present them: their name as account, the configured roles.
    pub fn actor(&self, config: &Config) -> Actor {
        let discord = &config.app.discord;
        let roles = match self.role {
            DemoRole::Customer(org) => config
                .app
                .organisations
                .iter()
                .filter(|o| o.id.as_str() == org)
                .map(|o| o.role.0)
                .collect(),
            DemoRole::Engineer => vec![discord.roles.engineer.0],
            DemoRole::Manager => vec![discord.roles.manager.0],
        };
        Actor {
            account: AccountId::new(self.name),
            name: self.name.to_string(),
            roles,
            locale: None,
        }
    }

    pub fn describe(&self) -> String {
        match self.role {
            DemoRole::Customer(org) => format!("customer of {org}"),
            DemoRole::Engineer => "engineer".to_string(),
            DemoRole::Manager => "manager".to_string(),
        }
    }
}

/// Seeds the demo once: records the customers' sign-in kinds and returns the purchases the
/// manager then records; `None` when the database was seeded before.
pub async fn seed(app: &App, now: DateTime<Utc>) -> Result<Option<Vec<Command>>, AppError> {
    if app.knows_account(&AccountId::new("alice")).await? {
        return Ok(None);
    }
    for user in &USERS {
        if let DemoRole::Customer(org) = user.role {
            app.record_account(&AccountId::new(user.name), &OrgId::new(org), user.sign_in)
                .await?;
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
