//! What a front end hands the app: who acts, where, when, and the command, all parsed into
//! domain types at the edge. The app decides everything else (role, organisation, language,
//! policy, state) from these values.

use chrono::{DateTime, NaiveDate, Utc};
use intakebot_core::ids::{AccountId, EntitlementId, IncidentNumber, OrderNumber, OrgId};
use intakebot_core::incident::RefundDecision;
use intakebot_core::language::Language;
use intakebot_core::plan::PlanId;
use intakebot_core::severity::{Coverage, Severity};
use intakebot_store::SourceId;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::reply::{Action, Confirm, FormKind};
pub use intakebot_report::NamedPeriod;

/// One user action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub actor: Actor,
    pub place: Place,
    /// The interaction or message id: the same source never opens or splits twice.
    pub source: SourceId,
    /// When it happened (a message's own timestamp, so a caught-up message counts at its time).
    pub at: DateTime<Utc>,
    pub command: Command,
}

/// The person acting, as the front end sees them: no decision made yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account: AccountId,
    pub name: String,
    /// Discord role ids (the console gives its demo users the configured ones).
    pub roles: Vec<u64>,
    /// The interaction's locale, when there is one (messages have none).
    pub locale: Option<Language>,
}

/// Where the action happened: the server, and a channel or thread id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub guild: Option<u64>,
    pub channel: u64,
}

/// Every user action the bot understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/incident open`; without a problem definition the app asks for it in a form.
    Open(OpenCommand),
    /// A plain message in a channel or thread; `addressed` when it mentions or answers the bot.
    Message {
        text: String,
        addressed: bool,
    },
    /// A button.
    Press(Action),
    /// The button "complete the request" under an incomplete chat message, with that message.
    CompleteDraft {
        message: u64,
        author: AccountId,
        text: String,
    },
    /// A form (modal) filled in.
    Submit {
        form: FormKind,
        values: BTreeMap<String, String>,
    },
    /// A form submitted after the front end forgot it (a restart, or after 15 minutes).
    FormExpired,
    /// The front end could not read what was typed; the app says what was wrong.
    Invalid(Invalid),
    /// The front end created an incident's thread (or could not): store it and confirm as
    /// the `NewThread` reply asked.
    ThreadReady {
        outcome: ThreadOutcome,
        confirm: Option<Confirm>,
    },
    Ack {
        incident: Option<IncidentNumber>,
    },
    Resolve {
        incident: Option<IncidentNumber>,
        solution: Option<String>,
    },
    Close {
        incident: Option<IncidentNumber>,
        outcome: Option<CloseChoice>,
        reason: Option<String>,
    },
    Split {
        incident: Option<IncidentNumber>,
        parts: String,
        severity: Option<Severity>,
    },
    Refund {
        incident: IncidentNumber,
        decision: RefundDecision,
        reason: Option<String>,
    },
    Note {
        incident: Option<IncidentNumber>,
        text: String,
    },
    Status {
        incident: Option<IncidentNumber>,
    },
    List {
        which: ListChoice,
    },
    Balance {
        organisation: Option<OrgId>,
    },
    Grant(GrantCommand),
    Transfer {
        pack: EntitlementId,
        owner: AccountId,
        order: OrderNumber,
    },
    Plans {
        product: String,
        version: String,
        show_unavailable: bool,
    },
    Faq,
    /// `/report sla`: the managers' SLA report of a named period (default: last week).
    Report {
        period: NamedPeriod,
        organisation: Option<OrgId>,
    },
    Autocomplete(AutocompleteCommand),
}

impl Command {
    /// A short name for logs and spans.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Open(_) => "open",
            Command::Message { .. } => "message",
            Command::Press(_) => "press",
            Command::CompleteDraft { .. } => "complete-draft",
            Command::Submit { .. } => "submit",
            Command::FormExpired => "form-expired",
            Command::Invalid(_) => "invalid",
            Command::ThreadReady { .. } => "thread-ready",
            Command::Ack { .. } => "ack",
            Command::Resolve { .. } => "resolve",
            Command::Close { .. } => "close",
            Command::Split { .. } => "split",
            Command::Refund { .. } => "refund",
            Command::Note { .. } => "note",
            Command::Status { .. } => "status",
            Command::List { .. } => "list",
            Command::Balance { .. } => "balance",
            Command::Grant(_) => "grant",
            Command::Transfer { .. } => "transfer",
            Command::Plans { .. } => "plans",
            Command::Faq => "faq",
            Command::Report { .. } => "report",
            Command::Autocomplete(_) => "autocomplete",
        }
    }
}

