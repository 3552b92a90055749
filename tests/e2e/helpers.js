// Shared helpers for the end-to-end tests: a stand-in for Google's gtag.js
// served in place of the real URL, a recorder of the requests a page makes,
// and test pages built on the fly on the demo's origin.
import { expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';

export const GA_URL = /^https:\/\/www\.googletagmanager\.com\/gtag\/js/;

/** What the stand-in gtag.js does: note that it ran and set GA's cookies. */
export const GA_STAND_IN = `
  window.__gaRuns = (window.__gaRuns || 0) + 1;
  document.cookie = '_ga=GA1.1.123.456; path=/; max-age=3600';
  document.cookie = '_ga_ZW2026DEMO=GS1.1.789; path=/; max-age=3600';
  document.cookie = '_gid=GA1.1.42; path=/; max-age=3600';
`;

/**
 * Serves the stand-in for every request to Google's tag URL and records
 * every request the page makes. Returns the list (it fills as the page runs).
 */
export async function recordRequests(page, { gaDelayMs = 0 } = {}) {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  // Nothing may leave the machine: any other outside request is answered empty
  // (registered first: Playwright tries the latest route first).
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({ status: 204, body: '' }));
  await page.route(GA_URL, async (route) => {
    if (gaDelayMs) await new Promise((r) => setTimeout(r, gaDelayMs));
    await route.fulfill({ contentType: 'text/javascript', body: GA_STAND_IN });
  });
  return requests;
}

/** The requests that went to Google's tag URL. */
export const gaRequests = (requests) => requests.filter((u) => GA_URL.test(u));

/** The page's cookies whose names start with `_ga` or are `_gid`. */
export async function analyticsCookies(page) {
  const cookies = await page.context().cookies();
  return cookies.filter((c) => c.name.startsWith('_ga') || c.name === '_gid').map((c) => c.name);
}

/** Collects console messages and uncaught page errors. */
export function watchConsole(page) {
  const log = { errors: [], warnings: [], pageErrors: [], all: [] };
  page.on('console', (m) => {
    log.all.push(m.text());
    if (m.type() === 'error') log.errors.push(m.text());
    if (m.type() === 'warning') log.warnings.push(m.text());
  });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  return log;
}

/**
 * Builds a test page on the demo's origin at /t/<name>.html.
 * `config`: a string (put verbatim in #koekje-config), an object (JSON) or
 * undefined (no config). `head`/`body`: extra markup. `src`: where the
 * page loads koekje.js from. `headers`: response headers (a
 * Content-Security-Policy, say). `doctype`: '' for a page in quirks mode.
 */
export async function testPage(page, name, { config, head = '', body = '', lang = 'nl-BE', src = '/koekje/koekje.js', scriptAttrs = '', headers = {}, doctype = '<!doctype html>' } = {}) {
  const configTag = config === undefined
    ? ''
    : `<script type="application/json" id="koekje-config">${typeof config === 'string' ? config : JSON.stringify(config).replaceAll('</', '<\\/')}</script>`;
  const html = `${doctype}<html lang="${lang}"><head><meta charset="utf-8">
    <title>${name}</title>
    <link rel="stylesheet" href="/koekje/koekje.css">
    ${configTag}
    <script type="module" src="${src}" ${scriptAttrs}></script>
    ${head}</head><body><main><h1>${name}</h1><a href="/" id="home">home</a>
    <button type="button" data-koekje="preferences" id="open-preferences">Cookie-instellingen</button>
    ${body}</main></body></html>`;
  const url = `/t/${name}.html`;
  await page.route(`**${url}`, (route) => route.fulfill({ contentType: 'text/html', body: html, headers }));
  return url;
}

/**
 * A stored record (version 1) for the built-in categories, accepted unless
 * `analytics` is false, made now and lasting 182 days; `changes` replace
 * any field (`updatedAt` also moves `givenAt` and `expiresAt` with it).
 */
export function storedRecord({ analytics = true, ...changes } = {}) {
  const updatedAt = changes.updatedAt ?? Date.now();
  return JSON.stringify({
    version: 1, id: '00000000-0000-4000-8000-000000000000', revision: 1,
    categories: { identification: true, functional: true, analytics },
    services: { analytics: { 'google-analytics': analytics } },
    method: analytics ? 'accept-all' : 'reject-all', language: 'nl', gpc: false,
    givenAt: updatedAt, updatedAt, expiresAt: updatedAt + 182 * 86_400_000,
    ...changes,
  });
}

/** Waits until Koekje has started on the page (or failed to). */
export async function koekjeReady(page) {
  await page.waitForFunction(() => window.koekje !== undefined, null, { timeout: 10_000 });
  // window.koekje is there at once; `ready` settles once Koekje has started (or given up).
  await page.evaluate(() => window.koekje.ready);
}

