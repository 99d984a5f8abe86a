//! Opens on PostgreSQL that arrive while others on the same pack are being written wait and are
//! then written together (`PgStore::open_together`, one statement per pack and day).
//!
//! Each open holds its pack's row lock until its commit has been flushed to disk, so opens on
//! one pack go one at a time, one WAL flush each, however many instances or connections send
//! them. Written together they share one lock and one flush. A pack always goes through the same
//! lane (by id), so its opens queue in one place; packs in other lanes are written in parallel.
//! A caller opening alone writes at once, on its own task.

use super::ops::prelude::*;
use super::postgres::PgStore;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::oneshot;

/// Lanes per store: packs in different lanes are written on separate connections at once.
/// Eight, like the default pool; packs sharing a lane are still written at once, one
/// connection each, when their opens are queued together.
const LANES: usize = 8;
/// Opens written together at most; more wait for the next turn.
const MAX_TOGETHER: usize = 64;

type Answer = Result<Opened, StoreError>;

struct Job {
    id: u64,
    open: NewIncident,
    reply: oneshot::Sender<Answer>,
}

#[derive(Default)]
struct Lane {
    /// Opens waiting to be written, oldest first.
    queue: Mutex<Vec<Job>>,
    /// Held by whoever is writing this lane's opens.
    gate: Arc<tokio::sync::Mutex<()>>,
    next_id: AtomicU64,
}

impl Lane {
    fn queue(&self) -> MutexGuard<'_, Vec<Job>> {
        // A panic elsewhere cannot leave the queue half-changed: every use is one Vec call.
        self.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn push(&self, open: NewIncident, reply: oneshot::Sender<Answer>) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.queue().push(Job { id, open, reply });
        id
    }

    fn take(&self) -> Vec<Job> {
        let mut queue = self.queue();
        let n = queue.len().min(MAX_TOGETHER);
        queue.drain(..n).collect()
    }
}

/// The store's lanes; clones of a `PgStore` share them.
pub(crate) struct OpenLanes {
    lanes: Vec<Lane>,
}

impl Default for OpenLanes {
    fn default() -> Self {
        OpenLanes {
            lanes: (0..LANES).map(|_| Lane::default()).collect(),
        }
    }
}

impl std::fmt::Debug for OpenLanes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenLanes").field("lanes", &self.lanes.len()).finish()
    }
}

impl OpenLanes {
    fn lane_for(&self, pack: EntitlementId) -> &Lane {
        &self.lanes[pack.0.rem_euclid(self.lanes.len() as i64) as usize]
    }
}

/// Takes a caller's open back out of the queue if the caller goes away before it is written,
/// so it is never written later, for nobody, with a stale time.
struct Withdraw<'a> {
    lane: &'a Lane,
    id: u64,
}

impl Drop for Withdraw<'_> {
    fn drop(&mut self) {
        self.lane.queue().retain(|job| job.id != self.id);
    }
}

impl PgStore {
    /// Opens an incident, or returns the one this source already opened (one unit either way).
    pub async fn open_incident(&self, n: &NewIncident) -> Result<Opened, StoreError> {
        let lane = self.lanes().lane_for(n.entitlement);
        let (reply, mut answer) = oneshot::channel();
        let id = lane.push(n.clone(), reply);
        let _withdraw = Withdraw { lane, id };
        loop {
            // Whoever holds the gate may be writing ours: its answer ends the wait for the gate.
            let gate = tokio::select! {
                biased;
                written = &mut answer => return written.map_err(|_| StoreError::Closed)?,
                gate = lane.gate.clone().lock_owned() => gate,
            };
            let jobs = lane.take();
            match &jobs[..] {
                [] => continue, // Ours was taken just before; its answer is on the way.
                [only] if only.id == id => {
                    let result = self.open_one(&only.open).await;
                    drop(gate);
                    return result;
                }
                _ => {}
            }
            // Others' opens too: they must be written and answered even if this caller goes away.
            let store = self.clone();
            let written = tokio::spawn(async move {
                store.write_jobs(jobs).await;
                drop(gate);
            })
            .await;
            if let Err(e) = written {
                // Its callers (this one among them) get `Closed` from their dropped replies.
                tracing::error!(error = %e, "writing queued incident opens panicked");
            }
        }
    }

    async fn write_jobs(&self, jobs: Vec<Job>) {
        let answers = {
            let opens: Vec<&NewIncident> = jobs.iter().map(|job| &job.open).collect();
            self.open_together(&opens).await
        };
        for (job, answer) in jobs.into_iter().zip(answers) {
            // The caller may have gone (a cancelled request); the open stands either way.
            let _ = job.reply.send(answer);
        }
    }
}
