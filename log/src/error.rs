//! The receiver's one error type: every refusal and failure an endpoint or
//! a middleware answers with, as its status and `{"error": "…"}` in JSON.
//! Handlers and middleware return [`Result`] and stop at the first refusal
//! with `?`.

use crate::events::SchemaError;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::fmt::Display;

/// A handler's or a middleware's answer when it does not do what was asked.
#[derive(Debug)]
pub struct Error {
    status: StatusCode,
    message: String,
    /// A 401 that names the scheme: `WWW-Authenticate: Bearer`.
    bearer: bool,
}

/// What handlers and middleware return.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// `status` with `message` as the error text.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Error {
        Error { status, message: message.into(), bearer: false }
    }

    /// 400: the request is not what the endpoint takes.
    pub fn bad_request(message: impl Into<String>) -> Error {
        Error::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401 with `WWW-Authenticate: Bearer`.
    pub fn bearer(message: impl Into<String>) -> Error {
        Error { bearer: true, ..Error::new(StatusCode::UNAUTHORIZED, message) }
    }

    /// 503: the database failed; the cause goes to stderr, not to the client.
    pub fn database(cause: impl Display) -> Error {
        eprintln!("koekje-log: database error: {cause}");
        Error::new(StatusCode::SERVICE_UNAVAILABLE, "the database did not answer; nothing was stored")
    }
}

/// `Ok(())` when `ok`, else the error `refusal` makes.
pub fn ensure(ok: bool, refusal: impl FnOnce() -> Error) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(refusal())
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut response =
            (self.status, [(header::CONTENT_TYPE, "application/json")], json!({ "error": self.message }).to_string())
                .into_response();
        if self.bearer {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Error {
        Error::database(e)
    }
}

/// A body that is not an acceptable event: 400, naming the field.
impl From<SchemaError> for Error {
    fn from(e: SchemaError) -> Error {
        Error::bad_request(e.0)
    }
}

/// A body that could not be read (too large: 413) gets axum's own answer,
/// as JSON.
impl From<BytesRejection> for Error {
    fn from(e: BytesRejection) -> Error {
        Error::new(e.status(), e.body_text())
    }
}
