//! The database: SQLite or PostgreSQL through sqlx's `Any` driver, with the
//! same SQL for both. Tables are created at startup (`CREATE TABLE IF NOT
//! EXISTS`); the service keeps no other state, so several instances can
//! share one PostgreSQL.
//!
//! Appends are serialised by the one-row `chain_head` table: a transaction
//! first updates it (`UPDATE … RETURNING seq, hash`), which takes the row
//! lock on PostgreSQL and, opened with `BEGIN IMMEDIATE`, the write lock on
//! SQLite, so two writers can never link to the same predecessor. In one
//! process a single writer task commits the appends that wait together in
//! one transaction (group commit: one disk flush for many events).
//! SQLite runs in WAL mode with `synchronous=FULL`: a commit is on disk
//! before the answer, so an acknowledged event survives a crash of the
//! machine, not just of the process (NORMAL would only survive the process).

use crate::chain::{self, Row, GENESIS};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row as _};
use std::collections::HashMap;
use tokio::sync::{mpsc, oneshot};

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Kind {
    /// The name `GET /health` reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        }
    }
}

/// A handle on the database, cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// Which database this is.
    pub kind: Kind,
    /// The queue of the one task of this process that appends.
    writer: mpsc::Sender<(New, Reply)>,
}

/// What became of an appended event.
#[derive(Debug, Clone, PartialEq)]
pub enum Appended {
    /// Stored now, with this sequence number.
    Stored(i64),
    /// The same event id was stored before, with the same canonical JSON.
    Duplicate(i64),
    /// The same event id was stored before with other content.
    Conflict,
}

/// An event to append: its indexed columns and its canonical JSON.
#[derive(Debug, Clone)]
pub struct New {
    pub event_id: String,
    pub consent_id: String,
    pub notice: String,
    pub canonical: String,
    pub received_at: i64,
}

type Reply = oneshot::Sender<Result<(Appended, bool), String>>;

/// Most events committed in one transaction.
const BATCH: usize = 256;

/// A stored event as the admin endpoints show it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub seq: i64,
    pub received_at: i64,
    pub notice: String,
    pub body: String,
    pub hash: String,
}

