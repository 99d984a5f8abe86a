//! `intakebot run`: the bot on Discord, with `/healthz` and `/metrics`, until SIGTERM or Ctrl-C.

use crate::config::{Config, Secret};
use crate::ops::http::Health;
use intakebot_app::App;
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
    #[error("{0}")]
    Bot(String),
}

pub async fn run(config: Config) -> Result<(), RunError> {
    let token = Secret::from_env("DISCORD_TOKEN").ok_or(RunError::NoToken)?;
    let app = App::connect(config).await?;
    let http = intakebot_discord::http_client(&app, &token);
    run_with(app, http, shutdown_signal()).await
}

/// Runs the bot with a given REST client (tests pass one aimed at a local server).
pub async fn run_with(
    app: App,
    http: poise::serenity_prelude::Http,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), RunError> {
    let gateway_up = Arc::new(AtomicBool::new(false));
    let permissions = intakebot_discord::permissions::Status::default();
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
        };
        let metrics = crate::ops::metrics::install();
        let (bound, _) = crate::ops::http::serve(addr, health, metrics, async {
            let _ = http_stopped.await;
        })
        .await
        .map_err(|source| RunError::Listen { addr, source })?;
        tracing::info!(%bound, "serving /healthz and /metrics");
    }
    let result = intakebot_discord::run(app, http, gateway_up, permissions, shutdown).await;
    let _ = stop_http.send(());
    result.map_err(|e| RunError::Bot(e.to_string()))
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
