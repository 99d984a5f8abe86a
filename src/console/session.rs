//! A console session: who you are, which thread you look at, the simulated clock, and the
//! transcript of what the bot says where.

use super::clock::SimClock;
use super::demo::{self, DemoUser};
use super::line::{self, Advance, Line, Meta};
use super::sender::ConsoleSender;
use crate::app::{App, AppError, Member, Refusal};
use crate::core::ids::IncidentNumber;
use crate::core::language::Language;
use crate::scheduler::{Channel, Outgoing, Scheduler};
use chrono::{DateTime, Utc};
use std::io::Write;
use std::sync::Arc;

/// Synthetic Discord ids of incident threads in a try-out: this plus the incident number.
pub const THREAD_BASE: u64 = 9_000_000_000;

pub struct Session {
    pub(super) app: App,
    scheduler: Scheduler,
    sender: Arc<ConsoleSender>,
    pub(super) clock: SimClock,
    pub(super) user: &'static DemoUser,
    pub(super) thread: Option<IncidentNumber>,
    pub(super) last_refusal: Option<Refusal>,
}

/// Whether the session goes on after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

impl Session {
    pub fn new(app: App, clock: SimClock) -> Session {
        let sender = Arc::new(ConsoleSender::default());
        let scheduler = Scheduler::new(app.clone(), sender.clone(), "console");
        Session {
            app,
            scheduler,
            sender,
            clock,
            user: &demo::USERS[0],
            thread: None,
            last_refusal: None,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(super) fn member(&self) -> Member {
        demo::member(self.user, self.language())
    }

    pub(super) fn language(&self) -> Language {
        self.app
            .config
            .app
            .organisations
            .iter()
            .find(|o| {
                o.id.as_str() == self.user.organisation && self.user.role == crate::core::incident::Role::Customer
            })
            .map(|o| o.language)
            .unwrap_or(Language::En)
    }

    pub fn prompt(&self) -> String {
        format!("{}@{}> ", self.user.name, self.place())
    }

    /// Where the user is: a thread, or their home channel.
    pub(super) fn place(&self) -> String {
        match (self.thread, self.user.role) {
            (Some(n), _) => n.to_string(),
            (None, crate::core::incident::Role::Customer) => format!("#{}-intake", self.user.organisation),
            (None, crate::core::incident::Role::Engineer) => "#engineers".to_string(),
            (None, crate::core::incident::Role::Manager) => "#managers".to_string(),
        }
    }

    /// Handles one line and prints what happens, then whatever notices fell due.
    pub async fn handle(&mut self, input: &str, out: &mut impl Write) -> std::io::Result<Flow> {
        let flow = match line::parse(input) {
            Ok(Line::Empty) => Flow::Continue,
            Ok(Line::Meta(meta)) => self.meta(meta, out).await?,
            Ok(Line::Slash(cmd)) => {
                let reply = self.command(&cmd).await;
                self.show_result(reply, out)?;
                Flow::Continue
            }
            Ok(Line::Message(text)) => {
                self.say(out, &self.place(), self.user.name, &text)?;
                let reply = self.message(&text).await;
                self.show_result(reply, out)?;
                Flow::Continue
            }
            Err(err) => {
                writeln!(out, "  ! {err}")?;
                Flow::Continue
            }
        };
        self.deliver_due(out).await?;
        Ok(flow)
    }

    fn show_result(&self, reply: Result<Vec<(String, String)>, AppError>, out: &mut impl Write) -> std::io::Result<()> {
        match reply {
            Ok(posts) => {
                for (place, text) in posts {
                    self.say(out, &place, "bot", &text)?;
                }
                Ok(())
            }
            Err(err) => self.say(
                out,
                &format!("{} (only you)", self.place()),
                "bot",
                &err.for_user(self.language()),
            ),
        }
    }

    async fn meta(&mut self, meta: Meta, out: &mut impl Write) -> std::io::Result<Flow> {
        match meta {
            Meta::As(name) => match demo::find(&name) {
                Some(user) => {
                    self.user = user;
                    self.thread = None;
                    writeln!(
                        out,
                        "  you are now {} ({}, {})",
                        user.name, user.role, user.organisation
                    )?;
                }
                None => writeln!(
                    out,
                    "  ! no user {name:?}; try {}",
                    demo::USERS.iter().map(|u| u.name).collect::<Vec<_>>().join(", ")
                )?,
            },
            Meta::Who => {
                for user in &demo::USERS {
                    let marker = if std::ptr::eq(user, self.user) { "*" } else { " " };
                    writeln!(
                        out,
                        "  {marker} {:<6} {:<9} {:<9} sign-in: {}",
                        user.name, user.role, user.organisation, user.sign_in
                    )?;
                }
            }
            Meta::Thread(None) => self.thread = None,
            Meta::Thread(Some(id)) => self.enter_thread(&id, out).await?,
            Meta::Advance(advance) => self.advance(advance, out).await?,
            Meta::Now => writeln!(out, "  now: {}", self.now().to_rfc3339())?,
            Meta::Help => out.write_all(super::HELP.as_bytes())?,
            Meta::Unavailable => match &self.last_refusal {
                Some(refusal) => {
                    let text =
                        crate::app::present::unavailable_plans_text(refusal, &self.app.config.policy, self.language());
                    self.say(out, &format!("{} (only you)", self.place()), "bot", &text)?;
                }
                None => writeln!(out, "  ! no refusal to show unavailable plans for")?,
            },
            Meta::Quit => return Ok(Flow::Quit),
        }
        Ok(Flow::Continue)
    }

    async fn enter_thread(&mut self, id: &str, out: &mut impl Write) -> std::io::Result<()> {
        let Ok(number) = id.parse::<IncidentNumber>() else {
            return writeln!(out, "  ! {id:?} is not an incident number; write e.g. INC-000001");
        };
        match self.app.visible_incident(&self.member(), number).await {
            Ok(_) => {
                self.thread = Some(number);
                writeln!(
                    out,
                    "  now in the thread of {number}; messages you type go there (:thread to leave)"
                )
            }
            Err(err) => writeln!(out, "  ! {}", err.for_user(self.language())),
        }
    }

    /// Moves the clock, stopping at every due notice on the way so each is posted on time.
    async fn advance(&mut self, advance: Advance, out: &mut impl Write) -> std::io::Result<()> {
        let target = match advance {
            Advance::By(d) => self.now() + d,
            Advance::To(t) if t < self.now() => {
                return writeln!(out, "  ! {t} is in the past; the clock only moves forward")
            }
            Advance::To(t) => t,
        };
        loop {
            let next = match self.app.store.next_due_at().await {
                Ok(next) => next.filter(|t| *t <= target && *t > self.now()),
                Err(err) => return writeln!(out, "  ! {}", AppError::from(err).for_user(self.language())),
            };
            let Some(next) = next else { break };
            self.clock.set(next)?;
            self.deliver_due(out).await?;
        }
        self.clock.set(target)?;
        writeln!(out, "  now: {}", self.now().to_rfc3339())
    }

    /// Runs the scheduler at the simulated now and prints what it posted.
    pub async fn deliver_due(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        if let Err(err) = self.scheduler.run_due(self.now()).await {
            writeln!(out, "  ! {}", err.for_user(self.language()))?;
        }
        for (channel, outgoing) in self.sender.take() {
            let place = self.channel_name(channel);
            self.say(out, &place, "bot", &notice_text(&outgoing))?;
        }
        Ok(())
    }

    fn channel_name(&self, channel: Channel) -> String {
        let discord = &self.app.config.app.discord;
        if channel.0 == discord.engineers_channel.0 {
            return "#engineers".into();
        }
        if channel.0 == discord.managers_channel.0 {
            return "#managers".into();
        }
        if channel.0 > THREAD_BASE {
            return IncidentNumber((channel.0 - THREAD_BASE) as i64).to_string();
        }
        let org = self
            .app
            .config
            .app
            .organisations
            .iter()
            .find(|o| o.intake_channels.iter().any(|c| c.0 == channel.0));
        org.map(|o| format!("#{}-intake", o.id))
            .unwrap_or_else(|| format!("#{}", channel.0))
    }

    pub(super) fn say(&self, out: &mut impl Write, place: &str, who: &str, text: &str) -> std::io::Result<()> {
        let time = self.now().format("%Y-%m-%d %H:%M");
        let text = super::timestamps::humanize(text, self.now());
        let mut lines = text.trim_end().lines();
        writeln!(out, "[{time} {place}] {who}: {}", lines.next().unwrap_or_default())?;
        for line in lines {
            writeln!(out, "    {line}")?;
        }
        Ok(())
    }
}

fn notice_text(outgoing: &Outgoing) -> String {
    use crate::scheduler::Ping;
    let pings: Vec<&str> = outgoing
        .pings
        .iter()
        .map(|p| match p {
            Ping::Engineers => "@Engineers",
            Ping::OnCall => "@On-call",
            Ping::Managers => "@Managers",
        })
        .collect();
    let mut text = if pings.is_empty() {
        outgoing.content.clone()
    } else {
        format!("{} {}", pings.join(" "), outgoing.content)
    };
    if let Some(number) = outgoing.ack_button {
        text.push_str(&format!("\n[Acknowledge {number}]"));
    }
    text
}
