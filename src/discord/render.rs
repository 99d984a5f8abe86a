//! Discord shapes of what the app says: embeds from cards, buttons, and mention policies.

use super::custom_id::ComponentId;
use crate::app::present::Card;
use crate::core::ids::IncidentNumber;
use crate::core::language::Language;
use poise::serenity_prelude as serenity;

pub fn embed(card: &Card) -> serenity::CreateEmbed {
    let mut embed = serenity::CreateEmbed::new().title(truncate(&card.title, 256));
    for (label, value) in card.fields.iter().take(25) {
        embed = embed.field(truncate(label, 256), truncate(value, 1024), false);
    }
    if let Some(footer) = &card.footer {
        embed = embed.footer(serenity::CreateEmbedFooter::new(truncate(footer, 2048)));
    }
    embed
}

/// Acknowledge / Resolve / Close under an incident card.
pub fn incident_buttons(number: IncidentNumber, lang: Language) -> Vec<serenity::CreateActionRow> {
    vec![serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(ComponentId::Acknowledge(number).to_string())
            .label(lang.pick("Acknowledge", "Bekreft"))
            .style(serenity::ButtonStyle::Primary),
        serenity::CreateButton::new(ComponentId::Resolve(number).to_string())
            .label(lang.pick("Resolve", "Løs"))
            .style(serenity::ButtonStyle::Success),
        serenity::CreateButton::new(ComponentId::Close(number).to_string())
            .label(lang.pick("Close", "Lukk"))
            .style(serenity::ButtonStyle::Secondary),
    ])]
}

pub fn ack_button(number: IncidentNumber, lang: Language) -> Vec<serenity::CreateActionRow> {
    vec![serenity::CreateActionRow::Buttons(vec![serenity::CreateButton::new(
        ComponentId::Acknowledge(number).to_string(),
    )
    .label(lang.pick("Acknowledge", "Bekreft"))
    .style(serenity::ButtonStyle::Primary)])]
}

pub fn button_row(id: ComponentId, label: &str) -> Vec<serenity::CreateActionRow> {
    vec![serenity::CreateActionRow::Buttons(vec![serenity::CreateButton::new(
        id.to_string(),
    )
    .label(label)
    .style(serenity::ButtonStyle::Secondary)])]
}

/// Pings nobody: no @everyone/@here, no users, no roles (used for any echoed user text).
pub fn no_pings() -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .everyone(false)
        .all_users(false)
        .all_roles(false)
        .empty_users()
        .empty_roles()
}

/// Pings exactly these roles and nothing else.
pub fn only_roles(roles: impl IntoIterator<Item = u64>) -> serenity::CreateAllowedMentions {
    no_pings().roles(roles.into_iter().map(serenity::RoleId::new))
}

/// Cuts text to Discord's limit for a field, at a character boundary.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

/// A thread name: `INC-000123 · Sev B · SQL Server`, 1 to 100 characters.
pub fn thread_name(number: IncidentNumber, severity: crate::core::severity::Severity, product: &str) -> String {
    truncate(&format!("{number} · Sev {severity} · {product}"), 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_names_stay_within_100_characters() {
        let name = thread_name(
            IncidentNumber(123),
            crate::core::severity::Severity::B,
            &"x".repeat(300),
        );
        assert_eq!(name.chars().count(), 100);
        assert!(name.starts_with("INC-000123 · Sev B · "));
    }
}
