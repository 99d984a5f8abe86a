//! The notification worker: one step, `run_due(now)`, and a loop that calls it on a timer.
//!
//! A step claims due outbox rows with a lease, re-checks each against the incident (an
//! acknowledged incident's reminders are cancelled, never sent), renders it as a `Reply`,
//! posts it with its stable nonce through the front end's `NoticeSender`, and completes the row
//! fenced by its attempt number. Rows due for one channel beyond the digest threshold go out as
//! one digest. Production calls the step on a timer; tests call it with a chosen `now`.

mod digest;
mod render;
mod sender;
mod step;

pub use digest::split_for_discord;
pub use sender::{NoticeSender, SendError};
pub use step::{PassReport, Scheduler};
