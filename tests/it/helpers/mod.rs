//! Shared set-up: the bot against the local Discord server (`bot`), a small poise bot and a bare
//! serenity client for the server's own tests (`fake_bot`, `bare_client`), databases (`db`),
//! the console's session (`console`), scheduler fixtures (`sched`), `intakebot run` as a child process (`process`), the shipped calendars (`sla`) and the intake fixture (`intake`).

pub mod bare_client;
pub mod bot;
pub mod console;
pub mod db;
pub mod fake_bot;
pub mod intake;
pub mod process;
pub mod sched;
pub mod sla;
