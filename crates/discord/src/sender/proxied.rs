//! A notice posted in proxy mode, where serenity's ratelimiter is off and a 429 comes back as
//! an error. serenity 0.12.5's `ErrorResponse` keeps neither the response headers nor the
//! body's extra fields (its `DiscordJsonError` has only `code`, `message`, `errors`, and a 429
//! body has no `code`, so even the message is lost), so the `Retry-After` Discord or the proxy
//! asked for cannot be read from it. The post is therefore built on serenity's own route
//! (`Request::build`: the same URL rewrite to the proxy, token and user agent) and sent with
//! reqwest here, where a 429's header and body are still readable.

use intakebot_app::scheduler::SendError;
use poise::serenity_prelude as serenity;
use serenity::http::{ErrorResponse, HttpError, LightMethod, Request, Route};
use std::sync::OnceLock;

/// What a 429 asked for when it says nothing readable.
const DEFAULT_WAIT: chrono::Duration = chrono::Duration::seconds(2);

/// Posts `message` (no files) to `channel`; a 429 becomes a retry after its Retry-After.
pub async fn post(http: &serenity::Http, channel: u64, message: &serenity::CreateMessage) -> Result<u64, SendError> {
    let body = serde_json::to_vec(message).map_err(|e| SendError::Permanent(format!("unserialisable message: {e}")))?;
    let route = Route::ChannelMessages {
        channel_id: serenity::ChannelId::new(channel),
    };
    let client = client().map_err(|e| super::classify(http_error(e)))?;
    let request = Request::new(route, LightMethod::Post)
        .body(Some(body))
        .build(client, http.token(), http.proxy.as_deref())
        .map_err(super::classify)?;
    let response = request.send().await.map_err(|e| super::classify(http_error(e)))?;
    let status = response.status();
    if status.as_u16() == 429 {
        let header = header_seconds(response.headers());
        let body = response.bytes().await.unwrap_or_default();
        return Err(super::rate_limited(retry_after(header, &body)));
    }
    if !status.is_success() {
        let error = ErrorResponse::from_response(response, reqwest::Method::POST).await;
        return Err(super::classify(serenity::Error::Http(HttpError::UnsuccessfulRequest(
            error,
        ))));
    }
    let bytes = response.bytes().await.map_err(|e| super::classify(http_error(e)))?;
    serde_json::from_slice::<Posted>(&bytes)
        .map(|m| m.id.get())
        // Posted but unreadable: retrying is safe, the nonce makes Discord return the same message.
        .map_err(|_| SendError::Retry(DEFAULT_WAIT))
}

#[derive(serde::Deserialize)]
struct Posted {
    id: serenity::MessageId,
}

/// One client for every proxied post (a connection pool), built once.
fn client() -> Result<&'static reqwest::Client, reqwest::Error> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client);
    }
    let built = reqwest::Client::builder().build()?;
    Ok(CLIENT.get_or_init(|| built))
}

fn http_error(err: reqwest::Error) -> serenity::Error {
    serenity::Error::Http(HttpError::Request(err))
}

fn header_seconds(headers: &reqwest::header::HeaderMap) -> Option<f64> {
    headers.get("retry-after")?.to_str().ok()?.trim().parse().ok()
}

/// How long a 429 asks to wait: the longer of the `retry-after` header (Discord rounds it up to
/// whole seconds) and the body's float `retry_after`, else [`DEFAULT_WAIT`].
pub fn retry_after(header: Option<f64>, body: &[u8]) -> chrono::Duration {
    let body = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("retry_after").and_then(serde_json::Value::as_f64));
    let seconds = [header, body]
        .into_iter()
        .flatten()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .fold(None, |longest: Option<f64>, s| Some(longest.map_or(s, |l| l.max(s))));
    // Capped at a day so a wild value cannot park a notice for ever.
    seconds.map_or(DEFAULT_WAIT, |s| {
        chrono::Duration::milliseconds((s.min(86_400.0) * 1000.0).ceil() as i64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn the_longer_of_header_and_body_is_waited() {
        let body = br#"{"message":"You are being rate limited.","retry_after":2.5,"global":false}"#;
        assert_eq!(retry_after(Some(3.0), body), Duration::seconds(3));
        assert_eq!(retry_after(None, body), Duration::milliseconds(2500));
        assert_eq!(retry_after(Some(0.25), b"not json"), Duration::milliseconds(250));
    }

    #[test]
    fn nothing_readable_waits_the_default_and_wild_values_are_capped() {
        assert_eq!(retry_after(None, b"{}"), DEFAULT_WAIT);
        assert_eq!(retry_after(Some(f64::NAN), br#"{"retry_after":-1}"#), DEFAULT_WAIT);
        assert_eq!(retry_after(Some(1e12), b""), Duration::days(1));
    }
}
