//! `Store`'s public operations, each forwarded to the backend in use.
//! The documentation of each operation is on the backend method (`ops/`).

use super::types::*;
use super::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use intakebot_core::entitlement::Entitlement;
use intakebot_core::ids::{AccountId, EntitlementId, IncidentNumber, OrderNumber, OrgId};

macro_rules! delegate {
    ($( $(#[$m:meta])* fn $name:ident(&self $(, $arg:ident : $ty:ty)*) -> $ret:ty; )*) => {
        impl Store {
            $(
                $(#[$m])*
                pub async fn $name(&self $(, $arg: $ty)*) -> Result<$ret, StoreError> {
                    match self {
                        Store::Sqlite(s) => s.$name($($arg),*).await,
                        Store::Postgres(s) => s.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

delegate! {
    fn upsert_organisation(&self, id: &OrgId, name: &str) -> ();
    fn upsert_account(&self, account: &Account) -> ();
    fn account(&self, id: &AccountId) -> Option<Account>;

    /// Records a purchase and its `grant` ledger row.
    fn grant_entitlement(&self, e: &NewEntitlement, actor: &Author, at: DateTime<Utc>) -> Entitlement;
    fn entitlement(&self, id: EntitlementId) -> Option<Entitlement>;
    fn list_entitlements(&self, org: &OrgId) -> Vec<Entitlement>;
    /// Units left and not expired on `day`.
    fn usable_entitlements(&self, org: &OrgId, day: NaiveDate) -> Vec<Entitlement>;
    /// P-PLAN-4: the order number must match, else `OrderNumberMismatch`.
    fn transfer_entitlement(&self, id: EntitlementId, order_number: &OrderNumber, new_owner: &AccountId, actor: &Author, at: DateTime<Utc>) -> Entitlement;
    /// P-PLAN-2: expires all units left; returns how many.
    fn expire_units(&self, id: EntitlementId, actor: &Author, reason: &str, at: DateTime<Utc>) -> u32;
    /// P-CLOSE-4: gives the incident's unit back, once.
    fn refund_unit(&self, number: IncidentNumber, actor: &Author, reason: &str, at: DateTime<Utc>) -> ();
    fn ledger(&self, id: EntitlementId) -> Vec<LedgerEntry>;
    fn check_ledger(&self, id: EntitlementId) -> LedgerBalance;
    /// The entitlements whose units left disagree with their ledger; empty when all is well.
    fn check_all_ledgers(&self) -> Vec<LedgerBalance>;

    /// One transaction: unit, incident, first event, ledger row, reminders. Idempotent on `n.source`.
    fn open_incident(&self, n: &NewIncident) -> Opened;
    fn incident(&self, number: IncidentNumber) -> Option<Incident>;
    fn incident_in_org(&self, org: &OrgId, number: IncidentNumber) -> Option<Incident>;
    fn incident_by_source(&self, source: &SourceId) -> Option<Incident>;
    fn list_incidents(&self, org: &OrgId, filter: Option<StateFilter>) -> Vec<Incident>;
    fn children(&self, parent: IncidentNumber) -> Vec<Incident>;
    fn events(&self, number: IncidentNumber) -> Vec<IncidentEvent>;
    fn set_discord_ids(&self, number: IncidentNumber, ids: &DiscordIds) -> ();
    /// An internal note by staff on an incident (an event that changes nothing).
    fn add_note(&self, number: IncidentNumber, author: &Author, text: &str, at: DateTime<Utc>) -> ();
    fn notes(&self, number: IncidentNumber) -> Vec<IncidentEvent>;
    /// A manager takes a breached incident over: assigned, its escalations cancelled, once.
    fn take_over(&self, number: IncidentNumber, manager: &AccountId, at: DateTime<Utc>) -> Incident;
    /// A new coverage and deadline for a waiting incident, its pending notices replaced.
    fn reschedule(&self, r: &Reschedule) -> Incident;
    /// P-INC-3: all children or none.
    fn split_incident(&self, req: &SplitRequest) -> Split;
    /// Writes a decided transition if the incident is still in `t.from`, else `StateChanged`.
    fn record_transition(&self, t: &TransitionRecord) -> Incident;

    /// The last message handled in a channel or thread; `None` if the bot never read there.
    fn read_mark(&self, channel: u64) -> Option<u64>;
    /// Moves a channel's read mark forward (never back); whether it moved.
    fn advance_mark(&self, mark: ReadMark) -> bool;
    /// The threads of incidents waiting for their first response.
    fn threads_awaiting_response(&self) -> Vec<u64>;

    fn enqueue(&self, incident: Option<IncidentNumber>, rows: &[NewNotification]) -> ();
    fn claim_due(&self, now: DateTime<Utc>, limit: u32, lease_for: chrono::Duration, worker: &str) -> Vec<Notification>;
    fn complete(&self, id: OutboxId, attempt: i64, message_id: Option<u64>) -> ();
    fn fail(&self, id: OutboxId, attempt: i64, error: &str, retry_at: Option<DateTime<Utc>>) -> ();
    fn heartbeat(&self, id: OutboxId, attempt: i64, lease_until: DateTime<Utc>) -> ();
    fn cancel_for_incident(&self, number: IncidentNumber) -> u64;
    fn outbox_for_incident(&self, number: IncidentNumber) -> Vec<Notification>;
}
