// The README's Next.js recipe (App Router): its root layout with the tags
// and the config, its React recipes as client components, the package's
// dist/ copied to public/koekje/, in a small app (tests/package/next) in the
// scratch project that holds the packed package (see scratch.mjs). `next
// build`, then `next start` on 127.0.0.1, and the visitor's choices in
// Chromium, Google's tag answered by a stand-in. Run with
// `node --test tests/package/`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { app, launch, open, root, scratch, writeRecipe } from './scratch.mjs';

const dir = join(app, 'next');
const next = join(app, 'node_modules/.bin/next');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const GTAG = 'https://www.googletagmanager.com/gtag/js?id=G-XXXXXXX';
let server;
let base;
let browser;

/** Starts `next start` on a free port of 127.0.0.1; resolves with its address once it is ready. */
function start() {
  server = spawn(next, ['start', '-H', '127.0.0.1', '-p', '0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  process.on('exit', () => server.kill());
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`next start: not ready after 30 s\n${out}`)), 30_000);
    const read = (chunk) => {
      out += chunk;
      const url = out.match(/Local:\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
      if (url && /Ready/.test(out)) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    server.stdout.on('data', read);
    server.stderr.on('data', read);
    server.on('exit', (code) => reject(new Error(`next start exited (${code})\n${out}`)));
  });
}

before(async () => {
  await scratch();
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'tests/package/next'), dir, { recursive: true });
  writeRecipe(dir, 'app/layout.js');
  writeRecipe(dir, 'app/use-accepted.js', 'use-accepted.js');
  writeRecipe(dir, 'app/Video.jsx', 'Video.jsx', "'use client';\n\n");
  cpSync(join(app, 'node_modules/koekje-consent/dist'), join(dir, 'public/koekje'), { recursive: true });
  try {
    execFileSync(next, ['build'], { cwd: dir, env, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    throw new Error(`next build failed\n${e.stdout}\n${e.stderr}`);
  }
  base = await start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test('Next: the server-rendered page has the tags in its head and the held script; the embed comes from the client', async () => {
  const html = await (await fetch(base + '/')).text();
  const head = html.slice(0, html.indexOf('</head>'));
  assert.match(head, /<script type="application\/json" id="koekje-config">\{"revision":1,/);
  assert.match(head, /<script type="module" src="\/koekje\/koekje.js"><\/script>/);
  assert.match(head, /<script type="text\/plain" data-category="analytics" data-service="google-analytics" data-src="https:\/\/www.googletagmanager.com\/gtag\/js\?id=G-XXXXXXX"/);
  assert.ok(!html.includes('<iframe'), 'the server renders no iframe');
  assert.ok(html.includes('<figure><figcaption>YouTube is <!-- -->not allowed'), 'the caption, rendered on the server');
});

test('Next: the module imported in a server component answers false and null on every request, and throws nothing', async () => {
  const res = await fetch(base + '/server');
  assert.equal(res.status, 200);
  assert.match(await res.text(), /accepted: <!-- -->false<!-- -->, consent: <!-- -->null/);
});

/**
 * A fresh page at `path`. Next's scripts arrive half a second late, so that
 * Koekje has always started when React hydrates (as on a slow line: the
 * app's scripts are larger than Koekje). Google's tag is a stand-in that
 * counts its runs; every request off this server is listed in `away`, and
 * every element taken out of the page that Koekje did not take out (React
 * renders the whole page again when its hydration fails) in `window.__removed`.
 */
function visit(path = '/') {
  const away = [];
  const wasm = [];
  return open(browser, base + path, async (page) => {
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) away.push(r.url());
      if (r.url().endsWith('.wasm')) wasm.push(r.url());
    });
    await page.route(GTAG, (route) => route.fulfill({ contentType: 'text/javascript', body: 'window.__runs = (window.__runs || 0) + 1;' }));
    await page.route('**/_next/static/chunks/**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await route.continue();
    });
    await page.addInitScript(() => {
      window.__removed = [];
      new MutationObserver((records) => {
        for (const r of records) {
          for (const n of r.removedNodes) {
            if (['MAIN', 'SECTION', 'FIGURE'].includes(n.nodeName)) window.__removed.push(`${n.nodeName}.${n.className}`);
          }
        }
      }).observe(document, { childList: true, subtree: true });
    });
  }).then((opened) => ({ ...opened, away, wasm }));
}

test('Next: one banner, nothing before consent, the held script released once after it, the choice holds across routes and on reload', async () => {
  const { context, page, errors, away, wasm } = await visit();
  await page.locator('.koekje-banner').waitFor(); // in the shadow root of Koekje's host: a locator looks there
  assert.equal(await page.locator('.koekje-banner').count(), 1);
  // The config from the layout applies: its privacy policy is linked.
  assert.equal(await page.locator('.koekje-banner a[href="/privacy"]').count(), 1);
  await page.evaluate(() => window.koekje.ready);
  // Hydrated (the iframe comes from an effect), and the page was not rendered again.
  await page.waitForSelector('iframe', { state: 'attached' });
  assert.deepEqual(await page.evaluate(() => window.__removed), []);
  assert.equal(await page.locator('.koekje-banner').count(), 1);
  assert.deepEqual(away, []);
  assert.equal(await page.evaluate(() => window.__runs), undefined);
  assert.equal(await page.locator('iframe').getAttribute('src'), null);
  assert.match(await page.textContent('figcaption'), /YouTube is not allowed/);
  // One Koekje: the module in the client bundle answers through the one the script tag started.
  assert.equal(wasm.length, 1, wasm.join(', '));

  await page.getByRole('button', { name: 'Accept all' }).click();
  await page.waitForFunction(() => window.__runs === 1);
  await page.waitForFunction(() => document.querySelector('iframe').getAttribute('src') === '/frame-a.html');
  assert.match(await page.textContent('figcaption'), /YouTube is allowed/);
  assert.deepEqual(away, [GTAG]);
  assert.equal(await page.locator('.koekje-banner').count(), 0);

  // A client-side route change keeps the layout: nothing is released again, no banner comes back.
  await page.click('#to-server');
  await page.waitForSelector('#server');
  await page.click('#to-home');
  await page.waitForFunction(() => document.querySelector('iframe')?.getAttribute('src') === '/frame-a.html');
  assert.equal(await page.evaluate(() => window.__runs), 1);
  assert.equal(await page.locator('.koekje-banner').count(), 0);

  await page.reload();
  await page.waitForFunction(() => window.__runs === 1);
  await page.waitForFunction(() => /YouTube is allowed/.test(document.querySelector('figcaption').textContent));
  assert.equal(await page.locator('.koekje-banner').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Next: reject all keeps Google\'s tag and the embed held, also after reload', async () => {
  const { context, page, errors, away } = await visit();
  await page.getByRole('button', { name: 'Reject all' }).click();
  await page.locator('.koekje-banner').waitFor({ state: 'detached' });
  await page.reload();
  await page.waitForFunction(() => window.koekje.consent() !== null);
  assert.equal(await page.evaluate(() => window.__runs), undefined);
  assert.equal(await page.locator('iframe').getAttribute('src'), null);
  assert.match(await page.textContent('figcaption'), /YouTube is not allowed/);
  assert.deepEqual(away, []);
  assert.deepEqual(errors, []);
  await context.close();
});
