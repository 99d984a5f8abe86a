//! Operations: logging, Prometheus metrics, and the `/healthz` + `/metrics` HTTP server.

pub mod http;
pub mod logging;
pub mod metrics;
