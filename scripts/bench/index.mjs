// Benchmarks Koekje against vanilla-cookieconsent 3.1.0 on the same page.
// Usage: npm run bench [-- --runs N] [-- --throttled-runs N] [-- --warmup N] [-- --traces]
// (`npm run bench` builds the release bundle first; this script expects dist/.)
//
// 1. Sizes: runs scripts/size.mjs on dist/, then measures vanilla's two files.
// 2. Browser: builds /bench/koekje.html and /bench/vanilla.html (the demo's home
//    page, www/index.html, with the head of bench/<name>-head.html: one banner
//    each and one held analytics script) and serves them from a local
//    server (Koekje from a copy of dist/ in .bench/dist; every response
//    gzip-encoded, with an ETag, revalidated to 304), and loads them
//    alternately in Debian's headless Chromium, each load in a fresh browser
//    context (empty cache, cookies and storage: every run is a first visit).
//    The page itself clicks "Accept all" (bench.mjs evaluates nothing in it
//    until the held script has run: Playwright's own scripts would run on
//    the main thread). Per run it measures, in the page's own clock
//    (performance.now(), 0 = navigation start):
//      - banner in DOM:     the banner element first exists;
//      - banner visible:    it is rendered (display, visibility) with a non-zero
//                           box, i.e. its entrance animation starts this frame;
//      - click → released:  from just before "Accept all" is clicked (500 ms
//                           after visible) to bench/released.js running;
//      - long tasks:        main-thread tasks over 50 ms before that click;
//      - wasm memory:       Koekje's linear memory after `koekje:ready`;
//      - bytes:             what the banner fetched (its files on the server)
//                           before it was visible: gzip -9 of each file and as
//                           transferred (Resource Timing);
//      - later view:        the page loaded again in the same context, with
//                           the choice stored: when the held script runs, and
//                           which of the banner's files were fetched (304s).
//    Then a second pass (--throttled-runs, 10 by default; 0 skips it) makes
//    the same first visits (no later view) with the CPU slowed down 4x
//    (Chrome DevTools Protocol Emulation.setCPUThrottlingRate, as
//    Lighthouse's mobile preset) and traced (--traces keeps the traces in
//    .bench/traces/): from the main thread's RunTask events, in three
//    windows (to banner visible, from then to the click, and from the click
//    to the release), the longest task and the blocking time (what each
//    task spends over 50 ms) of the whole page, and the banner's own: the
//    tasks with any of its work in them (whole), and the time of its work
//    inside them, in parts (attribute() says what counts as its work). A
//    control page, bench/none.html (no banner), is traced the same way to
//    the time the pair's Koekje banner was visible: what the page does by
//    itself.
//    It prints min / median / max per banner, for the times the ratio
//    Koekje / vanilla taken run pair by run pair, and a table of Koekje's
//    goals, met or not. It reports; it exits 0 whichever is faster and
//    whether the goals are met, and 1 only if a run cannot be measured.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const option = (name, fallback, least) => {
  const i = process.argv.indexOf(name);
  const n = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < least) throw new Error(`${name} expects a whole number, at least ${least}`);
  return n;
};
const RUNS = option('--runs', 30, 1); // measured runs per banner
const WARMUP = option('--warmup', 1, 0); // pairs run first and not counted (in each pass)
const THROTTLED_RUNS = option('--throttled-runs', 10, 0); // runs per banner at 4x CPU slowdown (0: none)
const TRACES = process.argv.includes('--traces'); // keep the traced runs' traces in .bench/traces/
const SETTLE_MS = 500; // pause between "visible" and the click: entrance animations end
const TIMEOUT_MS = 15_000;
const VANILLA = 'vanilla-cookieconsent';
const VANILLA_VERSION = '3.1.0';
const vanillaDir = join(root, '.bench/node_modules', VANILLA);

// What differs between the two pages: where they are, which element is the
// banner (vanilla's consent modal is `.cm` inside `#cc-main`), its
// "Accept all" button, and, for the traced pass, which scripts are the
// banner's (`sources`, path prefixes) and whether its page runs
// WebAssembly (`wasm`: then all wasm work in the trace is the banner's).
// vanilla's configuration and its call to run() are the inline module of
// its page: that page's own script counts as vanilla's. Koekje's page has
// an inline script of the bench's own (it reads the wasm memory): not
// Koekje's.
const BANNERS = {
  koekje: {
    label: 'koekje',
    page: '/bench/koekje.html',
    files: '/koekje/', // where what it fetches is served
    sources: ['/koekje/'],
    wasm: true,
    banner: '#koekje-banner',
    acceptAll: '#koekje-banner [data-koekje-action="accept-all"]',
  },
  vanilla: {
    label: 'vanilla',
    page: '/bench/vanilla.html',
    files: '/vanilla/',
    sources: ['/vanilla/', '/bench/vanilla.html'],
    wasm: false,
    banner: '#cc-main .cm',
    acceptAll: '#cc-main .cm [data-role="all"]',
  },
};

// ---- 1. Sizes ----------------------------------------------------------------

