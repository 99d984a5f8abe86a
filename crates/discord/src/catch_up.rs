//! Catching up after downtime or a reconnect: Discord never delivers what was posted while no
//! gateway session was open, so on every Ready and Resumed the bot pages each channel the app
//! names (`App::unread_channels`) after its read mark, oldest first, and hands each message to
//! the same path as a live one. The app moves the mark as it handles them; a message seen live
//! and read here too is answered once (`Delivery`'s seen set), and one read again after a
//! restart changes nothing twice (intake and acknowledgement are idempotent).

use crate::{events, Data, Error};
use intakebot_app::Unread;
use poise::serenity_prelude as serenity;
use std::collections::HashMap;

/// Discord's largest history page.
const PAGE: u8 = 100;

/// One pass at a time: a Resumed during a pass waits, then reads only what is newer.
#[derive(Default)]
pub(crate) struct Gate(tokio::sync::Mutex<()>);

/// Reads every unread channel; a channel that fails is logged and left for the next connect.
pub(crate) async fn run(ctx: &serenity::Context, data: &Data, bot: serenity::UserId) -> Result<(), Error> {
    let _one_pass = data.catch_up.0.lock().await;
    let unread = match data.app.unread_channels().await {
        Ok(unread) => unread,
        Err(err) => {
            tracing::warn!(error = %err, "catch-up skipped: the channels to read are unknown");
            return Ok(());
        }
    };
    let mut reader = Reader {
        ctx,
        data,
        bot,
        guild: serenity::GuildId::new(data.app.config().app.discord.guild_id.0),
        roles: HashMap::new(),
    };
    // Failures are summed up per cause, one line each per pass: a deleted thread per waiting
    // incident must not flood the log on every reconnect.
    let mut failed: HashMap<String, (usize, u64)> = HashMap::new();
    for channel in unread {
        match reader.channel(channel).await {
            Ok(0) => {}
            Ok(read) => tracing::info!(channel = channel.channel, read, "caught up"),
            Err(err) => failed.entry(err.to_string()).or_insert((0, channel.channel)).0 += 1,
        }
    }
    for (error, (channels, first)) in failed {
        tracing::warn!(%error, channels, first, "catch-up could not read some channels; they are tried again on the next connect");
    }
    Ok(())
}

struct Reader<'a> {
    ctx: &'a serenity::Context,
    data: &'a Data,
    bot: serenity::UserId,
    guild: serenity::GuildId,
    /// Authors' role ids, fetched once per pass (history messages carry none).
    roles: HashMap<serenity::UserId, Vec<serenity::RoleId>>,
}

impl Reader<'_> {
    /// Reads one channel to its end; how many messages were handled.
    async fn channel(&mut self, unread: Unread) -> Result<usize, Error> {
        let channel = serenity::ChannelId::new(unread.channel);
        let Some(mut after) = unread.after else {
            return self.start_here(channel).await.map(|_| 0);
        };
        let mut read = 0;
        loop {
            let query = serenity::GetMessages::new()
                .after(serenity::MessageId::new(after))
                .limit(PAGE);
            let mut page = channel.messages(&self.ctx.http, query).await?;
            page.sort_by_key(|m| m.id);
            for message in &mut page {
                read += usize::from(self.handle(message).await?);
            }
            let Some(last) = page.last() else { break };
            after = last.id.get();
            // The bot's own posts are not handled but need not be read again either.
            self.mark(unread.channel, after).await;
            if page.len() < usize::from(PAGE) {
                break;
            }
        }
        Ok(read)
    }

    /// A channel never read before: from its newest message on (its history is not replayed).
    async fn start_here(&self, channel: serenity::ChannelId) -> Result<(), Error> {
        let newest = channel
            .messages(&self.ctx.http, serenity::GetMessages::new().limit(1))
            .await?;
        // An empty channel's own id is older than anything posted in it.
        let mark = newest.first().map_or(channel.get(), |m| m.id.get());
        self.mark(channel.get(), mark).await;
        Ok(())
    }

    /// One message from history, as if it had just arrived; whether it was a person's.
    async fn handle(&mut self, message: &mut serenity::Message) -> Result<bool, Error> {
        if message.author.bot {
            return Ok(false);
        }
        // History messages carry neither the guild nor the author's roles.
        message.guild_id = Some(self.guild);
        let roles = self.roles_of(message.author.id).await?;
        metrics::counter!(intakebot_app::metrics::MESSAGES_CAUGHT_UP).increment(1);
        if let Err(err) = events::read(self.ctx, self.data, message, &roles, self.bot).await {
            // Handled by the app, a reply failed: reading it again would not deliver it better.
            tracing::warn!(message = message.id.get(), error = %err, "a caught-up message's reply failed");
        }
        Ok(true)
    }

    /// The author's roles; none if they left the server.
    async fn roles_of(&mut self, user: serenity::UserId) -> Result<Vec<serenity::RoleId>, Error> {
        if let Some(roles) = self.roles.get(&user) {
            return Ok(roles.clone());
        }
        let roles = match self.ctx.http.get_member(self.guild, user).await {
            Ok(member) => member.roles,
            Err(err) if is_unknown_member(&err) => Vec::new(),
            Err(err) => return Err(err),
        };
        self.roles.insert(user, roles.clone());
        Ok(roles)
    }

    async fn mark(&self, channel: u64, message: u64) {
        if let Err(err) = self.data.app.mark_read(channel, message).await {
            tracing::warn!(channel, message, error = %err, "read mark not stored");
        }
    }
}

/// Discord's 404 "Unknown Member" (code 10007).
fn is_unknown_member(err: &Error) -> bool {
    matches!(
        err,
        serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(response)) if response.error.code == 10007
    )
}
