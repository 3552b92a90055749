//! `koekje-log`: Koekje's consent-log receiver. Reads the command line and
//! runs one of `serve` (the default), `verify` or `purge`.

mod auth;
mod chain;
mod error;
mod events;
mod export;
mod http;
mod limits;
mod store;
mod time;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

const USAGE: &str = "\
koekje-log — Koekje's consent-log receiver

usage: koekje-log [serve] [options]
       koekje-log verify [--database URL]
       koekje-log purge --older-than DAYS [--database URL]

options:
  --database URL        sqlite://PATH or postgres://USER@HOST:PORT/DB
                        (default sqlite://koekje-log.db, created if missing)
  --listen ADDR         address to listen on (default 127.0.0.1:8081)
  --base PATH           path prefix of every endpoint (default /consent)
  --token-file PATH     admin bearer token (else env KOEKJE_LOG_TOKEN)
  --allow-origin ORIGIN add CORS headers for this origin on the open endpoints
  --rate N              events and notices accepted per second, all clients
                        together (default 500; 0 = no limit)
  --max-concurrent N    requests in flight at once (default 256)
  --timeout SECS        longest time for one request (default 10)
  --connections N       database connections (default 8)
";

/// The parsed command line.
struct Args {
    command: String,
    database: String,
    listen: String,
    base: String,
    token_file: Option<String>,
    allow_origin: Option<String>,
    rate: f64,
    max_concurrent: usize,
    timeout: u64,
    connections: u32,
    older_than: Option<f64>,
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args {
        command: "serve".into(),
        database: "sqlite://koekje-log.db".into(),
        listen: "127.0.0.1:8081".into(),
        base: "/consent".into(),
        token_file: None,
        allow_origin: None,
        rate: 500.0,
        max_concurrent: 256,
        timeout: 10,
        connections: 8,
        older_than: None,
    };
    let mut first = true;
    while let Some(arg) = it.next() {
        if first && !arg.starts_with('-') {
            a.command = arg;
            first = false;
            continue;
        }
        first = false;
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if key == "--help" || key == "-h" {
            return Err(String::new());
        }
        let mut value = || inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{key} needs a value"));
        let number = |v: String| v.parse::<f64>().map_err(|_| format!("{key}: not a number: {v}"));
        match key.as_str() {
            "--database" => a.database = value()?,
            "--listen" => a.listen = value()?,
            "--base" => a.base = value()?,
            "--token-file" => a.token_file = Some(value()?),
            "--allow-origin" => a.allow_origin = Some(value()?),
            "--rate" => a.rate = number(value()?)?,
            "--max-concurrent" => a.max_concurrent = number(value()?)? as usize,
            "--timeout" => a.timeout = number(value()?)? as u64,
            "--connections" => a.connections = number(value()?)? as u32,
            "--older-than" => a.older_than = Some(number(value()?)?),
            _ => return Err(format!("unknown option {arg}")),
        }
    }
    if !a.base.starts_with('/') {
        return Err("--base must start with /".into());
    }
    Ok(a)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("koekje-log: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match args.command.as_str() {
        "serve" => serve(&args).await,
        "verify" => verify(&args).await,
        "purge" => purge(&args).await,
        other => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("koekje-log: {e}");
            ExitCode::from(2)
        }
    }
}

async fn serve(args: &Args) -> Result<ExitCode, String> {
    let token = auth::Token::load(args.token_file.as_deref(), std::env::var("KOEKJE_LOG_TOKEN").ok())?;
    if !token.is_set() {
        eprintln!(
            "koekje-log: no admin token (--token-file or KOEKJE_LOG_TOKEN): \
             the admin endpoints (consents, export) refuse every request"
        );
    }
    let allow_origin = match &args.allow_origin {
        Some(o) => Some(o.parse().map_err(|_| format!("--allow-origin: not a header value: {o}"))?),
        None => None,
    };
    let store = store::Store::open(&args.database, args.connections, true).await?;
    let app =
        Arc::new(http::App { store, token, writes: limits::Bucket::new(args.rate, args.rate.max(1.0)), allow_origin });
    let gate = limits::Gate {
        slots: Arc::new(tokio::sync::Semaphore::new(args.max_concurrent.max(1))),
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let kind = app.store.kind.name();
    let router = http::router(app, &args.base, gate);
    let listener =
        tokio::net::TcpListener::bind(&args.listen).await.map_err(|e| format!("--listen {}: {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Tests read this line to learn the port when listening on port 0.
    eprintln!("koekje-log: listening on {addr} under {} (store: {kind})", args.base);
    axum::serve(listener, router).with_graceful_shutdown(stop_signal()).await.map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on SIGINT or SIGTERM: requests in flight finish, then the process ends.
async fn stop_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
    }
}

async fn verify(args: &Args) -> Result<ExitCode, String> {
    let store = store::Store::open(&args.database, 2, false).await?;
    let db = |e: sqlx::Error| format!("database error: {e}");
    let anchor = store.anchor().await.map_err(db)?;
    let (anchor_seq, anchor_hash) = anchor.as_ref().map_or((0, chain::GENESIS.to_string()), |a| (a.0, a.1.clone()));
    let mut v = chain::Verifier::new(anchor_seq, &anchor_hash);
    let mut after = anchor_seq;
    loop {
        let rows = store.chain_page(after, 1000).await.map_err(db)?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in &rows {
            if let Err(b) = v.check(row) {
                println!("broken: sequence {} (event {}): {}", b.seq, b.event_id, b.reason);
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    let (head_seq, head_hash) = store.head().await.map_err(db)?;
    if let Err(b) = v.finish(head_seq, &head_hash) {
        println!("broken: sequence {}: {}", b.seq, b.reason);
        return Ok(ExitCode::FAILURE);
    }
    let purged = match anchor {
        Some((seq, hash, at)) => format!("; sequences 1-{seq} purged at {} (anchor {hash})", time::format(at)),
        None => String::new(),
    };
    println!("intact: {} events, sequences {}-{head_seq}, head {head_hash}{purged}", v.count, anchor_seq + 1);
    Ok(ExitCode::SUCCESS)
}

async fn purge(args: &Args) -> Result<ExitCode, String> {
    let days = args.older_than.filter(|d| *d >= 0.0).ok_or("purge needs --older-than DAYS")?;
    let store = store::Store::open(&args.database, 2, false).await?;
    let now = time::now_ms();
    let cutoff = now - (days * 86_400_000.0) as i64;
    let p = store.purge(cutoff, now).await.map_err(|e| format!("database error: {e}"))?;
    println!(
        "purged {} events received before {} and {} notices no event names; chain anchored at sequence {}",
        p.events,
        time::format(cutoff),
        p.notices,
        p.anchor_seq
    );
    Ok(ExitCode::SUCCESS)
}
