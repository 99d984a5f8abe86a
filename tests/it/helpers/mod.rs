//! Shared set-up: the bot against the local Discord server (`bot`), a bare serenity client for
//! the server's own tests (`fake_bot`), databases (`db`), scheduler fixtures (`sched`), the
//! shipped calendars (`sla`) and the intake fixture (`intake`).

pub mod bot;
pub mod db;
pub mod fake_bot;
pub mod intake;
pub mod sched;
pub mod sla;
