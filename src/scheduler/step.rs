//! One scheduler pass: claim, re-check, render, post (or digest), complete; repeat until
//! nothing is due. Also queues the next escalation and writes off expired pack units.

use super::digest::split_for_discord;
use super::render::{render_expiry, render_incident, Rendered};
use super::sender::{Channel, NoticeSender, Outgoing, SendError};
use crate::app::notices::{incident_rows, Kind, Target};
use crate::app::{App, AppError};
use crate::core::ids::IncidentNumber;
use crate::core::language::Language;
use crate::core::reminders::{next_escalation, NoticeKind};
use crate::store::{Author, NewNotification, Notification, NotificationKind, NotificationTarget};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;
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
}

/// A claimed row ready to post.
struct Ready {
    row: Notification,
    channel: Channel,
    outgoing: Outgoing,
    late: bool,
    kind: Kind,
    target: Target,
}

impl Scheduler {
    pub fn new(app: App, sender: Arc<dyn NoticeSender>, worker: impl Into<String>) -> Scheduler {
        Scheduler {
            app,
            sender,
            worker: worker.into(),
            batch: 500,
            lease: Duration::seconds(45),
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
                metrics::gauge!(crate::ops::metrics::OUTBOX_DEPTH).set(waiting as f64);
                let age = oldest
                    .map(|t| (now - t).num_milliseconds() as f64 / 1000.0)
                    .unwrap_or(0.0);
                metrics::gauge!(crate::ops::metrics::OUTBOX_OLDEST_DUE_SECONDS).set(age);
            }
            Err(err) => tracing::warn!(error = %err, "cannot read the outbox backlog"),
        }
    }

    /// Posts everything due at `now`, in batches, until nothing is left to claim.
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<PassReport, AppError> {
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
        let (Ok(kind), Ok(target)) = (row.kind.0.parse::<Kind>(), row.target.0.parse::<Target>()) else {
            self.app
                .store
                .fail(row.id, row.attempts, "unreadable kind or target", None)
                .await?;
            report.failed += 1;
            return Ok(None);
        };
        let late_by = now - row.due_at;
        let late = late_by > self.grace();
        let rendered = match kind {
            Kind::Expiry { entitlement, days } => self.expiry(entitlement, days, now).await?,
            Kind::ConfigProblem { channel } => super::render::render_config_problem(channel, row.last_error.as_deref()),
            _ => match row.incident {
                Some(number) => {
                    self.incident_notice(number, kind, &target, now, late.then_some(late_by))
                        .await?
                }
                None => Rendered::Skip("no incident"),
            },
        };
        let Rendered::Post {
            content,
            pings,
            ack_button,
        } = rendered
        else {
            self.app.store.cancel_claimed(row.id, row.attempts).await?;
            report.cancelled += 1;
            return Ok(None);
        };
        let Some(channel) = self.resolve(&target, row.incident).await? else {
            // The incident's thread is not created yet: try again shortly, but not forever. Its
            // creation may have failed for good (the customer was told the number), and the
            // staff channel's copy of this notice carries it anyway.
            if row.attempts < THREAD_WAIT_ATTEMPTS {
                let retry_at = now + THREAD_WAIT_STEP;
                self.app
                    .store
                    .fail(row.id, row.attempts, "thread not created yet", Some(retry_at))
                    .await?;
                report.retried += 1;
            } else {
                tracing::warn!(incident = ?row.incident, "incident has no thread; its thread copy is dropped");
                self.app.store.fail(row.id, row.attempts, NO_THREAD, None).await?;
                report.failed += 1;
            }
            return Ok(None);
        };
        let outgoing = Outgoing {
            content,
            pings,
            ack_button: ack_button.then_some(row.incident).flatten(),
            nonce: row.nonce.as_str().to_string(),
        };
        Ok(Some(Ready {
            row,
            channel,
            outgoing,
            late,
            kind,
            target,
        }))
    }

    async fn incident_notice(
        &self,
        number: IncidentNumber,
        kind: Kind,
        target: &Target,
        now: DateTime<Utc>,
        late: Option<Duration>,
    ) -> Result<Rendered, AppError> {
        let Some(incident) = self.app.store.incident(number).await? else {
            return Ok(Rendered::Skip("incident gone"));
        };
        let step = match kind {
            Kind::Escalation { step } => step,
            _ => 0,
        };
        let pings = self.app.config.app.reminders.pings_for_step(step);
        Ok(render_incident(kind, target, &incident, pings, now, late))
    }

    async fn expiry(
        &self,
        id: crate::core::ids::EntitlementId,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<Rendered, AppError> {
        let Some(entitlement) = self.app.store.entitlement(id).await? else {
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
        let lang = self.org_language(&entitlement.organisation);
        let plan = &self.app.config.policy.plan(entitlement.plan).name;
        Ok(render_expiry(
            &entitlement,
            lang.pick(&plan.en, &plan.no),
            days,
            written_off,
            lang,
        ))
    }

    /// Posts rows one by one, or as a digest where one channel has more than the threshold. In a
    /// burst (more thread copies due than `thread_burst`) the thread copies are folded: one post
    /// per thread would take minutes at Discord's 50 requests/s, and the engineers' or managers'
    /// copy of each notice, digested, already lists every incident.
    async fn post_all(&self, ready: Vec<Ready>, now: DateTime<Utc>, report: &mut PassReport) -> Result<(), AppError> {
        let threads = ready.iter().filter(|r| r.target == Target::Thread).count();
        let burst = threads > self.app.config.app.reminders.thread_burst as usize;
        let mut by_channel: BTreeMap<Channel, Vec<Ready>> = BTreeMap::new();
        for r in ready {
            if burst && r.target == Target::Thread {
                self.fold(r, report).await?;
                continue;
            }
            by_channel.entry(r.channel).or_default().push(r);
        }
        let threshold = self.app.config.app.reminders.digest_threshold as usize;
        for (channel, rows) in by_channel {
            if rows.len() > threshold {
                self.post_digest(channel, rows, now, report).await?;
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
            metrics::counter!(crate::ops::metrics::NOTIFICATIONS, "kind" => kind_label(r.kind), "result" => "folded")
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
        match self.sender.post(r.channel, &r.outgoing).await {
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

    async fn post_digest(
        &self,
        channel: Channel,
        rows: Vec<Ready>,
        now: DateTime<Utc>,
        report: &mut PassReport,
    ) -> Result<(), AppError> {
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
        if rows.is_empty() {
            return Ok(());
        }
        let lines: Vec<String> = rows.iter().map(|r| r.outgoing.content.clone()).collect();
        let mut pings: Vec<_> = rows.iter().flat_map(|r| r.outgoing.pings.iter().copied()).collect();
        pings.dedup();
        let header = format!("**{} notices due** ({})", rows.len(), super::render::relative(now));
        // The nonce names exactly this set of rows: naming only the first row would let a
        // different set (re-claimed after a crash) be deduplicated into the old digest and lost.
        let ids: Vec<String> = rows.iter().map(|r| r.row.id.0.to_string()).collect();
        let set = crate::app::notices::scope_of(&crate::store::SourceId(ids.join(",")));
        let mut message_id = 0;
        for (part, content) in split_for_discord(&header, &lines).into_iter().enumerate() {
            let outgoing = Outgoing {
                content,
                pings: pings.clone(),
                ack_button: None,
                nonce: format!("dg{set}p{part}"),
            };
            match self.sender.post(channel, &outgoing).await {
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
            Some(incident) => !incident.state.is_closed() && incident.acknowledged_at.is_none(),
            None => false,
        })
    }

    /// After a breach or escalation reaches the managers, queue the next escalation
    /// (idempotent by nonce, so a retried post never queues it twice).
    async fn after_sent(&self, r: &Ready, now: DateTime<Utc>) -> Result<(), AppError> {
        let step = match (r.kind, &r.target) {
            (Kind::Breach, Target::Managers) => 1,
            (Kind::Escalation { step }, Target::Managers) => step + 1,
            _ => return Ok(()),
        };
        let Some(number) = r.row.incident else { return Ok(()) };
        let Some(incident) = self.app.store.incident(number).await? else {
            return Ok(());
        };
        let settings = &self.app.reminders.severities[&incident.severity];
        let Some(next_due) = self.app.advance_on_clock(
            &incident.organisation,
            incident.coverage,
            r.row.due_at,
            settings.escalate_every,
        ) else {
            tracing::warn!(incident = %number, "next escalation is beyond the calendar's range; not scheduled");
            return Ok(());
        };
        let mut notice = next_escalation(settings, r.row.due_at, step, |_, _| next_due);
        // After downtime, escalations missed while the bot was offline are not posted one
        // after another (a flood): the chain resumes at the first step still in the future.
        while notice.due_at <= now {
            let Some(later) = self.app.advance_on_clock(
                &incident.organisation,
                incident.coverage,
                notice.due_at,
                settings.escalate_every,
            ) else {
                return Ok(());
            };
            let NoticeKind::Escalation { step } = notice.kind else {
                break;
            };
            notice = next_escalation(settings, notice.due_at, step + 1, |_, _| later);
        }
        let rows = incident_rows(&incident.source, &[notice]);
        self.app.store.enqueue_once(Some(number), &rows).await?;
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
                SendError::Retry(after) => {
                    // Back off at least a second, and more on each attempt, within Discord's limits.
                    let backoff = (*after).max(Duration::seconds(r.row.attempts.min(60)));
                    self.app
                        .store
                        .fail(r.row.id, r.row.attempts, &err.to_string(), Some(now + backoff))
                        .await?;
                    report.retried += 1;
                }
                SendError::Permanent(reason) => {
                    self.app.store.fail(r.row.id, r.row.attempts, reason, None).await?;
                    report.failed += 1;
                    metrics::counter!(crate::ops::metrics::NOTIFICATIONS, "kind" => kind_label(r.kind), "result" => "failed").increment(1);
                    self.report_config_problem(r.channel, reason, now).await?;
                }
            }
        }
        Ok(())
    }

    /// Tells the managers once per channel that a channel cannot be posted to: a notice
    /// whose nonce names the channel, so it is queued (and posted) only once.
    async fn report_config_problem(&self, channel: Channel, reason: &str, now: DateTime<Utc>) -> Result<(), AppError> {
        tracing::error!(
            channel = channel.0,
            reason,
            "cannot post to a channel; reminders for it are not retried"
        );
        let kind = Kind::ConfigProblem { channel: channel.0 };
        let row = NewNotification {
            due_at: now,
            kind: NotificationKind(kind.to_string()),
            nonce: crate::app::notices::nonce(&format!("{:x}", channel.0), kind, &Target::Managers),
            target: NotificationTarget(Target::Managers.to_string()),
        };
        self.app.store.enqueue_once(None, &[row]).await?;
        Ok(())
    }

    async fn resolve(&self, target: &Target, incident: Option<IncidentNumber>) -> Result<Option<Channel>, AppError> {
        let discord = &self.app.config.app.discord;
        Ok(match target {
            Target::Engineers => Some(Channel(discord.engineers_channel.0)),
            Target::Managers => Some(Channel(discord.managers_channel.0)),
            Target::Organisation(org) => self
                .app
                .config
                .app
                .organisations
                .iter()
                .find(|o| &o.id == org)
                .and_then(|o| o.intake_channels.first())
                .map(|c| Channel(c.0)),
            Target::Thread => match incident {
                Some(number) => self
                    .app
                    .store
                    .incident(number)
                    .await?
                    .and_then(|i| i.discord.thread)
                    .map(Channel),
                None => None,
            },
        })
    }

    fn org_language(&self, org: &crate::core::ids::OrgId) -> Language {
        self.app
            .config
            .app
            .organisations
            .iter()
            .find(|o| &o.id == org)
            .map(|o| o.language)
            .unwrap_or_default()
    }

    /// How late a post may be before it says the bot was offline.
    fn grace(&self) -> Duration {
        (self.app.config.app.reminders.poll_every.0 * 3).max(Duration::minutes(1))
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
    metrics::counter!(crate::ops::metrics::NOTIFICATIONS, "kind" => kind_label(r.kind), "result" => result)
        .increment(1);
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Reminder { .. } => "reminder",
        Kind::Breach => "breach",
        Kind::Escalation { .. } => "escalation",
        Kind::Expiry { .. } => "expiry",
        Kind::ConfigProblem { .. } => "config-problem",
    }
}
