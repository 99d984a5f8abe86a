//! One scheduler pass: claim, re-check, render, post (or digest), complete; repeat until
//! nothing is due. Also queues the next escalation, the next weekly report, and writes off
//! expired pack units.

use super::digest::split_for_discord;
use super::render::{self, Rendered};
use super::sender::{NoticeSender, SendError};
use crate::error::AppError;
use crate::notices::{incident_rows, Kind, Target};
use crate::reply::{Audience, ChannelKind, Content, Destination, Message, Reply};
use crate::say::Notice;
use crate::App;
use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::Tz;
use intakebot_core::ids::IncidentNumber;
use intakebot_core::language::Language;
use intakebot_core::reminders::next_escalation;
use intakebot_store::{Author, NewNotification, Notification};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// How often, and how many times, a thread copy waits for its incident's thread to exist:
/// 20 tries 30 s apart cover a thread created late, not one that will never be created.
const THREAD_WAIT_STEP: Duration = Duration::seconds(30);
const THREAD_WAIT_ATTEMPTS: i64 = 20;
/// Recorded on a thread copy given up because its incident has no thread.
const NO_THREAD: &str = "the incident has no thread (its creation failed); the staff channel copy carries the notice";

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    pub claimed: usize,
    pub sent: usize,
    pub late: usize,
    pub cancelled: usize,
    pub retried: usize,
    pub failed: usize,
    pub digests: usize,
    /// Thread copies left to the shared channel's digest in a burst.
    pub folded: usize,
}

pub struct Scheduler {
    app: App,
    sender: Arc<dyn NoticeSender>,
    worker: String,
    batch: u32,
    lease: Duration,
    /// Whether this process queued the next weekly report yet (each start does, once).
    weekly_queued: AtomicBool,
}

/// A claimed row ready to post.
struct Ready {
    row: Notification,
    reply: Reply,
    late: bool,
    kind: Kind,
    target: Target,
}

impl Ready {
    fn channel(&self) -> u64 {
        match &self.reply.audience {
            Audience::Channel(d) => d.id,
            _ => 0,
        }
    }
}

impl Scheduler {
    pub fn new(app: App, sender: Arc<dyn NoticeSender>, worker: impl Into<String>) -> Scheduler {
        Scheduler {
            app,
            sender,
            worker: worker.into(),
            batch: 500,
            lease: Duration::seconds(45),
            weekly_queued: AtomicBool::new(false),
        }
    }

    /// Claims rows in batches of this many (tests use small batches).
    pub fn with_batch(mut self, batch: u32) -> Scheduler {
        self.batch = batch.max(1);
        self
    }

    /// How long a claim holds before another worker may take the row over (a crashed worker's rows).
    pub fn with_lease(mut self, lease: Duration) -> Scheduler {
        self.lease = lease.max(Duration::seconds(1));
        self
    }

    /// Exports the outbox depth and the age of the oldest due notice as gauges.
    pub async fn record_backlog(&self, now: DateTime<Utc>) {
        match self.app.store.outbox_backlog(now).await {
            Ok((waiting, oldest)) => {
                metrics::gauge!(crate::metrics::OUTBOX_DEPTH).set(waiting as f64);
                let age = oldest
                    .map(|t| (now - t).num_milliseconds() as f64 / 1000.0)
                    .unwrap_or(0.0);
                metrics::gauge!(crate::metrics::OUTBOX_OLDEST_DUE_SECONDS).set(age);
            }
            Err(err) => tracing::warn!(error = %err, "cannot read the outbox backlog"),
        }
    }

