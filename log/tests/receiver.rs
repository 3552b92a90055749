//! The receiver end to end: the real binary on 127.0.0.1, real HTTP, a real
//! SQLite file and a real PostgreSQL (see scripts/test-log.sh).

mod common;
use common::*;
use std::sync::Arc;
use std::time::Instant;

fn json(b: &[u8]) -> serde_json::Value {
    serde_json::from_slice(b).unwrap_or(serde_json::Value::Null)
}

async fn health_ok(s: &Server, backend: Backend) {
    let (status, body) = s.send("GET", "/health", &[], b"").await;
    assert_eq!(status, 200);
    let want = if backend == Backend::Sqlite { "sqlite" } else { "postgres" };
    assert_eq!(json(&body), serde_json::json!({"ok": true, "store": want}));
}

async fn bad_bodies_store_nothing(backend: Backend, db: String) {
    let s = Server::start(&db, &[]);
    let good = event(&uuid(), &uuid(), "choice", true);
    let deep = format!("{}{}", "[".repeat(4000), "]".repeat(4000));
    let nested = good.replace("\"gpc\":false", &format!("\"gpc\":{}", "[".repeat(4000)));
    let mut invalid_utf8 = good.clone().into_bytes();
    let at = invalid_utf8.windows(7).position(|w| w == b"/offert").unwrap() + 1;
    invalid_utf8[at] = 0xff;
    // (what, body, content type, expected status, a word the error must contain)
    type Case<'a> = (&'a str, Vec<u8>, &'a str, u16, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "unknown field",
            good.replace("\"gpc\"", "\"tracking\":1,\"gpc\"").into_bytes(),
            "application/json",
            400,
            Some("tracking"),
        ),
        (
            "unknown nested field",
            good.replace("\"functional\":{\"accepted\":true}", "\"functional\":{\"accepted\":true,\"why\":1}")
                .into_bytes(),
            "application/json",
            400,
            Some("why"),
        ),
        ("missing field", good.replace("\"gpc\":false,", "").into_bytes(), "application/json", 400, Some("gpc")),
        (
            "wrong type",
            good.replace("\"revision\":3", "\"revision\":\"3\"").into_bytes(),
            "application/json",
            400,
            None,
        ),
        (
            "wrong enum",
            good.replace("\"kind\":\"choice\"", "\"kind\":\"maybe\"").into_bytes(),
            "application/json",
            400,
            None,
        ),
        ("truncated", good.as_bytes()[..good.len() / 2].to_vec(), "application/json", 400, None),
        ("empty", vec![], "application/json", 400, None),
        ("oversized", format!("{good:<9000}").into_bytes(), "application/json", 413, None),
        ("invalid utf-8", invalid_utf8, "application/json", 400, None),
        ("NUL byte", good.replace("/offerte", "/off\0erte").into_bytes(), "application/json", 400, None),
        (
            "escaped NUL",
            good.replace("/offerte", "/off\\u0000erte").into_bytes(),
            "application/json",
            400,
            Some("path"),
        ),
        ("deep nesting", deep.into_bytes(), "application/json", 400, None),
        ("deep nesting in a field", nested.into_bytes(), "application/json", 400, None),
        (
            "huge number",
            good.replace("\"time\":1764600000000", &format!("\"time\":{}", "9".repeat(4000))).into_bytes(),
            "application/json",
            400,
            None,
        ),
        (
            "unsafe integer",
            good.replace("\"time\":1764600000000", "\"time\":9007199254740993").into_bytes(),
            "application/json",
            400,
            Some("time"),
        ),
        (
            "bad uuid",
            good.replacen("\"eventId\":\"", "\"eventId\":\"X", 1).into_bytes(),
            "application/json",
            400,
            Some("eventId"),
        ),
        (
            "bad notice",
            good.replace("\"notice\":\"", "\"notice\":\"zz").into_bytes(),
            "application/json",
            400,
            Some("notice"),
        ),
        ("query in path", good.replace("/offerte", "/offerte?x=1").into_bytes(), "application/json", 400, Some("path")),
        (
            "duplicate key",
            good.replace("\"functional\"", "\"analytics\"").into_bytes(),
            "application/json",
            400,
            Some("duplicate"),
        ),
        ("not an object", b"[1,2,3]".to_vec(), "application/json", 400, None),
        ("wrong content type", good.clone().into_bytes(), "application/x-www-form-urlencoded", 415, None),
        ("other charset", good.clone().into_bytes(), "text/plain; charset=iso-8859-1", 415, None),
    ];
    for (what, body, ct, want, names) in cases {
        let (status, answer) = s.send("POST", "/events", &[("content-type", ct)], &body).await;
        assert_eq!(status, want, "{what}: {}", String::from_utf8_lossy(&answer));
        let err = json(&answer)["error"].as_str().unwrap_or_default().to_string();
        assert!(!err.is_empty(), "{what}: no JSON error text");
        if let Some(field) = names {
            assert!(err.contains(field), "{what}: error {err:?} should name {field}");
        }
    }
    let (status, _) = s.send("POST", "/events", &[], good.as_bytes()).await;
    assert_eq!(status, 415, "no content type");
    assert_eq!(s.count().await, 0, "a refused body stored something");
    health_ok(&s, backend).await;
    // And it still takes a good event.
    assert_eq!(s.post(&good).await.0, 201);
}
both_stores!(bad_bodies, bad_bodies_store_nothing);

