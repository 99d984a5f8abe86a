//! What the bot needs from Discord (the README's invite link is computed from it) and the check
//! of its effective permissions in each configured channel; both live with the Discord front end.

pub use intakebot_discord::permissions::*;
