//! Forms shown as Discord modals and not yet submitted. A modal's custom id is the id of the
//! interaction that asked for it; its submit arrives as a separate interaction and is matched
//! here to what it completes. Forms are forgotten after Discord's 15 minutes (an interaction
//! token's life) and on restart, when the app tells the user to start again.

use intakebot_app::reply::{Form, FormKind};
use poise::serenity_prelude as serenity;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const LIFETIME: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct Pending(Mutex<HashMap<String, (FormKind, Instant)>>);

impl Pending {
    /// Remembers the form and returns the modal that shows it.
    pub fn show(&self, custom_id: String, form: &Form) -> serenity::CreateModal {
        let mut pending = self.0.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, (_, at)| at.elapsed() < LIFETIME);
        pending.insert(custom_id.clone(), (form.kind.clone(), Instant::now()));
        let rows = form
            .fields
            .iter()
            .map(|f| {
                let style = if f.paragraph {
                    serenity::InputTextStyle::Paragraph
                } else {
                    serenity::InputTextStyle::Short
                };
                let mut input = serenity::CreateInputText::new(style, crate::render::cut(&f.label, 45), f.id)
                    .required(f.required)
                    .max_length(f.max_chars);
                if let Some(value) = &f.value {
                    input = input.value(crate::render::cut(value, usize::from(f.max_chars)));
                }
                serenity::CreateActionRow::InputText(input)
            })
            .collect();
        serenity::CreateModal::new(custom_id, crate::render::cut(&form.title, 45)).components(rows)
    }

    /// What a submitted modal completes, once.
    pub fn take(&self, custom_id: &str) -> Option<FormKind> {
        let mut pending = self.0.lock().unwrap_or_else(|e| e.into_inner());
        pending
            .remove(custom_id)
            .filter(|(_, at)| at.elapsed() < LIFETIME)
            .map(|(kind, _)| kind)
    }
}

/// The values of a submitted modal, by input id.
pub fn values(data: &serenity::ModalInteractionData) -> std::collections::BTreeMap<String, String> {
    data.components
        .iter()
        .flat_map(|row| row.components.iter())
        .filter_map(|c| match c {
            serenity::ActionRowComponent::InputText(input) => {
                Some((input.custom_id.clone(), input.value.clone().unwrap_or_default()))
            }
            _ => None,
        })
        .collect()
}

/// Interaction and message ids handled lately: Discord may deliver an event twice (a gateway
/// replay after a resume); the second delivery is dropped, so it is answered once.
#[derive(Default)]
pub struct Seen(Mutex<HashMap<u64, Instant>>);

impl Seen {
    /// True the first time `id` is offered within an interaction token's life.
    pub fn first_time(&self, id: u64) -> bool {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, at| at.elapsed() < LIFETIME);
        }
        match seen.get(&id) {
            Some(at) if at.elapsed() < LIFETIME => false,
            _ => {
                seen.insert(id, Instant::now());
                true
            }
        }
    }
}