async fn dedupe_and_conflict(_: Backend, db: String) {
    let s = Arc::new(Server::start(&db, &[]));
    let (eid, cid) = (uuid(), uuid());
    let body = event(&eid, &cid, "choice", false);
    let (status, answer) = s.post(&body).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["notice"], "missing");
    assert_eq!(answer["seq"], 1);
    // sendBeacon's content type, and the notice now uploaded.
    let (st, _) = s
        .send(
            "PUT",
            &format!("/notices/{}", notice_hash(NOTICE)),
            &[("content-type", "application/json")],
            NOTICE.as_bytes(),
        )
        .await;
    assert_eq!(st, 201);
    let (status, b) = s.send("POST", "/events", &[("content-type", "text/plain;charset=UTF-8")], body.as_bytes()).await;
    assert_eq!(status, 200);
    assert_eq!(json(&b)["duplicate"], true);
    assert_eq!(json(&b)["notice"], "present");
    // The same content with other whitespace and key order is the same event.
    let reordered: serde_json::Value = serde_json::from_str(&body).unwrap();
    let pretty = serde_json::to_string_pretty(&reordered).unwrap();
    assert_eq!(s.post(&pretty).await.0, 200);
    let changed = event(&eid, &cid, "choice", true);
    let (status, answer) = s.post(&changed).await;
    assert_eq!(status, 409, "{answer}");
    // Ten racing copies of one new event: one is stored.
    let body = Arc::new(event(&uuid(), &cid, "change", true));
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (s, body) = (s.clone(), body.clone());
            tokio::spawn(async move { s.post(&body).await.0 })
        })
        .collect();
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    codes.sort();
    assert_eq!(codes, [200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    assert_eq!(s.count().await, 2);
}
both_stores!(dedupe, dedupe_and_conflict);

async fn notices(_: Backend, db: String) {
    let s = Server::start(&db, &[]);
    let h = notice_hash(NOTICE);
    let ct = [("content-type", "application/json")];
    let (st, b) = s.send("PUT", &format!("/notices/{h}"), &ct, format!("{NOTICE} ").as_bytes()).await;
    assert_eq!(st, 422, "{}", String::from_utf8_lossy(&b));
    assert!(json(&b)["error"].is_string());
    assert_eq!(s.send("GET", &format!("/notices/{h}"), &[], b"").await.0, 404);
    let array = "[1]";
    assert_eq!(s.send("PUT", &format!("/notices/{}", notice_hash(array)), &ct, array.as_bytes()).await.0, 400);
    let broken = "{\"a\":";
    assert_eq!(s.send("PUT", &format!("/notices/{}", notice_hash(broken)), &ct, broken.as_bytes()).await.0, 400);
    assert_eq!(
        s.send("PUT", &format!("/notices/{h}"), &[("content-type", "image/png")], NOTICE.as_bytes()).await.0,
        415
    );
    let big = format!("{{\"a\":\"{}\"}}", "x".repeat(70_000));
    assert_eq!(s.send("PUT", &format!("/notices/{}", notice_hash(&big)), &ct, big.as_bytes()).await.0, 413);
    assert_eq!(
        s.send("PUT", &format!("/notices/{h}"), &[("content-type", "text/plain")], NOTICE.as_bytes()).await.0,
        201
    );
    assert_eq!(s.send("PUT", &format!("/notices/{h}"), &ct, NOTICE.as_bytes()).await.0, 200);
    let (st, b) = s.send("GET", &format!("/notices/{h}"), &[], b"").await;
    assert_eq!((st, b.as_slice()), (200, NOTICE.as_bytes()), "the exact bytes come back");
    let (st, b) = s.send("HEAD", &format!("/notices/{h}"), &[], b"").await;
    assert_eq!((st, b.len()), (200, 0));
    assert_eq!(s.send("HEAD", &format!("/notices/{}", notice_hash("{}")), &[], b"").await.0, 404);
    assert_eq!(sql_int(&db, "SELECT COUNT(*) FROM notices").await, 1);
}
both_stores!(notice_put_get, notices);

#[tokio::test]
async fn admin_needs_the_token() {
    let db = fresh_db(Backend::Sqlite).await.unwrap();
    let cid = uuid();
    let path = format!("/consents/{cid}");
    let right = format!("Bearer {TOKEN}");
    let no_token = Server::start_env(&db, &[], None);
    assert_eq!(no_token.send("GET", &path, &[("authorization", &right)], b"").await.0, 401);
    assert_eq!(no_token.send("GET", "/export", &[("authorization", &right)], b"").await.0, 401);
    assert_eq!(no_token.send("GET", "/health", &[], b"").await.0, 200);
    drop(no_token);
    let s = Server::start(&db, &[]);
    for wrong in ["", "Bearer", "Bearer ", "Bearer test-token-0123456789abcdeX", "Basic dGVzdA==", TOKEN] {
        let h: Vec<(&str, &str)> = if wrong.is_empty() { vec![] } else { vec![("authorization", wrong)] };
        assert_eq!(s.send("GET", &path, &h, b"").await.0, 401, "{wrong:?}");
        assert_eq!(s.send("GET", "/export", &h, b"").await.0, 401, "{wrong:?}");
    }
    assert_eq!(s.send("GET", &path, &[("authorization", &right)], b"").await.0, 200);
    assert_eq!(s.send("GET", "/export", &[("authorization", &right)], b"").await.0, 200);
    // A too-short token is refused at startup with a clear message.
    let out = std::process::Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--database", &db])
        .env("KOEKJE_LOG_TOKEN", "short")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16"));
}

async fn history_in_order(_: Backend, db: String) {
    let s = Server::start(&db, &[]);
    let (cid, other) = (uuid(), uuid());
    let ids: Vec<String> = (0..3).map(|_| uuid()).collect();
    for (id, kind) in ids.iter().zip(["choice", "change", "withdrawal"]) {
        assert_eq!(s.post(&event(id, &cid, kind, kind == "change")).await.0, 201);
        assert_eq!(s.post(&event(&uuid(), &other, "choice", true)).await.0, 201);
    }
    s.send(
        "PUT",
        &format!("/notices/{}", notice_hash(NOTICE)),
        &[("content-type", "application/json")],
        NOTICE.as_bytes(),
    )
    .await;
    let (st, b) = s.admin_get(&format!("/consents/{cid}")).await;
    assert_eq!(st, 200);
    let v = json(&b);
    let events = v["events"].as_array().unwrap();
    let got: Vec<&str> = events.iter().map(|e| e["event"]["eventId"].as_str().unwrap()).collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [1, 3, 5]);
    assert_eq!(events[2]["event"]["kind"], "withdrawal");
    assert!(events[0]["receivedAt"].as_i64().unwrap() > 1_700_000_000_000);
    assert_eq!(events[0]["hash"].as_str().unwrap().len(), 64);
    let snapshot: serde_json::Value = serde_json::from_str(NOTICE).unwrap();
    assert_eq!(v["notices"][notice_hash(NOTICE)], snapshot);
    let (st, b) = s.admin_get(&format!("/consents/{}", uuid())).await;
    assert_eq!((st, json(&b)["events"].as_array().unwrap().len()), (200, 0));
    assert_eq!(s.admin_get("/consents/not-a-uuid").await.0, 400);
}
both_stores!(history, history_in_order);

