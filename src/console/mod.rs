//! The console front end: the same engine as the Discord bot, in a terminal.

pub mod line;
