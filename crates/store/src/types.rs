//! The values the store takes and returns: what the app asks to write, and the rows it reads back.

use chrono::{DateTime, NaiveDate, Utc};
use intakebot_core::ids::{AccountId, EntitlementId, IncidentNumber, OrderNumber, OrgId};
use intakebot_core::incident::{IncidentState, Role};
use intakebot_core::language::Language;
use intakebot_core::outbox::{OutboxKind, OutboxTarget};
use intakebot_core::plan::{PlanId, SignInKind};
use intakebot_core::rules::RuleId;
use intakebot_core::severity::{Coverage, Severity};
use std::fmt;

/// The Discord interaction or message id an incident came from: the idempotency key of intake.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceId(pub String);

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who did something: a Discord account, or the bot itself (expiry job, scheduler).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    Account(AccountId),
    System,
}

impl Author {
    pub(crate) fn to_db(&self) -> &str {
        match self {
            Author::Account(id) => id.as_str(),
            Author::System => "system",
        }
    }

    pub(crate) fn from_db(s: String) -> Author {
        if s == "system" {
            Author::System
        } else {
            Author::Account(AccountId(s))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub organisation: OrgId,
    pub role: Role,
    pub sign_in: SignInKind,
}

/// A purchase to record (P-PLAN-1); written with a `grant` ledger row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntitlement {
    pub plan: PlanId,
    pub organisation: OrgId,
    pub owner: AccountId,
    pub units: u32,
    pub purchased_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub order_number: OrderNumber,
}

/// Marks an incident carries; stored as a comma-separated list of names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncidentFlag {
    /// Scope was borderline at intake (P-SCOPE-2): an engineer should confirm it.
    BorderlineScope,
}

impl IncidentFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentFlag::BorderlineScope => "borderline-scope",
        }
    }

    pub fn parse(s: &str) -> Option<IncidentFlag> {
        match s {
            "borderline-scope" => Some(IncidentFlag::BorderlineScope),
            _ => None,
        }
    }
}

/// A stable nonce for a Discord post (Discord accepts at most 25 characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Nonce(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a nonce has 1 to 25 characters, got {0:?}")]
pub struct BadNonce(pub String);

impl Nonce {
    pub fn new(s: impl Into<String>) -> Result<Nonce, BadNonce> {
        let s = s.into();
        if (1..=25).contains(&s.chars().count()) {
            Ok(Nonce(s))
        } else {
            Err(BadNonce(s))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An outbox row to write in the same transaction as the change that causes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub due_at: DateTime<Utc>,
    pub kind: OutboxKind,
    pub target: OutboxTarget,
    pub nonce: Nonce,
}

/// Everything needed to open an incident in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    pub source: SourceId,
    pub organisation: OrgId,
    pub requester: AccountId,
    pub entitlement: EntitlementId,
    pub product: String,
    pub version: String,
    pub severity: Severity,
    pub coverage: Coverage,
    pub title: String,
    pub problem: String,
    pub language: Language,
    pub flags: Vec<IncidentFlag>,
    pub opened_at: DateTime<Utc>,
    pub first_response_due: DateTime<Utc>,
    /// Rules behind the intake decision, stored on the first event.
    pub rules: Vec<RuleId>,
    pub notifications: Vec<NewNotification>,
}

/// Whether the first-response deadline was kept (P-SEV-1..3, P-SEV-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstResponse {
    Pending,
    Met,
    Breached,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscordIds {
    pub channel: Option<u64>,
    pub thread: Option<u64>,
    pub message: Option<u64>,
}

/// The last message handled in a Discord channel or thread (snowflakes: a later message has a
/// larger id), where reading resumes after downtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadMark {
    pub channel: u64,
    pub last_message: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub number: IncidentNumber,
    pub source: SourceId,
    pub organisation: OrgId,
    pub requester: AccountId,
    pub entitlement: EntitlementId,
    pub parent: Option<IncidentNumber>,
    pub product: String,
    pub version: String,
    pub severity: Severity,
    pub coverage: Coverage,
    pub title: String,
    pub problem: String,
    pub language: Language,
    pub flags: Vec<IncidentFlag>,
    pub state: IncidentState,
    pub opened_at: DateTime<Utc>,
    pub first_response_due: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<Author>,
    pub first_response: FirstResponse,
    pub closed_at: Option<DateTime<Utc>>,
    pub discord: DiscordIds,
    /// The manager who took it over after a breach (its escalations stop).
    pub assigned_to: Option<AccountId>,
}

/// The result of an open: a new incident, or the one this source already opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    New(Incident),
    AlreadyOpened(Incident),
}

impl Opened {
    pub fn incident(&self) -> &Incident {
        match self {
            Opened::New(i) | Opened::AlreadyOpened(i) => i,
        }
    }
}

/// Which incidents to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    Open,
    Acknowledged,
    Closed,
}