async fn export_ranges(_: Backend, db: String) {
    let s = Server::start(&db, &[]);
    let start = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64 - 1;
    // More than one export page (500 rows).
    let cid = uuid();
    for i in 0..520 {
        assert_eq!(s.post(&event(&uuid(), &cid, if i == 0 { "choice" } else { "change" }, i % 2 == 0)).await.0, 201);
    }
    let (st, b) = s.admin_get(&format!("/export?from={start}&format=jsonl")).await;
    assert_eq!(st, 200);
    let text = String::from_utf8(b).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 520);
    assert_eq!(lines[519]["seq"], 520);
    assert_eq!(lines[0]["event"]["consentId"], cid.as_str());
    let (st, b) = s.admin_get(&format!("/export?from={start}&to=2999-01-01T00:00:00Z&format=csv")).await;
    assert_eq!(st, 200);
    let csv = String::from_utf8(b).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 521);
    assert!(rows[0].starts_with("seq,received_at,received,event_id"));
    assert!(rows[1].starts_with("1,"));
    assert!(rows[1].contains(",\"{\"\"analytics\"\":{\"\"accepted\"\":true"), "{}", rows[1]);
    // An empty range, a range by RFC 3339, and bad parameters.
    let (_, b) = s.admin_get("/export?from=2999-01-01T00:00:00Z").await;
    assert!(b.is_empty());
    let (_, b) = s.admin_get(&format!("/export?from=2000-01-01T00:00:00Z&to={start}")).await;
    assert!(b.is_empty());
    assert_eq!(s.admin_get("/export?from=yesterday").await.0, 400);
    assert_eq!(s.admin_get("/export?format=xml").await.0, 400);
}
both_stores!(export, export_ranges);

