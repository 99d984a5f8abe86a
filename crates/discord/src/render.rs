//! The app's replies as Discord payloads: text with `<t:…>` timestamps and `<#…>` links,
//! embeds from cards, buttons from actions, and mention policies that ping only the roles a
//! reply names. Everything is kept within Discord's limits (2,000 characters of content,
//! 10 embeds and 6,000 embed characters, 25 fields, 5 buttons a row), cut between words.

use crate::custom_id;
use intakebot_app::reply::{Button, ButtonStyle, Card, Message, Span, Text, TimeStyle};
use poise::serenity_prelude as serenity;

const CONTENT: usize = 2000;
const EMBEDS: usize = 10;
const EMBED_TOTAL: usize = 6000;
const TITLE: usize = 256;
const DESCRIPTION: usize = 4096;
const FIELDS: usize = 25;
const FIELD_NAME: usize = 256;
const FIELD_VALUE: usize = 1024;
const FOOTER: usize = 2048;
const BUTTON_LABEL: usize = 80;

/// Text as Discord writes it: instants as timestamps every reader sees in their own zone.
pub fn text(text: &Text) -> String {
    let mut out = String::new();
    for span in &text.0 {
        match span {
            Span::Plain(p) => out.push_str(p),
            Span::Typed(p) => out.push_str(&as_typed(p)),
            Span::Time(t, style) => {
                let style = match style {
                    TimeStyle::Full => 'F',
                    TimeStyle::Relative => 'R',
                    TimeStyle::Date => 'D',
                };
                out.push_str(&format!("<t:{}:{style}>", t.timestamp()));
            }
            Span::Channel(id) => out.push_str(&format!("<#{id}>")),
            Span::User(account) => match account.as_str().parse::<u64>() {
                Ok(id) => out.push_str(&format!("<@{id}>")),
                Err(_) => out.push_str(account.as_str()),
            },
        }
    }
    out
}

/// Text a person typed, echoed so Discord shows it as typed: a mention (`<@…>`, `<#…>`,
/// `<@&…>`), `@everyone` or `@here` gets a zero-width space, so it is text, not a pill.
fn as_typed(text: &str) -> String {
    text.replace("<@", "<\u{200B}@")
        .replace("<#", "<\u{200B}#")
        .replace("@everyone", "@\u{200B}everyone")
        .replace("@here", "@\u{200B}here")
}

/// The content of a message: the roles it pings, then its text, within 2,000 characters.
pub fn content(message: &Message) -> String {
    let pings: String = message.pings.iter().map(|p| format!("<@&{}> ", p.id)).collect();
    cut(&format!("{pings}{}", text(&message.text)), CONTENT)
}

/// Pings exactly the roles the message names, and nobody else (echoed text never pings).
pub fn mentions(message: &Message) -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .everyone(false)
        .all_users(false)
        .all_roles(false)
        .empty_users()
        .roles(message.pings.iter().map(|p| serenity::RoleId::new(p.id)))
}

/// Embeds from cards, within Discord's per-embed and total limits.
pub fn embeds(cards: &[Card]) -> Vec<serenity::CreateEmbed> {
    let mut budget = EMBED_TOTAL;
    cards.iter().take(EMBEDS).map(|card| embed(card, &mut budget)).collect()
}

fn embed(card: &Card, budget: &mut usize) -> serenity::CreateEmbed {
    let mut take = |s: String, max: usize| -> String {
        let s = cut(&s, max.min(*budget));
        *budget = budget.saturating_sub(s.chars().count());
        s
    };
    let mut embed = serenity::CreateEmbed::new().title(take(text(&card.title), TITLE));
    if let Some(description) = &card.description {
        embed = embed.description(take(text(description), DESCRIPTION));
    }
    for field in card.fields.iter().take(FIELDS) {
        let name = take(field.name.clone(), FIELD_NAME);
        let value = take(text(&field.value), FIELD_VALUE);
        if name.is_empty() || value.is_empty() {
            break;
        }
        embed = embed.field(name, value, false);
    }
    if let Some(footer) = &card.footer {
        let footer = take(text(footer), FOOTER);
        if !footer.is_empty() {
            embed = embed.footer(serenity::CreateEmbedFooter::new(footer));
        }
    }
    embed
}

/// Buttons, five to a row.
pub fn components(buttons: &[Button]) -> Vec<serenity::CreateActionRow> {
    buttons
        .chunks(5)
        .take(5)
        .map(|row| serenity::CreateActionRow::Buttons(row.iter().map(button).collect()))
        .collect()
}

