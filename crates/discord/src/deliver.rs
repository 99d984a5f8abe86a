//! Carries out the replies of one request: the interaction's own answer (a message, a modal,
//! or a deferral when other work comes first), follow-ups, posts in channels, and new incident
//! threads, whose creation is reported back to the app.

use crate::{render, Data, Error};
use intakebot_app::reply::{Audience, Content, Message, NewThread};
use intakebot_app::request::{Command, ThreadOutcome};
use intakebot_app::{Reply, Request};
use poise::serenity_prelude as serenity;

/// Where a request came from: how its replies are answered.
pub enum Origin<'a> {
    Command(&'a serenity::CommandInteraction),
    Component(&'a serenity::ComponentInteraction),
    Modal(&'a serenity::ModalInteraction),
    Message(&'a serenity::Message),
}

/// How far an interaction has been answered.
#[derive(Default)]
struct Answer {
    responded: bool,
    deferred: bool,
    filled: bool,
}

pub struct Delivery<'a> {
    pub ctx: &'a serenity::Context,
    pub data: &'a Data,
    pub origin: Origin<'a>,
    answer: Answer,
}

impl<'a> Delivery<'a> {
    pub fn new(ctx: &'a serenity::Context, data: &'a Data, origin: Origin<'a>) -> Delivery<'a> {
        Delivery {
            ctx,
            data,
            origin,
            answer: Answer::default(),
        }
    }

    /// Handles `request` in the app and shows every reply; a replayed event is dropped.
    pub async fn run(mut self, request: Request) -> Result<(), Error> {
        let id = match self.origin {
            Origin::Command(i) => i.id.get(),
            Origin::Component(i) => i.id.get(),
            Origin::Modal(i) => i.id.get(),
            Origin::Message(m) => m.id.get(),
        };
        if !self.data.seen.first_time(id) {
            tracing::info!(id, "an event delivered twice; answered once");
            return Ok(());
        }
        let replies = self.data.app.handle(request.clone()).await;
        self.deliver(&request, replies).await?;
        self.finish().await
    }

    async fn deliver(&mut self, request: &Request, replies: Vec<Reply>) -> Result<(), Error> {
        if needs_deferral(&replies) {
            self.defer(first_is_private(&replies)).await?;
        }
        for reply in replies {
            match (&reply.audience, reply.content) {
                (_, Content::Form(form)) => self.modal(&form).await?,
                (_, Content::Choices(_)) => tracing::warn!("choices outside autocomplete"),
                (Audience::Private, Content::Message(m)) => self.say(&m, true).await?,
                (Audience::Here, Content::Message(m)) => self.say(&m, false).await?,
                (Audience::Channel(dest), Content::Message(m)) => {
                    serenity::ChannelId::new(dest.id)
                        .send_message(&self.ctx.http, render::create_message(&m))
                        .await?;
                }
                (Audience::NewThread(spec), Content::Message(m)) => {
                    let outcome = self.new_thread(spec, &m).await;
                    let ready = Request {
                        command: Command::ThreadReady {
                            outcome,
                            confirm: spec.confirm.clone(),
                        },
                        at: self.data.app.now(),
                        ..request.clone()
                    };
                    let more = self.data.app.handle(ready.clone()).await;
                    Box::pin(self.deliver(&ready, more)).await?;
                }
            }
        }
        Ok(())
    }

    /// An interaction must be answered; one the app had nothing to say to is acknowledged.
    async fn finish(self) -> Result<(), Error> {
        if self.answer.responded || self.answer.deferred {
            return Ok(());
        }
        let http = &self.ctx.http;
        let ack = serenity::CreateInteractionResponse::Acknowledge;
        match self.origin {
            Origin::Component(i) => i.create_response(http, ack).await,
            Origin::Modal(i) => i.create_response(http, ack).await,
            Origin::Command(_) | Origin::Message(_) => Ok(()),
        }
    }

    /// A message only the actor sees, or everyone where they acted.
    async fn say(&mut self, m: &Message, private: bool) -> Result<(), Error> {
        let http = &self.ctx.http;
        if let Origin::Message(message) = self.origin {
            return match private {
                true => message
                    .author
                    .direct_message(http, render::create_message(m))
                    .await
                    .map(drop),
                false => {
                    let reply = render::create_message(m).reference_message(message);
                    message.channel_id.send_message(http, reply).await.map(drop)
                }
            };
        }
        if !self.answer.responded && !self.answer.deferred {
            let response = serenity::CreateInteractionResponse::Message(render::response_message(m, private));
            self.respond(response).await?;
            self.answer.responded = true;
        } else if self.answer.deferred && !self.answer.filled {
            self.edit(render::edit_response(m)).await?;
            self.answer.filled = true;
        } else {
            self.followup(render::followup(m, private)).await?;
        }
        Ok(())
    }

    /// Shows a form as a modal; its submit comes back as its own interaction (`events`).
    async fn modal(&mut self, form: &intakebot_app::reply::Form) -> Result<(), Error> {
        let custom_id = match self.origin {
            Origin::Command(i) => i.id.get(),
            Origin::Component(i) => i.id.get(),
            Origin::Modal(i) => i.id.get(),
            Origin::Message(_) => return Ok(()),
        };
        let modal = self.data.forms.show(custom_id.to_string(), form);
        self.respond(serenity::CreateInteractionResponse::Modal(modal)).await?;
        self.answer.responded = true;
        Ok(())
    }

    async fn defer(&mut self, private: bool) -> Result<(), Error> {
        let defer = serenity::CreateInteractionResponse::Defer(
            serenity::CreateInteractionResponseMessage::new().ephemeral(private),
        );
        if matches!(self.origin, Origin::Message(_)) || self.answer.responded || self.answer.deferred {
            return Ok(());
        }
        self.respond(defer).await?;
        self.answer.deferred = true;
        Ok(())
    }

    async fn respond(&self, response: serenity::CreateInteractionResponse) -> Result<(), Error> {
        let http = &self.ctx.http;
        match self.origin {
            Origin::Command(i) => i.create_response(http, response).await,
            Origin::Component(i) => i.create_response(http, response).await,
            Origin::Modal(i) => i.create_response(http, response).await,
            Origin::Message(_) => Ok(()),
        }
    }

    async fn edit(&self, edit: serenity::EditInteractionResponse) -> Result<(), Error> {
        let http = &self.ctx.http;
        match self.origin {
            Origin::Command(i) => i.edit_response(http, edit).await.map(drop),
            Origin::Component(i) => i.edit_response(http, edit).await.map(drop),
            Origin::Modal(i) => i.edit_response(http, edit).await.map(drop),
            Origin::Message(_) => Ok(()),
        }
    }

    async fn followup(&self, followup: serenity::CreateInteractionResponseFollowup) -> Result<(), Error> {
        let http = &self.ctx.http;
        match self.origin {
            Origin::Command(i) => i.create_followup(http, followup).await.map(drop),
            Origin::Component(i) => i.create_followup(http, followup).await.map(drop),
            Origin::Modal(i) => i.create_followup(http, followup).await.map(drop),
            Origin::Message(_) => Ok(()),
        }
    }

    /// The incident's private thread under its intake channel, the customer added, the card
    /// posted (with a nonce, so a retry never posts it twice).
    async fn new_thread(&self, spec: &NewThread, m: &Message) -> ThreadOutcome {
        let http = &self.ctx.http;
        let parent = serenity::ChannelId::new(spec.parent);
        let create = serenity::CreateThread::new(spec.name.clone())
            .kind(serenity::ChannelType::PrivateThread)
            .invitable(false);
        let thread = match parent.create_thread(http, create).await {
            Ok(thread) => thread,
            Err(err) => {
                return ThreadOutcome::Failed {
                    incident: spec.incident,
                    error: err.to_string(),
                }
            }
        };
        for member in &spec.members {
            let Ok(id) = member.as_str().parse::<u64>() else {
                continue;
            };
            if let Err(err) = thread.id.add_thread_member(http, serenity::UserId::new(id)).await {
                tracing::warn!(%err, incident = %spec.incident, "could not add a member to the incident thread");
            }
        }
        let card = render::create_message(m)
            .nonce(serenity::Nonce::String(format!("card{}", spec.incident.0)))
            .enforce_nonce(true);
        let card = match thread.id.send_message(http, card).await {
            Ok(posted) => Some(posted.id.get()),
            Err(err) => {
                tracing::warn!(%err, incident = %spec.incident, "could not post the incident card");
                None
            }
        };
        ThreadOutcome::Created {
            incident: spec.incident,
            channel: spec.parent,
            thread: thread.id.get(),
            card,
        }
    }
}

/// Other work (a thread to create) comes before the first answer: defer so Discord's three
/// seconds are never at risk.
fn needs_deferral(replies: &[Reply]) -> bool {
    match replies.first() {
        Some(r) => matches!(r.audience, Audience::NewThread(_) | Audience::Channel(_)),
        None => false,
    }
}

fn first_is_private(replies: &[Reply]) -> bool {
    replies
        .iter()
        .find(|r| matches!(r.audience, Audience::Private | Audience::Here))
        .map_or(true, |r| r.audience == Audience::Private)
}
