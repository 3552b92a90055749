// What the package tests share: one scratch project (target/package-test/app)
// with the packed package and the frameworks installed once, however many of
// the test files run and in whatever order; the README's recipes; a static
// server for a build; Chromium.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from '@playwright/test';

export const root = new URL('../../', import.meta.url).pathname;
export const work = join(root, 'target/package-test');
export const app = join(work, 'app');
export const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The frameworks the recipes are tested with, pinned; React as the repository's own. */
const FRAMEWORKS = {
  react: pkg.devDependencies.react,
  'react-dom': pkg.devDependencies['react-dom'],
  vite: pkg.devDependencies.vite,
  vue: '3.5.45',
  '@vitejs/plugin-vue': '6.0.11',
  next: '16.4.6',
};

/** Runs `fn` while holding target/package-test/.lock (a folder: made atomically); a lock whose process is gone is taken over. */
async function locked(fn) {
  const lock = join(work, '.lock');
  mkdirSync(work, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
        process.kill(owner, 0);
      } catch {
        if (owner) rmSync(lock, { recursive: true, force: true });
      }
      await sleep(200);
    }
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Packs dist/ as it is (it must be built) and installs the tarball with the
 * frameworks into the scratch project, unless that project already holds this
 * very tarball and these versions. Returns `npm pack`'s account of the tarball.
 */
export function scratch() {
  return locked(() => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
    const manifest = JSON.stringify({
      name: 'scratch-app', private: true, type: 'module',
      dependencies: { [pkg.name]: `file:../${packed.filename}`, ...FRAMEWORKS },
    }, null, 2);
    const stamp = join(app, 'node_modules/.scratch-stamp');
    let installed = '';
    try {
      installed = readFileSync(stamp, 'utf8');
    } catch {}
    if (installed !== packed.integrity + manifest) {
      rmSync(app, { recursive: true, force: true });
      mkdirSync(app, { recursive: true });
      writeFileSync(join(app, 'package.json'), manifest);
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], { cwd: app, stdio: 'ignore' });
      writeFileSync(stamp, packed.integrity + manifest);
    }
    return packed;
  });
}

/** The code block that follows `<!-- recipe: NAME -->` in README.md. */
export function recipe(name) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = readme.split(`<!-- recipe: ${name} -->\n`)[1]?.match(/^```\w*\n([\s\S]*?)\n```/);
  if (!block) throw new Error(`README.md has no code block after <!-- recipe: ${name} -->`);
  return block[1] + '\n';
}

/** Writes the README's recipe NAME to `file` (below `dir`), with `prefix` before it. */
export function writeRecipe(dir, file, name = file, prefix = '') {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), prefix + recipe(name));
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

/**
 * Serves a build on a free port of 127.0.0.1; `routes` may answer a path
 * first (a 404, a delay, another file) and its entry `headers` adds headers.
 * /frame-* is a small page (the embeds); an unknown path gets index.html.
 */
export function serve(dir, routes = new Map()) {
  const server = createServer(async (req, res) => {
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
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}` }));
  });
}

/** Debian's Chromium, headless, with nothing of its own on the network. */
export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * A fresh page at `url`, with its console collected (`log`; `errors` the
 * console's errors and the page's uncaught ones); `prepare(page)` runs first.
 */
export async function open(browser, url, prepare) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = [];
  const errors = [];
  page.on('console', (m) => {
    log.push(m.text());
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => {
    log.push('pageerror: ' + e);
    errors.push('pageerror: ' + e);
  });
  await prepare?.(page);
  await page.goto(url);
  return { context, page, log, errors };
}
