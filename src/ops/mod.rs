//! Operations: logging, Prometheus metrics, the `/healthz` + `/metrics` HTTP server, and the
//! Discord permissions the bot needs.

pub mod http;
pub mod logging;
pub mod metrics;
pub mod permissions;
