//! The application: use cases shared by every front end (Discord, console). Each does its
//! I/O first (load from the store), calls the pure core with values, then writes the result.

mod chat;
mod error;
mod expiry;
mod lifecycle;
mod member;
pub mod notices;
mod open;
mod packs;
pub mod present;
mod queries;

pub use chat::{missing_text, ChatOutcome};
pub use error::{AppError, ErrorId};
pub use lifecycle::{is_breached, SubProblem};
pub use member::Member;
pub use open::{OpenOutcome, OpenRequest, OpenedIncident, Refusal, ResolvedProduct, SlaPlan};
pub use packs::{Grant, PackBalance};
pub use queries::{IncidentList, AT_RISK_WITHIN};

use crate::config::Config;
use crate::core::ids::OrgId;
use crate::core::intake::ProductIndex;
use crate::core::language::Language;
use crate::core::reminders::ReminderPolicy;
use crate::core::sla::Calendar;
use crate::store::{Store, StoreError};
use std::sync::Arc;

/// The engine every front end drives: config, store, and what is derived from config once.
#[derive(Clone)]
pub struct App {
    pub config: Arc<Config>,
    pub store: Store,
    pub reminders: Arc<ReminderPolicy>,
    /// The catalog indexed for matching chat text, built once.
    pub products: Arc<ProductIndex>,
}

impl App {
    pub fn new(config: Arc<Config>, store: Store) -> App {
        let reminders = Arc::new(config.app.reminders.policy());
        let products = Arc::new(ProductIndex::new(&config.catalog));
        App {
            config,
            store,
            reminders,
            products,
        }
    }

    /// The organisation's business-hours calendar, or the default one.
    pub fn calendar_of(&self, organisation: &OrgId) -> &Calendar {
        self.config
            .app
            .organisations
            .iter()
            .find(|o| &o.id == organisation)
            .and_then(|o| o.calendar.as_deref())
            .and_then(|name| self.config.calendars.get(name))
            .unwrap_or_else(|| self.config.calendars.default_calendar())
    }
}

/// A store error as the user should hear it: business refusals in words, the rest internal.
pub(crate) fn store_user_error(err: StoreError, lang: Language) -> AppError {
    match lifecycle::refusal_message(&err, lang) {
        Some(message) => AppError::user(message),
        None => AppError::internal(err),
    }
}
