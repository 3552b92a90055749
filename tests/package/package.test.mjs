// The npm package as a developer gets it: `npm pack` of the built dist/,
// installed into a scratch project (target/package-test/app), imported in
// Node (server-side rendering), bundled by a Vite production build of a
// small React app (tests/package/app), and the visitor flows on that build
// in Chromium, including a wasm that does not load. Needs dist/ built
// (scripts/test.sh builds it first). Run with `node --test tests/package/`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { chromium } from '@playwright/test';

const root = new URL('../../', import.meta.url).pathname;
const work = join(root, 'target/package-test');
const app = join(work, 'app');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let packed;
let server;
let base;
let browser;

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

/** Serves the app's build; `routes` may answer a path first (a 404, a delay, another file, a CSP). */
const routes = new Map();
function serve(dir) {
  return new Promise((resolve) => {
    server = createServer(async (req, res) => {
      const path = new URL(req.url, 'http://x').pathname;
      const route = [...routes.entries()].find(([match]) => path.endsWith(match));
      if (route && (await route[1](req, res))) return;
      if (path.startsWith('/frame-')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(`<p>${path}</p>`);
      }
      let file = join(dir, path);
      let body;
      try {
        body = readFileSync(file);
      } catch {
        file = join(dir, 'index.html');
        body = readFileSync(file);
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', ...(routes.get('headers') || {}) });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

before(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(app, { recursive: true });
  // dist/ is built already: pack it as it is.
  [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
  cpSync(join(root, 'tests/package/app'), app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({
    name: 'scratch-app', private: true, type: 'module',
    dependencies: { [pkg.name]: `file:../${packed.filename}` },
  }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], { cwd: app, stdio: 'ignore' });
  const { build } = await import('vite');
  await build({ root: app, logLevel: 'warn', build: { outDir: join(app, 'dist'), emptyOutDir: true } });
  base = await serve(join(app, 'dist'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
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
  assert.ok(packed.size < 200_000, `tarball ${packed.size} B`);
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
async function open(path = '/') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(m.text()));
  page.on('pageerror', (e) => log.push('pageerror: ' + e));
  await page.goto(base + path);
  return { context, page, log };
}

test('visitor flows in the app: one banner across routes, nothing before consent, released once, the embed follows its new address', async () => {
  const { context, page, log } = await open();
  await page.waitForFunction(() => document.querySelectorAll('.koekje-banner').length === 1);
  assert.equal(await page.textContent('#title'), 'page /, analytics off');
  await page.click('#to-b');
  assert.equal(await page.textContent('#title'), 'page /b, analytics off');
  assert.equal(await page.locator('.koekje-banner').count(), 1);
  assert.equal(await page.evaluate(() => window.__runs), undefined);
  assert.equal(await page.locator('iframe').getAttribute('src'), null);
  await page.getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__runs === 1);
  await page.waitForFunction(() => document.querySelector('iframe').getAttribute('src') === '/frame-a.html');
  assert.equal(await page.textContent('#title'), 'page /b, analytics on');
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
    await page.waitForFunction(() => document.querySelectorAll('.koekje-banner').length === 1);
    await context.close();
  } finally {
    routes.delete('.wasm');
  }
});