/// What a front end could not read, so the app can say so in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    IncidentNumber(String),
    PackId(String),
    Plan(String),
    Date(String),
    Severity(String),
    /// Another option value, named.
    Option {
        name: String,
        input: String,
    },
    /// A guild command used outside the support server.
    OutsideServer,
    /// The front end failed (Discord refused a call): logged, answered with an apology.
    Failed(String),
}

/// `/incident open` as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCommand {
    pub product: String,
    pub version: String,
    /// Absent: the app asks for it (it has no safe default).
    pub severity: Option<Severity>,
    /// Absent: business hours, which needs no commitment from the customer (P-SEV-4, P-SEV-5).
    pub coverage: Option<Coverage>,
    /// The customer's contact on call around the clock (P-SEV-5).
    pub on_call: Option<AccountId>,
    /// The plan the member named: used as named or refused with its reason, never swapped.
    pub plan: Option<PlanChoice>,
    pub title: Option<String>,
    /// The agreed problem definition (P-CLOSE-1).
    pub problem: Option<String>,
}

/// A plan as a member names it: one pack (`E12`) or a kind of plan (`five-pack`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanChoice {
    Pack(EntitlementId),
    Kind(PlanId),
}

impl fmt::Display for PlanChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanChoice::Pack(id) => write!(f, "{id}"),
            PlanChoice::Kind(plan) => write!(f, "{plan}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is neither a pack id like E12 nor a plan like five-pack")]
pub struct BadPlanChoice(pub String);

impl FromStr for PlanChoice {
    type Err = BadPlanChoice;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(id) = s.parse::<EntitlementId>() {
            return Ok(PlanChoice::Pack(id));
        }
        s.parse::<PlanId>()
            .map(PlanChoice::Kind)
            .map_err(|_| BadPlanChoice(s.to_string()))
    }
}

/// How an engineer closes without a solution (P-CLOSE-2); customers always close as
/// customer-closed (P-CLOSE-3), and a solution closes through `Resolve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseChoice {
    Unresolved,
    OutOfScope,
}

impl FromStr for CloseChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "unresolved" => Ok(CloseChoice::Unresolved),
            "out-of-scope" => Ok(CloseChoice::OutOfScope),
            other => Err(format!("outcome {other:?}: use unresolved or out-of-scope")),
        }
    }
}

/// Which incidents a staff list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListChoice {
    /// Every incident not closed, with its state and deadline.
    Open,
    /// Waiting for a first response.
    Waiting,
    /// Waiting, with the deadline within the hour.
    AtRisk,
    /// Past the deadline without a first response, or answered late.
    Breached,
}

impl FromStr for ListChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "open" => Ok(ListChoice::Open),
            "waiting" => Ok(ListChoice::Waiting),
            "at-risk" => Ok(ListChoice::AtRisk),
            "breached" => Ok(ListChoice::Breached),
            other => Err(format!("which:{other}: use open, waiting, at-risk or breached")),
        }
    }
}

/// `/pack grant`: a manager records a purchase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantCommand {
    pub plan: PlanId,
    pub organisation: OrgId,
    pub owner: AccountId,
    /// Default: today.
    pub purchased: Option<NaiveDate>,
    pub order: OrderNumber,
}

/// What the front end learnt when it created an incident's thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThreadOutcome {
    Created {
        incident: IncidentNumber,
        channel: u64,
        thread: u64,
        card: Option<u64>,
    },
    /// Discord refused; `error` is what it said (logged, never shown).
    Failed { incident: IncidentNumber, error: String },
}

/// An option being typed, with the options typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutocompleteCommand {
    pub field: AutocompleteField,
    pub partial: String,
    pub product: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutocompleteField {
    Product,
    Version,
    Plan,
    /// A configured organisation (staff only).
    Organisation,
}
