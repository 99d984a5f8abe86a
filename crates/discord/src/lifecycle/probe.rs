//! Before a gateway session: is the token accepted, and where is the gateway? Asked by us, not
//! serenity, because serenity treats a failed `GET /gateway` as "use Discord's real gateway" and
//! retries a refused or unreachable one every 5 s for ever.

use super::backoff::Backoff;
use super::RunError;
use intakebot_app::stop::Stop;
use poise::serenity_prelude as serenity;
use serenity::http::HttpError;
use std::time::Duration;

/// One REST call may take this long before Discord counts as unreachable (a hanging server).
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Why one probe failed.
enum Failed {
    /// 401: the token is wrong, reset or revoked; retrying cannot help.
    Refused(&'static str),
    /// Anything else (connection refused, timeout, 5xx): worth another try.
    Unreachable(String),
}

/// Probes until Discord answers: `Ok(Some(gateway url))`, `Ok(None)` when a stop came first,
/// `Err` for a refused token. Each failure is logged once, with when the next attempt is.
pub async fn until_reachable(http: &serenity::Http, stop: &mut Stop) -> Result<Option<String>, RunError> {
    let mut backoff = Backoff::default();
    loop {
        let attempt = tokio::select! {
            biased;
            _ = stop.requested() => return Ok(None),
            attempt = probe(http) => attempt,
        };
        let why = match attempt {
            Ok(url) => {
                if backoff.failures() > 0 {
                    tracing::info!(failures = backoff.failures(), "Discord is reachable again");
                }
                return Ok(Some(url));
            }
            Err(Failed::Refused(route)) => return Err(RunError::TokenRefused { route }),
            Err(Failed::Unreachable(why)) => why,
        };
        let wait = backoff.next_delay();
        let next = chrono::Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
        let next_attempt_at = next.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        tracing::warn!(
            attempt = backoff.failures(),
            error = %why,
            retry_in_s = wait.as_secs(),
            %next_attempt_at,
            "Discord cannot be reached; next attempt at {next_attempt_at}"
        );
        tokio::select! {
            biased;
            _ = stop.requested() => return Ok(None),
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// `GET /users/@me` (the gateway URL needs no token on Discord, so it cannot tell a refused
/// one), `GET /gateway`, then a TCP connection to the gateway: serenity would otherwise retry a
/// gateway that REST says exists every 5 s, unseen.
async fn probe(http: &serenity::Http) -> Result<String, Failed> {
    timed("GET /users/@me", http.get_current_user()).await?;
    let gateway = timed("GET /gateway", http.get_gateway()).await?;
    let address = authority(&gateway.url)
        .ok_or_else(|| Failed::Unreachable(format!("GET /gateway: not a WebSocket URL: {}", gateway.url)))?;
    let reached = tokio::time::timeout(CALL_TIMEOUT, tokio::net::TcpStream::connect(&address)).await;
    match reached {
        Ok(Ok(_)) => Ok(gateway.url),
        Ok(Err(err)) => Err(Failed::Unreachable(format!("gateway {address}: {err}"))),
        Err(_) => Err(Failed::Unreachable(format!(
            "gateway {address}: no connection within {} s",
            CALL_TIMEOUT.as_secs()
        ))),
    }
}

/// `wss://gateway.discord.gg/?v=10` → `gateway.discord.gg:443`; `ws://127.0.0.1:9/` → `127.0.0.1:9`.
fn authority(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let default_port = match scheme {
        "wss" => 443,
        "ws" => 80,
        _ => return None,
    };
    let host = rest.split(['/', '?']).next().filter(|h| !h.is_empty())?;
    let has_port = host.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) && !host.ends_with(']');
    Some(if has_port {
        host.to_string()
    } else {
        format!("{host}:{default_port}")
    })
}

async fn timed<T>(
    route: &'static str,
    call: impl std::future::Future<Output = Result<T, serenity::Error>>,
) -> Result<T, Failed> {
    match tokio::time::timeout(CALL_TIMEOUT, call).await {
        Err(_) => Err(Failed::Unreachable(format!(
            "{route}: no answer within {} s",
            CALL_TIMEOUT.as_secs()
        ))),
        Ok(Ok(value)) => Ok(value),
        Ok(Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(r)))) if r.status_code.as_u16() == 401 => {
            Err(Failed::Refused(route))
        }
        Ok(Err(err)) => Err(Failed::Unreachable(format!("{route}: {err}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::authority;

    #[test]
    fn the_gateway_address_has_a_port() {
        assert_eq!(
            authority("wss://gateway.discord.gg").as_deref(),
            Some("gateway.discord.gg:443")
        );
        assert_eq!(
            authority("wss://gateway.discord.gg/?v=10").as_deref(),
            Some("gateway.discord.gg:443")
        );
        assert_eq!(authority("ws://127.0.0.1:4321").as_deref(), Some("127.0.0.1:4321"));
        assert_eq!(authority("ws://[::1]:4321/").as_deref(), Some("[::1]:4321"));
        assert_eq!(authority("http://example.com"), None);
        assert_eq!(authority("ws://"), None);
    }
}
