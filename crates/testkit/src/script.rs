//! What a test does to the fake: gateway dispatches and connection events, scripted REST
//! faults, channels, and the knobs for Discord's timing rules.

use std::time::Duration;

use serde_json::Value;

use super::builders::MemberSpec;
use super::sessions::Control;
use super::state::ChannelState;
use super::{builders, events, FakeDiscord, FaultRule, TestkitError};

impl FakeDiscord {
    /// Changes the interaction callback deadline (Discord's is 3 s; `None` turns it off).
    pub fn set_interaction_deadline(&self, deadline: Option<Duration>) {
        self.shared.with(|inner| inner.interaction_deadline = deadline);
    }

    /// The heartbeat interval announced to connections opened from now on (default 41.25 s,
    /// so short tests see no heartbeat). A connection that sends none for the interval plus
    /// half of it (at least a second) is closed with 4009, as Discord closes a zombie.
    pub fn set_heartbeat_interval(&self, interval: Duration) {
        let ms = u64::try_from(interval.as_millis()).unwrap_or(u64::MAX);
        self.shared.with(|inner| inner.gateway.heartbeat_interval_ms = ms);
    }

    /// Validates `data` as serenity would parse event `event` and sends it; returns its `s`.
    /// Fails (sending nothing) if serenity would turn it into `Event::Unknown`.
    pub fn dispatch(&self, event: &str, data: Value) -> Result<u64, TestkitError> {
        self.shared.push_dispatch(event, data)
    }

    /// Whether the bot's own REST changes come back as gateway events, as on Discord
    /// (MESSAGE_CREATE for its messages, THREAD_CREATE for its threads). On by default.
    pub fn set_echo_events(&self, on: bool) {
        self.shared.with(|inner| inner.echo_events = on);
    }

    /// Sends op 7 Reconnect on every live connection; each client should resume (op 6).
    pub fn request_reconnect(&self) {
        self.shared.with(|inner| inner.gateway.control_all(Control::Reconnect));
    }

    /// Drops every live gateway connection without a close frame.
    pub fn drop_gateway_connection(&self) {
        self.shared.with(|inner| inner.gateway.control_all(Control::Drop));
    }

    /// Takes the gateway down (`true`): every live connection is dropped and new ones are closed
    /// before the WebSocket handshake, as when Discord's gateway cannot be reached; `false`
    /// brings it back.
    pub fn set_gateway_down(&self, down: bool) {
        self.shared.with(|inner| {
            inner.gateway.down = down;
            if down {
                inner.gateway.control_all(Control::Drop);
            }
        });
    }

    /// Drops one gateway connection (see [`crate::sessions::GatewaySpan::connection`]).
    pub fn drop_connection(&self, connection: u64) {
        self.shared
            .with(|inner| inner.gateway.controls.insert(connection, Control::Drop));
    }

    /// How long a session whose connection closed stays resumable and keeps collecting events
    /// (default 2 minutes); after that its events are never delivered, as on Discord.
    pub fn set_resume_window(&self, window: Duration) {
        self.shared.with(|inner| inner.gateway.resume_window = window);
    }

    /// Moves the server's clock ahead for Discord's time windows (nonce deduplication, the
    /// interaction deadline, session resume) instead of sleeping in a test.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.with(|inner| inner.clock_offset += by);
    }

    /// How long a repeated `nonce` with `enforce_nonce: true` returns the original message
    /// (default 5 minutes, Discord's "past few minutes"); `Duration::ZERO` turns it off.
    pub fn set_nonce_window(&self, window: Duration) {
        self.shared.with(|inner| inner.nonce_window = window);
    }

    /// The largest file (bytes) an upload may carry; Discord's default is 10 MiB.
    pub fn set_upload_limit(&self, bytes: u64) {
        self.shared.with(|inner| inner.upload_limit = bytes);
    }

    /// Makes the server refuse `token` (without the `Bot ` prefix): 401 with Discord's body on
    /// every REST route, close code 4004 on identify.
    pub fn refuse_token(&self, token: &str) {
        self.shared.with(|inner| inner.refused_tokens.insert(token.to_string()));
    }

    /// Stores a user's message in a channel or thread without dispatching it, as if it was posted
    /// while the bot was down: a new session never receives it; only history (`GET
    /// /channels/{id}/messages`) shows it. Returns the message.
    pub fn post_user_message(&self, channel_id: u64, author: &MemberSpec, content: &str) -> Value {
        let message = builders::message_create(self.scene(), channel_id, author, content);
        self.store_posted(channel_id, message)
    }

    /// [`Self::post_user_message`] with the message's own timestamp: one written at `at`.
    pub fn post_user_message_at(
        &self,
        channel_id: u64,
        author: &MemberSpec,
        content: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Value {
        let mut message = builders::message_create(self.scene(), channel_id, author, content);
        message["timestamp"] = Value::from(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        self.store_posted(channel_id, message)
    }

    fn store_posted(&self, channel_id: u64, message: Value) -> Value {
        self.shared.with(|inner| {
            if !inner.channels.contains_key(&channel_id) {
                inner.fail(format!("post_user_message: no channel {channel_id}"));
            }
            events::store_user_message(inner, &message);
        });
        let mut stored = message;
        if let Some(object) = stored.as_object_mut() {
            object.remove("member");
        }
        stored
    }

    /// Scripts a fault for the next matching REST calls.
    pub fn inject(&self, rule: FaultRule) {
        self.shared.with(|inner| inner.faults.push(rule));
    }

    /// Adds a guild text channel; returns its id.
    pub fn add_text_channel(&self, name: &str) -> u64 {
        let id = builders::next_id();
        let channel = builders::text_channel_json(id, self.scene().guild_id, name);
        self.shared.with(|inner| {
            inner.channels.insert(id, ChannelState::new(channel.clone()));
            inner.echo("CHANNEL_CREATE", channel);
        });
        id
    }
}
