//! Incidents and their life: open → acknowledged → closed in one of four ways,
//! split into sub-incidents, and the refund decision after an unpaid close.

mod state;

pub use state::{Action, Actor, IncidentState, Outcome, RefundDecision, Role, Transition, TransitionError};