/// The result of a purge.
#[derive(Debug, Clone, PartialEq)]
pub struct Purged {
    pub events: u64,
    pub notices: u64,
    /// The new anchor: the last purged sequence number, if any.
    pub anchor_seq: i64,
}

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS events (
        seq BIGINT PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        consent_id TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        notice TEXT NOT NULL,
        body TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS events_consent ON events (consent_id, seq)",
    "CREATE INDEX IF NOT EXISTS events_received ON events (received_at)",
    "CREATE INDEX IF NOT EXISTS events_notice ON events (notice)",
    "CREATE TABLE IF NOT EXISTS notices (
        hash TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        first_seen BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS chain_head (
        id INTEGER PRIMARY KEY,
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS chain_anchor (
        id INTEGER PRIMARY KEY,
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL,
        purged_at BIGINT NOT NULL)",
];

/// Adds `mode=rwc` (create the file when missing) or `mode=rw` to `sqlite://PATH`.
fn sqlite_url(url: &str, create: bool) -> String {
    if url.contains('?') {
        url.to_string()
    } else {
        format!("{url}?mode={}", if create { "rwc" } else { "rw" })
    }
}

impl Store {
    /// Connects (`sqlite://PATH` or `postgres://…`) and creates the tables;
    /// a missing SQLite file is created only when `create` is true.
    pub async fn open(url: &str, max_connections: u32, create: bool) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let (kind, url) = if url.starts_with("sqlite:") {
            (Kind::Sqlite, sqlite_url(url, create))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Kind::Postgres, url.to_string())
        } else {
            return Err(format!("--database: expected sqlite://PATH or postgres://…, got {url:?}"));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if kind == Kind::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?;
        let (writer, queue) = mpsc::channel(BATCH * 4);
        tokio::spawn(write_batches(pool.clone(), kind, queue));
        let store = Store { pool, kind, writer };
        store.migrate().await.map_err(|e| format!("cannot create the tables: {e}"))?;
        Ok(store)
    }

    async fn migrate(&self) -> sqlx::Result<()> {
        let mut tx = self.pool.begin().await?;
        if self.kind == Kind::Postgres {
            // Two instances starting at once must not both create the tables.
            sqlx::query("SELECT pg_advisory_xact_lock(7233516601)").execute(&mut *tx).await?;
        }
        for sql in SCHEMA {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING")
            .bind(GENESIS)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Appends one event to the chain; answers once the transaction that
    /// holds it is committed (appends waiting at the same time share one),
    /// with whether the notice it names is stored.
    pub async fn append(&self, event: New) -> Result<(Appended, bool), String> {
        let (tx, rx) = oneshot::channel();
        self.writer.send((event, tx)).await.map_err(|_| "the writer stopped".to_string())?;
        rx.await.map_err(|_| "the writer stopped".to_string())?
    }

    /// Stores a notice snapshot under its hash; false when it was there.
    pub async fn put_notice(&self, hash: &str, body: &str, now: i64) -> sqlx::Result<bool> {
        let done = sqlx::query(
            "INSERT INTO notices (hash, body, first_seen) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(hash)
        .bind(body)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The stored snapshot named by `hash`.
    pub async fn notice(&self, hash: &str) -> sqlx::Result<Option<String>> {
        let row = sqlx::query("SELECT body FROM notices WHERE hash = $1").bind(hash).fetch_optional(&self.pool).await?;
        row.map(|r| r.try_get(0)).transpose()
    }

    /// The events of one consent id, in chain order (at most `limit`).
    pub async fn history(&self, consent_id: &str, limit: i64) -> sqlx::Result<Vec<Stored>> {
        let rows = sqlx::query(
            "SELECT seq, received_at, notice, body, hash FROM events WHERE consent_id = $1 ORDER BY seq LIMIT $2",
        )
        .bind(consent_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(stored).collect()
    }

    /// One page of the events received in `[from, to)` after `after_seq`.
    pub async fn range_page(&self, from: i64, to: i64, after_seq: i64, limit: i64) -> sqlx::Result<Vec<Stored>> {
        let rows = sqlx::query(
            "SELECT seq, received_at, notice, body, hash FROM events
             WHERE received_at >= $1 AND received_at < $2 AND seq > $3 ORDER BY seq LIMIT $4",
        )
        .bind(from)
        .bind(to)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(stored).collect()
    }

    /// One page of chain rows after `after_seq`, for verification.
    pub async fn chain_page(&self, after_seq: i64, limit: i64) -> sqlx::Result<Vec<Row>> {
        let rows = sqlx::query(
            "SELECT seq, event_id, consent_id, notice, body, prev_hash, hash FROM events
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Row {
                    seq: r.try_get(0)?,
                    event_id: r.try_get(1)?,
                    consent_id: r.try_get(2)?,
                    notice: r.try_get(3)?,
                    body: r.try_get(4)?,
                    prev_hash: r.try_get(5)?,
                    hash: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// The chain head: the last sequence number handed out and its hash.
    pub async fn head(&self) -> sqlx::Result<(i64, String)> {
        let r = sqlx::query("SELECT seq, hash FROM chain_head WHERE id = 1").fetch_one(&self.pool).await?;
        Ok((r.try_get(0)?, r.try_get(1)?))
    }

    /// The purge anchor (sequence number, hash, purged at), if a purge ran.
    pub async fn anchor(&self) -> sqlx::Result<Option<(i64, String, i64)>> {
        let r = sqlx::query("SELECT seq, hash, purged_at FROM chain_anchor WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).transpose()
    }

    /// Deletes the longest prefix of the chain received before `cutoff`
    /// (ms), then the notices received before it that no event names, and
    /// moves the anchor to the last purged event.
    pub async fn purge(&self, cutoff: i64, now: i64) -> sqlx::Result<Purged> {
        let mut tx = begin_write(&self.pool, self.kind).await?;
        let head =
            sqlx::query("UPDATE chain_head SET seq = seq WHERE id = 1 RETURNING seq").fetch_one(&mut *tx).await?;
        let head_seq: i64 = head.try_get(0)?;
        let kept =
            sqlx::query("SELECT MIN(seq) FROM events WHERE received_at >= $1").bind(cutoff).fetch_one(&mut *tx).await?;
        let last = kept.try_get::<Option<i64>, _>(0)?.map_or(head_seq, |first_kept| first_kept - 1);
        let anchor = sqlx::query("SELECT hash FROM events WHERE seq = $1").bind(last).fetch_optional(&mut *tx).await?;
        let mut purged = Purged { events: 0, notices: 0, anchor_seq: last };
        if let Some(anchor) = anchor {
            let hash: String = anchor.try_get(0)?;
            purged.events =
                sqlx::query("DELETE FROM events WHERE seq <= $1").bind(last).execute(&mut *tx).await?.rows_affected();
            sqlx::query(
                "INSERT INTO chain_anchor (id, seq, hash, purged_at) VALUES (1, $1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, purged_at = excluded.purged_at",
            )
            .bind(last)
            .bind(&hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        purged.notices = sqlx::query(
            "DELETE FROM notices WHERE first_seen < $1 AND NOT EXISTS (SELECT 1 FROM events WHERE events.notice = notices.hash)",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(purged)
    }
}

async fn begin_write(pool: &AnyPool, kind: Kind) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
    match kind {
        Kind::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Kind::Postgres => pool.begin().await,
    }
}

/// The writer task: takes the appends waiting in the queue (up to
/// [`BATCH`]) and commits them in one transaction, so that one disk flush
/// serves them all; each caller gets its answer after the commit.
async fn write_batches(pool: AnyPool, kind: Kind, mut queue: mpsc::Receiver<(New, Reply)>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match queue.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let (events, replies): (Vec<New>, Vec<Reply>) = batch.into_iter().unzip();
        match append_batch(&pool, kind, &events).await {
            Ok(results) => {
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(Ok(result));
                }
            }
            Err(e) => {
                let msg = e.to_string();
                for reply in replies {
                    let _ = reply.send(Err(msg.clone()));
                }
            }
        }
    }
}

/// `$from, $from+1, …` for `n` parameters.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Appends `events` in order in one transaction; nothing is stored when it
/// fails. A handful of statements whatever the batch size: the lock, one
/// look-up of the event ids, one of the notices, one multi-row insert.
async fn append_batch(pool: &AnyPool, kind: Kind, events: &[New]) -> sqlx::Result<Vec<(Appended, bool)>> {
    let mut tx = begin_write(pool, kind).await?;
    // Locks the chain head until commit: no other writer, in this process
    // or another, can link to the same predecessor.
    let head =
        sqlx::query("UPDATE chain_head SET seq = seq WHERE id = 1 RETURNING seq, hash").fetch_one(&mut *tx).await?;
    let (mut seq, mut prev): (i64, String) = (head.try_get(0)?, head.try_get(1)?);

    let sql = format!("SELECT event_id, seq, body FROM events WHERE event_id IN ({})", placeholders(1, events.len()));
    let mut q = sqlx::query(&sql);
    for e in events {
        q = q.bind(&e.event_id);
    }
    let mut before: HashMap<String, (i64, String)> = HashMap::new();
    for r in q.fetch_all(&mut *tx).await? {
        before.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    let sql = format!("SELECT hash FROM notices WHERE hash IN ({})", placeholders(1, events.len()));
    let mut q = sqlx::query(&sql);
    for e in events {
        q = q.bind(&e.notice);
    }
    let mut notices = std::collections::HashSet::new();
    for r in q.fetch_all(&mut *tx).await? {
        notices.insert(r.try_get::<String, _>(0)?);
    }

    let mut out = Vec::with_capacity(events.len());
    let mut rows: Vec<(i64, &New, String, String)> = Vec::new();
    for e in events {
        let present = notices.contains(&e.notice);
        if let Some((s, body)) = before.get(&e.event_id) {
            out.push((if *body == e.canonical { Appended::Duplicate(*s) } else { Appended::Conflict }, present));
            continue;
        }
        seq += 1;
        let hash = chain::link(&prev, &e.canonical);
        before.insert(e.event_id.clone(), (seq, e.canonical.clone()));
        rows.push((seq, e, std::mem::replace(&mut prev, hash.clone()), hash));
        out.push((Appended::Stored(seq), present));
    }
    if rows.is_empty() {
        tx.rollback().await?;
        return Ok(out);
    }
    let values: Vec<String> = (0..rows.len()).map(|i| format!("({})", placeholders(1 + 8 * i, 8))).collect();
    let sql = format!(
        "INSERT INTO events (seq, event_id, consent_id, received_at, notice, body, prev_hash, hash) VALUES {}",
        values.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for (seq, e, prev_hash, hash) in &rows {
        q = q.bind(*seq).bind(&e.event_id).bind(&e.consent_id).bind(e.received_at);
        q = q.bind(&e.notice).bind(&e.canonical).bind(prev_hash).bind(hash);
    }
    q.execute(&mut *tx).await?;
    sqlx::query("UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(&prev)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(out)
}

fn stored(r: &AnyRow) -> sqlx::Result<Stored> {
    Ok(Stored {
        seq: r.try_get(0)?,
        received_at: r.try_get(1)?,
        notice: r.try_get(2)?,
        body: r.try_get(3)?,
        hash: r.try_get(4)?,
    })
}
