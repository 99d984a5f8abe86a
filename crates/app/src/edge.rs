//! What a person typed, cleaned once where it enters the app: control characters removed (a
//! NUL cannot be stored in PostgreSQL, and no title needs a bell) and each field bounded, so
//! every front end, and every path through the app, stores the same text.

use crate::request::{AutocompleteCommand, Command, GrantCommand, OpenCommand};
use intakebot_core::ids::OrderNumber;
use intakebot_core::text::{clean, clean_to, UserField};

/// The longest chat message read (Discord's own limit for most members is 2,000 characters).
const MESSAGE_CHARS: usize = 4000;
/// The longest option or short value of another kind (names, ids, order numbers).
const SHORT_CHARS: usize = 100;

impl Command {
    /// The command with every typed text cleaned.
    pub(crate) fn cleaned(self) -> Command {
        let reason = |s: String| clean(UserField::Reason, &s);
        let short = |s: String| clean_to(&s, SHORT_CHARS);
        match self {
            Command::Open(open) => Command::Open(open.cleaned()),
            Command::Message { text, addressed } => Command::Message {
                text: clean_to(&text, MESSAGE_CHARS),
                addressed,
            },
            Command::CompleteDraft { message, author, text } => Command::CompleteDraft {
                message,
                author,
                text: clean_to(&text, MESSAGE_CHARS),
            },
            Command::Submit { form, values } => Command::Submit {
                form,
                values: values
                    .into_iter()
                    .map(|(k, v)| (k.clone(), clean(field_of(&k), &v)))
                    .collect(),
            },
            Command::Resolve { incident, solution } => Command::Resolve {
                incident,
                solution: solution.map(reason),
            },
            Command::Close {
                incident,
                outcome,
                reason: why,
            } => Command::Close {
                incident,
                outcome,
                reason: why.map(reason),
            },
            Command::Split {
                incident,
                parts,
                severity,
            } => Command::Split {
                incident,
                parts: reason(parts),
                severity,
            },
            Command::Refund {
                incident,
                decision,
                reason: why,
            } => Command::Refund {
                incident,
                decision,
                reason: why.map(reason),
            },
            Command::Note { incident, text } => Command::Note {
                incident,
                text: reason(text),
            },
            Command::Plans {
                product,
                version,
                show_unavailable,
            } => Command::Plans {
                product: short(product),
                version: short(version),
                show_unavailable,
            },
            Command::Grant(grant) => Command::Grant(GrantCommand {
                order: OrderNumber::new(short(grant.order.as_str().to_string())),
                ..grant
            }),
            Command::Transfer { pack, owner, order } => Command::Transfer {
                pack,
                owner,
                order: OrderNumber::new(short(order.as_str().to_string())),
            },
            Command::Autocomplete(ask) => Command::Autocomplete(AutocompleteCommand {
                partial: short(ask.partial),
                product: ask.product.map(short),
                version: ask.version.map(short),
                field: ask.field,
            }),
            other => other,
        }
    }
}

impl OpenCommand {
    fn cleaned(self) -> OpenCommand {
        OpenCommand {
            product: clean(UserField::Product, &self.product),
            version: clean(UserField::Version, &self.version),
            title: self.title.map(|t| clean(UserField::Title, &t)),
            problem: self.problem.map(|p| clean(UserField::Problem, &p)),
            ..self
        }
    }
}

/// The bound of a form field, by its id.
fn field_of(id: &str) -> UserField {
    match id {
        "title" => UserField::Title,
        "product" => UserField::Product,
        "version" | "severity" => UserField::Version,
        "problem" => UserField::Problem,
        _ => UserField::Reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_typed_text_of_an_open_is_cleaned_and_bounded() {
        let open = Command::Open(OpenCommand {
            product: "SQL\0 Server".into(),
            version: "2022\u{7}".into(),
            severity: None,
            coverage: None,
            on_call: None,
            plan: None,
            title: Some("t".repeat(300)),
            problem: Some("line one\nline\0two\t!".into()),
        });
        let Command::Open(cleaned) = open.cleaned() else {
            panic!()
        };
        assert_eq!(cleaned.product, "SQL Server");
        assert_eq!(cleaned.version, "2022");
        assert_eq!(cleaned.title.unwrap().chars().count(), 100);
        assert_eq!(cleaned.problem.unwrap(), "line one\nlinetwo\t!");
    }

    #[test]
    fn chat_text_and_form_values_are_cleaned() {
        let message = Command::Message {
            text: "Sev A\0: down".into(),
            addressed: false,
        };
        assert!(matches!(message.cleaned(), Command::Message { text, .. } if text == "Sev A: down"));
        let values = [("problem".to_string(), "a\0b".to_string())].into_iter().collect();
        let submit = Command::Submit {
            form: crate::reply::FormKind::Resolve(intakebot_core::ids::IncidentNumber(1)),
            values,
        };
        let Command::Submit { values, .. } = submit.cleaned() else {
            panic!()
        };
        assert_eq!(values["problem"], "ab");
    }
}
