//! The HTTP side: one router under the base path (`/consent` by default),
//! the open endpoints (events, notices, health; CORS for `--allow-origin`)
//! and the admin ones (history of a consent id, export; behind the token,
//! checked once by the `admin_only` layer), each with its body limit.

use crate::auth::Token;
use crate::error::{ensure, Error, Result};
use crate::events;
use crate::export::{self, Format};
use crate::limits::{self, Bucket, Gate};
use crate::store::{Appended, New, Store};
use crate::{chain, time};
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// Largest notice snapshot accepted.
pub const MAX_NOTICE: usize = 64 * 1024;
/// Most events one history answer lists.
const MAX_HISTORY: i64 = 10_000;
/// Rows fetched per page of an export.
const EXPORT_PAGE: i64 = 500;

/// What every handler shares.
pub struct App {
    pub store: Store,
    pub token: Token,
    pub writes: Bucket,
    /// `--allow-origin`: the one origin that may call the open endpoints cross-origin.
    pub allow_origin: Option<HeaderValue>,
}

type Shared = State<Arc<App>>;

/// A JSON answer that is not an error.
fn json_answer(status: StatusCode, v: serde_json::Value) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

/// Takes one token of the write rate limit, or refuses with 429.
fn take_write(app: &App) -> Result<()> {
    ensure(app.writes.take(), || Error::new(StatusCode::TOO_MANY_REQUESTS, "rate limited; try again later"))
}

/// Only JSON or plain text (what `navigator.sendBeacon` sends for a string), in UTF-8.
fn content_type_ok(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut parts = ct.split(';').map(|p| p.trim().to_ascii_lowercase());
    let mime = parts.next().unwrap_or_default();
    let charset_ok = parts.all(|p| match p.strip_prefix("charset=") {
        Some(cs) => matches!(cs.trim_matches('"'), "utf-8" | "utf8"),
        None => true,
    });
    (mime == "application/json" || mime == "text/plain") && charset_ok
}

/// Builds the router: every path under `base` (e.g. `/consent`).
pub fn router(app: Arc<App>, base: &str, gate: Gate) -> Router {
    let base = base.trim_end_matches('/');
    let open = Router::new()
        .route(&format!("{base}/events"), post(post_event).layer(DefaultBodyLimit::max(events::MAX_EVENT_BYTES)))
        .route(
            &format!("{base}/notices/{{hash}}"),
            get(get_notice).put(put_notice).layer(DefaultBodyLimit::max(MAX_NOTICE)),
        )
        .route(&format!("{base}/health"), get(health))
        .route_layer(axum::middleware::from_fn_with_state(app.clone(), cors));
    // The token is checked once, for every admin route, before its handler
    // and its extractors run.
    let admin = Router::new()
        .route(&format!("{base}/consents/{{id}}"), get(history))
        .route(&format!("{base}/export"), get(export_range))
        .route_layer(axum::middleware::from_fn_with_state(app.clone(), admin_only));
    Router::new()
        .merge(open)
        .merge(admin)
        .layer(axum::middleware::from_fn_with_state(gate, limits::gate))
        .with_state(app)
}

