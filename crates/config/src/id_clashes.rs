//! Keeps tenants and staff apart in `intakebot.toml`: every role and channel id has one job.
//!
//! The bot decides who someone is from their roles (first match wins) and what a channel is
//! for from its id, so a shared id silently merges two organisations, or makes customers
//! staff: two organisations with one customer role would see and spend each other's
//! incidents; an organisation role equal to the guild id is @everyone.

use super::app_file::{AppConfig, DiscordId};
use std::collections::HashMap;

/// A clash: the key that repeats an id, and why that is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub key: String,
    pub reason: String,
}

/// Ids already taken, each with the key that took it.
#[derive(Default)]
struct Taken(HashMap<DiscordId, String>);

impl Taken {
    /// Takes `id` for `key`, or names the key that already has it.
    fn take(&mut self, id: DiscordId, key: &str, kind: &str, why: &str) -> Result<(), Clash> {
        match self.0.get(&id) {
            Some(owner) => Err(Clash {
                key: key.to_string(),
                reason: format!("{kind} {id} is also {owner}; {why}"),
            }),
            None => {
                self.0.insert(id, key.to_string());
                Ok(())
            }
        }
    }
}

/// Checks that no two roles and no two channels of the file share an id.
pub fn check(app: &AppConfig) -> Result<(), Clash> {
    if app.organisations.is_empty() {
        return Err(Clash {
            key: "organisations".into(),
            reason: "no organisation: add at least one [[organisations]] with its role and intake channel".into(),
        });
    }
    roles(app)?;
    channels(app)
}

fn roles(app: &AppConfig) -> Result<(), Clash> {
    let d = &app.discord;
    let mut taken = Taken::default();
    taken
        .0
        .insert(d.guild_id, "discord.guild_id (the @everyone role)".into());
    let staff = "staff and customer roles must differ, and none may be @everyone";
    taken.take(d.roles.engineer, "discord.roles.engineer", "role", staff)?;
    taken.take(d.roles.manager, "discord.roles.manager", "role", staff)?;
    if let Some(on_call) = d.roles.on_call {
        // On call may be the engineer or manager role (the same people paged), never @everyone.
        if on_call == d.guild_id {
            return Err(Clash {
                key: "discord.roles.on_call".into(),
                reason: format!("role {on_call} is also discord.guild_id (the @everyone role); {staff}"),
            });
        }
        taken.0.entry(on_call).or_insert_with(|| "discord.roles.on_call".into());
    }
    for (i, org) in app.organisations.iter().enumerate() {
        let why = "each organisation needs its own customer role, held by no staff";
        taken.take(org.role, &format!("organisations[{i}].role"), "role", why)?;
    }
    Ok(())
}

fn channels(app: &AppConfig) -> Result<(), Clash> {
    let d = &app.discord;
    let mut taken = Taken::default();
    let why = "staff channels and each organisation's intake channels must all differ";
    taken.take(d.engineers_channel, "discord.engineers_channel", "channel", why)?;
    taken.take(d.managers_channel, "discord.managers_channel", "channel", why)?;
    for (i, org) in app.organisations.iter().enumerate() {
        for (j, channel) in org.intake_channels.iter().enumerate() {
            taken.take(
                *channel,
                &format!("organisations[{i}].intake_channels[{j}]"),
                "channel",
                why,
            )?;
        }
    }
    Ok(())
}
