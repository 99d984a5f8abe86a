//! intakebot: a Discord support-intake bot.
//!
//! Layout (a Cargo workspace; each crate may only use the ones below it):
//! - `intakebot-core` (`crates/core`): the pure domain (policy engine, SLA clock, incident
//!   state machine, intake grammar). No I/O, no clock: `now` is a parameter.
//! - `intakebot-store` (`crates/store`): the database (SQLite by default, PostgreSQL for
//!   several instances).
//! - `intakebot-config` (`crates/config`): loads and validates the TOML files and environment.
//! - `intakebot-report` (`crates/report`): the managers' SLA report (figures, CSV, chart); pure.
//! - this crate: the app, the front ends and the command line.

pub use intakebot_config as config;
pub use intakebot_core as core;
pub use intakebot_report as report;
pub use intakebot_store as store;

pub mod app;
pub mod cli;
pub mod console;
pub mod discord;
pub mod ops;
pub mod scheduler;
