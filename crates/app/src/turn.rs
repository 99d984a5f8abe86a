//! One request being handled: the member resolved once, the command dispatched to its use
//! case, and the rules for who reads a reply in which language:
//! - replies only the actor sees: the actor's language (interaction locale, else their
//!   organisation's, else the configured default);
//! - posts in an incident's thread: the incident's language (its organisation's), whoever
//!   acted, because the customer reads them;
//! - posts in the engineers' and managers' channels: the configured staff language;
//! - posts in an intake channel: that organisation's language.

use crate::error::AppError;
use crate::member::{self, Member};
use crate::reply::{Audience, ChannelKind, Content, Destination, Message, Reply};
use crate::request::{Command, Request};
use crate::say::Say;
use crate::App;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use intakebot_core::language::Language;
use intakebot_store::Incident;

pub(crate) struct Turn<'a> {
    pub app: &'a App,
    pub req: &'a Request,
    pub member: Member,
}

pub(crate) type Replies = Result<Vec<Reply>, AppError>;

impl<'a> Turn<'a> {
    pub async fn run(app: &'a App, req: &'a Request) -> Vec<Reply> {
        let member = match member::resolve(app, &req.actor).await {
            Ok(member) => member,
            Err(err) => return vec![unknown_member_error(app, req, err)],
        };
        let turn = Turn { app, req, member };
        match turn.dispatch().await {
            Ok(replies) => replies,
            Err(err) => vec![turn.error(err)],
        }
    }

    /// What went wrong, to the person who acted: privately after a command; after a chat
    /// message (which has no private answer) as a reply to it, in the channel's language.
    fn error(&self, err: AppError) -> Reply {
        let say = err.say();
        if !matches!(self.req.command, Command::Message { .. }) {
            return self.private(say);
        }
        let (lang, zone) = match self.app.organisation_of_channel(self.req.place.channel) {
            Some(org) => (org.language, self.app.calendar_of(&org.id).zone()),
            None => (self.lang(), self.member_zone()),
        };
        self.here(lang, zone, Message::text(self.app.text(&say, lang)))
    }

    async fn dispatch(&self) -> Replies {
        match &self.req.command {
            Command::Open(cmd) => crate::open::open(self, cmd, &self.req.source, None).await,
            Command::Message { text, addressed } => self.message(text, *addressed).await,
            Command::Press(action) => crate::forms::press(self, action).await,
            Command::CompleteDraft { message, author, text } => {
                crate::chat::complete_draft(self, *message, author, text).await
            }
            Command::Submit { form, values } => crate::forms::submit(self, form, values).await,
            Command::FormExpired => Ok(vec![self.private(Say::FormExpired)]),
            Command::Invalid(crate::request::Invalid::Failed(why)) => {
                Err(AppError::internal(std::io::Error::other(why.clone())))
            }
            Command::Invalid(invalid) => Ok(vec![self.private(Say::Invalid(invalid.clone()))]),
            Command::ThreadReady { outcome, confirm } => {
                crate::open::thread_ready(self, outcome, confirm.as_ref()).await
            }
            Command::Ack { incident } => crate::work::ack(self, *incident).await,
            Command::Resolve { incident, solution } => crate::work::resolve(self, *incident, solution.as_deref()).await,
            Command::Close {
                incident,
                outcome,
                reason,
            } => crate::work::close(self, *incident, *outcome, reason.as_deref()).await,
            Command::Split {
                incident,
                parts,
                severity,
            } => crate::split::split(self, *incident, parts, *severity).await,
            Command::Refund {
                incident,
                decision,
                reason,
            } => crate::work::refund(self, *incident, *decision, reason.as_deref()).await,
            Command::Note { incident, text } => crate::work::note(self, *incident, text).await,
            Command::Status { incident } => crate::lists::status(self, *incident).await,
            Command::List { which } => crate::lists::list(self, *which).await,
            Command::Balance { organisation } => crate::packs::balance(self, organisation.as_ref()).await,
            Command::Grant(grant) => crate::packs::grant(self, grant).await,
            Command::Transfer { pack, owner, order } => crate::packs::transfer(self, *pack, owner, order).await,
            Command::Plans {
                product,
                version,
                show_unavailable,
            } => crate::info::plans(self, product, version, *show_unavailable),
            Command::Faq => Ok(vec![self.private(Say::Faq)]),
            Command::Report { period, organisation } => {
                crate::report::report(self, *period, organisation.as_ref()).await
            }
            Command::Autocomplete(ask) => crate::suggest::suggest(self, ask).await,
        }
    }