/**
 * Koekje's interface is in the open shadow roots of its `<koekje-ui>` hosts
 * (the banner and the dialogs in one, first in the body; each placeholder in
 * its own). Playwright's CSS locators pierce them; `document.querySelector`,
 * `getElementById`, `document.activeElement` and `elementFromPoint` do not.
 * The page-side helpers, as the source of a function that returns them:
 * `hosts()`, `find(selector)` and `findAll(selector)` (in the hosts' shadow
 * roots), `active()` (the focused element, looking into shadow roots: the
 * document's `activeElement` is the host when focus is inside) and
 * `at(x, y)` (the element at a point, likewise).
 */
const PAGE_SIDE = `() => {
  const hosts = () => [...document.querySelectorAll('koekje-ui')];
  const findAll = (selector) => hosts().flatMap((h) => (h.shadowRoot ? [...h.shadowRoot.querySelectorAll(selector)] : []));
  const deepest = (first, next) => { let el = first; for (let inner = el && next(el); inner && inner !== el; inner = next(el)) el = inner; return el; };
  return {
    hosts,
    findAll,
    find: (selector) => findAll(selector)[0] ?? null,
    active: () => deepest(document.activeElement, (el) => el.shadowRoot?.activeElement),
    at: (x, y) => deepest(document.elementFromPoint(x, y), (el) => el.shadowRoot?.elementFromPoint(x, y)),
  };
}`;

/**
 * Runs `fn(k, arg)` in the page, `k` being the page-side helpers above;
 * returns its (serializable) result. Passed as an expression, so that a
 * page's CSP does not stop it.
 */
export function inKoekje(page, fn, arg = null) {
  return page.evaluate(`(${fn})((${PAGE_SIDE})(), ${JSON.stringify(arg)})`);
}

/** Like `inKoekje`, but returns a handle (to an element, say). */
export function inKoekjeHandle(page, fn, arg = null) {
  return page.evaluateHandle(`(${fn})((${PAGE_SIDE})(), ${JSON.stringify(arg)})`);
}

/** An axe-core context for `selector` inside Koekje's shadow roots. */
export const inShadow = (selector) => ({ fromShadowDom: ['koekje-ui', selector] });

/** Koekje's confirmation of an embed's consent (in the interface host). */
export const confirmation = (page) => page.locator('dialog.koekje-confirm');

/**
 * Clicks a placeholder's button as a visitor who sees it: in view, and once
 * IntersectionObserver v2 (Chromium) has seen it visible and unobscured
 * (`data-koekje-seen`, about 100 ms after it shows), so that it acts at
 * once; then checks that no confirmation was asked for.
 */
export async function clickSeen(button) {
  await button.scrollIntoViewIfNeeded();
  await expect(button).toHaveAttribute('data-koekje-seen', '');
  await button.click();
  await expect(confirmation(button.page())).toHaveCount(0);
}

/** The banner locator. */
export const banner = (page) => page.locator('#koekje-banner');

/** Expects that the banner is showing with its three buttons. */
export async function expectBanner(page) {
  await expect(banner(page)).toBeVisible();
  await expect(banner(page).locator('[data-koekje-action]')).toHaveCount(3);
}

/**
 * Withdraws consent for analytics on the demo site through the preferences
 * dialog of `page`, then waits until each page in `reloading` (those where
 * GA already ran, so Koekje reloads them) has loaded again with Koekje ready.
 */
export async function withdrawAnalytics(page, reloading = [page]) {
  await page.evaluate(() => koekje.showPreferences());
  await page.getByRole('switch', { name: /Analytische cookies/ }).uncheck();
  const loads = reloading.map((p) => p.waitForEvent('load'));
  await page.getByRole('button', { name: 'Keuze bewaren' }).click();
  await Promise.all(loads);
  for (const p of reloading) await koekjeReady(p);
}

/**
 * Answers every https://*.koekje.test page for `context` (real https
 * origins without a certificate, so a cookie can be shared through
 * `domain`): /koekje/ from dist/, any other path a page with `config`
 * inline, Koekje's tag, then `body`.
 */
export async function serveKoekjeTest(context, config, body = '') {
  const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.txt': 'text/plain; charset=utf-8' };
  await context.route(/^https:\/\/[a-z]+\.koekje\.test\//, async (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname.startsWith('/koekje/')) {
      const file = pathname.slice('/koekje/'.length);
      const type = types[file.slice(file.lastIndexOf('.'))];
      if (!type || file.includes('/')) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({ contentType: type, body: await readFile(`dist/${file}`) });
    }
    await route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>${pathname}</title>
        <link rel="stylesheet" href="/koekje/koekje.css">
        <script type="application/json" id="koekje-config">${JSON.stringify(config)}</script>
        <script type="module" src="/koekje/koekje.js"></script></head><body>${body}</body></html>`,
    });
  });
}

/**
 * Puts `html` into the page as a comment loader or a CMS widget would,
 * after Koekje started: as markup, in a new element at the end of the body.
 */
export async function insertLate(page, html) {
  await page.evaluate((html) => {
    const box = document.createElement('div');
    box.className = 'comment';
    box.innerHTML = html;
    document.body.append(box);
  }, html);
}
