//! The application: every rule of the conversation, once. Front ends (Discord, the console)
//! turn what a person did into a [`Request`] and show the [`Reply`]s that
//! [`App::handle`] returns; they decide nothing else.
//!
//! Layout:
//! - `request`, `reply`: the data in and out. `say`: every sentence the bot says, in English
//!   and Norwegian.
//! - `turn`: one request being handled (who acts, in which language, where replies go).
//! - the use cases, one file each: `open`, `chat`, `thread`, `work` (ack, resolve, close,
//!   refund, note, take over), `split`, `packs`, `lists`, `info` (plans, FAQ), `forms`,
//!   `suggest` (autocomplete), `report` (the managers' SLA report).
//! - `catch_up`: the channels to read again after downtime, and their read marks; `reading`:
//!   the messages being handled, which a mark never passes.
//! - `stop`: the stop request `run` hands its long-running parts.
//! - `present`: cards and lists built from domain values. `notices`: the outbox rows an
//!   incident's life creates. `scheduler`: posts due notices through a front end's sender.
//!
//! Each use case does its I/O first (load from the store), calls the pure core with values,
//! then writes the result and says what happened.

mod catch_up;
mod clock;
mod edge;
mod error;
mod member;
pub mod metrics;
pub mod notices;
mod present;
mod reading;
pub mod reply;
pub mod report;
pub mod request;
mod say;
pub mod scheduler;
pub mod stop;
mod turn;

mod chat;
mod forms;
mod info;
mod ladder;
mod lists;
mod open;
mod packs;
mod split;
mod suggest;
mod thread;
mod work;

pub use catch_up::Unread;
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{AppError, ErrorId};
/// The idempotency key of a request (an interaction or message id), from the store's vocabulary.
pub use intakebot_store::SourceId;
pub use member::Member;
pub use open::SlaPlan;
pub use reply::{Audience, Content, Reply};
pub use request::{Actor, Command, Place, Request};

use intakebot_config::Config;
use intakebot_core::ids::{AccountId, OrgId};
use intakebot_core::intake::ProductIndex;
use intakebot_core::plan::SignInKind;
use intakebot_core::reminders::ReminderPolicy;
use intakebot_core::sla::Calendar;
use intakebot_store::{Store, StoreError};
use std::sync::Arc;

/// A reason a plan cannot be used, in words (the operators' `plans` command prints them).
pub fn explain_denial(
    policy: &intakebot_core::policy::Policy,
    denial: &intakebot_core::policy::Denial,
    lang: intakebot_core::language::Language,
) -> String {
    say::Say::Denial {
        denial: denial.clone(),
        owner: None,
    }
    .render(&say::Words { policy, lang })
    .words()
}

/// Called with every request and the replies it got (tests compare front ends with it).
pub type Observer = Arc<dyn Fn(&Request, &[Reply]) + Send + Sync>;

/// The engine every front end drives; cheap to clone.
#[derive(Clone)]
pub struct App {
    config: Arc<Config>,
    store: Store,
    reminders: Arc<ReminderPolicy>,
    /// The catalog indexed for matching chat text, built once.
    products: Arc<ProductIndex>,
    clock: Arc<dyn Clock>,
    observer: Option<Observer>,
    /// Messages being handled, so read marks never pass one (`reading`).
    reading: Arc<reading::Reading>,
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
            clock: Arc::new(SystemClock),
            observer: None,
            reading: Arc::default(),
        }
    }

    /// Opens the configured database (creating and migrating it) and the app on it.
    pub async fn connect(config: Config) -> Result<App, StoreError> {
        let store = Store::connect(&config.app.database.url).await?;
        Ok(App::new(Arc::new(config), store))
    }

    /// Opens the app on a database other than the configured one (the console's try-out).
    pub async fn connect_to(config: Config, url: &str) -> Result<App, StoreError> {
        let store = Store::connect(url).await?;
        Ok(App::new(Arc::new(config), store))
    }

    /// Uses another clock (the console's simulated one; a fixed one in tests).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> App {
        self.clock = clock;
        self
    }

    pub fn with_observer(mut self, observer: Observer) -> App {
        self.observer = Some(observer);
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The time front ends stamp their requests with.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Handles one request. Never fails: a user error is a private reply saying what to do,
    /// an internal one a private apology with an error id (the cause is logged in full).
    pub async fn handle(&self, request: Request) -> Vec<Reply> {
        let request = Request {
            command: request.command.cleaned(),
            ..request
        };
        let span = tracing::info_span!(
            "request",
            guild = request.place.guild,
            channel = request.place.channel,
            user = %request.actor.account,
            command = request.command.name(),
            incident = tracing::field::Empty,
        );
        let replies = tracing::Instrument::instrument(turn::Turn::run(self, &request), span).await;
        if let Some(observer) = &self.observer {
            observer(&request, &replies);
        }
        replies
    }

    /// The first-response deadline and notices of an incident of `organisation` opened at
    /// `opened_at` (tools and benchmarks that seed a database use it).
    pub fn sla_plan(
        &self,
        organisation: &OrgId,
        severity: intakebot_core::severity::Severity,
        clock: intakebot_core::policy::Clock,
        opened_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<open::SlaPlan, AppError> {
        open::sla_plan(self, organisation, severity, clock, opened_at)
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn database_up(&self) -> bool {
        self.store.ping().await.is_ok()
    }

    /// When the next notice falls due (the console moves its clock there).
    pub async fn next_notice_due(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
        Ok(self.store.next_due_at().await?)
    }

    /// Whether the database knows this account (a try-out seeds its demo users once).
    pub async fn knows_account(&self, account: &AccountId) -> Result<bool, AppError> {
        Ok(self.store.account(account).await?.is_some())
    }

    /// Records how a person signs in (P-PLAN-5) and which organisation they belong to, for
    /// a try-out's demo users; on Discord the organisation's default applies.
    pub async fn record_account(&self, account: &AccountId, org: &OrgId, sign_in: SignInKind) -> Result<(), AppError> {
        member::record(self, account, org, sign_in).await
    }

    pub async fn close(&self) {
        self.store.close().await;
    }

    /// The organisation's business-hours calendar, or the default one.
    pub(crate) fn calendar_of(&self, organisation: &OrgId) -> &Calendar {
        self.config
            .app
            .organisations
            .iter()
            .find(|o| &o.id == organisation)
            .and_then(|o| o.calendar.as_deref())
            .and_then(|name| self.config.calendars.get(name))
            .unwrap_or_else(|| self.config.calendars.default_calendar())
    }

    pub(crate) fn organisation(&self, id: &OrgId) -> Option<&intakebot_config::OrganisationConfig> {
        self.config.app.organisations.iter().find(|o| &o.id == id)
    }

    /// The organisation whose intake channel this is.
    pub(crate) fn organisation_of_channel(&self, channel: u64) -> Option<&intakebot_config::OrganisationConfig> {
        self.config
            .app
            .organisations
            .iter()
            .find(|o| o.intake_channels.iter().any(|c| c.0 == channel))
    }
}