/// A state change decided by the core (`IncidentState::apply`), to write with its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRecord {
    pub number: IncidentNumber,
    /// The state the decision was made from; if the incident moved meanwhile nothing is written.
    pub from: IncidentState,
    pub to: IncidentState,
    /// This is the first response: stamp acknowledged at/by and whether the deadline was met.
    pub first_response: bool,
    pub author: Author,
    pub at: DateTime<Utc>,
    pub reason: String,
    pub rules: Vec<RuleId>,
    /// Outbox rows written after the incident's pending reminders are cancelled.
    pub notifications: Vec<NewNotification>,
}

/// A new coverage and first-response deadline for an incident still waiting for its first
/// response, with the notices that replace its pending ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reschedule {
    pub number: IncidentNumber,
    pub coverage: Coverage,
    pub first_response_due: DateTime<Utc>,
    pub author: Author,
    pub at: DateTime<Utc>,
    pub reason: String,
    pub rules: Vec<RuleId>,
    pub notifications: Vec<NewNotification>,
}

/// One new sub-incident of a split (P-INC-3): its own severity, clock and reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChild {
    pub severity: Severity,
    pub coverage: Coverage,
    pub title: String,
    pub problem: String,
    pub first_response_due: DateTime<Utc>,
    pub notifications: Vec<NewNotification>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitRequest {
    pub parent: IncidentNumber,
    /// The interaction that asked for the split; children get `{source}#1`, `{source}#2`, ...
    pub source: SourceId,
    pub author: Author,
    pub at: DateTime<Utc>,
    pub reason: String,
    pub rules: Vec<RuleId>,
    pub children: Vec<NewChild>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Split {
    New(Vec<Incident>),
    AlreadySplit(Vec<Incident>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Opened,
    Acknowledged,
    Closed,
    RefundDecided,
    Split,
    /// An internal note by staff; the state does not change.
    Note,
    /// A manager took the breached incident over.
    TakenOver,
    /// The coverage changed (to 24x7) with a new deadline.
    CoverageChanged,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Opened => "opened",
            EventKind::Acknowledged => "acknowledged",
            EventKind::Closed => "closed",
            EventKind::RefundDecided => "refund-decided",
            EventKind::Split => "split",
            EventKind::Note => "note",
            EventKind::TakenOver => "taken-over",
            EventKind::CoverageChanged => "coverage-changed",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        [
            EventKind::Opened,
            EventKind::Acknowledged,
            EventKind::Closed,
            EventKind::RefundDecided,
            EventKind::Split,
            EventKind::Note,
            EventKind::TakenOver,
            EventKind::CoverageChanged,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentEvent {
    pub incident: IncidentNumber,
    pub at: DateTime<Utc>,
    pub author: Author,
    pub kind: EventKind,
    pub from: Option<IncidentState>,
    pub to: IncidentState,
    pub reason: String,
    pub rules: Vec<RuleId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerKind {
    Grant,
    Consume,
    Refund,
    Transfer,
    Expire,
}

impl LedgerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Grant => "grant",
            LedgerKind::Consume => "consume",
            LedgerKind::Refund => "refund",
            LedgerKind::Transfer => "transfer",
            LedgerKind::Expire => "expire",
        }
    }

    pub fn parse(s: &str) -> Option<LedgerKind> {
        [
            LedgerKind::Grant,
            LedgerKind::Consume,
            LedgerKind::Refund,
            LedgerKind::Transfer,
            LedgerKind::Expire,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub id: i64,
    pub entitlement: EntitlementId,
    pub kind: LedgerKind,
    pub delta: i64,
    pub actor: Author,
    pub incident: Option<IncidentNumber>,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// An entitlement's units recomputed from its ledger (P-PLAN-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerBalance {
    pub entitlement: EntitlementId,
    pub units_left: i64,
    pub granted: i64,
    pub consumed: i64,
    pub refunded: i64,
    pub expired: i64,
}

impl LedgerBalance {
    /// units left = granted − consumed + refunded − expired (transfers move no units).
    pub fn is_balanced(&self) -> bool {
        self.units_left == self.granted - self.consumed + self.refunded - self.expired
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutboxId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    Pending,
    Claimed,
    Sent,
    Failed,
    Cancelled,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Claimed => "claimed",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
            OutboxState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<OutboxState> {
        [
            OutboxState::Pending,
            OutboxState::Claimed,
            OutboxState::Sent,
            OutboxState::Failed,
            OutboxState::Cancelled,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// An outbox row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: OutboxId,
    pub incident: Option<IncidentNumber>,
    pub kind: OutboxKind,
    pub target: OutboxTarget,
    pub due_at: DateTime<Utc>,
    pub state: OutboxState,
    /// How many times it was claimed; the claim's fencing token.
    pub attempts: i64,
    pub lease_until: Option<DateTime<Utc>>,
    pub nonce: Nonce,
    pub message_id: Option<u64>,
    pub last_error: Option<String>,
}
