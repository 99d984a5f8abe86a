//! Notices in a try-out: instead of Discord, they are collected and printed in the transcript.

use crate::scheduler::{Channel, NoticeSender, Outgoing, SendError};
use async_trait::async_trait;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

#[derive(Default)]
pub struct ConsoleSender {
    posted: Mutex<Vec<(Channel, Outgoing)>>,
    next_id: AtomicU64,
}

impl ConsoleSender {
    /// Everything posted since the last call.
    pub fn take(&self) -> Vec<(Channel, Outgoing)> {
        self.posted
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }
}

#[async_trait]
impl NoticeSender for ConsoleSender {
    async fn post(&self, channel: Channel, message: &Outgoing) -> Result<u64, SendError> {
        let mut posted = self
            .posted
            .lock()
            .map_err(|_| SendError::Permanent("transcript lock poisoned".into()))?;
        posted.push((channel, message.clone()));
        Ok(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
}