async fn verify_names_a_tampered_row(_: Backend, db: String) {
    let s = Server::start(&db, &[]);
    let ids: Vec<String> = (0..10).map(|_| uuid()).collect();
    for id in &ids {
        assert_eq!(s.post(&event(id, &uuid(), "choice", false)).await.0, 201);
    }
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("intact: 10 events, sequences 1-10"), "{out}");
    let n = sql(&db, "UPDATE events SET body = REPLACE(body, '\"accepted\":false', '\"accepted\":true') WHERE seq = 4")
        .await;
    assert_eq!(n, 1);
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("sequence 4 (event {})", ids[3])), "{out}");
    // A forged hash on the restored row is found too.
    sql(
        &db,
        "UPDATE events SET hash = '1111111111111111111111111111111111111111111111111111111111111111' WHERE seq = 4",
    )
    .await;
    sql(&db, "UPDATE events SET body = REPLACE(body, '\"accepted\":true', '\"accepted\":false') WHERE seq = 4").await;
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 1);
    assert!(out.contains("sequence 4"), "{out}");
}
both_stores!(verify_tamper, verify_names_a_tampered_row);

async fn verify_sees_deleted_rows(_: Backend, db: String) {
    let s = Server::start(&db, &[]);
    let ids: Vec<String> = (0..6).map(|_| uuid()).collect();
    for id in &ids {
        assert_eq!(s.post(&event(id, &uuid(), "choice", false)).await.0, 201);
    }
    sql(&db, "DELETE FROM events WHERE seq = 6").await;
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("events missing at the end"), "{out}");
    sql(&db, "DELETE FROM events WHERE seq = 3").await;
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("sequence 4 (event {}): expected sequence number 3", ids[3])), "{out}");
}
both_stores!(verify_deleted, verify_sees_deleted_rows);

