//! A stop request shared by every long-running part of `run` (gateway, scheduler, retries):
//! one sender, any number of cheap receivers; each part stops at its next safe point.

use tokio::sync::watch;

/// Asks every [`Stop`] made from it to stop; dropping it asks too.
#[derive(Debug)]
pub struct StopHandle(watch::Sender<bool>);

/// Tells a task whether, and when, it was asked to stop.
#[derive(Debug, Clone)]
pub struct Stop(watch::Receiver<bool>);

/// A new handle and its first receiver.
pub fn channel() -> (StopHandle, Stop) {
    let (tx, rx) = watch::channel(false);
    (StopHandle(tx), Stop(rx))
}

impl StopHandle {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl Stop {
    /// A receiver that is never asked to stop (tests, one-off passes).
    pub fn never() -> Stop {
        let (tx, rx) = watch::channel(false);
        // Kept alive for the life of the process: a dropped sender would read as a request.
        std::mem::forget(tx);
        Stop(rx)
    }

    /// True once a stop was asked for.
    pub fn is_requested(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves when a stop is asked for (at once if it already was, or if the handle is gone).
    pub async fn requested(&mut self) {
        let _ = self.0.wait_for(|stop| *stop).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_receiver_sees_the_request_and_a_dropped_handle_counts_as_one() {
        let (handle, mut first) = channel();
        let mut second = first.clone();
        assert!(!first.is_requested());
        handle.stop();
        first.requested().await;
        second.requested().await;
        assert!(second.is_requested());

        let (handle, mut orphan) = channel();
        drop(handle);
        orphan.requested().await;
    }
}
