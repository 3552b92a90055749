// Benchmarks Koekje against vanilla-cookieconsent 3.1.0 on the same page.
// Usage: npm run bench [-- --runs N] [-- --warmup N]
// (`npm run bench` builds the release bundle first; this script expects dist/.)
//
// 1. Sizes: runs scripts/size.mjs on dist/, then measures vanilla's two files.
// 2. Browser: builds /bench/koekje.html and /bench/vanilla.html (the demo's home
//    page, www/index.html, with the head of bench/<name>-head.html: one banner
//    each and one held analytics script) and serves them from a local
//    server (Koekje from a copy of dist/ in .bench/dist), and loads them alternately in Debian's headless Chromium, each
//    load in a fresh browser context (empty cache, cookies and storage: every
//    run is a first visit). Per run it measures, in the page's own clock
//    (performance.now(), 0 = navigation start):
//      - banner in DOM:     the banner element first exists;
//      - banner visible:    it is rendered (display, visibility) with a non-zero
//                           box, i.e. its entrance animation starts this frame;
//      - click → released:  from just before "Accept all" is clicked (from
//                           inside the page) to bench/released.js running;
//      - long tasks:        main-thread tasks over 50 ms before that click;
//      - wasm memory:       Koekje's linear memory after `koekje:ready`.
//    and prints min / median / max per banner, and for the times the ratio
//    Koekje / vanilla taken run pair by run pair. It reports; it exits 0
//    whichever is faster, and 1 only if a run cannot be measured.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const option = (name, fallback, least) => {
  const i = process.argv.indexOf(name);
  const n = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < least) throw new Error(`${name} expects a whole number, at least ${least}`);
  return n;
};
const RUNS = option('--runs', 30, 1); // measured runs per banner
const WARMUP = option('--warmup', 1, 0); // pairs run first and not counted
const SETTLE_MS = 500; // pause between "visible" and the click: entrance animations end
const TIMEOUT_MS = 15_000;
const VANILLA = 'vanilla-cookieconsent';
const VANILLA_VERSION = '3.1.0';
const vanillaDir = join(root, '.bench/node_modules', VANILLA);

// What differs between the two pages: where they are, which element is the
// banner (vanilla's consent modal is `.cm` inside `#cc-main`), and its
// "Accept all" button.
const BANNERS = {
  koekje: {
    label: 'koekje',
    page: '/bench/koekje.html',
    banner: '#koekje-banner',
    acceptAll: '#koekje-banner [data-koekje-action="accept-all"]',
  },
  vanilla: {
    label: 'vanilla',
    page: '/bench/vanilla.html',
    banner: '#cc-main .cm',
    acceptAll: '#cc-main .cm [data-role="all"]',
  },
};

// ---- 1. Sizes ----------------------------------------------------------------