async fn purge_reanchors(_: Backend, db: String) {
    let s = Server::start(&db, &[]);
    let cid = uuid();
    for i in 0..5 {
        assert_eq!(s.post(&event(&uuid(), &cid, if i == 0 { "choice" } else { "change" }, true)).await.0, 201);
    }
    let ct = [("content-type", "application/json")];
    s.send("PUT", &format!("/notices/{}", notice_hash(NOTICE)), &ct, NOTICE.as_bytes()).await;
    let orphan = r#"{"v":1,"old":true}"#;
    s.send("PUT", &format!("/notices/{}", notice_hash(orphan)), &ct, orphan.as_bytes()).await;
    // Age the first three events and both notices by a year.
    let year = 366 * 86_400_000i64;
    sql(&db, &format!("UPDATE events SET received_at = received_at - {year} WHERE seq <= 3")).await;
    sql(&db, &format!("UPDATE notices SET first_seen = first_seen - {year}")).await;
    let (code, out) = run(&db, &["purge", "--older-than", "365"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("purged 3 events"), "{out}");
    assert!(out.contains("and 1 notices"), "{out}");
    assert_eq!(s.count().await, 2);
    // The notice the remaining events name stays.
    assert_eq!(s.send("GET", &format!("/notices/{}", notice_hash(NOTICE)), &[], b"").await.0, 200);
    assert_eq!(s.send("GET", &format!("/notices/{}", notice_hash(orphan)), &[], b"").await.0, 404);
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("intact: 2 events, sequences 4-5"), "{out}");
    assert!(out.contains("sequences 1-3 purged"), "{out}");
    // The chain goes on from the anchor, and a second purge with nothing to do.
    assert_eq!(s.post(&event(&uuid(), &cid, "withdrawal", false)).await.0, 201);
    let (code, out) = run(&db, &["purge", "--older-than", "365"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("purged 0 events"), "{out}");
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("intact: 3 events, sequences 4-6"), "{out}");
    // Tampering with the anchor's successor link is still found.
    sql(&db, "UPDATE chain_anchor SET hash = '2222222222222222222222222222222222222222222222222222222222222222'").await;
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("sequence 4"), "{out}");
}
both_stores!(purge, purge_reanchors);

/// `clients` tasks each post `per_client` events to the servers in turn.
/// Returns events per second.
async fn load(servers: &[Arc<Server>], clients: usize, per_client: usize) -> f64 {
    let t0 = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let s = servers[c % servers.len()].clone();
            tokio::spawn(async move {
                let cid = uuid();
                for i in 0..per_client {
                    let kind = if i == 0 { "choice" } else { "change" };
                    let (status, answer) = s.post(&event(&uuid(), &cid, kind, i % 2 == 0)).await;
                    assert_eq!(status, 201, "{answer}");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    (clients * per_client) as f64 / t0.elapsed().as_secs_f64()
}

async fn concurrent_load(backend: Backend, db: String) {
    let s = Arc::new(Server::start(&db, &[]));
    let rate = load(std::slice::from_ref(&s), 20, 250).await;
    say(&format!(
        "LOAD {backend:?}: 20 clients x 250 events: {rate:.0} events/s (debug build, beside the other tests)"
    ));
    assert_eq!(s.count().await, 5000);
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("intact: 5000 events"), "{out}");
}
both_stores!(concurrency, concurrent_load);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_postgres() {
    let Some(db) = fresh_db(Backend::Postgres).await else {
        return;
    };
    let a = Arc::new(Server::start(&db, &[]));
    let b = Arc::new(Server::start(&db, &[]));
    let rate = load(&[a.clone(), b.clone()], 20, 100).await;
    say(&format!("LOAD Postgres, 2 instances: 20 clients x 100 events: {rate:.0} events/s (debug build)"));
    assert_eq!(a.count().await, 2000);
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("intact: 2000 events"), "{out}");
}

async fn crash_keeps_acknowledged(_: Backend, db: String) {
    let s = Arc::new(Server::start(&db, &[]));
    let acked = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (s, acked) = (s.clone(), acked.clone());
            tokio::spawn(async move {
                let cid = uuid();
                // Bounded: stops at the kill, or after 5000 events.
                for _ in 0..5000 {
                    let id = uuid();
                    match s.try_post(&event(&id, &cid, "change", true)).await {
                        Some(201) => acked.lock().unwrap().push(id),
                        Some(other) => panic!("status {other}"),
                        None => return,
                    }
                }
            })
        })
        .collect();
    // Kill in the middle: once some events are acknowledged (at most 60 s).
    let t0 = Instant::now();
    while acked.lock().unwrap().len() < 200 && t0.elapsed().as_secs() < 60 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let pid = s.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-KILL", &pid]).status().unwrap().success());
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() > 10, "only {} events before the kill", acked.len());
    let s = Server::start(&db, &[]);
    for id in &acked {
        let n = sql_int(&db, &format!("SELECT COUNT(*) FROM events WHERE event_id = '{id}'")).await;
        assert_eq!(n, 1, "acknowledged event {id} lost in the crash");
    }
    let (code, out) = run(&db, &["verify"]);
    assert_eq!(code, 0, "{out}");
    say(&format!("CRASH: {} acknowledged before SIGKILL, all present after restart; {}", acked.len(), out.trim()));
    // And it goes on after the restart.
    assert_eq!(s.post(&event(&uuid(), &uuid(), "choice", true)).await.0, 201);
    assert_eq!(run(&db, &["verify"]).0, 0);
}
both_stores!(crash, crash_keeps_acknowledged);