    /// A plain message: an engineer's first message in a thread acknowledges (P-SEV-6); a
    /// customer's message in an intake channel is read by the intake grammar; the rest is
    /// conversation between people. Threads and intake channels are what a reconnect reads
    /// again: their read mark moves once the front end has delivered the replies
    /// (`App::reading_finished`).
    async fn message(&self, text: &str, addressed: bool) -> Replies {
        let channel = self.req.place.channel;
        if let Some(incident) = self.app.store.incident_by_thread(channel).await? {
            self.app.reading.read_here(channel);
            crate::thread::message(self, &incident).await
        } else if let Some(org) = self.app.organisation_of_channel(channel) {
            self.app.reading.read_here(channel);
            crate::chat::message(self, &org.id, text, addressed).await
        } else {
            Ok(Vec::new())
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.req.at
    }

    pub fn lang(&self) -> Language {
        self.member.language
    }

    /// A reply only the actor sees.
    pub fn private(&self, say: Say) -> Reply {
        self.private_content(Content::Message(Message::text(self.app.text(&say, self.lang()))))
    }

    pub fn private_content(&self, content: Content) -> Reply {
        Reply {
            audience: Audience::Private,
            language: self.lang(),
            zone: self.member_zone(),
            content,
        }
    }

    /// The zone of the actor's own times: their organisation's, or the staff calendar's.
    pub fn member_zone(&self) -> Tz {
        match self.member.customer_of() {
            Some(org) => self.app.calendar_of(org).zone(),
            None => self.app.staff_zone(),
        }
    }

    /// A post in an incident's thread: here when the command came from it, else to the thread
    /// (nothing when it has none), in the incident's language.
    pub fn in_thread(&self, incident: &Incident, message: Message) -> Option<Reply> {
        let audience = if incident.discord.thread == Some(self.req.place.channel) {
            Audience::Here
        } else {
            Audience::Channel(Destination {
                id: incident.discord.thread?,
                kind: ChannelKind::Thread(incident.number),
            })
        };
        Some(Reply {
            audience,
            language: incident.language,
            zone: self.app.calendar_of(&incident.organisation).zone(),
            content: Content::Message(message),
        })
    }

    /// Whether the command came from the incident's own thread.
    pub fn is_in_thread_of(&self, incident: &Incident) -> bool {
        incident.discord.thread == Some(self.req.place.channel)
    }

    /// A reply where the actor acted, in `lang` (the organisation's, in an intake channel).
    pub fn here(&self, lang: Language, zone: Tz, message: Message) -> Reply {
        Reply {
            audience: Audience::Here,
            language: lang,
            zone,
            content: Content::Message(message),
        }
    }

    /// A post in the engineers' or managers' channel, in the staff language.
    pub fn to_staff(&self, kind: ChannelKind, message: Message) -> Reply {
        self.app.staff_post(kind, message)
    }
}

/// An error before the member is known (the database is down): where `Turn::error` would
/// put it, in the locale's or the channel's language.
fn unknown_member_error(app: &App, req: &Request, err: AppError) -> Reply {
    let org = app.organisation_of_channel(req.place.channel);
    let lang = req
        .actor
        .locale
        .or(org.map(|o| o.language))
        .unwrap_or(app.config.app.discord.language);
    let audience = match req.command {
        Command::Message { .. } => Audience::Here,
        _ => Audience::Private,
    };
    Reply {
        audience,
        language: lang,
        zone: app.staff_zone(),
        content: Content::Message(Message::text(app.text(&err.say(), lang))),
    }
}

impl App {
    /// The zone staff read times in: the default calendar's.
    pub(crate) fn staff_zone(&self) -> Tz {
        self.config.calendars.default_calendar().zone()
    }

    pub(crate) fn staff_language(&self) -> Language {
        self.config.app.discord.language
    }

    /// A post in a staff channel, in the staff language and zone.
    pub(crate) fn staff_post(&self, kind: ChannelKind, message: Message) -> Reply {
        let discord = &self.config.app.discord;
        let id = match kind {
            ChannelKind::Managers => discord.managers_channel.0,
            _ => discord.engineers_channel.0,
        };
        Reply {
            audience: Audience::Channel(Destination { id, kind }),
            language: self.staff_language(),
            zone: self.staff_zone(),
            content: Content::Message(message),
        }
    }
}
