//! intakebot: a Discord support-intake bot.
//!
//! Layout:
//! - `core/`: the pure domain (policy engine, SLA clock, incident state machine,
//!   intake grammar). No I/O, no clock: `now` is a parameter.
//! - `config/`: loads and validates the TOML files and environment into core types.
//! - `store/`: the database (SQLite by default, PostgreSQL for several instances).
//! - `cli/`: the command-line entry points.

pub mod app;
pub mod cli;
pub mod config;
pub mod console;
pub mod core;
pub mod discord;
pub mod ops;
pub mod scheduler;
pub mod store;
#[cfg(feature = "testkit")]
pub mod testkit;
