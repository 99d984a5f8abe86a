//! The Discord permissions the bot needs (`needed`), its effective permissions in each
//! configured channel (`effective`, pure), and the wiring that checks them at start, on every
//! role or channel change and on demand (`watch`).

mod effective;
mod needed;
mod watch;

pub use effective::{base, check, effective, Channel, Finding, Member, Purpose};
pub use needed::{missing, missing_of, NEEDED, REQUIRED, STAFF};
pub use watch::{check_over_rest, summary, wanted, Status, Watch};