    /// The scheduler on a timer, at the app's clock, until `stop` is asked for: started once per
    /// process, never from Discord's `Ready` (which fires again on every reconnect). A stop is
    /// only taken between passes: a pass under way runs to its end, so no claimed row is left
    /// half-done by the stop itself (the caller bounds how long it waits for that end).
    pub async fn run_until(&self, every: std::time::Duration, mut stop: crate::stop::Stop) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                _ = stop.requested() => return,
                _ = tick.tick() => {}
            }
            let now = self.app.now();
            match self.run_due(now).await {
                Ok(report) if report.claimed > 0 => tracing::info!(?report, "scheduler pass"),
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "scheduler pass failed"),
            }
            self.record_backlog(now).await;
        }
    }

    /// Posts everything due at `now`, in batches, until nothing is left to claim.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<PassReport, AppError> {
        // Each sent weekly report queues the next; the first pass of a process queues one too,
        // so a new database (or one whose report failed for good) gets its Monday post.
        if !self.weekly_queued.load(Ordering::Relaxed) {
            self.queue_weekly_report(now).await?;
            self.weekly_queued.store(true, Ordering::Relaxed);
        }
        let mut report = PassReport::default();
        loop {
            let rows = self
                .app
                .store
                .claim_due(now, self.batch, self.lease, &self.worker)
                .await?;
            if rows.is_empty() {
                return Ok(report);
            }
            report.claimed += rows.len();
            let mut ready = Vec::new();
            for row in rows {
                if let Some(r) = self.prepare(row, now, &mut report).await? {
                    ready.push(r);
                }
            }
            self.post_all(ready, now, &mut report).await?;
        }
    }

    /// Re-checks a row against the current state and renders it, or finishes it without posting.
    async fn prepare(
        &self,
        row: Notification,
        now: DateTime<Utc>,
        report: &mut PassReport,
    ) -> Result<Option<Ready>, AppError> {
        let store = &self.app.store;
        let (kind, target) = (row.kind, row.target.clone());
        let late_by = now - row.due_at;
        let late = late_by > self.grace();
        let Some(destination) = self.resolve(&target, row.incident).await? else {
            return self.no_thread_yet(row, now, report).await;
        };
        let (language, zone) = self.reader(&target, row.incident).await?;
        let rendered = match kind {
            Kind::Expiry { entitlement, days } => self.expiry(entitlement, days, language, now).await?,
            Kind::ConfigProblem { channel } => render::config_problem(&self.app, channel),
            Kind::GaveUp { channel } => render::gave_up(&self.app, channel, self.max_attempts()),
            Kind::BreachDigest { .. } => self.breach_digest(language, now).await?,
            Kind::WeeklyReport { week } => render::weekly_report(&self.app, week, language, now).await?,
            _ => match row.incident {
                Some(number) => match store.incident(number).await? {
                    Some(incident) => render::incident(
                        &self.app,
                        kind,
                        &target,
                        &incident,
                        language,
                        now,
                        late.then_some(late_by),
                    ),
                    None => Rendered::Skip("incident gone"),
                },
                None => Rendered::Skip("no incident"),
            },
        };
        let Rendered::Post(message) = rendered else {
            store.cancel_claimed(row.id, row.attempts).await?;
            report.cancelled += 1;
            return Ok(None);
        };
        let reply = Reply {
            audience: Audience::Channel(destination),
            language,
            zone,
            content: Content::Message(message),
        };
        Ok(Some(Ready {
            row,
            reply,
            late,
            kind,
            target,
        }))
    }

    /// The incident's thread is not created yet: try again shortly, but not forever. Its
    /// creation may have failed for good (the customer was told the number), and the staff
    /// channel's copy of this notice carries it anyway.
    async fn no_thread_yet(
        &self,
        row: Notification,
        now: DateTime<Utc>,
        report: &mut PassReport,
    ) -> Result<Option<Ready>, AppError> {
        let store = &self.app.store;
        if row.attempts < THREAD_WAIT_ATTEMPTS {
            store
                .fail(
                    row.id,
                    row.attempts,
                    "thread not created yet",
                    Some(now + THREAD_WAIT_STEP),
                )
                .await?;
            report.retried += 1;
        } else {
            tracing::warn!(incident = ?row.incident, "incident has no thread; its thread copy is dropped");
            store.fail(row.id, row.attempts, NO_THREAD, None).await?;
            report.failed += 1;
        }
        Ok(None)
    }

    /// Who reads a target: the incident's language in its thread, the staff language in staff
    /// channels, the organisation's in its intake channel; with the matching time zone.
    async fn reader(&self, target: &Target, incident: Option<IncidentNumber>) -> Result<(Language, Tz), AppError> {
        Ok(match target {
            Target::Engineers | Target::Managers => (self.app.staff_language(), self.app.staff_zone()),
            Target::Organisation(org) => (
                self.app
                    .organisation(org)
                    .map_or(self.app.staff_language(), |o| o.language),
                self.app.calendar_of(org).zone(),
            ),
            Target::Thread => match incident {
                Some(number) => match self.app.store.incident(number).await? {
                    Some(i) => (i.language, self.app.calendar_of(&i.organisation).zone()),
                    None => (self.app.staff_language(), self.app.staff_zone()),
                },
                None => (self.app.staff_language(), self.app.staff_zone()),
            },
        })
    }

    /// The incidents still waiting for a first response past their deadline, oldest first.
    async fn breach_digest(&self, lang: Language, now: DateTime<Utc>) -> Result<Rendered, AppError> {
        let mut open = Vec::new();
        for org in &self.app.config.app.organisations {
            let waiting = self
                .app
                .store
                .list_incidents(&org.id, Some(intakebot_store::StateFilter::Open))
                .await?;
            open.extend(waiting.into_iter().filter(|i| i.first_response_due <= now));
        }
        open.sort_by_key(|i| i.first_response_due);
        Ok(render::breach_digest(&self.app, &open, lang, now))
    }

    async fn expiry(
        &self,
        id: intakebot_core::ids::EntitlementId,
        days: u32,
        lang: Language,
        now: DateTime<Utc>,
    ) -> Result<Rendered, AppError> {
        let Some(pack) = self.app.store.entitlement(id).await? else {
            return Ok(Rendered::Skip("pack gone"));
        };
        let written_off = if days == 0 {
            self.app
                .store
                .expire_units(id, &Author::System, "expired one year after purchase (P-PLAN-2)", now)
                .await?
        } else {
            0
        };
        Ok(render::expiry(&self.app, &pack, days, written_off, lang))
    }

    /// Posts rows one by one, or as a digest where one channel has more than the threshold. In a
    /// burst (more thread copies due than `thread_burst`) the thread copies are folded: one post
    /// per thread would take minutes at Discord's 50 requests/s, and the engineers' or managers'
    /// copy of each notice, digested, already lists every incident.
    async fn post_all(&self, ready: Vec<Ready>, now: DateTime<Utc>, report: &mut PassReport) -> Result<(), AppError> {
        let reminders = &self.app.config.app.reminders;
        let threads = ready.iter().filter(|r| r.target == Target::Thread).count();
        let burst = threads > reminders.thread_burst as usize;
        let mut by_channel: BTreeMap<u64, Vec<Ready>> = BTreeMap::new();
        for r in ready {
            if burst && r.target == Target::Thread {
                self.fold(r, report).await?;
                continue;
            }
            // A report's card and files cannot be folded into a digest's lines.
            if !message_of(&r.reply).files.is_empty() {
                self.post_one(r, now, report).await?;
                continue;
            }
            by_channel.entry(r.channel()).or_default().push(r);
        }
        let threshold = reminders.digest_threshold as usize;
        for (_, rows) in by_channel {
            if rows.len() > threshold {
                self.post_digest(rows, now, report).await?;
            } else {
                for r in rows {
                    self.post_one(r, now, report).await?;
                }
            }
        }
        Ok(())
    }

    /// Finishes a thread copy without posting it (its shared-channel copy carries the notice).
    async fn fold(&self, r: Ready, report: &mut PassReport) -> Result<(), AppError> {
        if self.still_waiting(&r).await? {
            self.app.store.complete(r.row.id, r.row.attempts, None).await?;
            report.folded += 1;
            metrics::counter!(crate::metrics::NOTIFICATIONS, "kind" => kind_label(r.kind), "result" => "folded")
                .increment(1);
        } else {
            self.app.store.cancel_claimed(r.row.id, r.row.attempts).await?;
            report.cancelled += 1;
        }
        Ok(())
    }

    async fn post_one(&self, r: Ready, now: DateTime<Utc>, report: &mut PassReport) -> Result<(), AppError> {
        // P-SEV-6: an ack may have landed while the batch was prepared; look again right
        // before posting so the window for a reminder after the ack is one query, not a batch.
        if !self.still_waiting(&r).await? {
            self.app.store.cancel_claimed(r.row.id, r.row.attempts).await?;
            report.cancelled += 1;
            return Ok(());
        }
        match self.sender.post(&r.reply, r.row.nonce.as_str()).await {
            Ok(message_id) => {
                self.after_sent(&r, now).await?;
                self.app
                    .store
                    .complete(r.row.id, r.row.attempts, Some(message_id))
                    .await?;
                count_sent(report, &r);
            }
            Err(err) => self.after_failure(&[&r], err, now, report).await?,
        }
        Ok(())
    }

    async fn post_digest(&self, rows: Vec<Ready>, now: DateTime<Utc>, report: &mut PassReport) -> Result<(), AppError> {
        let mut waiting = Vec::with_capacity(rows.len());
        for r in rows {
            if self.still_waiting(&r).await? {
                waiting.push(r);
            } else {
                self.app.store.cancel_claimed(r.row.id, r.row.attempts).await?;
                report.cancelled += 1;
            }
        }
        let rows = waiting;
        let Some(first) = rows.first() else { return Ok(()) };
        let lines: Vec<_> = rows.iter().map(|r| message_of(&r.reply).text.clone()).collect();
        let mut pings: Vec<_> = rows
            .iter()
            .flat_map(|r| message_of(&r.reply).pings.iter().copied())
            .collect();
        pings.dedup();
        let header = self.app.notice_text(
            &Notice::DigestHeader {
                count: rows.len(),
                at: now,
            },
            first.reply.language,
        );
        // The nonce names exactly this set of rows: naming only the first row would let a
        // different set (re-claimed after a crash) be deduplicated into the old digest and lost.
        let ids: Vec<String> = rows.iter().map(|r| r.row.id.0.to_string()).collect();
        let set = crate::notices::scope_of(&intakebot_store::SourceId(ids.join(",")));
        let mut message_id = 0;
        for (part, text) in split_for_discord(&header, &lines).into_iter().enumerate() {
            let reply = Reply {
                content: Content::Message(Message::text(text).with_pings(pings.clone())),
                ..first.reply.clone()
            };
            match self.sender.post(&reply, &format!("dg{set}p{part}")).await {
                Ok(id) => message_id = id,
                Err(err) => {
                    let refs: Vec<&Ready> = rows.iter().collect();
                    return self.after_failure(&refs, err, now, report).await;
                }
            }
            report.digests += 1;
        }
        for r in &rows {
            self.after_sent(r, now).await?;
            self.app
                .store
                .complete(r.row.id, r.row.attempts, Some(message_id))
                .await?;
            count_sent(report, r);
        }
        Ok(())
    }

    /// Whether an incident notice still has someone to wake (not acknowledged, not closed).
    async fn still_waiting(&self, r: &Ready) -> Result<bool, AppError> {
        if !matches!(r.kind, Kind::Reminder { .. } | Kind::Breach | Kind::Escalation { .. }) {
            return Ok(true);
        }
        let Some(number) = r.row.incident else { return Ok(true) };
        Ok(match self.app.store.incident(number).await? {
            Some(incident) if matches!(r.kind, Kind::Escalation { .. }) && incident.assigned_to.is_some() => false,
            Some(incident) => !incident.state.is_closed() && incident.acknowledged_at.is_none(),
            None => false,
        })
    }

    /// After a breach or escalation reaches the managers, queue the next step of the ladder
    /// (idempotent by nonce, so a retried post never queues it twice); past the last step, or
    /// once a manager took it over, the daily digest of breaches lists it instead. After a
    /// digest, the next day's is queued.
    async fn after_sent(&self, r: &Ready, now: DateTime<Utc>) -> Result<(), AppError> {
        let step = match (r.kind, &r.target) {
            (Kind::BreachDigest { .. }, _) => return self.queue_digest(now).await,
            (Kind::WeeklyReport { .. }, _) => return self.queue_weekly_report(now).await,
            (Kind::Breach, Target::Managers) => 1,
            (Kind::Escalation { step }, Target::Managers) => step + 1,
            _ => return Ok(()),
        };
        let Some(number) = r.row.incident else { return Ok(()) };
        let Some(incident) = self.app.store.incident(number).await? else {
            return Ok(());
        };
        if incident.assigned_to.is_some() {
            return self.queue_digest(now).await;
        }
        let settings = &self.app.reminders.severities[&incident.severity];
        let advance = |t: DateTime<Utc>| {
            crate::open::advance_on_clock(
                &self.app,
                &incident.organisation,
                incident.coverage,
                t,
                settings.escalate_every,
            )
        };
        // After downtime, escalations missed while the bot was offline are not posted one
        // after another (a flood): the next step goes out at its first slot still in the
        // future, and missed slots do not use up the ladder (nobody was paged in them).
        let mut due = r.row.due_at;
        loop {
            let Some(next_due) = advance(due) else {
                tracing::warn!(incident = %number, "next escalation is beyond the calendar's range; not scheduled");
                return Ok(());
            };
            let Some(notice) = next_escalation(settings, due, step, |_, _| next_due) else {
                return self.queue_digest(now).await;
            };
            if notice.due_at > now {
                let rows = incident_rows(&incident.source, &[notice]);
                self.app.store.enqueue_once(Some(number), &rows).await?;
                return Ok(());
            }
            due = notice.due_at;
        }
    }

    /// Queues the managers' digest of open breaches at the next digest time after `now`, once
    /// per day however many incidents ask for it.
    async fn queue_digest(&self, now: DateTime<Utc>) -> Result<(), AppError> {
        let row = crate::notices::breach_digest_row(&self.app, now);
        self.app.store.enqueue_once(None, &[row]).await?;
        Ok(())
    }

    /// Queues the next Monday's weekly report (once: its nonce names the week).
    async fn queue_weekly_report(&self, now: DateTime<Utc>) -> Result<(), AppError> {
        if !self.app.config.app.reminders.weekly_report {
            return Ok(());
        }
        let row = crate::notices::weekly_report_row(self.app.staff_zone(), now);
        self.app.store.enqueue_once(None, &[row]).await?;
        Ok(())
    }

    async fn after_failure(
        &self,
        rows: &[&Ready],
        err: SendError,
        now: DateTime<Utc>,
        report: &mut PassReport,
    ) -> Result<(), AppError> {
        for r in rows {
            match &err {
                SendError::Retry(after) if r.row.attempts < i64::from(self.max_attempts()) => {
                    // Wait at least what Discord asked (Retry-After), and more on each attempt.
                    let backoff = (*after).max(Duration::seconds(r.row.attempts.min(60)));
                    self.app
                        .store
                        .fail(r.row.id, r.row.attempts, &err.to_string(), Some(now + backoff))
                        .await?;
                    report.retried += 1;
                }
                SendError::Retry(_) => {
                    let reason = format!("given up after {} attempts: {err}", r.row.attempts);
                    self.give_up(r, &reason, report).await?;
                    if !is_problem_notice(r.kind) {
                        self.report_gave_up(r.channel(), &reason, now).await?;
                    }
                }
                SendError::Permanent(reason) => {
                    self.give_up(r, reason, report).await?;
                    self.report_config_problem(r.channel(), reason, now).await?;
                }
            }
        }
        Ok(())
    }

    /// Marks a row failed for good.
    async fn give_up(&self, r: &Ready, reason: &str, report: &mut PassReport) -> Result<(), AppError> {
        self.app.store.fail(r.row.id, r.row.attempts, reason, None).await?;
        report.failed += 1;
        metrics::counter!(crate::metrics::NOTIFICATIONS, "kind" => kind_label(r.kind), "result" => "failed")
            .increment(1);
        Ok(())
    }

    /// Tries of one notice before it is given up (`reminders.max_attempts`).
    fn max_attempts(&self) -> u32 {
        self.app.config.app.reminders.max_attempts
    }

    /// Tells the managers, once a day per channel however many rows were given up, that
    /// notices to a channel were given up: the nonce names the channel and the day.
    async fn report_gave_up(&self, channel: u64, reason: &str, now: DateTime<Utc>) -> Result<(), AppError> {
        tracing::error!(
            channel,
            reason,
            "notices to a channel given up after repeated 429 or 5xx"
        );
        let day = now.date_naive().num_days_from_ce();
        self.tell_managers_once(Kind::GaveUp { channel }, &format!("{channel:x}{day:x}"), now)
            .await
    }

    /// Tells the managers once per channel that a channel cannot be posted to: a notice
    /// whose nonce names the channel, so it is queued (and posted) only once.
    async fn report_config_problem(&self, channel: u64, reason: &str, now: DateTime<Utc>) -> Result<(), AppError> {
        tracing::error!(
            channel,
            reason,
            "cannot post to a channel; reminders for it are not retried"
        );
        self.tell_managers_once(Kind::ConfigProblem { channel }, &format!("{channel:x}"), now)
            .await
    }

    /// Queues a notice to the managers whose nonce is made of `key`: queued, and posted, once
    /// however often it is asked for.
    async fn tell_managers_once(&self, kind: Kind, key: &str, now: DateTime<Utc>) -> Result<(), AppError> {
        let row = NewNotification {
            due_at: now,
            kind,
            nonce: crate::notices::nonce(key, kind, &Target::Managers),
            target: Target::Managers,
        };
        self.app.store.enqueue_once(None, &[row]).await?;
        Ok(())
    }

    async fn resolve(
        &self,
        target: &Target,
        incident: Option<IncidentNumber>,
    ) -> Result<Option<Destination>, AppError> {
        let discord = &self.app.config.app.discord;
        Ok(match target {
            Target::Engineers => Some(Destination {
                id: discord.engineers_channel.0,
                kind: ChannelKind::Engineers,
            }),
            Target::Managers => Some(Destination {
                id: discord.managers_channel.0,
                kind: ChannelKind::Managers,
            }),
            Target::Organisation(org) => self
                .app
                .organisation(org)
                .and_then(|o| o.intake_channels.first())
                .map(|c| Destination {
                    id: c.0,
                    kind: ChannelKind::Intake(org.clone()),
                }),
            Target::Thread => match incident {
                Some(number) => self
                    .app
                    .store
                    .incident(number)
                    .await?
                    .and_then(|i| i.discord.thread)
                    .map(|id| Destination {
                        id,
                        kind: ChannelKind::Thread(number),
                    }),
                None => None,
            },
        })
    }

    /// How late a post may be before it says the bot was offline.
    fn grace(&self) -> Duration {
        (self.app.config.app.reminders.poll_every.0 * 3).max(Duration::minutes(1))
    }
}

