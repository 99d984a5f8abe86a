//! The pure domain core: policy, SLA clock, incidents and the intake grammar.
//!
//! Nothing in here does I/O or reads the clock: Discord, the database and `now`
//! come in from the adapters as plain values, so every rule can be table-tested.

pub mod catalog;
pub mod entitlement;
pub mod ids;
pub mod incident;
pub mod intake;
pub mod language;
pub mod outbox;
pub mod plan;
pub mod policy;
pub mod reminders;
pub mod rules;
pub mod severity;
pub mod sla;
pub mod text;
