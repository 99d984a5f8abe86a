//! The Prometheus recorder behind `/metrics`; the metric names live with the app
//! (`intakebot_app::metrics`), which records them.

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the Prometheus recorder once per process and returns its handle.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (a test process): keep ours for rendering.
            let _ = metrics::set_global_recorder(recorder);
            intakebot_app::metrics::describe();
            handle
        })
        .clone()
}
