// What runs in the page: the probe (injected before any page script), and
// the two reads of the page the bench makes once it may (released()).
import { TIMEOUT_MS } from './options.mjs';

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
export function probe({ banner, acceptAll, wasm, settle }) {
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
export async function released(page, url) {
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
export const fetched = () => performance.getEntriesByType('resource').map((e) => ({
  path: new URL(e.name).pathname, start: e.startTime, transferred: e.transferSize, status: e.responseStatus,
}));
