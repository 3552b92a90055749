//! Shared test harness: starts the real `koekje-log` binary on 127.0.0.1
//! (port 0, read back from its startup line), talks HTTP to it with hyper,
//! and makes a fresh database per test: a temp SQLite file, or a new
//! database on the PostgreSQL named by `KOEKJE_LOG_TEST_POSTGRES`.
#![allow(dead_code)]

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

pub const TOKEN: &str = "test-token-0123456789abcdef";
pub const BIN: &str = env!("CARGO_BIN_EXE_koekje-log");

/// Which store a test runs on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Prints a line that `cargo test` shows even for a passing test (the
/// harness captures `println!`, not writes to the stderr handle).
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{prefix}_{}_{}_{}", std::process::id(), t % 1_000_000_000, n)
}

/// A fresh, empty database URL for `backend`, or None (with a message)
/// when PostgreSQL is wanted but `KOEKJE_LOG_TEST_POSTGRES` is not set.
pub async fn fresh_db(backend: Backend) -> Option<String> {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(unique("koekje_log_test"));
            std::fs::create_dir_all(&dir).unwrap();
            Some(format!("sqlite://{}", dir.join("log.db").display()))
        }
        Backend::Postgres => {
            let Ok(admin) = std::env::var("KOEKJE_LOG_TEST_POSTGRES") else {
                say("SKIPPED (PostgreSQL half): KOEKJE_LOG_TEST_POSTGRES is not set; scripts/test-log.sh sets it");
                return None;
            };
            let name = unique("t");
            sql(&admin, &format!("CREATE DATABASE {name}")).await;
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
            Some(format!("{base}/{name}"))
        }
    }
}

/// Runs one statement on a database (for setting up and for tampering).
pub async fn sql(url: &str, statement: &str) -> u64 {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect for sql()");
    let n = sqlx::query(statement).execute(&mut c).await.expect(statement).rows_affected();
    c.close().await.ok();
    n
}

/// Runs one query that returns a single integer.
pub async fn sql_int(url: &str, query: &str) -> i64 {
    use sqlx::{Connection, Row};
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url).await.expect("connect for sql_int()");
    let v: i64 = sqlx::query(query).fetch_one(&mut c).await.expect(query).get(0);
    c.close().await.ok();
    v
}

/// A running receiver; killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub db: String,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Server {
    /// Starts `koekje-log serve` on `db` with the test token and `extra` options.
    pub fn start(db: &str, extra: &[&str]) -> Server {
        Self::start_env(db, extra, Some(TOKEN))
    }

    /// Like [`Server::start`], choosing the token in the environment.
    pub fn start_env(db: &str, extra: &[&str], token: Option<&str>) -> Server {
        let mut cmd = Command::new(BIN);
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--database", db, "--rate", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .env_remove("KOEKJE_LOG_TOKEN");
        if let Some(t) = token {
            cmd.env("KOEKJE_LOG_TOKEN", t);
        }
        let mut child = cmd.spawn().expect("start koekje-log");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut seen = String::new();
        let addr = loop {
            let Some(Ok(line)) = lines.next() else {
                panic!("koekje-log exited before listening:\n{seen}");
            };
            seen.push_str(&line);
            seen.push('\n');
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            base: format!("http://{addr}/consent"),
            db: db.to_string(),
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// Sends one request; `path` is relative to the base (`/events`).
    pub async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, Vec<u8>) {
        let mut req = hyper::Request::builder().method(method).uri(format!("{}{}", self.base, path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(Full::new(Bytes::copy_from_slice(body))).unwrap();
        let resp = self.client.request(req).await.expect("request");
        let status = resp.status().as_u16();
        let body = resp.into_body().collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
        (status, body)
    }

    /// POSTs an event body; None when the connection fails (server gone).
    pub async fn try_post(&self, body: &str) -> Option<u16> {
        let req = hyper::Request::builder()
            .method("POST")
            .uri(format!("{}/events", self.base))
            .header("content-type", "text/plain;charset=UTF-8")
            .body(Full::new(Bytes::copy_from_slice(body.as_bytes())))
            .unwrap();
        let resp = self.client.request(req).await.ok()?;
        let status = resp.status().as_u16();
        resp.into_body().collect().await.ok()?;
        Some(status)
    }

    /// POSTs an event body as JSON.
    pub async fn post(&self, body: &str) -> (u16, serde_json::Value) {
        let (s, b) = self.send("POST", "/events", &[("content-type", "application/json")], body.as_bytes()).await;
        (s, serde_json::from_slice(&b).unwrap_or(serde_json::Value::Null))
    }

    /// GET with the admin token.
    pub async fn admin_get(&self, path: &str) -> (u16, Vec<u8>) {
        let auth = format!("Bearer {TOKEN}");
        self.send("GET", path, &[("authorization", &auth)], b"").await
    }

    /// How many events the database holds.
    pub async fn count(&self) -> i64 {
        sql_int(&self.db, "SELECT COUNT(*) FROM events").await
    }

    /// Stops the process at once (SIGKILL).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `koekje-log ARGS --database db`; (exit code, stdout).
pub fn run(db: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN).args(args).args(["--database", db]).output().expect("run koekje-log");
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

/// A random-enough version-4 UUID for tests.
pub fn uuid() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(8) {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::SeqCst));
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// The SHA-256 in hex of a notice snapshot.
pub fn notice_hash(snapshot: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(snapshot.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A sample notice snapshot and its hash.
pub const NOTICE: &str =
    r#"{"v":1,"language":"nl","title":"Cookies","categories":[{"id":"analytics","title":"Statistieken"}]}"#;

/// A valid event body.
pub fn event(event_id: &str, consent_id: &str, kind: &str, accepted: bool) -> String {
    format!(
        r#"{{"v":1,"eventId":"{event_id}","consentId":"{consent_id}","kind":"{kind}","method":"custom","decisions":{{"analytics":{{"accepted":{accepted},"services":{{"google-analytics":{accepted}}}}},"functional":{{"accepted":true}}}},"notice":"{}","language":"nl","revision":3,"gpc":false,"time":1764600000000,"path":"/offerte","build":"0123abcd"}}"#,
        notice_hash(NOTICE)
    )
}

/// Declares one async test body for both stores: `NAME_sqlite` and `NAME_postgres`.
#[macro_export]
macro_rules! both_stores {
    ($name:ident, $body:ident) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                if let Some(db) = fresh_db(Backend::Sqlite).await {
                    $body(Backend::Sqlite, db).await
                }
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(db) = fresh_db(Backend::Postgres).await {
                    $body(Backend::Postgres, db).await
                }
            }
        }
    };
}
