// The browser engines the scenarios run in, each through its WebDriver
// server: Firefox (geckodriver, from `cargo install`), WebKit (WebKitGTK's
// WebKitWebDriver driving MiniBrowser, which needs a display: run under
// xvfb-run) and Chromium (Debian's chromedriver; Playwright covers Chromium
// in `npm test`, so it runs here only when asked). KOEKJE_ENGINES picks
// them: "firefox,webkit" unless set.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';
import { Builder } from 'selenium-webdriver';

const onPath = (name, fallback) => process.env[name.toUpperCase()] || (existsSync(fallback) ? fallback : name);
const miniBrowser = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib']
  .flatMap((lib) => ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0'].map((v) => join(lib, v, 'MiniBrowser')))
  .find(existsSync);

const ALL = {
  firefox: {
    driver: onPath('geckodriver', join(homedir(), '.cargo/bin/geckodriver')),
    capabilities: {
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: existsSync('/usr/bin/firefox-esr') ? '/usr/bin/firefox-esr' : undefined,
        args: ['-headless'],
        prefs: { 'network.captive-portal-service.enabled': false, 'app.update.enabled': false, 'browser.shell.checkDefaultBrowser': false },
      },
    },
  },
  webkit: {
    driver: process.env.WEBKITWEBDRIVER || '/usr/bin/WebKitWebDriver',
    // One session at a time: the scenarios run one after another.
    capabilities: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] },
    },
  },
  chromium: {
    driver: '/usr/bin/chromedriver',
    capabilities: {
      browserName: 'chrome',
      'goog:chromeOptions': { binary: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] },
    },
  },
};

/** The engines asked for, by name. */
export function engines() {
  const names = (process.env.KOEKJE_ENGINES || 'firefox,webkit').split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!ALL[n]) throw new Error(`KOEKJE_ENGINES: unknown engine ${n} (known: ${Object.keys(ALL).join(', ')})`);
  return names.map((name) => ({ name, ...ALL[name] }));
}

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

/**
 * Starts the engine's WebDriver server. Returns { session(), stop() }:
 * session() opens a new browser session (a fresh profile) at 1280x800.
 */
export async function startDriver(engine) {
  const port = await freePort();
  const proc = spawn(engine.driver, [`--port=${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const exited = new Promise((r) => proc.once('exit', r));
  proc.once('error', (e) => { stderr += String(e); });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${engine.name}: ${engine.driver} exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/status`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`${engine.name}: ${engine.driver} did not answer on ${url}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    async session() {
      const driver = await new Builder().usingServer(url).withCapabilities(engine.capabilities).build();
      await driver.manage().window().setRect({ width: 1280, height: 800 }).catch(() => {});
      return driver;
    },
    async stop() {
      proc.kill();
      await exited;
    },
  };
}

/**
 * Sets up, inside a `describe`, what every engine scenario uses: the
 * engine's WebDriver server, a fresh browser session for each test (with
 * `server`'s request log emptied first), and the page helpers. Returns
 * them; `session.driver` is the running test's browser.
 */
export function scenarios(engine, server) {
  const session = {};
  let webdriver;
  before(async () => { webdriver = await startDriver(engine); });
  after(async () => webdriver?.stop());
  beforeEach(async () => {
    server.log.length = 0;
    session.driver = await webdriver.session();
  });
  afterEach(async () => session.driver?.quit());
  /** Runs `script` in the page. */
  session.js = (script, ...args) => session.driver.executeScript(script, ...args);
  /** Polls `script` in the page until it returns something truthy. */
  session.until = (script, message, timeout = 10_000) =>
    session.driver.wait(async () => { try { return await session.js(script); } catch { return false; } }, timeout, `${engine.name}: ${message}`);
  /** Waits until Koekje has started (or given up): window.koekje is there at once, `ready` settles then. */
  session.ready = async () => {
    await session.until('return window.koekje !== undefined', 'window.koekje is there');
    await session.driver.executeAsyncScript('const done = arguments[arguments.length - 1]; koekje.ready.then(() => done(), () => done());');
  };
  /** Resolves once the page has had two frames and a round trip to the server. */
  session.settled = () => session.driver.executeAsyncScript(
    'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => fetch("/__settle").then(() => done(), () => done())));');
  return session;
}
