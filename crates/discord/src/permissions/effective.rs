//! The bot's effective permissions in each configured channel, as Discord computes them
//! (permissions docs): `@everyone` plus the member's roles (Administrator is everything), then
//! the channel's overwrites: `@everyone`'s, the member's roles' (denies, then allows), the
//! member's own. Pure: the Discord wiring fetches the roles and channels and calls [`check`].
//!
//! Discord's implicit denials (no View Channel hides the channel, no Send Messages disables
//! embeds and mentions) are left out on purpose: the report names what an admin must grant, not
//! the consequences of one missing grant.

use super::needed::{missing_of, REQUIRED, STAFF};
use poise::serenity_prelude::{
    ChannelId, GuildId, PermissionOverwrite, PermissionOverwriteType, Permissions, RoleId, UserId,
};
use std::collections::BTreeMap;
use std::fmt;

/// Who the bot is in the guild: every role's permissions (`@everyone` has the guild's id) and
/// the bot member's roles.
#[derive(Debug, Clone)]
pub struct Member {
    pub guild: GuildId,
    pub user: UserId,
    pub roles: Vec<RoleId>,
    pub role_permissions: BTreeMap<RoleId, Permissions>,
}

/// A channel as the check needs it.
#[derive(Debug, Clone)]
pub struct Channel {
    pub id: ChannelId,
    pub name: String,
    pub overwrites: Vec<PermissionOverwrite>,
}

/// What a configured channel is for, and so what it must allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A customer intake channel: incidents' private threads are made here.
    Intake,
    /// The engineers' or managers' channel.
    Staff,
}

impl Purpose {
    pub fn needs(self) -> Permissions {
        match self {
            Purpose::Intake => REQUIRED,
            Purpose::Staff => STAFF,
        }
    }
}

/// Something the bot lacks in a configured channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Missing {
        channel: ChannelId,
        name: String,
        missing: Permissions,
    },
    /// Not in the guild's channel list: a wrong id in intakebot.toml.
    NotFound { channel: ChannelId },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Missing { channel, name, missing } => write!(
                f,
                "#{name} ({channel}) lacks {}",
                missing.get_permission_names().join(", ")
            ),
            Finding::NotFound { channel } => write!(f, "channel {channel} is not in the guild"),
        }
    }
}

/// The guild-level permissions of `member`.
pub fn base(member: &Member) -> Permissions {
    let everyone = RoleId::new(member.guild.get());
    let all = std::iter::once(&everyone)
        .chain(&member.roles)
        .filter_map(|r| member.role_permissions.get(r))
        .fold(Permissions::empty(), |acc, p| acc | *p);
    if all.contains(Permissions::ADMINISTRATOR) {
        Permissions::all()
    } else {
        all
    }
}

/// The permissions of `member` in a channel with `overwrites`.
pub fn effective(member: &Member, overwrites: &[PermissionOverwrite]) -> Permissions {
    let mut permissions = base(member);
    if permissions.contains(Permissions::ADMINISTRATOR) {
        return permissions;
    }
    let everyone = RoleId::new(member.guild.get());
    let of = |wanted: &dyn Fn(&PermissionOverwriteType) -> bool| {
        overwrites
            .iter()
            .filter(|o| wanted(&o.kind))
            .fold((Permissions::empty(), Permissions::empty()), |(a, d), o| {
                (a | o.allow, d | o.deny)
            })
    };
    let steps = [
        of(&|k| *k == PermissionOverwriteType::Role(everyone)),
        of(&|k| matches!(k, PermissionOverwriteType::Role(r) if *r != everyone && member.roles.contains(r))),
        of(&|k| *k == PermissionOverwriteType::Member(member.user)),
    ];
    for (allow, deny) in steps {
        permissions = (permissions - deny) | allow;
    }
    permissions
}