#[tokio::test]
async fn rate_limit_answers_429_and_stores_nothing_more() {
    let db = fresh_db(Backend::Sqlite).await.unwrap();
    let s = Arc::new(Server::start(&db, &["--rate", "2"]));
    // 30 at once: far more than a bucket of 2 a second refills meanwhile.
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.post(&event(&uuid(), &uuid(), "choice", true)).await.0 })
        })
        .collect();
    let (mut created, mut limited) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            201 => created += 1,
            429 => limited += 1,
            other => panic!("status {other}"),
        }
    }
    assert!(limited > 0 && created >= 2, "{created} created, {limited} limited");
    assert_eq!(s.count().await, created);
    health_ok(&s, Backend::Sqlite).await;
}

#[tokio::test]
async fn base_path_and_cors_are_options() {
    let db = fresh_db(Backend::Sqlite).await.unwrap();
    let s = Server::start(&db, &[]);
    assert_eq!(s.send("GET", "/nothing-here", &[], b"").await.0, 404);
    drop(s);
    let mut s = Server::start(&db, &["--base", "/api/koekje", "--allow-origin", "https://example.org"]);
    s.base = s.base.replace("/consent", "/api/koekje");
    let (st, _) = s.send("GET", "/health", &[], b"").await;
    assert_eq!(st, 200);
    let (st, _) = s.send("OPTIONS", "/events", &[("origin", "https://example.org")], b"").await;
    assert_eq!(st, 204);
}

#[tokio::test]
async fn sigterm_stops_it_cleanly() {
    let db = fresh_db(Backend::Sqlite).await.unwrap();
    let mut s = Server::start(&db, &[]);
    assert_eq!(s.post(&event(&uuid(), &uuid(), "choice", true)).await.0, 201);
    let pid = s.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let t0 = Instant::now();
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(t0.elapsed().as_secs() < 10, "still running 10 s after SIGTERM");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(run(&db, &["verify"]).0, 0);
}

/// Opens a connection that sends headers and the start of a body, then stalls.
fn stalled_upload(s: &Server) -> std::net::TcpStream {
    use std::io::Write;
    let addr = s.base.trim_start_matches("http://").split('/').next().unwrap().to_string();
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    c.write_all(b"POST /consent/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"v\":").unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_uploads_time_out_and_in_flight_requests_are_bounded() {
    use std::io::Read;
    let db = fresh_db(Backend::Sqlite).await.unwrap();
    let s = Server::start(&db, &["--timeout", "2", "--max-concurrent", "2"]);
    let mut slow = [stalled_upload(&s), stalled_upload(&s)];
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    // Both slots are taken by the stalled uploads: the next request is refused.
    assert_eq!(s.send("GET", "/health", &[], b"").await.0, 503);
    for c in &mut slow {
        let mut answer = [0u8; 12];
        c.read_exact(&mut answer).unwrap();
        assert_eq!(&answer, b"HTTP/1.1 408", "a stalled upload ends with 408");
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    health_ok(&s, Backend::Sqlite).await;
    assert_eq!(s.count().await, 0);
}

#[test]
fn verify_and_purge_do_not_create_a_missing_database() {
    let dir = std::env::temp_dir().join(format!("koekje_log_missing_{}", std::process::id()));
    let db = format!("sqlite://{}", dir.join("none.db").display());
    std::fs::create_dir_all(&dir).unwrap();
    for args in [&["verify"][..], &["purge", "--older-than", "1"][..]] {
        let (code, out) = run(&db, args);
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("cannot open the database"), "{out}");
    }
    assert!(!dir.join("none.db").exists());
    let (code, out) = run(&db, &["purge"]);
    assert_eq!(code, 2, "{out}");
}
