//! What a test reads from the fake: recorded REST calls, gateway sessions, interaction answers,
//! channels and messages, with waits that wake on every change instead of polling.

use std::time::Duration;

use serde_json::Value;

use super::{FakeDiscord, Identify, InteractionResponse, RecordedCall, Resume, TestkitError, DEFAULT_WAIT};

impl FakeDiscord {
    /// How many REST calls were recorded so far: the `seq` the next call will get. Use it as a
    /// mark to wait only for later calls (`c.seq >= mark`).
    pub fn call_count(&self) -> u64 {
        self.shared.read(|inner| inner.calls.len() as u64)
    }

    /// Every REST call so far, in order.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.shared.read(|inner| inner.calls.clone())
    }

    /// The first call (already made or still to come) for which `predicate` holds.
    pub async fn wait_for_call(
        &self,
        predicate: impl Fn(&RecordedCall) -> bool,
        timeout: Duration,
    ) -> Result<RecordedCall, TestkitError> {
        self.shared
            .wait_until("a matching REST call", timeout, |inner| {
                inner.calls.iter().find(|c| predicate(c)).cloned()
            })
            .await
    }

    /// Waits for the `n`th (1-based) Identify of this fake.
    pub async fn identified_nth(&self, n: usize, timeout: Duration) -> Result<Identify, TestkitError> {
        self.shared
            .wait_until("gateway identify", timeout, |inner| {
                inner.gateway.identifies.get(n - 1).cloned()
            })
            .await
    }

    /// Waits for the first Identify (the client got READY right after).
    pub async fn identified(&self) -> Result<Identify, TestkitError> {
        self.identified_nth(1, DEFAULT_WAIT).await
    }

    /// Waits for the `n`th (1-based) Resume.
    pub async fn resumed(&self, n: usize, timeout: Duration) -> Result<Resume, TestkitError> {
        self.shared
            .wait_until("gateway resume", timeout, |inner| {
                inner.gateway.resumes.get(n - 1).cloned()
            })
            .await
    }

    /// Heartbeats (op 1) received so far.
    pub fn heartbeats(&self) -> u64 {
        self.shared.read(|inner| inner.gateway.heartbeats)
    }

    /// Waits until at least `n` heartbeats were answered with op 11.
    pub async fn wait_for_heartbeats(&self, n: u64, timeout: Duration) -> Result<u64, TestkitError> {
        self.shared
            .wait_until("heartbeats", timeout, |inner| {
                (inner.gateway.heartbeats >= n).then_some(inner.gateway.heartbeats)
            })
            .await
    }

    /// Gateway connections accepted so far.
    pub fn gateway_connections(&self) -> u64 {
        self.shared.read(|inner| inner.gateway.connections)
    }

    /// Every dispatch frame (`{"op":0,"s","t","d"}`) of the newest session, READY first:
    /// test dispatches and the echoes of the bot's own REST changes.
    pub fn sent_events(&self) -> Vec<Value> {
        self.shared.read(|inner| {
            inner
                .gateway
                .latest()
                .map_or_else(Vec::new, |s| s.log.iter().map(|(_, f)| f.clone()).collect())
        })
    }

    /// Everything the bot answered to interaction `interaction_id`, in order.
    pub fn interaction_responses(&self, interaction_id: u64) -> Vec<InteractionResponse> {
        self.shared
            .read(|inner| inner.interaction_by_id(interaction_id).map(|i| i.responses.clone()))
            .unwrap_or_default()
    }

    /// Waits until interaction `interaction_id` has at least `n` answers; returns them all.
    pub async fn wait_for_responses(
        &self,
        interaction_id: u64,
        n: usize,
        timeout: Duration,
    ) -> Result<Vec<InteractionResponse>, TestkitError> {
        self.shared
            .wait_until("interaction responses", timeout, |inner| {
                let responses = &inner.interaction_by_id(interaction_id)?.responses;
                (responses.len() >= n).then(|| responses.clone())
            })
            .await
    }

    /// The interaction's original response message (after a type 4 callback or an `@original`
    /// edit), e.g. to build the `message` of a button press on it.
    pub fn original_response(&self, interaction_id: u64) -> Option<Value> {
        self.shared
            .read(|inner| inner.interaction_by_id(interaction_id)?.original.clone())
    }

    /// The messages stored in a channel or thread, oldest first.
    pub fn messages(&self, channel_id: u64) -> Vec<Value> {
        self.shared.read(|inner| {
            inner
                .channels
                .get(&channel_id)
                .map(|c| c.messages.clone())
                .unwrap_or_default()
        })
    }

    /// The channel or thread object, if it exists.
    pub fn channel(&self, channel_id: u64) -> Option<Value> {
        self.shared
            .read(|inner| inner.channels.get(&channel_id).map(|c| c.channel.clone()))
    }

    /// User ids added to a thread (the bot is added on creation).
    pub fn thread_members(&self, thread_id: u64) -> Vec<u64> {
        self.shared.read(|inner| {
            inner
                .channels
                .get(&thread_id)
                .map(|c| c.thread_members.clone())
                .unwrap_or_default()
        })
    }
}
