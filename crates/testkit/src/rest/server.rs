//! The HTTP side: accepts plain or TLS connections, records each request, applies scripted
//! faults, routes, and writes the JSON answer.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::super::builders::Scene;
use super::super::calls::{RecordedCall, HEADERS_OF_INTEREST};
use super::super::faults::take_fault;
use super::super::state::{Inner, Shared};
use super::multipart;
use super::reply::Reply;

/// Accepts connections until the task is aborted; with `tls`, speaks HTTPS.
pub async fn serve(listener: TcpListener, shared: Arc<Shared>, tls: Option<TlsAcceptor>) {
    while let Ok((stream, _)) = listener.accept().await {
        // Like Discord's edge: without it Nagle holds small replies for the peer's delayed ACK (~40 ms).
        stream.set_nodelay(true).ok();
        let shared = Arc::clone(&shared);
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        serve_connection(stream, shared).await;
                    }
                }
                None => serve_connection(stream, shared).await,
            }
        });
    }
}

async fn serve_connection<S: AsyncRead + AsyncWrite + Unpin + Send + 'static>(stream: S, shared: Arc<Shared>) {
    let service = service_fn(move |req| {
        let shared = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(handle(&shared, req).await) }
    });
    // A client hanging up mid-request is not the test's concern.
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

async fn handle(shared: &Shared, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let at = Instant::now();
    let (parts, body) = req.into_parts();
    let bytes = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let content_type = parts.headers.get("content-type").and_then(|v| v.to_str().ok());
    let (body, files, form_error) = if multipart::is_multipart(content_type) {
        match multipart::parse(bytes, content_type.unwrap_or_default()).await {
            Ok(form) => (Some(form.payload), form.files, None),
            Err(rejected) => (None, Vec::new(), Some(rejected)),
        }
    } else {
        (serde_json::from_slice(&bytes).ok(), Vec::new(), None)
    };
    let mut call = RecordedCall {
        seq: 0,
        method: parts.method.as_str().to_string(),
        path: route_path(parts.uri.path()),
        query: parse_query(parts.uri.query().unwrap_or("")),
        headers: headers_of_interest(&parts.headers),
        body,
        files,
        status: 0,
        at,
        retry_after: None,
    };
    let reply = shared.with(|inner| {
        let reply = answer(inner, &shared.scene, &call, form_error);
        call.seq = inner.calls.len() as u64;
        call.status = reply.status;
        call.retry_after = advertised_wait(&reply);
        inner.calls.push(call);
        reply
    });
    into_response(reply)
}

/// A refused token first (like Discord, before anything else; the attachment CDN needs none),
/// then a scripted fault, then a malformed form, then the route.
fn answer(inner: &mut Inner, scene: &Scene, call: &RecordedCall, form_error: Option<Reply>) -> Reply {
    let authorization = call.headers.get("authorization").map(String::as_str);
    if inner.refuses(authorization) && !call.path.starts_with("/attachments/") {
        return Reply::unauthorized();
    }
    if let Some(fault) = take_fault(&mut inner.faults, &call.method, &call.path) {
        return fault.reply();
    }
    form_error.unwrap_or_else(|| super::route(inner, scene, call))
}

/// The wait a 429 advertised: the `retry-after` header, else the body's `retry_after`.
fn advertised_wait(reply: &Reply) -> Option<Duration> {
    if reply.status != 429 {
        return None;
    }
    let header = reply
        .headers
        .iter()
        .find(|(name, _)| name == "retry-after")
        .and_then(|(_, value)| value.parse::<f64>().ok());
    let body = reply
        .body
        .as_ref()
        .and_then(|b| b.get("retry_after"))
        .and_then(|v| v.as_f64());
    header.or(body).and_then(|secs| Duration::try_from_secs_f64(secs).ok())
}

/// Drops the `/api/v10` (or any `/api/vN`) prefix.
fn route_path(path: &str) -> String {
    let rest = path.strip_prefix("/api/").unwrap_or(path);
    match rest.split_once('/') {
        Some((version, tail)) if version.starts_with('v') => format!("/{tail}"),
        _ => path.to_string(),
    }
}

/// serenity writes `?&a=1&b=2`: empty pairs are skipped.
fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (pair.to_string(), String::new()),
        })
        .collect()
}

fn headers_of_interest(headers: &hyper::HeaderMap) -> BTreeMap<String, String> {
    HEADERS_OF_INTEREST
        .iter()
        .filter_map(|name| {
            let value = headers.get(*name)?.to_str().ok()?;
            Some((name.to_string(), value.to_string()))
        })
        .collect()
}

fn into_response(reply: Reply) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(reply.status);
    let body = match (&reply.raw, &reply.body) {
        (Some((content_type, data)), _) => {
            builder = builder.header("content-type", content_type.as_str());
            data.clone()
        }
        (None, Some(json)) => {
            builder = builder.header("content-type", "application/json");
            Bytes::from(json.to_string())
        }
        (None, None) => Bytes::new(),
    };
    for (name, value) in &reply.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder.body(Full::new(body)).unwrap_or_else(|_| {
        let mut fallback = Response::new(Full::new(Bytes::new()));
        *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_prefix_is_dropped() {
        assert_eq!(route_path("/api/v10/channels/1/messages"), "/channels/1/messages");
        assert_eq!(route_path("/other"), "/other");
    }

    #[test]
    fn leading_ampersand_is_tolerated() {
        assert_eq!(parse_query("&limit=50"), vec![("limit".to_string(), "50".to_string())]);
    }
}
