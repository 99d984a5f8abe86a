//! intakebot: a Discord support-intake bot.
//!
//! Layout (a Cargo workspace; each crate may only use the ones below it):
//! - `intakebot-core` (`crates/core`): the pure domain (policy engine, SLA clock, incident
//!   state machine, intake grammar). No I/O, no clock: `now` is a parameter.
//! - `intakebot-store` (`crates/store`): the database (SQLite by default, PostgreSQL for
//!   several instances).
//! - `intakebot-config` (`crates/config`): loads and validates the TOML files and environment.
//! - `intakebot-app` (`crates/app`): commands in, replies out; every rule of the conversation,
//!   and the notice scheduler.
//! - `intakebot-discord`, `intakebot-console` (`crates/discord`, `crates/console`): the front
//!   ends; they translate and never reach the store.
//! - `intakebot-report` (`crates/report`): the managers' SLA report (figures, CSV, chart); pure.
//! - `intakebot-testkit` (`crates/testkit`): a local Discord-compatible server for tests.
//! - this crate: the binary's command line and operations (health, metrics, logging).

pub use intakebot_app as app;
pub use intakebot_config as config;
pub use intakebot_console as console;
pub use intakebot_core as core;
pub use intakebot_discord as discord;
pub use intakebot_report as report;
pub use intakebot_store as store;

pub mod cli;
pub mod ops;
