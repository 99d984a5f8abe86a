//! Notices in a try-out: instead of Discord, they are collected and printed in the transcript.

use async_trait::async_trait;
use intakebot_app::scheduler::{NoticeSender, SendError};
use intakebot_app::Reply;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

#[derive(Default)]
pub struct Transcript {
    posted: Mutex<Vec<Reply>>,
    next_id: AtomicU64,
}

impl Transcript {
    /// Everything posted since the last call.
    pub fn take(&self) -> Vec<Reply> {
        std::mem::take(&mut *self.posted.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

#[async_trait]
impl NoticeSender for Transcript {
    async fn post(&self, notice: &Reply, _nonce: &str) -> Result<u64, SendError> {
        self.posted
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(notice.clone());
        Ok(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
}