// Koekje is served from a copy of dist/ taken now, so that a rebuild during the
// runs (a test run, another build) can neither change nor remove what is measured.
rmSync(join(root, '.bench/dist'), { recursive: true, force: true });
cpSync(join(root, 'dist'), join(root, '.bench/dist'), { recursive: true });
// --traces: each traced run's trace, as DevTools' Performance panel loads it,
// in .bench/traces/<banner>-<n>.json (warm-up runs first).
const traced = { koekje: 0, vanilla: 0 };
if (TRACES) {
  rmSync(join(root, '.bench/traces'), { recursive: true, force: true });
  mkdirSync(join(root, '.bench/traces'), { recursive: true });
}
console.log('Koekje bundle (dist/), bytes:');
if (spawnSync(process.execPath, [join(root, 'scripts/size.mjs')], { stdio: 'inherit' }).status !== 0) {
  throw new Error('scripts/size.mjs failed');
}

// vanilla-cookieconsent is installed at bench time into .bench/ (git-ignored).
const installed = existsSync(join(vanillaDir, 'package.json'))
  && JSON.parse(readFileSync(join(vanillaDir, 'package.json'), 'utf8')).version === VANILLA_VERSION;
if (!installed) {
  console.log(`\ninstalling ${VANILLA}@${VANILLA_VERSION} into .bench/`);
  const npm = spawnSync('npm', ['install', '--prefix', join(root, '.bench'), `${VANILLA}@${VANILLA_VERSION}`,
    '--no-save', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (npm.status !== 0) throw new Error(`npm install ${VANILLA}@${VANILLA_VERSION} failed`);
}

// The same measure as scripts/size.mjs, for the two files the vanilla page loads.
const sizes = (file) => {
  const bytes = readFileSync(file);
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  return [bytes.length, gzipSync(bytes, { level: 9 }).length, brotli.length];
};
console.log(`\nFor comparison, ${VANILLA} ${VANILLA_VERSION} (the files its page loads; its config is inline, in bench/vanilla-head.html):`);
const vanillaTotal = [0, 0, 0];
for (const name of ['cookieconsent.esm.js', 'cookieconsent.css']) {
  const row = sizes(join(vanillaDir, 'dist', name));
  row.forEach((v, i) => { vanillaTotal[i] += v; });
  console.log(name.padEnd(20) + row.map((v, i) => String(v).padStart([9, 10, 12][i])).join(''));
}
console.log('total'.padEnd(20) + vanillaTotal.map((v, i) => String(v).padStart([9, 10, 12][i])).join(''));

// The two pages differ only in their <head> (bench/<name>-head.html): both
// have the demo home page's <html lang> and body, built here, not copied.
const home = readFileSync(join(root, 'www/index.html'), 'utf8');
const benchPage = (name) => home.slice(0, home.indexOf('<head>') + '<head>\n'.length)
  + readFileSync(join(root, `bench/${name}-head.html`), 'utf8')
  + home.slice(home.indexOf('</head>'));
// bench/none.html, the same page without a banner, is the throttled pass's control.
const PAGES = new Map([...Object.keys(BANNERS), 'none'].map((name) => [`/bench/${name}.html`, benchPage(name)]));

// ---- 2. A static server on 127.0.0.1 ----------------------------------------
// Like scripts/serve.mjs (www/ at /, dist/ at /koekje/: here its copy), plus
// the fixtures at /bench/ and vanilla-cookieconsent's dist/ at /vanilla/.

const ROUTES = [
  ['/koekje/', '.bench/dist'],
  ['/vanilla/', '.bench/node_modules/vanilla-cookieconsent/dist'],
  ['/bench/', 'bench'],
  ['/', 'www'],
];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};
// Every response is gzip -9 encoded when the browser accepts it (as a
// compressing server sends it) and carries an ETag, answered with 304 when
// the browser revalidates (cache-control: no-cache), so that a later page
// view transfers headers only for what it fetches again. The files do not
// change during the run: each is read and compressed once.
const notFound = new Set();
const served = new Map(); // pathname -> { bytes, gzip, etag, type }
const load = async (pathname) => {
  if (served.has(pathname)) return served.get(pathname);
  let bytes;
  let type = TYPES['.html'];
  if (PAGES.has(pathname)) bytes = Buffer.from(PAGES.get(pathname));
  else {
    const [prefix, dir] = ROUTES.find(([p]) => pathname.startsWith(p));
    const base = join(root, dir);
    const file = normalize(join(base, decodeURIComponent(pathname.slice(prefix.length))));
    if (!file.startsWith(base + '/')) throw new Error('outside');
    bytes = await readFile(file);
    type = TYPES[extname(file)] || 'application/octet-stream';
  }
  const gzip = gzipSync(bytes, { level: 9 });
  const entry = { bytes, gzip, type, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 16)}"` };
  served.set(pathname, entry);
  return entry;
};
const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  let entry;
  try {
    entry = await load(pathname);
  } catch {
    notFound.add(pathname);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
    return;
  }
  const headers = { 'content-type': entry.type, 'cache-control': 'no-cache', etag: entry.etag, vary: 'accept-encoding' };
  if (req.headers['if-none-match'] === entry.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzipped = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
  if (gzipped) headers['content-encoding'] = 'gzip';
  res.writeHead(200, headers);
  res.end(gzipped ? entry.gzip : entry.bytes);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

// ---- 3. The browser runs -----------------------------------------------------

// Injected before any page script (addInitScript). Records into window.__bench
// when the banner first exists and first is visible (checked on every DOM
// mutation and every animation frame until it is), and every long task.
// Then, `settle` ms after it is visible (and, with `wasm`, once the page has
// read Koekje's wasm memory), it clicks "Accept all" itself, noting the time
// just before. It also marks its own start (`bench:probe`), which places the
// page's main thread and clock in a trace. The bench evaluates
// nothing in the page until bench/released.js has logged `bench:released`:
// Playwright's waiting and evaluating run scripts of its own on the page's
// main thread, which would count in what is measured. A run that cannot go
// on logs `bench:error …` instead.
function probe({ banner, acceptAll, wasm, settle }) {
  performance.mark('bench:probe');
  const bench = (window.__bench ||= {});
  Object.assign(bench, { insertedAt: null, visibleAt: null, longTasks: [] });
  new PerformanceObserver((list) => {
    for (const t of list.getEntries()) bench.longTasks.push({ start: t.startTime, duration: t.duration });
  }).observe({ type: 'longtask', buffered: true });
  // The element for `selector`, in the page or in Koekje's shadow roots.
  const find = (selector) => document.querySelector(selector)
    || [...document.querySelectorAll('koekje-ui')].map((h) => h.shadowRoot && h.shadowRoot.querySelector(selector)).find(Boolean);
  const click = () => {
    if (wasm && bench.wasmMemory === undefined) {
      setTimeout(click, 10);
      return;
    }
    const button = find(acceptAll);
    if (!button) console.debug('bench:error no "Accept all" button');
    else if (bench.releasedAt !== undefined) console.debug('bench:error the analytics script ran before consent');
    else {
      bench.clickAt = performance.now();
        button.click();
    }
  };
  let done = false;
  const check = () => {
    if (done) return;
    const el = find(banner);
    if (!el) return;
    bench.insertedAt ??= performance.now();
    const box = el.getBoundingClientRect(); // only now that it exists: forces layout
    if (box.width > 0 && box.height > 0 && el.checkVisibility({ visibilityProperty: true })) {
      bench.visibleAt = performance.now();
      done = true;
      observer.disconnect();
      setTimeout(click, settle);
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  const frame = () => { check(); if (!done) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
}

// Loads the page and waits for `bench:released` (see the probe); returns
// window.__bench.
async function released(page, url) {
  const signal = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('bench:'), timeout: TIMEOUT_MS });
  await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
  let text;
  try {
    text = (await signal).text();
  } catch {
    const m = await page.evaluate(() => window.__bench).catch(() => ({}));
    throw new Error(`no release within ${TIMEOUT_MS} ms (inserted at ${m.insertedAt}, visible at ${m.visibleAt}, `
      + `clicked at ${m.clickAt})`);
  }
  if (text !== 'bench:released') throw new Error(text.slice('bench:error '.length));
  return page.evaluate(() => window.__bench);
}

// What the page fetched so far (Resource Timing, same clock as the probe):
// path, start, transferred bytes (headers included, as Chromium counts them)
// and the HTTP status (304: revalidated, headers only).
const fetched = () => performance.getEntriesByType('resource').map((e) => ({
  path: new URL(e.name).pathname, start: e.startTime, transferred: e.transferSize, status: e.responseStatus,
}));

// The main thread's tasks from a trace (Tracing.dataCollected events), in
// the page's clock: the page's main thread is the one on which the probe's
// `bench:probe` mark was recorded, and that mark's trace time minus its
// performance.now() time is the trace time of navigation start. Each task
// is a RunTask event with what ran inside it as a tree (complete events
// nest by time on one thread; instant events and the starts of Long
// Animation Frame script entries are leaves). A task run inside another
// (rare) is part of the outer one.
function mainThreadTasks(events) {
  const mark = events.find((e) => e.name === 'bench:probe' && e.cat.includes('blink.user_timing'));
  const startTime = mark?.args?.data?.startTime;
  if (startTime === undefined) throw new Error('the trace has no bench:probe mark with a start time');
  const zero = mark.ts - startTime * 1000;
  const nodes = events
    .filter((e) => e.pid === mark.pid && e.tid === mark.tid
      && ((e.ph === 'X' && e.dur !== undefined) || e.ph === 'I' || e.ph === 'i' || (e.ph === 'b' && e.name === LOAF_SCRIPT)))
    .map((e) => ({ e, ts: e.ts, dur: e.ph === 'X' ? e.dur : 0, children: [] }))
    .sort((x, y) => x.ts - y.ts || y.dur - x.dur);
  // Style and layout that the browser runs when it renders (not forced
  // by a script) name what invalidated them, as DevTools does: the first
  // style (resp. layout) invalidation since the last style recalculation
  // (resp. layout) on the thread.
  const first = { UpdateLayoutTree: null, Layout: null };
  const invalidates = { ScheduleStyleRecalculation: 'UpdateLayoutTree', InvalidateLayout: 'Layout' };
  for (const n of nodes) {
    if (invalidates[n.e.name]) first[invalidates[n.e.name]] ??= n.e;
    else if (n.e.name in first) {
      n.initiator = first[n.e.name];
      first[n.e.name] = null;
    }
  }
  // Long Animation Frame script entries, begin to end: a script run that
  // starts inside one (its begin comes a few µs before the run's own event)
  // runs that entry's script.
  const scripts = [];
  for (const e of events) {
    if (e.name !== LOAF_SCRIPT || e.pid !== mark.pid || e.tid !== mark.tid) continue;
    if (e.ph === 'b') scripts.push({ start: e.ts, end: Infinity, url: loaf(e)?.source_location_url });
    else if (e.ph === 'e' && scripts.length && scripts.at(-1).end === Infinity) scripts.at(-1).end = e.ts;
  }
  const tasks = [];
  const open = [];
  for (const n of nodes) {
    while (open.length && n.ts >= open.at(-1).ts + open.at(-1).dur) open.pop();
    if (open.length) open.at(-1).children.push(n);
    else if (n.e.name === 'RunTask') tasks.push(n);
    else continue; // outside any task
    if (n.dur > 0) open.push(n);
  }
  return tasks.map((n) => ({ start: (n.ts - zero) / 1000, duration: n.dur / 1000, node: n, zero, scripts }));
}

// ---- Which tasks are a banner's, and how much of them.
// Events that run script (a callback, a script or module, a timer, an event's
// listeners, microtasks) or compile it: where such an event runs a
// banner's code, its time is the banner's.
const SCRIPT_RUNS = new Set(['EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'v8.run',
  'FunctionCall', 'v8.callFunction', 'TimerFire', 'FireAnimationFrame', 'FireIdleCallback', 'EventDispatch',
  'RunMicrotasks']);
const MODULE_RUNS = new Set(['EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'v8.run']);
// The start of a Long Animation Frame script entry: the script's source URL
// and how it was invoked (a promise resolved, a timer, …); Chromium traces the
// entries of 5 ms or more in long frames.
const LOAF_SCRIPT = 'AnimationFrame::Script::Execute';
const loaf = (e) => (e.name === LOAF_SCRIPT ? e.args?.animation_frame_script_timing_info : undefined);
const isWasm = (e) => /^(v8\.)?wasm\./.test(e.name);
// The script an event runs or compiles, where it names one ('' where not,
// e.g. a callback of the probe, which has no URL).
const scriptUrl = (e) => (SCRIPT_RUNS.has(e.name) && (e.args?.data?.url || e.args?.fileName)) || '';

// Attributes one task of a banner's page to the banner `b`. An event is
// the banner's own when it runs or compiles one of the banner's sources
// (its URL), has one of them in its stack trace (any frame), is a script
// run that starts in a Long Animation Frame script entry of one of them
// (a module's evaluation, a promise's continuation: events that name no
// script), is WebAssembly work (b.wasm: only Koekje's page has any), or
// is the style recalculation or layout of a rendering that the banner's
// code invalidated first. A script run (see SCRIPT_RUNS) that is not
// another script's and has any of the banner's in it is the banner's,
// whole, except what runs inside it that is someone else's: a callback
// (FunctionCall) with nothing of the banner's in it, as the probe's or the
// fixture's listeners (the layout the probe forces, too). Returns whether
// the task has any of the banner's work in it (`own`), that work's time in
// ms (`work`, the banner's self time in the task), that time in parts
// (module evaluation, wasm compile and instantiate, wasm lazy compile,
// style and layout its code forced, style and layout it invalidated,
// other script), and the runs counted (for results.json).
function attribute(task, b) {
  const mine = (url) => !!url && b.sources.some((s) => url.startsWith(origin + s));
  const stackOf = (e) => (e?.args?.data?.stackTrace ?? []).some((f) => mine(f.url));
  const ownEvent = (e) => (b.wasm && isWasm(e)) || mine(scriptUrl(e)) || mine(loaf(e)?.source_location_url) || stackOf(e);
  const invalidated = (n) => stackOf(n.initiator);
  // A script run (not a callback: those name their script) that starts in a
  // Long Animation Frame script entry of the banner's.
  const entered = (n) => SCRIPT_RUNS.has(n.e.name) && n.e.name !== 'FunctionCall'
    && task.scripts.some((l) => mine(l.url) && l.start <= n.ts && n.ts <= l.end);
  const memo = new Map();
  const has = (n) => {
    if (!memo.has(n)) memo.set(n, ownEvent(n.e) || invalidated(n) || entered(n) || n.children.some(has));
    return memo.get(n);
  };
  const parts = { module: 0, wasm: 0, lazy: 0, layout: 0, rendering: 0, script: 0 };
  const runs = [];
  // The banner's time in n's subtree (µs); `kind`, within one of its
  // script runs: where that run's own time goes ('module' or 'script').
  const time = (n, kind) => {
    const { e } = n;
    const url = scriptUrl(e);
    const foreign = url !== '' && !mine(url);
    if (kind === undefined || foreign) {
      if (!has(n)) return 0;
      if (!foreign && (SCRIPT_RUNS.has(e.name) || isWasm(e) || invalidated(n))) {
        const t = time(n, MODULE_RUNS.has(e.name) ? 'module' : invalidated(n) ? 'rendering' : 'script');
        const info = n.children.map((c) => loaf(c.e)).find(Boolean);
        runs.push({ name: e.name, start: (n.ts - task.zero) / 1000, duration: n.dur / 1000, work: t / 1000,
          what: info ? `${info.invoker_type} ${info.property_like_name} ${info.source_location_url}`.trim() : url || e.args?.data?.type || '' });
        return t;
      }
      return n.children.reduce((s, c) => s + time(c, undefined), 0);
    }
    if (e.name === 'FunctionCall' && !has(n)) return 0; // someone else's callback
    if (isWasm(e) || e.name === 'UpdateLayoutTree' || e.name === 'Layout') {
      parts[e.name === 'wasm.CompileLazy' ? 'lazy' : isWasm(e) ? 'wasm' : kind === 'rendering' ? kind : 'layout'] += n.dur;
      return n.dur;
    }
    const inner = n.children.reduce((s, c) => s + time(c, kind), 0);
    const self = Math.max(0, n.dur - n.children.reduce((s, c) => s + c.dur, 0));
    parts[kind] += self;
    return self + inner;
  };
  const work = time(task.node, undefined) / 1000;
  for (const k of Object.keys(parts)) parts[k] /= 1000;
  return { own: has(task.node), work, parts, runs };
}

// The longest task and the total blocking time (what each task spends
// over 50 ms) among the tasks that overlap [from, to].
function blocking(tasks, from, to) {
  const during = tasks.filter((t) => t.start < to && t.start + t.duration > from);
  return {
    longest: Math.max(0, ...during.map((t) => t.duration)),
    tbt: during.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
  };
}

// A window's tasks, whole page and banner's: the longest task and the
// blocking time of all; of the tasks with the banner's work in them, the
// same; the banner's longest work in one task and its work in all, in
// parts; and the banner's tasks, listed.
function windowFigures(during, b) {
  const mine = during.map((t) => ({ t, a: attribute(t, b) })).filter(({ a }) => a.own);
  const parts = { module: 0, wasm: 0, lazy: 0, layout: 0, rendering: 0, script: 0 };
  for (const { a } of mine) for (const k of Object.keys(parts)) parts[k] += a.parts[k];
  return {
    longest: Math.max(0, ...during.map((t) => t.duration)),
    tbt: during.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
    ownLongest: Math.max(0, ...mine.map(({ t }) => t.duration)),
    ownTbt: mine.reduce((sum, { t }) => sum + Math.max(0, t.duration - 50), 0),
    workLongest: Math.max(0, ...mine.map(({ a }) => a.work)),
    workTotal: mine.reduce((sum, { a }) => sum + a.work, 0),
    parts,
    tasks: mine.map(({ t, a }) => ({ start: t.start, duration: t.duration, work: a.work, parts: a.parts, runs: a.runs })),
  };
}

// Slows the page's CPU down 4x and starts tracing; returns a function
// that stops the trace and resolves to its events.
async function throttle(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => { for (const e of value) events.push(e); });
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    // The timeline's tasks and script runs; stack traces on the events that
    // script causes (style invalidation, timers, dispatched events, …);
    // microtask checkpoints (v8.execute); wasm compiling (v8.wasm); the
    // probe's mark (blink.user_timing). About 2 MB of JSON a run.
    traceConfig: {
      includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline',
        'disabled-by-default-devtools.timeline.stack', 'v8.execute', 'v8.wasm', 'blink.user_timing'],
    },
  });
  return async () => {
    const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
    await cdp.send('Tracing.end');
    await complete;
    return events;
  };
}

