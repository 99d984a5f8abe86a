//! Errors the fake Discord server (and the test config it writes) report to the test that drives it.

use std::time::Duration;

/// What went wrong while starting, scripting or checking the fake server.
#[derive(Debug, thiserror::Error)]
pub enum TestkitError {
    #[error("could not bind or serve: {0}")]
    Io(#[from] std::io::Error),
    #[error("TLS setup failed: {0}")]
    Tls(String),
    #[error("timed out after {0:?} waiting for {1}")]
    Timeout(Duration, String),
    #[error("dispatch {event} rejected: serenity would not parse it ({reason}); payload: {payload}")]
    InvalidDispatch {
        event: String,
        reason: String,
        payload: String,
    },
    #[error("no gateway session is identified yet; await `identified()` before dispatching")]
    NotConnected,
    #[error("test config: {0}")]
    Config(String),
    #[error("the fake server saw problems: {0:?}")]
    Failures(Vec<String>),
}
