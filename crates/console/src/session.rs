//! A console session: who you are, where you are (an intake channel, a staff channel or an
//! incident's thread), the simulated clock, the buttons and form last shown, and the
//! transcript of what the bot says where.

use crate::clock::SimClock;
use crate::demo::{self, User, UserRole};
use crate::line::{self, Advance, Line, Meta};
use crate::render::{Names, Writer, THREAD_BASE};
use crate::sender::Transcript;
use chrono::{DateTime, Utc};
use intakebot_app::reply::{Action, Attachment, Audience, Content, Form, NewThread};
use intakebot_app::request::{Place, Request, ThreadOutcome};
use intakebot_app::scheduler::Scheduler;
use intakebot_app::{App, Command, Reply, SourceId};
use intakebot_core::ids::{AccountId, IncidentNumber};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct Session {
    app: App,
    clock: Arc<SimClock>,
    scheduler: Scheduler,
    transcript: Arc<Transcript>,
    names: Names,
    users: Vec<User>,
    /// Who is acting: an index into `users`.
    user: usize,
    thread: Option<IncidentNumber>,
    /// The buttons of the replies last shown, numbered from 1 for `:press`.
    buttons: Vec<Action>,
    /// The form last asked for, for `:submit`.
    form: Option<Form>,
    /// Chat messages typed so far, by id: "complete the request" reads its message.
    messages: HashMap<u64, (AccountId, String)>,
    /// Where files the bot sends (a report's chart and CSV) are written: beside the database.
    files: PathBuf,
}

/// Whether the session goes on after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

impl Session {
    /// A session with the demo's users, acting as the first.
    pub fn new(app: App, clock: Arc<SimClock>) -> Session {
        Session::with_users(app, clock, demo::users())
    }

    /// A session with these users, acting as the first.
    pub fn with_users(app: App, clock: Arc<SimClock>, users: Vec<User>) -> Session {
        let transcript = Arc::new(Transcript::default());
        let scheduler = Scheduler::new(app.clone(), transcript.clone(), "console");
        let config = app.config();
        let names = Names {
            engineers: config.app.discord.engineers_channel.0,
            managers: config.app.discord.managers_channel.0,
            intake: config
                .app
                .organisations
                .iter()
                .flat_map(|o| o.intake_channels.iter().map(|c| (c.0, o.id.to_string())))
                .collect(),
        };
        Session {
            app,
            clock,
            scheduler,
            transcript,
            names,
            users,
            user: 0,
            thread: None,
            buttons: Vec::new(),
            form: None,
            messages: HashMap::new(),
            files: std::env::temp_dir(),
        }
    }

    /// Writes the files the bot sends into `dir` (default: the system's temporary directory).
    pub fn with_files_dir(mut self, dir: PathBuf) -> Session {
        self.files = dir;
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.app.now()
    }

    pub fn prompt(&self) -> String {
        format!("{}@{}> ", self.current().name, self.names.channel(self.channel()))
    }

    fn current(&self) -> &User {
        &self.users[self.user]
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.users.iter().position(|u| u.name == name)
    }

    /// The channel the user is in: a thread, or their home channel.
    fn channel(&self) -> u64 {
        if let Some(n) = self.thread {
            return THREAD_BASE + n.0 as u64;
        }
        let config = self.app.config();
        match &self.current().role {
            UserRole::Customer(org) => config
                .app
                .organisations
                .iter()
                .find(|o| &o.id == org)
                .and_then(|o| o.intake_channels.first())
                .map_or(0, |c| c.0),
            UserRole::Engineer => config.app.discord.engineers_channel.0,
            UserRole::Manager => config.app.discord.managers_channel.0,
        }
    }

    /// Seeds the demo world once, through the app; says so.
    pub async fn seed(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        let grants = match demo::seed(&self.app, self.now()).await {
            Ok(grants) => grants,
            Err(err) => return writeln!(out, "  ! cannot seed the demo: {err}"),
        };
        let Some(grants) = grants else { return Ok(()) };
        let user = self.user;
        self.user = self.find("mona").unwrap_or(user);
        for grant in grants {
            let request = self.request(grant);
            self.app.handle(request).await;
        }
        self.user = user;
        writeln!(out, "Seeded a demo: Contoso with alice, bob, erik (engineer), mona (manager); Fabrikam with frank; a five-pack, a Gold 20-pack and pay per incident.")
    }

    /// A request by the current user where they are, with a fresh id as its source (as Discord
    /// gives each interaction and message its own).
    fn request(&mut self, command: Command) -> Request {
        Request {
            actor: self.current().actor(self.app.config()),
            place: Place {
                guild: Some(self.app.config().app.discord.guild_id.0),
                channel: self.channel(),
            },
            source: SourceId(rand::random::<u64>().to_string()),
            at: self.now(),
            command,
        }
    }

