//! The store operations, written once and compiled for both backends.
//!
//! Each file holds one `macro_rules!` that expands to an `impl` block for a backend type
//! (`SqliteStore`, `PgStore`). The SQL is shared: both backends accept `$N` parameters,
//! `RETURNING` and `ON CONFLICT`. A backend supplies `write()` (a write transaction:
//! `BEGIN IMMEDIATE` on SQLite), `wpool()` (autocommit writes), `read()`, `claim_sql()` and
//! `FOR_UPDATE`.

pub(crate) mod accounts;
pub(crate) mod entitlements;
pub(crate) mod incidents;
pub(crate) mod ladder;
pub(crate) mod marks;
pub(crate) mod notes;
pub(crate) mod outbox;
pub(crate) mod report;
pub(crate) mod support;
pub(crate) mod transitions;

/// Names the operation macros use, imported where they expand.
pub(crate) mod prelude {
    pub(crate) use super::entitlements::BALANCE_SQL;
    pub(crate) use super::incidents::child_of;
    pub(crate) use super::marks::{snowflake_from_db, snowflake_to_db};
    pub(crate) use super::outbox::fenced;
    pub(crate) use super::transitions::event_kind;
    pub(crate) use crate::error::{is_foreign_key_violation, is_unique_violation, StoreError};
    pub(crate) use crate::rows::*;
    pub(crate) use crate::text::refuse_nul;
    pub(crate) use crate::types::*;
    pub(crate) use chrono::{DateTime, NaiveDate, Utc};
    pub(crate) use intakebot_core::entitlement::Entitlement;
    pub(crate) use intakebot_core::ids::{AccountId, EntitlementId, IncidentNumber, OrderNumber, OrgId};
    pub(crate) use intakebot_core::incident::IncidentState;
    pub(crate) use intakebot_core::rules::RuleId;
}
