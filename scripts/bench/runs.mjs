// The browser runs: Koekje's and vanilla's pages loaded alternately in
// headless Chromium through Playwright, each in a fresh context, then the
// throttled pass, slowed down and traced through the Chrome DevTools Protocol.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { BANNERS, root, RUNS, SETTLE_MS, THROTTLED_RUNS, TIMEOUT_MS, TRACES, WARMUP, WHO } from './options.mjs';
import { fetched, probe, released } from './probe.mjs';
import { blocking, mainThreadTasks, windowFigures, windows } from './trace.mjs';

// --traces: each traced run's trace, as DevTools' Performance panel loads it,
// in .bench/traces/<banner>-<n>.json (warm-up runs first).
const traced = { koekje: 0, vanilla: 0 };

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
// for the main thread's tasks instead. `server`: the bench's (server.mjs).
async function run(browser, server, b, { throttled = false } = {}) {
  const { origin, notFound } = server;
  const context = await browser.newContext();
  const errors = [];
  try {
    await context.addInitScript(probe, { banner: b.banner, acceptAll: b.acceptAll, wasm: b.wasm, settle: SETTLE_MS });
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
      for (const [name, during] of Object.entries(windows(mainThreadTasks(events), m))) {
        const w = windowFigures(during, b, origin);
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
async function control(browser, { origin }, until) {
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

// Both passes, on the bench's `server`, which it closes when done. Returns
// every run's figures (`results`: per banner, and per banner and the
// control page for the throttled pass) and the load average at the start.
export async function runAll(server) {
  if (TRACES) {
    rmSync(join(root, '.bench/traces'), { recursive: true, force: true });
    mkdirSync(join(root, '.bench/traces'), { recursive: true });
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  const results = { koekje: [], vanilla: [], throttled: { koekje: [], vanilla: [], none: [] } };
  const loadAtStart = loadavg()[0];
  // Runs `runs` measured pairs after WARMUP pairs, alternating the banners.
  const pass = async (runs, into, options) => {
    for (let i = 0; i < WARMUP + runs; i++) {
      const pair = {};
      for (const key of WHO) pair[key] = await run(browser, server, BANNERS[key], options);
      if (options?.throttled) pair.none = await control(browser, server, pair.koekje.visible);
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
  return { results, loadAtStart };
}