// One first visit of one page in a fresh context; returns its measurements.
// Unthrottled, it then loads the page again in the same context (a later
// page view with the stored choice) and notes what that fetched. Throttled
// (4x CPU slowdown, as Lighthouse's mobile preset), it traces the browser
// for the main thread's tasks instead.
async function run(browser, b, { throttled = false } = {}) {
  const context = await browser.newContext();
  const errors = [];
  try {
    await context.addInitScript(probe, { banner: b.banner, acceptAll: b.acceptAll, wasm: b === BANNERS.koekje, settle: SETTLE_MS });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const trace = throttled ? await throttle(context, page) : null;
    const m = await released(page, origin + b.page);
    const startup = m.longTasks.filter((t) => t.start < m.clickAt);
    const result = {
      inserted: m.insertedAt,
      visible: m.visibleAt,
      release: m.releasedAt - m.clickAt,
      longTasks: startup.length,
      longTaskMs: startup.reduce((sum, t) => sum + t.duration, 0),
      wasmKiB: m.wasmMemory === undefined ? undefined : m.wasmMemory / 1024,
      errors,
    };
    if (throttled) {
      const events = await trace();
      if (TRACES) writeFileSync(join(root, `.bench/traces/${b.label}-${++traced[b.label]}.json`), JSON.stringify({ traceEvents: events }));
      const tasks = mainThreadTasks(events);
      // Three windows, each task in one: to visible (the tasks begun before
      // the banner was visible), after visible (begun after it, ended before
      // the click) and on click (those overlapping the click → release).
      const end = (t) => t.start + t.duration;
      const windows = {
        ToVisible: tasks.filter((t) => t.start < m.visibleAt && end(t) > 0),
        AfterVisible: tasks.filter((t) => t.start >= m.visibleAt && end(t) <= m.clickAt),
        OnClick: tasks.filter((t) => t.start < m.releasedAt && end(t) > m.clickAt),
      };
      for (const [name, during] of Object.entries(windows)) {
        const w = windowFigures(during, b);
        Object.assign(result, {
          [`longest${name}`]: w.longest,
          [`tbt${name}`]: w.tbt,
          [`ownLongest${name}`]: w.ownLongest,
          [`ownTbt${name}`]: w.ownTbt,
          [`workLongest${name}`]: w.workLongest,
          [`workTotal${name}`]: w.workTotal,
          [`parts${name}`]: w.parts,
          [`tasks${name}`]: w.tasks,
        });
      }
      result.clicked = m.clickAt;
      // The longtask entries (over 50 ms only) of the same run, to compare.
      result.longTaskEntriesMs = m.longTasks.map((t) => t.duration);
      return result;
    }
    const firstVisit = await page.evaluate(fetched);
    result.firstVisit = firstVisit.filter((r) => r.start <= m.visibleAt);
    // A later page view: the choice is stored; the held script is released
    // without a banner.
    const later = await released(page, origin + b.page);
    if (later.visibleAt !== null) throw new Error('the banner showed again on the later view');
    result.laterReleased = later.releasedAt;
    result.laterView = await page.evaluate(fetched);
    return result;
  } catch (e) {
    const also = [...errors, ...[...notFound].map((path) => `404 for ${path}`)];
    throw new Error(`${b.label} ${b.page}: ${e.message}${also.map((line) => `\n  ${line}`).join('')}`);
  } finally {
    await context.close();
  }
}