/// What the bot lacks in each configured channel, in the order given; empty when nothing.
pub fn check(member: &Member, channels: &[Channel], wanted: &[(ChannelId, Purpose)]) -> Vec<Finding> {
    wanted
        .iter()
        .filter_map(|(id, purpose)| {
            let Some(channel) = channels.iter().find(|c| c.id == *id) else {
                return Some(Finding::NotFound { channel: *id });
            };
            let missing = missing_of(purpose.needs(), effective(member, &channel.overwrites));
            (!missing.is_empty()).then(|| Finding::Missing {
                channel: *id,
                name: channel.name.clone(),
                missing,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUILD: u64 = 10;
    const BOT_ROLE: u64 = 20;
    const OTHER_ROLE: u64 = 21;
    const BOT: u64 = 30;

    fn member(everyone: Permissions, bot_role: Permissions) -> Member {
        Member {
            guild: GuildId::new(GUILD),
            user: UserId::new(BOT),
            roles: vec![RoleId::new(BOT_ROLE)],
            role_permissions: BTreeMap::from([
                (RoleId::new(GUILD), everyone),
                (RoleId::new(BOT_ROLE), bot_role),
                (RoleId::new(OTHER_ROLE), Permissions::all()),
            ]),
        }
    }

    fn role(id: u64, allow: Permissions, deny: Permissions) -> PermissionOverwrite {
        PermissionOverwrite {
            allow,
            deny,
            kind: PermissionOverwriteType::Role(RoleId::new(id)),
        }
    }

    fn channel(id: u64, overwrites: Vec<PermissionOverwrite>) -> Channel {
        Channel {
            id: ChannelId::new(id),
            name: format!("c{id}"),
            overwrites,
        }
    }

    #[test]
    fn roles_add_up_and_administrator_is_everything() {
        let m = member(Permissions::VIEW_CHANNEL, Permissions::SEND_MESSAGES);
        assert_eq!(base(&m), Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES);
        let admin = member(Permissions::empty(), Permissions::ADMINISTRATOR);
        let deny_all = [role(BOT_ROLE, Permissions::empty(), Permissions::all())];
        assert_eq!(effective(&admin, &deny_all), Permissions::all());
    }

    #[test]
    fn overwrites_apply_everyone_then_roles_then_the_member() {
        let m = member(Permissions::empty(), REQUIRED);
        let thread = Permissions::CREATE_PRIVATE_THREADS;
        // The bot's role denies, @everyone allows: the role wins.
        let ow = [
            role(GUILD, thread, Permissions::empty()),
            role(BOT_ROLE, Permissions::empty(), thread),
        ];
        assert!(!effective(&m, &ow).contains(thread));
        // A role allow beats @everyone's deny; a member overwrite beats the role.
        let ow = [
            role(GUILD, Permissions::empty(), thread),
            role(BOT_ROLE, thread, Permissions::empty()),
        ];
        assert!(effective(&m, &ow).contains(thread));
        let member_deny = PermissionOverwrite {
            allow: Permissions::empty(),
            deny: thread,
            kind: PermissionOverwriteType::Member(UserId::new(BOT)),
        };
        assert!(!effective(&m, &[ow[0].clone(), ow[1].clone(), member_deny]).contains(thread));
        // Another role's overwrite does not apply to the bot.
        let other = [role(OTHER_ROLE, Permissions::all(), Permissions::empty())];
        assert_eq!(
            effective(&member(Permissions::empty(), Permissions::empty()), &other),
            Permissions::empty()
        );
    }

    #[test]
    fn the_check_names_each_missing_permission_where_and_unknown_channels() {
        let m = member(Permissions::empty(), REQUIRED);
        let deny = role(BOT_ROLE, Permissions::empty(), Permissions::CREATE_PRIVATE_THREADS);
        let channels = [
            channel(1, vec![deny.clone()]),
            channel(2, vec![deny]),
            channel(3, vec![]),
        ];
        let wanted = [
            (ChannelId::new(1), Purpose::Intake),
            (ChannelId::new(2), Purpose::Staff),
            (ChannelId::new(3), Purpose::Intake),
            (ChannelId::new(4), Purpose::Staff),
        ];
        let findings = check(&m, &channels, &wanted);
        assert_eq!(
            findings,
            [
                Finding::Missing {
                    channel: ChannelId::new(1),
                    name: "c1".into(),
                    missing: Permissions::CREATE_PRIVATE_THREADS,
                },
                Finding::NotFound {
                    channel: ChannelId::new(4)
                },
            ]
        );
        assert_eq!(findings[0].to_string(), "#c1 (1) lacks Create Private Threads");
    }
}
