// The README's Vue recipes in a small Vue 3 app (tests/package/vue, on the
// page tests/package/app/index.html), built by `vite build` with
// @vitejs/plugin-vue in the scratch project that holds the packed package
// (see scratch.mjs), and the visitor's choices on that build in Chromium. Run with `node --test tests/package/`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { app, launch, open, root, scratch, serve, writeRecipe } from './scratch.mjs';

const dir = join(app, 'vue');
let server;
let base;
let browser;

before(async () => {
  await scratch();
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(root, 'tests/package/vue'), dir, { recursive: true });
  // The React app's page, with its config and held script, serves the Vue app too.
  cpSync(join(root, 'tests/package/app/index.html'), join(dir, 'index.html'));
  writeRecipe(dir, 'use-accepted.js', 'vue/use-accepted.js');
  writeRecipe(dir, 'Video.vue');
  execFileSync(join(app, 'node_modules/.bin/vite'), ['build'], { cwd: dir, stdio: 'inherit' });
  ({ server, base } = await serve(join(dir, 'dist')));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('the Vue build bundles the module and emits the wasm as an asset', () => {
  const assets = readdirSync(join(dir, 'dist/assets'));
  assert.ok(assets.some((a) => a.endsWith('.wasm')), assets.join(', '));
  assert.ok(assets.some((a) => a.endsWith('.css')), assets.join(', '));
});

test('Vue: one banner, nothing before consent, released once after it, the embed follows its new address, the choice holds on reload', async () => {
  const { context, page, errors } = await open(browser, base + '/');
  await page.locator('.koekje-banner').waitFor(); // in the shadow root of Koekje's host: a locator looks there
  assert.equal(await page.locator('.koekje-banner').count(), 1);
  assert.equal(await page.textContent('#title'), 'analytics off');
  assert.match(await page.textContent('figcaption'), /YouTube is not allowed/);
  assert.equal(await page.evaluate(() => window.__runs), undefined);
  assert.equal(await page.locator('iframe').getAttribute('src'), null);
  // The recipe's button, rendered by Vue, opens the preferences dialog.
  await page.click('figcaption button');
  await page.waitForSelector('dialog[open]');
  await page.keyboard.press('Escape');
  await page.locator('dialog[open]').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => window.__runs), undefined);

  await page.getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__runs === 1);
  await page.waitForFunction(() => document.querySelector('iframe').getAttribute('src') === '/frame-a.html');
  await page.waitForFunction(() => document.querySelector('#title').textContent === 'analytics on');
  assert.match(await page.textContent('figcaption'), /YouTube is allowed/);
  assert.equal(await page.locator('.koekje-banner').count(), 0);
  // Vue patches the new data-src onto the released iframe: Koekje follows it.
  await page.click('#next-video');
  await page.waitForFunction(() => document.querySelector('iframe').getAttribute('src') === '/frame-b.html');
  assert.equal(await page.evaluate(() => window.__runs), 1);

  await page.reload();
  await page.waitForFunction(() => window.__runs === 1);
  await page.waitForFunction(() => document.querySelector('#title').textContent === 'analytics on');
  await page.waitForFunction(() => document.querySelector('iframe').getAttribute('src') === '/frame-a.html');
  assert.equal(await page.locator('.koekje-banner').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Vue: reject all keeps the held script and the embed held, also after reload', async () => {
  const { context, page, errors } = await open(browser, base + '/');
  await page.getByRole('button', { name: 'Alles weigeren' }).click();
  await page.locator('.koekje-banner').waitFor({ state: 'detached' });
  await page.reload();
  await page.waitForFunction(() => window.koekje.consent() !== null);
  assert.equal(await page.textContent('#title'), 'analytics off');
  assert.equal(await page.evaluate(() => window.__runs), undefined);
  assert.equal(await page.locator('iframe').getAttribute('src'), null);
  assert.equal(await page.locator('.koekje-banner').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