// The throttled pass's control: bench/none.html (no banner) in a fresh
// context, slowed down and traced the same way, its main thread's tasks
// counted from navigation start to `until`, the time the banner of the same
// pair's Koekje run was visible.
async function control(browser, until) {
  const context = await browser.newContext();
  try {
    await context.addInitScript(probe, { banner: '#bench-no-banner', acceptAll: '', wasm: false, settle: 0 });
    const page = await context.newPage();
    const trace = await throttle(context, page);
    await page.goto(origin + '/bench/none.html', { waitUntil: 'load', timeout: TIMEOUT_MS });
    await page.waitForTimeout(until); // from after navigation start: past `until`
    const { longest, tbt } = blocking(mainThreadTasks(await trace()), 0, until);
    return { longestToVisible: longest, tbtToVisible: tbt };
  } finally {
    await context.close();
  }
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const WHO = ['koekje', 'vanilla'];
const results = { koekje: [], vanilla: [], throttled: { koekje: [], vanilla: [], none: [] } };
const loadAtStart = loadavg()[0];
// Runs `runs` measured pairs after WARMUP pairs, alternating the banners.
const pass = async (runs, into, options) => {
  for (let i = 0; i < WARMUP + runs; i++) {
    const pair = {};
    for (const key of WHO) pair[key] = await run(browser, BANNERS[key], options);
    if (options?.throttled) pair.none = await control(browser, pair.koekje.visible);
    if (i >= WARMUP) for (const [key, r] of Object.entries(pair)) into[key].push(r);
    process.stdout.write(i < WARMUP ? 'w' : '.');
  }
  process.stdout.write('\n');
};
try {
  console.log(`\nStart-up in headless Chromium ${browser.version()}: ${RUNS} fresh contexts per banner, `
    + `alternating Koekje / vanilla (after ${WARMUP} warm-up pair${WARMUP === 1 ? '' : 's'} not counted)`);
  await pass(RUNS, results);
  if (THROTTLED_RUNS) {
    console.log(`With a 4x CPU slowdown, traced: ${THROTTLED_RUNS} more fresh contexts per banner, the same way`);
    await pass(THROTTLED_RUNS, results.throttled, { throttled: true });
  }
} finally {
  await browser.close();
  server.close();
}

// ---- 4. Report ---------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const summary = (xs) => [Math.min(...xs), median(xs), Math.max(...xs)];
const line = (metric, who, [lo, mid, hi], digits) =>
  console.log(metric.padEnd(30) + who.padEnd(16) + [lo, mid, hi].map((v) => v.toFixed(digits).padStart(10)).join(''));
// Prints min / median / max of each metric per banner, and for the
// metrics with a ratio, Koekje / vanilla per run pair (pairs where
// vanilla's figure is 0 have none). Returns the medians, for the goals.
const table = (set, metrics) => {
  const medians = {};
  console.log('\n' + 'metric'.padEnd(30) + 'banner'.padEnd(16) + ['min', 'median', 'max'].map((h) => h.padStart(10)).join(''));
  for (const metric of metrics) {
    if (typeof metric === 'string') { // a heading
      console.log(metric);
      continue;
    }
    const [key, title, digits, ratio] = metric;
    let first = true;
    medians[key] = {};
    for (const who of [...WHO, 'none']) {
      const values = (set[who] ?? []).map((r) => r[key]).filter((v) => v !== undefined);
      if (values.length === 0) continue;
      medians[key][who] = median(values);
      line(first ? title : '', who === 'none' ? 'page alone' : who, summary(values), digits);
      first = false;
    }
    if (!ratio) continue;
    const ratios = set.koekje.map((k, i) => k[key] / set.vanilla[i][key]).filter(Number.isFinite);
    if (ratios.length) {
      medians[key].ratio = median(ratios);
      line('', 'koekje/vanilla', summary(ratios), 2);
    } else console.log(''.padEnd(30) + 'koekje/vanilla'.padEnd(16) + 'none (vanilla: 0)'.padStart(30));
  }
  return medians;
};

// [key, title, decimals, Koekje / vanilla ratio]: the times both passes measure.
const TIMES = [
  ['inserted', 'banner in DOM (ms)', 1, true],
  ['visible', 'banner visible (ms)', 1, true],
  ['release', 'click → released (ms)', 1, true],
];
const unthrottled = table(results, [
  ...TIMES,
  ['longTasks', 'long tasks (count)', 0, false],
  ['longTaskMs', 'long tasks (total ms)', 1, false],
  ['wasmKiB', 'wasm memory (KiB)', 0, false],
  ['laterReleased', 'later view: released (ms)', 1, true],
]);
console.log('(ratios are per run pair; times are from navigation start except "click → released";\n'
  + ' the later view is a second load in the same context, with the choice stored)');

// ---- Bytes: what each banner's page fetched from the banner's files (its
// route on the server), per run; they should not vary between runs.
const bytes = (rows, b) => {
  const own = rows.filter((r) => r.path.startsWith(b.files));
  return {
    gzip: own.reduce((sum, r) => sum + served.get(r.path).gzip.length, 0),
    transferred: own.reduce((sum, r) => sum + r.transferred, 0),
    files: own.map((r) => `${r.path.slice(b.files.length)}${r.status === 200 ? '' : ` (${r.status})`}`).sort().join(', '),
  };
};
const fetches = {};
for (const who of WHO) {
  const per = (view) => results[who].map((r) => bytes(r[view], BANNERS[who]));
  fetches[who] = { first: per('firstVisit'), later: per('laterView') };
}
console.log('\nBytes the banner fetches (its files; gzip -9 of each file, as scripts/size.mjs; transferred: as the'
  + '\nbench server sent them, gzip-encoded, by Resource Timing, which counts 300 B of headers a file; median of runs):');
console.log(''.padEnd(30) + 'banner'.padEnd(16) + 'gzip -9'.padStart(10) + 'transferred'.padStart(13) + '   files');
const byteLines = (title, view) => {
  const med = {};
  WHO.forEach((who, i) => {
    const runs = fetches[who][view];
    med[who] = { gzip: median(runs.map((r) => r.gzip)), transferred: median(runs.map((r) => r.transferred)) };
    const files = [...new Set(runs.map((r) => r.files))].join(' | or | ');
    console.log((i ? '' : title).padEnd(30) + who.padEnd(16) + String(med[who].gzip).padStart(10)
      + String(med[who].transferred).padStart(13) + `   ${files}`);
  });
  if (med.vanilla.gzip > 0) {
    console.log(''.padEnd(30) + 'koekje/vanilla'.padEnd(16) + (med.koekje.gzip / med.vanilla.gzip).toFixed(2).padStart(10)
      + (med.koekje.transferred / med.vanilla.transferred).toFixed(2).padStart(13));
  }
  return med;
};
const firstBytes = byteLines('first visit, to visible', 'first');
byteLines('later view, choice stored', 'later');
const inlineConfig = readFileSync(join(root, 'bench/vanilla-head.html'), 'utf8').match(/<script type="module">[\s\S]*?<\/script>/)[0];
console.log(`(vanilla's configuration is inline in its page: ${gzipSync(Buffer.from(inlineConfig), { level: 9 }).length} B gzip more, `
  + 'not counted above; Koekje\'s built-in one is in its wasm.\n'
  + ' On the later view the server answers the revalidation (no-cache, ETag) with 304, headers only;\n'
  + ' its gzip -9 column is what the files fetched again would be without it.)');
// Anything else one page fetched that the other did not is the banner's too: say so.
for (const who of WHO) {
  const other = WHO.find((w) => w !== who);
  const theirs = new Set(results[other].flatMap((r) => r.firstVisit.map((f) => f.path)));
  const extra = [...new Set(results[who].flatMap((r) => r.firstVisit.map((f) => f.path)))]
    .filter((path) => !path.startsWith(BANNERS[who].files) && !theirs.has(path));
  if (extra.length) console.log(`${who} also fetched, outside its files (not counted above): ${extra.join(', ')}`);
}

let throttled;
// The throttled pass's windows: [key suffix, heading].
const WINDOWS = [
  ['ToVisible', '-- to visible: tasks begun from navigation start until the banner is visible'],
  ['AfterVisible', `-- after visible: tasks begun after it, ended by the click (${SETTLE_MS} ms later)`],
  ['OnClick', '-- on click: tasks overlapping click → released'],
];
const PARTS = [['module', 'module eval'], ['wasm', 'wasm compile+instantiate'], ['lazy', 'wasm lazy compile'],
  ['layout', 'forced style & layout'], ['rendering', 'style & layout it invalidated'], ['script', 'other script']];
if (THROTTLED_RUNS) {
  console.log('\nWith a 4x CPU slowdown (CDP Emulation.setCPUThrottlingRate 4), traced; tasks are the page main'
    + '\nthread\'s RunTask events. Per window, for the whole page and for the banner\'s own work (its scripts, see'
    + '\nattribute() in scripts/bench.mjs): "its tasks" are the tasks with any of its work in them, "its work" the'
    + '\ntime of that work inside them (what it caused; the rest of such a task is the page\'s own):');
  throttled = table(results.throttled, [
    ...TIMES,
    ...WINDOWS.flatMap(([w, heading]) => [
      heading,
      [`longest${w}`, 'longest task, whole page', 1, true],
      [`tbt${w}`, 'blocking time, whole page', 1, true],
      [`ownLongest${w}`, 'longest of its tasks', 1, true],
      [`ownTbt${w}`, 'blocking time of its tasks', 1, true],
      [`workLongest${w}`, 'its work, longest in a task', 1, true],
      [`workTotal${w}`, 'its work, all tasks', 1, true],
    ]),
  ]);
  console.log('(ms; blocking time: what each task spends over 50 ms, summed, as in total blocking time;\n'
    + ' page alone: bench/none.html, no banner, from navigation start to when the same pair\'s Koekje banner was visible)');

  // Koekje's own work in parts, per window: medians of runs, and the run
  // with the median longest work to visible, task by task.
  const runs = results.throttled.koekje;
  console.log('\nKoekje\'s own work at 4x, in parts (ms, medians of runs; wasm lazy compile: functions compiled on\n'
    + 'their first call, inside the start, the resume and the click; style & layout: what its code forced):');
  const what = { ToVisible: 'the module, the wasm, _start', AfterVisible: '_resume, callbacks', OnClick: 'Accept all' };
  for (const [w, heading] of WINDOWS) {
    const parts = PARTS.map(([k, name]) => [name, median(runs.map((r) => r[`parts${w}`][k]))]).filter(([, v]) => v >= 0.05);
    const count = median(runs.map((r) => r[`tasks${w}`].length));
    console.log(`${heading.slice(3, heading.indexOf(':'))} (${what[w]}): ${parts.map(([name, v]) => `${name} ${v.toFixed(1)}`).join(', ') || 'none'}`
      + ` (in ${count} task${count === 1 ? '' : 's'})`);
  }
  const byWork = [...runs].sort((x, y) => x.workLongestToVisible - y.workLongestToVisible);
  const typical = byWork[(byWork.length - 1) >> 1];
  console.log(`its tasks in one run (the median one by its longest work to visible; visible at ${typical.visible.toFixed(0)} ms,`
    + ` click at ${typical.clicked.toFixed(0)} ms):`);
  for (const [w] of WINDOWS) {
    for (const t of typical[`tasks${w}`]) {
      const parts = PARTS.filter(([k]) => t.parts[k] >= 0.05).map(([k, name]) => `${name} ${t.parts[k].toFixed(1)}`);
      console.log(`  at ${t.start.toFixed(0).padStart(5)} ms: task ${t.duration.toFixed(1).padStart(6)}, its work`
        + ` ${t.work.toFixed(1).padStart(6)}${parts.length ? ` (${parts.join(', ')})` : ' (under 0.05 ms: a stack trace of its in the task)'}`);
    }
  }
}

// ---- Goals: the medians above against what Koekje aims for.
const slowed = (key) => {
  const m = throttled?.[key] ?? {};
  return [m.koekje, m.vanilla, m.ratio, m.none];
};
// [title, at most (undefined: context, not a goal), unit, Koekje, vanilla,
// Koekje / vanilla, the page alone]
const GOALS = [
  ['first-visit bytes (gzip -9)', 36_000, 'B', firstBytes.koekje.gzip, firstBytes.vanilla.gzip,
    firstBytes.koekje.gzip / firstBytes.vanilla.gzip],
  ...WINDOWS.flatMap(([w], i) => {
    const when = ['to visible', 'after visible', 'on click'][i];
    return [
      [`its work in a task 4x, ${when}`, 50, 'ms', ...slowed(`workLongest${w}`)],
      [`  its longest task, ${when}`, undefined, 'ms', ...slowed(`ownLongest${w}`)],
      [`  its blocking time, ${when}`, undefined, 'ms', ...slowed(`ownTbt${w}`)],
      [`  page's longest task, ${when}`, undefined, 'ms', ...slowed(`longest${w}`)],
    ];
  }),
  ['banner in DOM, koekje/vanilla', 1, '', unthrottled.inserted.ratio],
  ['banner visible, koekje/vanilla', 0.75, '', unthrottled.visible.ratio],
  ['click → released, k/v', 1, '', unthrottled.release.ratio],
  ['wasm memory', 256, 'KiB', unthrottled.wasmKiB.koekje],
];
const show = (v, unit, width) => (v === undefined || !Number.isFinite(v) ? ''
  : unit === '' ? v.toFixed(2) : unit === 'ms' ? v.toFixed(1) : String(Math.round(v))).padStart(width);
console.log('\nGoals (medians of runs; 4x: with the CPU slowdown). No task over 50 ms caused by Koekje is judged by'
  + '\n"its work in a task": the longest time its own work took in one main-thread task. Indented rows are'
  + '\ncontext, not judged: the tasks with its work in them, whole (with the page\'s own work they also hold),'
  + '\nand the whole page\'s longest task; page: the page alone, no banner:');
console.log('goal'.padEnd(36) + 'at most'.padStart(10) + 'koekje'.padStart(10) + 'vanilla'.padStart(10) + 'k/v'.padStart(7)
  + 'page'.padStart(8));
for (const [title, goal, unit, k, v, ratio, page] of GOALS) {
  const met = goal === undefined ? '' : k === undefined ? 'not measured' : k <= goal ? 'met' : 'not met';
  console.log((title.padEnd(36) + (goal === undefined ? '' : `${show(goal, unit, 0)} ${unit}`).padStart(10) + show(k, unit, 10)
    + show(v, unit, 10) + show(ratio, '', 7) + show(page, unit, 8) + `   ${met}`).trimEnd());
}

// Timings on a busy machine are slower and noisier: say how busy it was.
const cores = availableParallelism();
const loadAtEnd = loadavg()[0];
console.log(`load average (1 min): ${loadAtStart.toFixed(2)} at start (the build counts), ${loadAtEnd.toFixed(2)} at end, `
  + `on ${cores} cores${loadAtEnd > cores ? ': the machine was busy, trust ratios more than absolute times' : ''}`);

for (const who of WHO) {
  const errors = [...new Set([...results[who], ...results.throttled[who]].flatMap((r) => r.errors))];
  if (errors.length) console.log(`\n${who}: console errors in some runs:\n  ${errors.join('\n  ')}`);
}
writeFileSync(join(root, '.bench/results.json'), JSON.stringify(results, null, 1));
console.log('\nevery run\'s figures: .bench/results.json');
if (notFound.size) console.log(`\nthe server answered 404 for: ${[...notFound].join(', ')}`);