/// Adds the CORS headers for `--allow-origin`, and answers its preflights.
async fn cors(State(app): Shared, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let Some(origin) = app.allow_origin.clone() else {
        return next.run(req).await;
    };
    let preflight = req.method() == Method::OPTIONS;
    let mut resp = if preflight { StatusCode::NO_CONTENT.into_response() } else { next.run(req).await };
    let h = resp.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    if preflight {
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, POST, PUT"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("Content-Type"));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    }
    resp
}

/// The body of a request that sends JSON (an event or a notice): within
/// its size limit and of an accepted content type.
fn accepted_body(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Bytes> {
    let body = body?;
    ensure(content_type_ok(headers), || {
        Error::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json or text/plain (UTF-8)")
    })?;
    Ok(body)
}

/// `POST {base}/events`: validates one event and appends it to the chain.
async fn post_event(State(app): Shared, headers: HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Response> {
    let body = accepted_body(&headers, body)?;
    let event = events::parse(&body)?;
    take_write(&app)?;
    let new = New {
        event_id: event.event_id.clone(),
        consent_id: event.consent_id.clone(),
        notice: event.notice.clone(),
        canonical: events::canonical(&event),
        received_at: time::now_ms(),
    };
    let (appended, present) = app.store.append(new).await.map_err(Error::database)?;
    let notice = if present { "present" } else { "missing" };
    match appended {
        Appended::Stored(seq) => Ok(json_answer(
            StatusCode::CREATED,
            json!({"stored": true, "seq": seq, "eventId": event.event_id, "notice": notice}),
        )),
        Appended::Duplicate(seq) => Ok(json_answer(
            StatusCode::OK,
            json!({"stored": false, "duplicate": true, "seq": seq, "eventId": event.event_id, "notice": notice}),
        )),
        Appended::Conflict => {
            Err(Error::new(StatusCode::CONFLICT, "this eventId is stored already with different content"))
        }
    }
}

/// `GET`/`HEAD {base}/notices/{hash}`: the stored snapshot bytes.
async fn get_notice(State(app): Shared, Path(hash): Path<String>) -> Result<Response> {
    let unknown = || Error::new(StatusCode::NOT_FOUND, "no such notice");
    ensure(events::is_sha256_hex(&hash), unknown)?;
    let body = app.store.notice(&hash).await?.ok_or_else(unknown)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `PUT {base}/notices/{hash}`: stores a snapshot whose SHA-256 is `hash`.
async fn put_notice(
    State(app): Shared,
    Path(hash): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let body = accepted_body(&headers, body)?;
    ensure(events::is_sha256_hex(&hash), || Error::bad_request("the path must end in 64 lower-case hex digits"))?;
    ensure(chain::sha256_hex(&body) == hash, || {
        Error::new(StatusCode::UNPROCESSABLE_ENTITY, "the SHA-256 of the body is not the hash in the path")
    })?;
    let text = std::str::from_utf8(&body).map_err(|_| Error::bad_request("the snapshot is not UTF-8"))?;
    let snapshot: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::bad_request(format!("the snapshot is not JSON: {e}")))?;
    ensure(snapshot.is_object(), || Error::bad_request("the snapshot must be a JSON object"))?;
    take_write(&app)?;
    let stored = app.store.put_notice(&hash, text, time::now_ms()).await?;
    let status = if stored { StatusCode::CREATED } else { StatusCode::OK };
    Ok(json_answer(status, json!({"stored": stored, "hash": hash})))
}

/// `GET {base}/health`: 200 once the database answers.
async fn health(State(app): Shared) -> Response {
    if app.store.ping().await {
        json_answer(StatusCode::OK, json!({"ok": true, "store": app.store.kind.name()}))
    } else {
        json_answer(StatusCode::SERVICE_UNAVAILABLE, json!({"ok": false, "store": app.store.kind.name()}))
    }
}

/// Middleware on the admin routes: only a request that carries the admin
/// token goes on; else 401 (always when no token is configured).
async fn admin_only(State(app): Shared, req: axum::extract::Request, next: axum::middleware::Next) -> Result<Response> {
    ensure(app.token.is_set(), || {
        Error::new(StatusCode::UNAUTHORIZED, "admin endpoints are off: no token is configured")
    })?;
    let sent = req.headers().get(header::AUTHORIZATION).map(|v| v.as_bytes());
    ensure(app.token.allows(sent), || Error::bearer("a valid Authorization: Bearer token is needed"))?;
    Ok(next.run(req).await)
}

/// `GET {base}/consents/{id}`: every event of one consent id in chain order,
/// with the notice snapshots they name.
async fn history(State(app): Shared, Path(id): Path<String>) -> Result<Response> {
    ensure(events::is_uuid_v4(&id), || Error::bad_request("a consent id is a lower-case version-4 UUID"))?;
    let rows = app.store.history(&id, MAX_HISTORY).await?;
    let mut notices = serde_json::Map::new();
    let mut list = Vec::with_capacity(rows.len());
    for r in &rows {
        if !notices.contains_key(&r.notice) {
            let snap = app
                .store
                .notice(&r.notice)
                .await?
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or(serde_json::Value::Null);
            notices.insert(r.notice.clone(), snap);
        }
        let event: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
        list.push(json!({
            "seq": r.seq,
            "receivedAt": r.received_at,
            "received": time::format(r.received_at),
            "hash": r.hash,
            "notice": r.notice,
            "event": event,
        }));
    }
    Ok(json_answer(StatusCode::OK, json!({"consentId": id, "events": list, "notices": notices})))
}

/// `GET {base}/export?from=…&to=…&format=csv|jsonl`: the events received in
/// `[from, to)`, streamed a page at a time (bounded memory).
async fn export_range(State(app): Shared, Query(q): Query<HashMap<String, String>>) -> Result<Response> {
    let bound = |k: &str, default: i64| match q.get(k) {
        None => Ok(default),
        Some(s) => time::parse(s)
            .ok_or_else(|| Error::bad_request(format!("`{k}`: expected milliseconds or an RFC 3339 time"))),
    };
    let from = bound("from", 0)?;
    let to = bound("to", i64::MAX)?;
    let format = match q.get("format").map(String::as_str) {
        None | Some("jsonl") => Some(Format::Jsonl),
        Some("csv") => Some(Format::Csv),
        Some(_) => None,
    }
    .ok_or_else(|| Error::bad_request("`format`: expected csv or jsonl"))?;
    let store = app.store.clone();
    // State: the last sequence number sent, or None when done.
    let pages = futures_util::stream::unfold(Some(0i64), move |after| {
        let store = store.clone();
        async move {
            let after = after?;
            match store.range_page(from, to, after, EXPORT_PAGE).await {
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let next = (rows.len() as i64 == EXPORT_PAGE).then(|| rows[rows.len() - 1].seq);
                    let text: String = rows.iter().map(|r| export::line(r, format)).collect();
                    Some((Ok(Bytes::from(text)), next))
                }
            }
        }
    });
    let (mime, head) = match format {
        Format::Csv => ("text/csv; charset=utf-8", export::CSV_HEADER),
        Format::Jsonl => ("application/jsonl", ""),
    };
    let head = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(head.as_bytes()))]);
    let body = Body::from_stream(futures_util::StreamExt::chain(head, pages));
    Ok(([(header::CONTENT_TYPE, mime)], body).into_response())
}