fn button(b: &Button) -> serenity::CreateButton {
    let style = match b.style {
        ButtonStyle::Primary => serenity::ButtonStyle::Primary,
        ButtonStyle::Secondary => serenity::ButtonStyle::Secondary,
        ButtonStyle::Success => serenity::ButtonStyle::Success,
        ButtonStyle::Danger => serenity::ButtonStyle::Danger,
    };
    serenity::CreateButton::new(custom_id::of(&b.action))
        .label(cut(&b.label, BUTTON_LABEL))
        .style(style)
}

/// The message's files as Discord attachments.
fn attachments(message: &Message) -> Vec<serenity::CreateAttachment> {
    message
        .files
        .iter()
        .map(|file| serenity::CreateAttachment::bytes(file.bytes.clone(), file.filename.clone()))
        .collect()
}

/// A channel message.
pub fn create_message(message: &Message) -> serenity::CreateMessage {
    serenity::CreateMessage::new()
        .content(content(message))
        .embeds(embeds(&message.cards))
        .components(components(&message.buttons))
        .allowed_mentions(mentions(message))
        .files(attachments(message))
}

/// An interaction response message.
pub fn response_message(message: &Message, ephemeral: bool) -> serenity::CreateInteractionResponseMessage {
    serenity::CreateInteractionResponseMessage::new()
        .content(content(message))
        .embeds(embeds(&message.cards))
        .components(components(&message.buttons))
        .allowed_mentions(mentions(message))
        .ephemeral(ephemeral)
        .files(attachments(message))
}

/// A follow-up of an interaction.
pub fn followup(message: &Message, ephemeral: bool) -> serenity::CreateInteractionResponseFollowup {
    serenity::CreateInteractionResponseFollowup::new()
        .content(content(message))
        .embeds(embeds(&message.cards))
        .components(components(&message.buttons))
        .allowed_mentions(mentions(message))
        .ephemeral(ephemeral)
        .files(attachments(message))
}

/// The deferred original response, filled in.
pub fn edit_response(message: &Message) -> serenity::EditInteractionResponse {
    let mut edit = serenity::EditInteractionResponse::new()
        .content(content(message))
        .embeds(embeds(&message.cards))
        .components(components(&message.buttons))
        .allowed_mentions(mentions(message));
    for file in &message.files {
        edit = edit.new_attachment(serenity::CreateAttachment::bytes(
            file.bytes.clone(),
            file.filename.clone(),
        ));
    }
    edit
}

pub use intakebot_core::text::cut;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use intakebot_app::reply::{Field, Ping, PingRole};

    #[test]
    fn instants_and_references_become_discord_markup() {
        let t = Utc.with_ymd_and_hms(2027, 3, 1, 10, 0, 0).unwrap();
        let rich = Text::plain("due ")
            .time(t, TimeStyle::Relative)
            .push(" in ")
            .channel(42)
            .push(" by ")
            .user(intakebot_core::ids::AccountId::new("7"));
        assert_eq!(text(&rich), format!("due <t:{}:R> in <#42> by <@7>", t.timestamp()));
    }

    #[test]
    fn embeds_stay_within_discords_limits() {
        let card = Card {
            title: Text::plain("t".repeat(400)),
            description: None,
            fields: (0..40).map(|i| Field::new(format!("f{i}"), "v ".repeat(700))).collect(),
            footer: None,
        };
        let json = serde_json::to_value(embeds(&[card])).unwrap();
        let fields = json[0]["fields"].as_array().unwrap();
        assert!(fields.len() <= 25);
        let total: usize = json[0]["title"].as_str().unwrap().chars().count()
            + fields
                .iter()
                .map(|f| f["name"].as_str().unwrap().chars().count() + f["value"].as_str().unwrap().chars().count())
                .sum::<usize>();
        assert!(total <= 6000, "{total}");
        assert!(fields
            .iter()
            .all(|f| f["value"].as_str().unwrap().chars().count() <= 1024));
    }

    #[test]
    fn typed_text_shows_mentions_as_text() {
        let echoed = Text::plain("Problem: ").push_typed("<@123> broke it, tell @everyone and <#5>");
        let shown = text(&echoed);
        assert!(!shown.contains("<@123>") && !shown.contains("<#5>"), "{shown}");
        assert!(!shown.contains("@everyone"), "{shown}");
        assert_eq!(
            shown.replace('\u{200B}', ""),
            "Problem: <@123> broke it, tell @everyone and <#5>"
        );
    }

    #[test]
    fn only_the_named_roles_are_pinged() {
        let message = Message::text("hello @everyone").with_pings(vec![Ping {
            role: PingRole::Engineers,
            id: 5,
        }]);
        let json = serde_json::to_value(mentions(&message)).unwrap();
        assert_eq!(json["parse"], serde_json::json!([]));
        assert_eq!(json["roles"], serde_json::json!(["5"]));
        assert!(content(&message).starts_with("<@&5> "));
    }
}