fn message_of(reply: &Reply) -> &Message {
    match &reply.content {
        Content::Message(m) => m,
        // Notices are always messages; an empty one keeps a digest whole.
        _ => {
            static EMPTY: std::sync::OnceLock<Message> = std::sync::OnceLock::new();
            EMPTY.get_or_init(Message::default)
        }
    }
}

fn count_sent(report: &mut PassReport, r: &Ready) {
    report.sent += 1;
    let result = if r.late {
        report.late += 1;
        "late"
    } else {
        "sent"
    };
    metrics::counter!(crate::metrics::NOTIFICATIONS, "kind" => kind_label(r.kind), "result" => result).increment(1);
}

/// The managers' notices about delivery itself: one given up is not reported again (a loop).
fn is_problem_notice(kind: Kind) -> bool {
    matches!(kind, Kind::ConfigProblem { .. } | Kind::GaveUp { .. })
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Reminder { .. } => "reminder",
        Kind::Breach => "breach",
        Kind::Escalation { .. } => "escalation",
        Kind::Expiry { .. } => "expiry",
        Kind::ConfigProblem { .. } => "config-problem",
        Kind::GaveUp { .. } => "gave-up",
        Kind::BreachDigest { .. } => "breach-digest",
        Kind::WeeklyReport { .. } => "weekly-report",
    }
}
