//! `/healthz` (ready when the database, and for `run` the gateway, are up; for `run` also the
//! Discord permissions the bot lacks) and `/metrics`.

use crate::ops::permissions::Finding;
use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Router};
use futures::future::BoxFuture;
use metrics_exporter_prometheus::PrometheusHandle;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What readiness depends on: a database check, and the gateway when the bot runs one.
#[derive(Clone)]
pub struct Health {
    pub database: Arc<dyn Fn() -> BoxFuture<'static, bool> + Send + Sync>,
    pub gateway: Option<Arc<AtomicBool>>,
    /// The bot's missing Discord permissions, when it runs on Discord.
    pub permissions: Option<crate::ops::permissions::Status>,
    /// For `run`: true while this instance is the gateway leader; a standby is ready without
    /// a gateway.
    pub leading: Option<Arc<AtomicBool>>,
}

#[derive(Clone)]
struct AppState {
    health: Health,
    metrics: PrometheusHandle,
}

pub fn router(health: Health, metrics: PrometheusHandle) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(render_metrics))
        .with_state(AppState { health, metrics })
}

/// Binds and serves until `shutdown` resolves; returns the bound address (port 0 allowed).
pub async fn serve(
    addr: SocketAddr,
    health: Health,
    metrics: PrometheusHandle,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let app = router(health, metrics);
    let task = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
            tracing::error!(%err, "health/metrics server stopped");
        }
    });
    Ok((bound, task))
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let database = (state.health.database)().await;
    let gateway = state.health.gateway.as_ref().map(|g| g.load(Ordering::Relaxed));
    let findings = state.health.permissions.as_ref().and_then(|p| p.get());
    let leading = state.health.leading.as_ref().map(|l| l.load(Ordering::Relaxed));
    let ready = database && (gateway.unwrap_or(true) || leading == Some(false));
    // Missing permissions do not make the bot unready (it still answers where it can), but the
    // status says what is wrong.
    let status = match (&findings, ready) {
        (_, false) => "not ready",
        (Some(f), true) if !f.is_empty() => "ready, missing Discord permissions",
        _ => "ready",
    };
    let body = serde_json::json!({
        "status": status,
        "database": if database { "up" } else { "down" },
        "gateway": gateway.map(|up| if up { "up" } else { "down" }),
        "missing_permissions": findings.as_deref().map(findings_json),
        "role": leading.map(|on| if on { "leader" } else { "standby" }),
    });
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, axum::Json(body))
}

/// Each finding as `{channel, name, missing: [names]}` or `{channel, problem}`.
fn findings_json(findings: &[Finding]) -> serde_json::Value {
    let one = |f: &Finding| match f {
        Finding::Missing { channel, name, missing } => serde_json::json!({
            "channel": channel.to_string(),
            "name": name,
            "missing": missing.get_permission_names(),
        }),
        Finding::NotFound { channel } => serde_json::json!({
            "channel": channel.to_string(),
            "problem": "not in the guild",
        }),
    };
    serde_json::Value::Array(findings.iter().map(one).collect())
}

async fn render_metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([("content-type", "text/plain; version=0.0.4")], state.metrics.render())
}
