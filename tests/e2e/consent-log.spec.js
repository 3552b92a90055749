// Proof of consent end to end: the demo's pages send every choice to a real
// koekje-log receiver (the binary, on a SQLite file, started here on its own
// port), reached on the page's own origin at /consent as the README deploys
// it behind the site's reverse proxy (here Playwright forwards the requests),
// and the receiver holds the exact notice behind every hash.
import { test, expect } from '@playwright/test';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testPage, koekjeReady, banner, expectBanner } from './helpers.js';
import { PORT } from '../../playwright.config.js';

test.describe.configure({ mode: 'serial' });

const BIN = 'target/debug/koekje-log';
const TOKEN = 'consent-log-e2e-token';

test.beforeAll(() => {
  if (!existsSync(BIN)) execFileSync('cargo', ['build', '-p', 'koekje-log'], { stdio: 'inherit' });
});

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts the receiver on `port` with the SQLite file `db`; resolves once it answers health. */
async function startReceiver(port, db) {
  const child = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--database', `sqlite://${db}`], {
    env: { ...process.env, KOEKJE_LOG_TOKEN: TOKEN },
    stdio: 'ignore',
  });
  await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/consent/health`).catch(() => null))?.status, { timeout: 20_000 }).toBe(200);
  return child;
}

async function history(port, consentId) {
  const r = await fetch(`http://127.0.0.1:${port}/consent/consents/${consentId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(r.status).toBe(200);
  return r.json();
}

/** The site's reverse proxy: /consent/… on the page's origin goes to the receiver on `port` (down: the connection fails). */
async function proxy(page, port) {
  await page.route(`http://127.0.0.1:${PORT}/consent/**`, async (route) => {
    const url = route.request().url().replace(`127.0.0.1:${PORT}`, `127.0.0.1:${port}`);
    try {
      await route.fulfill({ response: await route.fetch({ url }) });
    } catch {
      await route.abort('connectionrefused');
    }
  });
}

const config = {
  revision: 2,
  consentLog: { url: '/consent' },
  categories: [
    { id: 'functional', required: true },
    { id: 'analytics', title: { nl: 'Bezoekersstatistiek' }, services: [{ id: 'google-analytics', name: 'Google Analytics', cookies: ['_ga'] }] },
  ],
};

test('accept, change and withdraw: three events under one consent ID, in order, with the notice the dialog showed', async ({ page }) => {
  const port = await freePort();
  const receiver = await startReceiver(port, join(mkdtempSync(join(tmpdir(), 'koekje-log-')), 'log.db'));
  try {
    await proxy(page, port);
    const sent = [];
    page.on('request', (r) => r.url().includes('/consent/events') && sent.push(r.method()));
    const url = await testPage(page, 'consent-log', { config });
    await page.goto(url);
    await expectBanner(page);
    await page.waitForTimeout(200);
    expect(sent).toEqual([]);
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    const record = await page.evaluate(() => koekje.consent());
    expect(record.notice).toMatch(/^[0-9a-f]{64}$/);
    // The dialog shows the receipt: the consent ID and the date.
    await page.evaluate(() => koekje.showPreferences());
    const dialog = page.getByRole('dialog');
    await expect(dialog.locator('.koekje-consent-id')).toHaveText(record.id);
    const shown = {
      title: await dialog.locator('h2').textContent(),
      categories: await dialog.locator('.koekje-category-title').allTextContents(),
    };
    await dialog.getByRole('switch', { name: /Bezoekersstatistiek/ }).uncheck();
    await dialog.getByRole('button', { name: 'Keuze bewaren' }).click();
    await page.evaluate(() => koekje.reset());
    await expect.poll(async () => (await history(port, record.id)).events.length, { timeout: 10_000 }).toBe(3);
    const h = await history(port, record.id);
    expect(h.events.map((e) => [e.event.kind, e.event.method])).toEqual([['choice', 'accept-all'], ['change', 'custom'], ['withdrawal', 'reset']]);
    expect(h.events.map((e) => e.event.decisions.analytics.accepted)).toEqual([true, false, false]);
    expect(h.events.every((e) => e.event.notice === record.notice && e.event.path === '/t/consent-log.html')).toBe(true);
    // The receiver holds the exact snapshot behind the hash, and it says what the dialog showed.
    const snapshot = h.notices[record.notice];
    expect(snapshot).not.toBeNull();
    expect(snapshot.texts.dialogTitle).toBe(shown.title);
    expect(snapshot.categories.map((c) => c.title)).toEqual(shown.categories.slice(0, 2));
    expect(snapshot.revision).toBe(2);
    const bytes = await (await fetch(`http://127.0.0.1:${port}/consent/notices/${record.notice}`)).arrayBuffer();
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', bytes)).toString('hex');
    expect(digest).toBe(record.notice);
    // Nothing left in the queue.
    expect(await page.evaluate(() => localStorage.getItem('koekje-log'))).toBeNull();
  } finally {
    receiver.kill();
  }
});

test('with the receiver down, events wait in the queue and arrive on the next page once it is up', async ({ page }) => {
  const port = await freePort();
  const db = join(mkdtempSync(join(tmpdir(), 'koekje-log-')), 'log.db');
  await proxy(page, port);
  const url = await testPage(page, 'consent-log-down', { config });
  await page.goto(url);
  await expectBanner(page);
  await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
  const id = await page.evaluate(() => koekje.consent().id);
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('koekje-log') || '{"events":[]}').events.length)).toBe(1);
  const receiver = await startReceiver(port, db);
  try {
    await page.reload();
    await koekjeReady(page);
    // Sent, and its notice uploaded, once the queue is empty.
    await expect.poll(() => page.evaluate(() => localStorage.getItem('koekje-log')), { timeout: 10_000 }).toBeNull();
    const h = await history(port, id);
    expect(h.events.map((e) => e.event.method)).toEqual(['reject-all']);
    expect(h.notices[h.events[0].event.notice]).not.toBeNull();
  } finally {
    receiver.kill();
  }
});
