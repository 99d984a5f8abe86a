//! `intakebot run`: the bot on Discord, with `/healthz` and `/metrics`, until SIGTERM or SIGINT.
//! Signals are taken first of all, so a stop is honoured in every state (opening the
//! database, reaching Discord, connected, reconnecting); see README: Operations.

use crate::config::{Config, Secret};
use crate::ops::http::Health;
use crate::store::InstanceLock;
use intakebot_app::stop::{self, Stop};
use intakebot_app::App;
use intakebot_discord::HttpFactory;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("DISCORD_TOKEN is not set: create a bot in the Discord developer portal and export its token (README: Connect to Discord)")]
    NoToken,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("cannot listen on {addr} for /healthz and /metrics: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch for SIGTERM and SIGINT: {0}")]
    Signals(std::io::Error),
    #[error(transparent)]
    Discord(#[from] intakebot_discord::RunError),
}

pub async fn run(config: Config) -> Result<(), RunError> {
    let (handle, stop) = stop::channel();
    stop_on_signals(handle).map_err(RunError::Signals)?;
    let token = Secret::from_env("DISCORD_TOKEN").ok_or(RunError::NoToken)?;
    // Held until the process ends: one bot per SQLite file (a no-op on PostgreSQL).
    let _instance = InstanceLock::acquire(&config.app.database.url)?;
    let mut stopped = stop.clone();
    // A stop while the database opens drops the open: each migration runs in its own
    // transaction, so an interrupted one is rolled back, never half-applied.
    let app = tokio::select! {
        app = App::connect(config) => app?,
        _ = stopped.requested() => return Ok(()),
    };
    let http = intakebot_discord::http_client(&app, &token);
    run_with(app, http, stop).await
}

/// Runs the bot with given REST clients (tests pass ones aimed at a local server) until `stop`.
pub async fn run_with(app: App, http: HttpFactory, stop: Stop) -> Result<(), RunError> {
    let gateway_up = Arc::new(AtomicBool::new(false));
    let permissions = intakebot_discord::permissions::Status::default();
    let leading = Arc::new(AtomicBool::new(false));
    let (stop_http, http_stopped) = tokio::sync::oneshot::channel::<()>();
    if let Some(addr) = app.config().app.http.listen {
        let probe = app.clone();
        let health = Health {
            database: Arc::new(move || {
                let app = probe.clone();
                Box::pin(async move { app.database_up().await })
            }),
            gateway: Some(gateway_up.clone()),
            permissions: Some(permissions.clone()),
            leading: Some(leading.clone()),
        };
        let metrics = crate::ops::metrics::install();
        let (bound, _) = crate::ops::http::serve(addr, health, metrics, async {
            let _ = http_stopped.await;
        })
        .await
        .map_err(|source| RunError::Listen { addr, source })?;
        tracing::info!(%bound, "serving /healthz and /metrics");
    }
    let result = super::leader::serve(app, http, gateway_up, leading, permissions, stop).await;
    let _ = stop_http.send(());
    result
}

/// Asks `handle` to stop on the first SIGTERM or SIGINT. The handlers are installed before
/// this returns, so a signal at any later point is a clean stop, never the default kill.
fn stop_on_signals(handle: stop::StopHandle) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        tokio::spawn(async move {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
            tracing::info!(signal = name, "stopping");
            handle.stop();
        });
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!(signal = "Ctrl-C", "stopping");
        handle.stop();
    });
    Ok(())
}
