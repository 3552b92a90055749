// Posts consent events to running koekje-log receivers and prints events/s:
// SQLite (a temp file), PostgreSQL (KOEKJE_LOG_TEST_POSTGRES), and two
// receivers on one PostgreSQL. Run by scripts/bench-log.sh, which builds the
// binary and starts PostgreSQL. Bounded: a fixed number of events, loopback.
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const EVENTS = arg("events", 5000);
const CLIENTS = arg("clients", 32);
const BIN = process.env.KOEKJE_LOG_BIN ?? "target/server/koekje-log";
const PG = process.env.KOEKJE_LOG_TEST_POSTGRES;
const notice = createHash("sha256").update('{"v":1}').digest("hex");

function start(database) {
  const child = spawn(BIN, ["serve", "--listen", "127.0.0.1:0", "--database", database, "--rate", "0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr });
    lines.on("line", (line) => {
      const m = line.match(/listening on (\S+)/);
      if (m) resolve({ child, base: `http://${m[1]}/consent` });
    });
    child.on("exit", (code) => reject(new Error(`koekje-log exited (${code})`)));
  });
}

function event() {
  return JSON.stringify({
    v: 1, eventId: randomUUID(), consentId: randomUUID(), kind: "choice", method: "custom",
    decisions: { analytics: { accepted: false }, functional: { accepted: true, services: { youtube: true } } },
    notice, language: "nl", revision: 1, gpc: false, time: Date.now(), path: "/", build: "0123abcd",
  });
}

async function load(servers) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    const base = servers[c % servers.length].base;
    while (next < EVENTS) {
      next++;
      const r = await fetch(`${base}/events`, { method: "POST", headers: { "content-type": "text/plain;charset=UTF-8" }, body: event() });
      if (r.status !== 201) throw new Error(`status ${r.status}: ${await r.text()}`);
      await r.arrayBuffer();
    }
  }));
  return EVENTS / ((performance.now() - t0) / 1000);
}

async function run(name, database, instances) {
  const servers = [];
  for (let i = 0; i < instances; i++) servers.push(await start(database));
  try {
    const rate = await load(servers);
    console.log(`${name.padEnd(28)} ${rate.toFixed(0).padStart(6)} events/s  (${EVENTS} events, ${CLIENTS} clients)`);
  } finally {
    for (const s of servers) s.child.kill("SIGINT");
  }
}

const dir = mkdtempSync(join(tmpdir(), "koekje-bench-"));
try {
  await run("SQLite (WAL, synchronous=FULL)", `sqlite://${join(dir, "bench.db")}`, 1);
  if (PG) {
    await run("PostgreSQL, 1 receiver", PG, 1);
    await run("PostgreSQL, 2 receivers", PG, 2);
  } else {
    console.log("PostgreSQL skipped: KOEKJE_LOG_TEST_POSTGRES is not set (use scripts/bench-log.sh)");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
