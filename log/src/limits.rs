//! Limits that keep one receiver serving under abuse: a global rate limit
//! for writes, a bound on concurrent requests and a timeout per request.
//!
//! The rate limit is one token bucket for the whole process. It stores no
//! IP address and nothing about any visitor: the receiver has no use for
//! either, and per-client limits belong in the reverse proxy in front.

use crate::error::{Error, Result};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// A token bucket: `rate` writes a second on average, bursts up to `burst`.
pub struct Bucket {
    rate: f64,
    burst: f64,
    state: Mutex<(f64, Instant)>,
}

impl Bucket {
    /// A full bucket; a `rate` of 0 lets everything through.
    pub fn new(rate: f64, burst: f64) -> Self {
        Bucket { rate, burst, state: Mutex::new((burst, Instant::now())) }
    }

    /// Takes one token if there is one.
    pub fn take(&self) -> bool {
        if self.rate <= 0.0 {
            return true;
        }
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        s.0 = (s.0 + now.duration_since(s.1).as_secs_f64() * self.rate).min(self.burst);
        s.1 = now;
        if s.0 >= 1.0 {
            s.0 -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The bound on concurrent requests and the time each may take.
#[derive(Clone)]
pub struct Gate {
    /// Permits for requests in flight.
    pub slots: Arc<Semaphore>,
    /// How long one request may take, body upload included.
    pub timeout: Duration,
}

/// Middleware: refuses a request with 503 when all slots are taken, and
/// answers 408 when it takes longer than the timeout.
pub async fn gate(State(gate): State<Gate>, req: Request, next: Next) -> Result<Response> {
    let _permit = gate
        .slots
        .clone()
        .try_acquire_owned()
        .map_err(|_| Error::new(StatusCode::SERVICE_UNAVAILABLE, "too many requests in flight"))?;
    tokio::time::timeout(gate.timeout, next.run(req))
        .await
        .map_err(|_| Error::new(StatusCode::REQUEST_TIMEOUT, "request took too long"))
}
