//! What a test does to the fake: gateway dispatches and connection events, scripted REST
//! faults, channels, and the knobs for Discord's timing rules.

use std::time::Duration;

use serde_json::Value;

use super::state::{ChannelState, Control};
use super::{builders, FakeDiscord, FaultRule, TestkitError};

impl FakeDiscord {
    /// Changes the interaction callback deadline (Discord's is 3 s; `None` turns it off).
    pub fn set_interaction_deadline(&self, deadline: Option<Duration>) {
        self.shared.with(|inner| inner.interaction_deadline = deadline);
    }

    /// The heartbeat interval announced to connections opened from now on (default 41.25 s,
    /// so short tests see no heartbeat).
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

    /// Sends op 7 Reconnect on the live connection; the client should resume (op 6).
    pub fn request_reconnect(&self) {
        self.shared
            .with(|inner| inner.gateway.control = Some(Control::Reconnect));
    }

    /// Drops the live gateway connection without a close frame.
    pub fn drop_gateway_connection(&self) {
        self.shared.with(|inner| inner.gateway.control = Some(Control::Drop));
    }

    /// Scripts a fault for the next matching REST calls.
    pub fn inject(&self, rule: FaultRule) {
        self.shared.with(|inner| inner.faults.push(rule));
    }

    /// Adds a guild text channel; returns its id.
    pub fn add_text_channel(&self, name: &str) -> u64 {
        let id = builders::next_id();
        let channel = builders::text_channel_json(id, self.scene().guild_id, name);
        self.shared
            .with(|inner| inner.channels.insert(id, ChannelState::new(channel)));
        id
    }
}
