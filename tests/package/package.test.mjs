// The npm package as a developer gets it: `npm pack` of the built dist/,
// installed into a scratch project (target/package-test/app), imported in
// Node (server-side rendering), bundled by a Vite production build of a
// small React app (tests/package/app, with the README's React recipes), and
// the visitor flows on that build in Chromium, including a wasm that does
// not load. Needs dist/ built
// (scripts/test.sh builds it first). Run with `node --test tests/package/`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, launch, open as openPage, pkg, root, scratch, serve, writeRecipe } from './scratch.mjs';

let packed;
let server;
let base;
let browser;
/** Answers that the app's server gives first (see serve()). */
const routes = new Map();

before(async () => {
  packed = await scratch();
  rmSync(join(app, 'dist'), { recursive: true, force: true });
  cpSync(join(root, 'tests/package/app'), app, { recursive: true });
  writeRecipe(app, 'use-accepted.js');
  writeRecipe(app, 'Video.jsx');
  const { build } = await import('vite');
  await build({ root: app, logLevel: 'warn', build: { outDir: join(app, 'dist'), emptyOutDir: true } });
  ({ server, base } = await serve(join(app, 'dist'), routes));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('the tarball holds the bundle, its types and schema, README and licences, nothing else', () => {
  const paths = packed.files.map((f) => f.path).sort();
  for (const needed of ['dist/koekje.js', 'dist/koekje_bg.wasm', 'dist/koekje.css', 'dist/koekje-gcm.js', 'dist/koekje.d.ts',
    'dist/koekje-config.schema.json', 'dist/integrity.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'package.json']) {
    assert.ok(paths.includes(needed), `${needed} in ${paths}`);
  }
  assert.deepEqual(paths.filter((p) => !p.startsWith('dist/') && !['README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'package.json', 'bin/koekje-check.mjs'].includes(p)), []);
  assert.ok(packed.size < 1_000_000, `tarball ${packed.size} B`);
  console.log(`# ${packed.filename}: ${packed.files.length} files, ${packed.size} B packed, ${packed.unpackedSize} B unpacked`);
});

test('every export of package.json names a file in the tarball', () => {
  const paths = new Set(packed.files.map((f) => f.path));
  for (const [entry, target] of Object.entries(pkg.exports)) {
    for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
      assert.ok(paths.has(file.replace(/^\.\//, '')), `${entry} -> ${file}`);
    }
  }
});

test('importing the package in Node (server-side rendering) throws nothing and answers safely', () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    import * as k from '${pkg.name}';
    const before = [k.accepted('analytics'), k.consent()];
    k.acceptAll(); k.show(); k.reset();
    console.log(JSON.stringify({ before, ready: await k.ready, names: Object.keys(k).sort() }));
  `], { cwd: app, encoding: 'utf8' });
  const result = JSON.parse(out.trim().split('\n').pop());
  assert.deepEqual(result.before, [false, null]);
  assert.equal(result.ready, null);
  assert.ok(result.names.includes('ready') && result.names.includes('accepted'));
});

test('the package\'s checker runs without Rust: exit 0 on a clean config, 1 on a problem', () => {
  writeFileSync(join(app, 'good.json'), JSON.stringify({ revision: 2, categories: [{ id: 'functional', required: true }, { id: 'analytics' }] }));
  writeFileSync(join(app, 'bad.json'), JSON.stringify({ revision: 'two' }));
  const bin = join(app, 'node_modules/.bin', pkg.name);
  const good = execFileSync(bin, ['check', 'good.json'], { cwd: app, encoding: 'utf8' });
  assert.match(good, /good\.json/);
  let failed;
  try {
    execFileSync(bin, ['check', 'bad.json'], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    failed = e;
  }
  assert.equal(failed?.status, 1);
  assert.match(String(failed.stdout) + String(failed.stderr), /config\.revision/);
});

test('the Vite build emits the wasm as an asset', () => {
  const assets = readdirSync(join(app, 'dist/assets'));
  assert.ok(assets.some((a) => a.endsWith('.wasm')), assets.join(', '));
});

/** A fresh page of the app, with its console collected. */
const open = (path = '/') => openPage(browser, base + path);

test('visitor flows in the app: one banner across routes, nothing before consent, released once, the embed follows its new address', async () => {
  const { context, page, log } = await open();
  await page.locator('.koekje-banner').waitFor(); // in the shadow root of Koekje's host: a locator looks there
  assert.equal(await page.locator('.koekje-banner').count(), 1);
  assert.equal(await page.textContent('#title'), 'page /, analytics off');
  await page.click('#to-b');
  assert.equal(await page.textContent('#title'), 'page /b, analytics off');
  assert.equal(await page.locator('.koekje-banner').count(), 1);
  assert.equal(await page.evaluate(() => window.__runs), undefined);
  assert.equal(await page.locator('iframe').getAttribute('src'), null);
  assert.match(await page.textContent('figcaption'), /YouTube is not allowed/);
  // The recipe's button, rendered by React, opens the preferences dialog.
  await page.click('figcaption button');
  await page.waitForSelector('dialog[open]');
  await page.keyboard.press('Escape');
  await page.locator('dialog[open]').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__runs === 1);
  await page.waitForFunction(() => document.querySelector('iframe').getAttribute('src') === '/frame-a.html');
  assert.equal(await page.textContent('#title'), 'page /b, analytics on');
  assert.match(await page.textContent('figcaption'), /YouTube is allowed/);
  // A re-render with a new address: the released embed follows it.
  await page.click('#next-video');
  await page.waitForFunction(() => document.querySelector('iframe').getAttribute('src') === '/frame-b.html');
  await page.reload();
  await page.waitForFunction(() => window.__runs === 1);
  assert.equal(await page.locator('.koekje-banner').count(), 0);
  assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
  await context.close();
});

for (const [name, route, why] of [
  ['a wasm that is not found (404)', (req, res) => { res.writeHead(404); res.end(); return true; }, /could not start/],
  ['a wasm of another build (a stale cache)', (req, res) => {
    const wasm = readFileSync(join(root, 'dist/koekje_bg.wasm'));
    wasm[wasm.length - 1] ^= 1;
    res.writeHead(200, { 'content-type': 'application/wasm' });
    res.end(wasm);
    return true;
  }, /could not start/],
]) {
  test(`${name}: the app renders, accepted() is false, consent() null, nothing runs, the console says why`, async () => {
    routes.set('.wasm', route);
    try {
      const { context, page, log } = await open();
      await page.waitForSelector('#title');
      assert.equal(await page.evaluate(async () => [await window.koekje.ready, window.koekje.accepted('analytics'), window.koekje.consent()].join()), ',false,');
      assert.equal(await page.textContent('#title'), 'page /, analytics off');
      assert.equal(await page.evaluate(() => window.__runs), undefined);
      assert.ok(log.some((l) => why.test(l)), log.join('\n'));
      assert.deepEqual(log.filter((l) => l.startsWith('pageerror')), []);
      await context.close();
    } finally {
      routes.delete('.wasm');
    }
  });
}

test('a CSP without wasm-unsafe-eval: the app renders and nothing held runs', async () => {
  routes.set('headers', { 'content-security-policy': "script-src 'self' 'unsafe-inline'" });
  try {
    const { context, page, log } = await open();
    await page.waitForSelector('#title');
    assert.equal(await page.evaluate(async () => [await window.koekje.ready, window.koekje.accepted('analytics')].join()), ',false');
    assert.equal(await page.evaluate(() => window.__runs), undefined);
    assert.ok(log.some((l) => /could not start/.test(l)), log.join('\n'));
    await context.close();
  } finally {
    routes.delete('headers');
  }
});

test('a wasm that arrives 2 seconds late does not hold the app back', async () => {
  routes.set('.wasm', async () => { await new Promise((r) => setTimeout(r, 2000)); return false; });
  try {
    const { context, page } = await open();
    await page.waitForSelector('#title');
    const rendered = await page.evaluate(() => window.__rendered);
    assert.ok(rendered < 1500, `rendered at ${rendered} ms`);
    await page.locator('.koekje-banner').waitFor(); // in the shadow root of Koekje's host: a locator looks there
    assert.equal(await page.locator('.koekje-banner').count(), 1);
    await context.close();
  } finally {
    routes.delete('.wasm');
  }
});