// Koekje is served from a copy of dist/ taken now, so that a rebuild during the
// runs (a test run, another build) can neither change nor remove what is measured.
rmSync(join(root, '.bench/dist'), { recursive: true, force: true });
cpSync(join(root, 'dist'), join(root, '.bench/dist'), { recursive: true });
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
const PAGES = new Map(Object.keys(BANNERS).map((name) => [`/bench/${name}.html`, benchPage(name)]));

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
const notFound = new Set();
const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  if (PAGES.has(pathname)) {
    res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-cache' });
    res.end(PAGES.get(pathname));
    return;
  }
  const [prefix, dir] = ROUTES.find(([p]) => pathname.startsWith(p));
  const base = join(root, dir);
  const file = normalize(join(base, decodeURIComponent(pathname.slice(prefix.length))));
  try {
    if (!file.startsWith(base + '/')) throw new Error('outside');
    const bytes = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(bytes);
  } catch {
    notFound.add(pathname);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

// ---- 3. The browser runs -----------------------------------------------------

// Injected before any page script (addInitScript). Records into window.__bench
// when the banner first exists and first is visible (checked on every DOM
// mutation and every animation frame until it is), and every long task.
function probe(selector) {
  const bench = (window.__bench ||= {});
  Object.assign(bench, { insertedAt: null, visibleAt: null, longTasks: [] });
  new PerformanceObserver((list) => {
    for (const t of list.getEntries()) bench.longTasks.push({ start: t.startTime, duration: t.duration });
  }).observe({ type: 'longtask', buffered: true });
  let done = false;
  const check = () => {
    if (done) return;
    const el = document.querySelector(selector);
    if (!el) return;
    bench.insertedAt ??= performance.now();
    const box = el.getBoundingClientRect(); // only now that it exists: forces layout
    if (box.width > 0 && box.height > 0 && el.checkVisibility({ visibilityProperty: true })) {
      bench.visibleAt = performance.now();
      done = true;
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  const frame = () => { check(); if (!done) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
}

// One first visit of one page in a fresh context; returns its measurements.
async function run(browser, b) {
  const context = await browser.newContext();
  const errors = [];
  try {
    await context.addInitScript(probe, b.banner);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const wait = (fn) => page.waitForFunction(fn, null, { timeout: TIMEOUT_MS });
    await page.goto(origin + b.page, { waitUntil: 'load', timeout: TIMEOUT_MS });
    await wait(() => window.__bench.visibleAt !== null);
    if (b === BANNERS.koekje) await wait(() => window.__bench.wasmMemory !== undefined);
    await page.waitForTimeout(SETTLE_MS);
    // Click "Accept all" from inside the page, noting the time just before.
    const early = await page.evaluate((selector) => {
      const bench = window.__bench;
      const button = document.querySelector(selector);
      if (!button) return 'no "Accept all" button';
      if (bench.releasedAt !== undefined) return 'the analytics script ran before consent';
      bench.clickAt = performance.now();
      button.click();
      return null;
    }, b.acceptAll);
    if (early) throw new Error(early);
    await wait(() => window.__bench.releasedAt !== undefined);
    const m = await page.evaluate(() => window.__bench);
    const startup = m.longTasks.filter((t) => t.start < m.clickAt);
    return {
      inserted: m.insertedAt,
      visible: m.visibleAt,
      release: m.releasedAt - m.clickAt,
      longTasks: startup.length,
      longTaskMs: startup.reduce((sum, t) => sum + t.duration, 0),
      wasmKiB: m.wasmMemory === undefined ? undefined : m.wasmMemory / 1024,
      errors,
    };
  } catch (e) {
    const also = [...errors, ...[...notFound].map((path) => `404 for ${path}`)];
    throw new Error(`${b.label} ${b.page}: ${e.message}${also.map((line) => `\n  ${line}`).join('')}`);
  } finally {
    await context.close();
  }
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
});
const results = { koekje: [], vanilla: [] };
const loadAtStart = loadavg()[0];
try {
  console.log(`\nStart-up in headless Chromium ${browser.version()}: ${RUNS} fresh contexts per banner, `
    + `alternating Koekje / vanilla (after ${WARMUP} warm-up pair${WARMUP === 1 ? '' : 's'} not counted)`);
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const key of ['koekje', 'vanilla']) {
      const r = await run(browser, BANNERS[key]);
      if (i >= WARMUP) results[key].push(r);
    }
    process.stdout.write(i < WARMUP ? 'w' : '.');
  }
  process.stdout.write('\n');
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
const METRICS = [
  // [key, title, decimals, time metric (gets a Koekje / vanilla ratio)]
  ['inserted', 'banner in DOM (ms)', 1, true],
  ['visible', 'banner visible (ms)', 1, true],
  ['release', 'click → released (ms)', 1, true],
  ['longTasks', 'long tasks (count)', 0, false],
  ['longTaskMs', 'long tasks (total ms)', 1, false],
  ['wasmKiB', 'wasm memory (KiB)', 0, false],
];
const line = (metric, who, [lo, mid, hi], digits) =>
  console.log(metric.padEnd(24) + who.padEnd(16) + [lo, mid, hi].map((v) => v.toFixed(digits).padStart(10)).join(''));

console.log('\n' + 'metric'.padEnd(24) + 'banner'.padEnd(16) + ['min', 'median', 'max'].map((h) => h.padStart(10)).join(''));
for (const [key, title, digits, isTime] of METRICS) {
  let first = true;
  for (const who of ['koekje', 'vanilla']) {
    const values = results[who].map((r) => r[key]).filter((v) => v !== undefined);
    if (values.length === 0) continue;
    line(first ? title : '', who, summary(values), digits);
    first = false;
  }
  if (isTime) {
    const ratios = results.koekje.map((k, i) => k[key] / results.vanilla[i][key]);
    line('', 'koekje/vanilla', summary(ratios), 2);
  }
}
console.log('(ratios are per run pair; times are from navigation start except "click → released")');

// Timings on a busy machine are slower and noisier: say how busy it was.
const cores = availableParallelism();
const loadAtEnd = loadavg()[0];
console.log(`load average (1 min): ${loadAtStart.toFixed(2)} at start (the build counts), ${loadAtEnd.toFixed(2)} at end, `
  + `on ${cores} cores${loadAtEnd > cores ? ': the machine was busy, trust ratios more than absolute times' : ''}`);

for (const who of ['koekje', 'vanilla']) {
  const errors = [...new Set(results[who].flatMap((r) => r.errors))];
  if (errors.length) console.log(`\n${who}: console errors in some runs:\n  ${errors.join('\n  ')}`);
}
writeFileSync(join(root, '.bench/results.json'), JSON.stringify(results, null, 1));
console.log('\nevery run\'s figures: .bench/results.json');
if (notFound.size) console.log(`\nthe server answered 404 for: ${[...notFound].join(', ')}`);
