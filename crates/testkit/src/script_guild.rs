//! What a test changes in the guild: roles and their permissions, the bot's roles, members, and
//! channel permission overwrites. Changes made while a session exists are announced like Discord
//! does (GUILD_ROLE_CREATE/UPDATE, CHANNEL_UPDATE, GUILD_MEMBER_UPDATE), so a bot that watches
//! its permissions sees them.

use serde_json::{json, Value};
use serenity::model::Permissions;

use super::builders::{self, MemberSpec};
use super::guild::{self, Overwrite, RoleSpec};
use super::state::Inner;
use super::FakeDiscord;

impl FakeDiscord {
    /// The id of the bot's own (managed) role.
    pub fn bot_role_id(&self) -> u64 {
        self.shared.read(|inner| inner.guild.bot_role_id)
    }

    /// The roles of the guild (`@everyone` has the guild's id).
    pub fn roles(&self) -> Vec<RoleSpec> {
        self.shared.read(|inner| inner.guild.roles.values().cloned().collect())
    }

    /// Adds or replaces a role.
    pub fn set_role(&self, role: RoleSpec) {
        let guild_id = self.scene().guild_id;
        self.shared.with(|inner| {
            let event = if inner.guild.roles.contains_key(&role.id) {
                "GUILD_ROLE_UPDATE"
            } else {
                "GUILD_ROLE_CREATE"
            };
            let data = json!({ "guild_id": guild_id.to_string(), "role": guild::role_json(&role) });
            inner.guild.roles.insert(role.id, role);
            inner.echo(event, data);
        });
    }

    /// Adds a role with a new id; returns the id.
    pub fn add_role(&self, name: &str, permissions: Permissions) -> u64 {
        let id = builders::next_id();
        self.set_role(RoleSpec::new(id, name, permissions));
        id
    }

    /// Changes an existing role's permissions (the bot's role: [`Self::bot_role_id`]; `@everyone`:
    /// the guild id).
    pub fn set_role_permissions(&self, role_id: u64, permissions: Permissions) {
        if let Some(mut role) = self.shared.read(|inner| inner.guild.roles.get(&role_id).cloned()) {
            role.permissions = permissions;
            self.set_role(role);
        }
    }

    /// Makes a role mentionable or not.
    pub fn set_role_mentionable(&self, role_id: u64, mentionable: bool) {
        if let Some(role) = self.shared.read(|inner| inner.guild.roles.get(&role_id).cloned()) {
            self.set_role(role.mentionable(mentionable));
        }
    }

    /// Replaces the bot member's roles.
    pub fn set_bot_roles(&self, roles: &[u64]) {
        let scene = self.scene().clone();
        self.set_member(MemberSpec::new(scene.bot_user_id, &scene.bot_name).with_roles(roles));
    }

    /// Adds or replaces a guild member (served on `GET /guilds/{id}/members/{user}`).
    pub fn set_member(&self, member: MemberSpec) {
        let scene = self.scene().clone();
        self.shared.with(|inner| {
            let known = inner.guild.members.contains_key(&member.user_id);
            let mut data = guild::member_json(&member, member.user_id == scene.bot_user_id);
            data["guild_id"] = Value::from(scene.guild_id.to_string());
            inner.guild.members.insert(member.user_id, member);
            let event = if known {
                "GUILD_MEMBER_UPDATE"
            } else {
                "GUILD_MEMBER_ADD"
            };
            inner.echo(event, data);
        });
    }

    /// Replaces a channel's permission overwrites (threads use their parent's).
    pub fn set_overwrites(&self, channel_id: u64, overwrites: &[Overwrite]) {
        let list: Vec<Value> = overwrites.iter().map(Overwrite::to_json).collect();
        self.shared
            .with(|inner| update_channel(inner, channel_id, |c| c["permission_overwrites"] = Value::from(list)));
    }

    /// The bot's effective permissions in a channel or thread, as the server enforces them.
    pub fn bot_permissions(&self, channel_id: u64) -> Option<Permissions> {
        self.shared
            .read(|inner| inner.bot_permissions(&self.shared.scene, channel_id))
    }
}

/// Changes a channel object and announces it with CHANNEL_UPDATE.
fn update_channel(inner: &mut Inner, channel_id: u64, change: impl FnOnce(&mut Value)) {
    let Some(state) = inner.channels.get_mut(&channel_id) else {
        inner.fail(format!("no channel {channel_id} to update"));
        return;
    };
    change(&mut state.channel);
    let channel = state.channel.clone();
    inner.echo("CHANNEL_UPDATE", channel);
}
