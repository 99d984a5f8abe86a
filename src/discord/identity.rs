//! Who a Discord member is to the bot: role and organisation from the configured role ids,
//! sign-in kind from the store (or the organisation's default), language from the locale.
//! Every privileged handler calls this; Discord's own command permissions are not trusted.

use crate::app::{App, AppError, Member};
use crate::config::DiscordConfig;
use crate::core::ids::AccountId;
use crate::core::incident::Role;
use crate::core::language::Language;
use crate::store::Account;
use poise::serenity_prelude as serenity;

/// Resolves a member from their user id and role ids.
pub async fn member(
    app: &App,
    user: &serenity::User,
    roles: &[serenity::RoleId],
    locale: &str,
) -> Result<Member, AppError> {
    let discord: &DiscordConfig = &app.config.app.discord;
    let has = |id: u64| roles.iter().any(|r| r.get() == id);
    let organisation = app.config.app.organisations.iter().find(|o| has(o.role.0));
    let role = if has(discord.roles.manager.0) {
        Role::Manager
    } else if has(discord.roles.engineer.0) {
        Role::Engineer
    } else {
        Role::Customer
    };
    let account = AccountId::new(user.id.get().to_string());
    let stored = app.store.account(&account).await?;
    let sign_in = match (&stored, organisation) {
        (Some(a), _) => a.sign_in,
        (None, Some(org)) => org.sign_in,
        (None, None) => crate::core::plan::SignInKind::Work,
    };
    if let (None, Some(org)) = (&stored, organisation) {
        app.store.upsert_organisation(&org.id, &org.name).await?;
        app.store
            .upsert_account(&Account {
                id: account.clone(),
                organisation: org.id.clone(),
                role,
                sign_in,
            })
            .await?;
    }
    Ok(Member {
        account,
        name: user.name.clone(),
        role,
        organisation: organisation.map(|o| o.id.clone()).filter(|_| role == Role::Customer),
        sign_in,
        language: Language::from_discord_locale(locale),
    })
}

/// The organisation whose intake channel this is.
pub fn organisation_of_channel(app: &App, channel: serenity::ChannelId) -> Option<&crate::config::OrganisationConfig> {
    app.config
        .app
        .organisations
        .iter()
        .find(|o| o.intake_channels.iter().any(|c| c.0 == channel.get()))
}

/// Roles of a guild member, or none outside a guild.
pub fn roles_of(member: Option<&serenity::Member>) -> Vec<serenity::RoleId> {
    member.map(|m| m.roles.clone()).unwrap_or_default()
}

/// Makes sure a user named in a command (a pack's new owner) is a known account of
/// `organisation`: packs reference their owner, and that user may never have written yet.
pub async fn ensure_account(
    app: &App,
    user: &serenity::User,
    organisation: &crate::core::ids::OrgId,
) -> Result<(), AppError> {
    let account = AccountId::new(user.id.get().to_string());
    if app.store.account(&account).await?.is_some() {
        return Ok(());
    }
    let org = app.config.app.organisations.iter().find(|o| &o.id == organisation);
    let sign_in = org.map_or(crate::core::plan::SignInKind::Work, |o| o.sign_in);
    if let Some(org) = org {
        app.store.upsert_organisation(&org.id, &org.name).await?;
    }
    app.store
        .upsert_account(&Account {
            id: account,
            organisation: organisation.clone(),
            role: Role::Customer,
            sign_in,
        })
        .await?;
    Ok(())
}
