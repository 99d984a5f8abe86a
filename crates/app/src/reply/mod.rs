//! What the app answers, as data: who sees it, in which language and time zone, and its
//! parts (text, cards, buttons as typed actions, roles to ping, files, a form to fill in).
//! Front ends only decide how it looks; scheduler notices are the same values.

mod text;

pub use text::{Span, Text, TimeStyle};

use chrono_tz::Tz;
use intakebot_core::ids::{AccountId, IncidentNumber, OrgId};
use intakebot_core::language::Language;
use intakebot_store::SourceId;

use crate::request::OpenCommand;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub audience: Audience,
    pub language: Language,
    /// The zone a front end without per-reader times (the console) shows instants in.
    pub zone: Tz,
    pub content: Content,
}

/// Who sees a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Only the person who acted (an ephemeral reply, or a direct message).
    Private,
    /// Everyone where the person acted (the command's channel or thread; a reply to a message).
    Here,
    /// A channel or thread elsewhere.
    Channel(Destination),
    /// A new private thread for an incident; the front end creates it, posts this in it and
    /// answers with `Command::ThreadReady`.
    NewThread(NewThread),
}

/// A channel the app names, with what it is for (the console names channels by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub id: u64,
    pub kind: ChannelKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelKind {
    Engineers,
    Managers,
    Thread(IncidentNumber),
    Intake(OrgId),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewThread {
    pub incident: IncidentNumber,
    /// The intake channel the thread hangs under.
    pub parent: u64,
    /// 1 to 100 characters.
    pub name: String,
    /// Added to the private thread (the customer who opened it).
    pub members: Vec<AccountId>,
    /// How to confirm the open once the thread exists; handed back in `Command::ThreadReady`.
    pub confirm: Option<Confirm>,
}

/// How the app confirms an open once its thread exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub to: ConfirmTo,
    pub notes: Vec<OpenNote>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmTo {
    /// Only the person who opened it (a slash command).
    Private,
    /// Where they asked (a chat message).
    Here,
}

/// What the confirmation adds to "Opened INC-…".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenNote {
    /// The message looked like several problems (P-INC-1).
    SplitHint,
    /// No coverage was given for severity A: business hours, with a button to switch to 24x7.
    BusinessHoursByDefault,
    /// A scope exclusion matched only loosely: an engineer will confirm (P-SCOPE-1).
    Borderline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Message(Message),
    /// Ask for these fields (a Discord modal); the answer comes back as `Command::Submit`.
    Form(Form),
    /// Autocomplete suggestions.
    Choices(Vec<Choice>),
}

/// A message: text, cards (embeds), buttons, the roles it pings, files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub text: Text,
    pub cards: Vec<Card>,
    pub buttons: Vec<Button>,
    /// The only roles this message may ping; nobody else is ever pinged.
    pub pings: Vec<Ping>,
    pub files: Vec<Attachment>,
}

impl Message {
    pub fn text(text: impl Into<Text>) -> Message {
        Message {
            text: text.into(),
            ..Message::default()
        }
    }

    pub fn card(card: Card) -> Message {
        Message {
            cards: vec![card],
            ..Message::default()
        }
    }

    pub fn with_buttons(mut self, buttons: Vec<Button>) -> Message {
        self.buttons = buttons;
        self
    }

    pub fn with_pings(mut self, pings: Vec<Ping>) -> Message {
        self.pings = pings;
        self
    }
}

/// A titled list of fields (a Discord embed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Card {
    pub title: Text,
    pub description: Option<Text>,
    pub fields: Vec<Field>,
    pub footer: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: Text,
}

impl Field {
    pub fn new(name: impl Into<String>, value: impl Into<Text>) -> Field {
        Field {
            name: name.into(),
            value: value.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub action: Action,
    pub label: String,
    pub style: ButtonStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonStyle {
    Primary,
    Secondary,
    Success,
    Danger,
}

/// What a button does when pressed; it comes back as `Command::Press`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Action {
    Acknowledge(IncidentNumber),
    Resolve(IncidentNumber),
    Close(IncidentNumber),
    /// The kinds of plan that cannot serve a product version, and why (P-N1-3).
    ShowUnavailable {
        product: String,
        version: String,
    },
    /// The organisation's packs that cannot serve a product version, and why (under a refusal).
    ShowUnusablePacks {
        product: String,
        version: String,
    },
    /// Complete an incomplete chat request in a form, prefilled from the message.
    CompleteDraft {
        message: u64,
    },
    /// A manager takes a breached incident over: it is assigned to them, escalations stop.
    TakeOver(IncidentNumber),
    /// Move a severity A incident to 24x7; a form asks for the on-call contact (P-SEV-5).
    SwitchTo24x7(IncidentNumber),
}

/// A role a message pings, with its Discord id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ping {
    pub role: PingRole,
    pub id: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PingRole {
    Engineers,
    Managers,
    OnCall,
}

/// A file sent with a message (a report's chart or CSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// A form to fill in, and what it completes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<FormField>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// The key of the value in `Command::Submit`.
    pub id: &'static str,
    pub label: String,
    pub paragraph: bool,
    pub required: bool,
    pub max_chars: u16,
    pub value: Option<String>,
}

/// What a submitted form completes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// An open waiting for its title and agreed problem definition; `source` is the command's.
    Open { open: Box<OpenCommand>, source: SourceId },
    /// The proposed solution of a resolve.
    Resolve(IncidentNumber),
    /// A chat request completed; `message` is its source.
    Draft { message: u64 },
    /// The on-call contact of a switch to 24x7 (P-SEV-5).
    OnCall(IncidentNumber),
}

/// One autocomplete suggestion: what is shown, and the value chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub value: String,
}