    /// Handles one line and prints what happens, then whatever notices fell due.
    pub async fn handle(&mut self, input: &str, out: &mut impl Write) -> std::io::Result<Flow> {
        let flow = match line::parse(input) {
            Ok(Line::Empty) => Flow::Continue,
            Ok(Line::Meta(meta)) => self.meta(meta, out).await?,
            Ok(Line::Slash(cmd)) => {
                match crate::commands::parse(&cmd) {
                    Ok(command) => self.run(command, out).await?,
                    Err(err) => writeln!(out, "  ! {err}")?,
                }
                Flow::Continue
            }
            Ok(Line::Message(text)) => {
                self.message(text, out).await?;
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

    /// A chat message where the user is; `@bot …` addresses the bot.
    async fn message(&mut self, text: String, out: &mut impl Write) -> std::io::Result<()> {
        let place = self.names.channel(self.channel());
        self.say(out, &place, &self.current().name, &text)?;
        let addressed = text.starts_with("@bot") || text.starts_with("@intakebot");
        let request = self.request(Command::Message {
            text: text.clone(),
            addressed,
        });
        if let Ok(id) = request.source.0.parse() {
            self.messages.insert(id, (request.actor.account.clone(), text));
        }
        self.run_request(request, out).await
    }

    async fn run(&mut self, command: Command, out: &mut impl Write) -> std::io::Result<()> {
        let request = self.request(command);
        self.run_request(request, out).await
    }

    async fn run_request(&mut self, request: Request, out: &mut impl Write) -> std::io::Result<()> {
        let replies = self.app.handle(request.clone()).await;
        self.buttons.clear();
        self.show(&request, replies, out).await
    }

    /// Prints replies where they appear; creates threads and reports them back to the app.
    async fn show(&mut self, request: &Request, replies: Vec<Reply>, out: &mut impl Write) -> std::io::Result<()> {
        for reply in replies {
            let place = match &reply.audience {
                Audience::Private => format!("{} (only you)", self.names.channel(self.channel())),
                Audience::Here => self.names.channel(self.channel()),
                Audience::Channel(dest) => Names::destination(&dest.kind),
                Audience::NewThread(spec) => spec.incident.to_string(),
            };
            self.print(out, &place, &reply)?;
            if let Audience::NewThread(spec) = &reply.audience {
                self.thread_ready(request, spec, out).await?;
            }
        }
        Ok(())
    }

    async fn thread_ready(&mut self, request: &Request, spec: &NewThread, out: &mut impl Write) -> std::io::Result<()> {
        let outcome = ThreadOutcome::Created {
            incident: spec.incident,
            channel: spec.parent,
            thread: THREAD_BASE + spec.incident.0 as u64,
            card: None,
        };
        let ready = Request {
            command: Command::ThreadReady {
                outcome,
                confirm: spec.confirm.clone(),
            },
            at: self.now(),
            ..request.clone()
        };
        let replies = self.app.handle(ready.clone()).await;
        Box::pin(self.show(&ready, replies, out)).await
    }

    fn print(&mut self, out: &mut impl Write, place: &str, reply: &Reply) -> std::io::Result<()> {
        let writer = Writer {
            names: &self.names,
            zone: reply.zone,
            lang: reply.language,
            now: self.now(),
        };
        let text = match &reply.content {
            Content::Message(m) => {
                let mut text = writer.message(m, self.buttons.len() + 1);
                self.buttons.extend(m.buttons.iter().map(|b| b.action.clone()));
                for file in &m.files {
                    text.push_str(&self.save(file));
                }
                text
            }
            Content::Form(form) => {
                self.form = Some(form.clone());
                writer.form(form)
            }
            Content::Choices(choices) => choices.iter().map(|c| c.label.clone()).collect::<Vec<_>>().join("\n"),
        };
        self.say(out, place, "bot", &text)
    }

    /// Writes a file the bot sent and says where (or why not: the session goes on).
    fn save(&self, file: &Attachment) -> String {
        // The name comes from the app, but a path must never leave the directory.
        let name = Path::new(&file.filename).file_name().unwrap_or_default();
        let path = self.files.join(name);
        match std::fs::write(&path, &file.bytes) {
            Ok(()) => format!("\n   saved {}", path.display()),
            Err(err) => format!("\n   ! cannot write {}: {err}", path.display()),
        }
    }

    async fn meta(&mut self, meta: Meta, out: &mut impl Write) -> std::io::Result<Flow> {
        match meta {
            Meta::As(name) => match self.find(&name) {
                Some(user) => {
                    self.user = user;
                    self.thread = None;
                    let user = self.current();
                    writeln!(out, "  you are now {} ({})", user.name, user.describe())?;
                }
                None => writeln!(
                    out,
                    "  ! no user {name:?}; try {}",
                    self.users
                        .iter()
                        .map(|u| u.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )?,
            },
            Meta::Who => {
                for (i, user) in self.users.iter().enumerate() {
                    let marker = if i == self.user { "*" } else { " " };
                    writeln!(
                        out,
                        "  {marker} {:<6} {:<22} sign-in: {}",
                        user.name,
                        user.describe(),
                        user.sign_in
                    )?;
                }
            }
            Meta::Thread(None) => self.thread = None,
            Meta::Thread(Some(id)) => self.enter_thread(&id, out).await?,
            Meta::Advance(advance) => self.advance(advance, out).await?,
            Meta::Now => writeln!(out, "  now: {}", self.now().to_rfc3339())?,
            Meta::Help => out.write_all(crate::HELP.as_bytes())?,
            Meta::Unavailable => match self
                .buttons
                .iter()
                .position(|a| matches!(a, Action::ShowUnavailable { .. } | Action::ShowUnusablePacks { .. }))
            {
                Some(i) => self.press(i + 1, out).await?,
                None => writeln!(out, "  ! no refusal to show unavailable plans for")?,
            },
            Meta::Press(n) => self.press(n, out).await?,
            Meta::Submit(values) => self.submit(values, out).await?,
            Meta::Quit => return Ok(Flow::Quit),
        }
        Ok(Flow::Continue)
    }

    /// Presses the button numbered `n` of the replies last shown.
    async fn press(&mut self, n: usize, out: &mut impl Write) -> std::io::Result<()> {
        let Some(action) = n.checked_sub(1).and_then(|i| self.buttons.get(i)).cloned() else {
            return writeln!(out, "  ! no button {n}; the last replies had {}", self.buttons.len());
        };
        let command = match action {
            Action::CompleteDraft { message } => match self.messages.get(&message) {
                Some((author, text)) => Command::CompleteDraft {
                    message,
                    author: author.clone(),
                    text: text.clone(),
                },
                None => return writeln!(out, "  ! that message is no longer known"),
            },
            action => Command::Press(action),
        };
        self.run(command, out).await
    }

    /// Fills in the form last asked for.
    async fn submit(
        &mut self,
        values: std::collections::BTreeMap<String, String>,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        let Some(form) = self.form.take() else {
            return writeln!(out, "  ! no form to fill in");
        };
        if let Some(unknown) = values.keys().find(|k| !form.fields.iter().any(|f| f.id == k.as_str())) {
            let ids: Vec<&str> = form.fields.iter().map(|f| f.id).collect();
            self.form = Some(form.clone());
            return writeln!(
                out,
                "  ! the form has no field {unknown}; its fields: {}",
                ids.join(", ")
            );
        }
        let mut filled: std::collections::BTreeMap<String, String> = form
            .fields
            .iter()
            .filter_map(|f| f.value.clone().map(|v| (f.id.to_string(), v)))
            .collect();
        filled.extend(values);
        self.run(
            Command::Submit {
                form: form.kind,
                values: filled,
            },
            out,
        )
        .await
    }

    async fn enter_thread(&mut self, id: &str, out: &mut impl Write) -> std::io::Result<()> {
        let Ok(number) = id.parse::<IncidentNumber>() else {
            return writeln!(out, "  ! {id:?} is not an incident number; write e.g. INC-000001");
        };
        self.thread = Some(number);
        writeln!(
            out,
            "  now in the thread of {number}; messages you type go there (:thread to leave)"
        )
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
            let next = match self.app.next_notice_due().await {
                Ok(next) => next.filter(|t| *t <= target && *t > self.now()),
                Err(err) => return writeln!(out, "  ! {err}"),
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
            writeln!(out, "  ! scheduler: {err}")?;
        }
        for notice in self.transcript.take() {
            let place = match &notice.audience {
                Audience::Channel(dest) => Names::destination(&dest.kind),
                _ => "?".to_string(),
            };
            self.print(out, &place, &notice)?;
        }
        Ok(())
    }

    pub fn say(&self, out: &mut impl Write, place: &str, who: &str, text: &str) -> std::io::Result<()> {
        let time = self.now().format("%Y-%m-%d %H:%M");
        let mut lines = text.trim_end().lines();
        writeln!(out, "[{time} {place}] {who}: {}", lines.next().unwrap_or_default())?;
        for line in lines {
            writeln!(out, "    {line}")?;
        }
        Ok(())
    }
}
