// The JavaScript API on window.koekje and as module exports, and the events.
import { test, expect } from '@playwright/test';
import { testPage, koekjeReady, banner, expectBanner, recordRequests, gaRequests, watchConsole, analyticsCookies } from './helpers.js';

const HELD = `
  <script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="https://www.googletagmanager.com/gtag/js?id=G-TEST" async></script>
  <script type="text/plain" data-category="analytics">window.__analyticsInline = (window.__analyticsInline || 0) + 1;</script>
  <script type="text/plain" data-category="functional">window.__functional = true;</script>`;

test('ready event, accept(), accepted(), consent(), reset(), show(), hide()', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.addInitScript(() => {
    window.__events = [];
    for (const name of ['koekje:ready', 'koekje:consent', 'koekje:change']) {
      addEventListener(name, (e) => window.__events.push([name, e.detail && (e.detail.method || e.detail.changes)]));
    }
  });
  // No reload on withdrawal here: this test follows one page through many choices.
  const url = await testPage(page, 'api', { head: HELD, config: { reloadOnWithdrawal: false } });
  await page.goto(url);
  await koekjeReady(page);
  // Required categories' scripts run without asking.
  await page.waitForFunction(() => window.__functional === true);
  expect(await page.evaluate(() => window.__events)).toEqual([['koekje:ready', null]]);
  expect(await page.evaluate(() => [koekje.accepted('functional'), koekje.accepted('analytics'), koekje.accepted('nope')])).toEqual([true, false, false]);

  await page.evaluate(() => koekje.accept(['analytics']));
  await page.waitForFunction(() => window.__analyticsInline === 1);
  expect(gaRequests(requests)).toHaveLength(1);
  await expect(banner(page)).toHaveCount(0);
  expect(await page.evaluate(() => koekje.consent().method)).toBe('custom');
  expect(await page.evaluate(() => koekje.accepted('analytics', 'google-analytics'))).toBe(true);

  await page.evaluate(() => koekje.rejectAll());
  const events = await page.evaluate(() => window.__events);
  expect(events.map((e) => e[0])).toEqual(['koekje:ready', 'koekje:consent', 'koekje:consent', 'koekje:change']);
  expect(events[3][1]).toContainEqual({ category: 'analytics', service: null, accepted: false });
  // Already released scripts are not released twice.
  await page.evaluate(() => koekje.acceptAll());
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.__analyticsInline)).toBe(1);

  await page.evaluate(() => koekje.reset());
  await expect(banner(page)).toBeVisible();
  expect(await page.evaluate(() => [koekje.consent(), localStorage.getItem('koekje')])).toEqual([null, null]);
  await page.evaluate(() => koekje.hide());
  await expect(banner(page)).toHaveCount(0);
  await page.evaluate(() => koekje.show());
  await expect(banner(page)).toBeVisible();
  await page.evaluate(() => koekje.showPreferences());
  await expect(page.getByRole('dialog')).toBeVisible();
});

test('reset() withdraws: the cookies of what was accepted go, and the page reloads', async ({ page }) => {
  await recordRequests(page);
  const url = await testPage(page, 'reset-withdraws', { head: HELD });
  await page.goto(url);
  await koekjeReady(page);
  await page.evaluate(() => koekje.acceptAll());
  await page.waitForFunction(() => window.__gaRuns === 1);
  expect(await analyticsCookies(page)).not.toEqual([]);
  const reloaded = page.waitForEvent('load');
  await page.evaluate(() => { setTimeout(() => koekje.reset(), 0); });
  await reloaded;
  await koekjeReady(page);
  await expect(banner(page)).toBeVisible();
  expect(await analyticsCookies(page)).toEqual([]);
  expect(await page.evaluate(() => [window.__gaRuns, window.__analyticsInline, koekje.consent()])).toEqual([undefined, undefined, null]);
});

test('the module exports the same API', async ({ page }) => {
  const url = await testPage(page, 'exports');
  await page.goto(url);
  await koekjeReady(page);
  const names = await page.evaluate(async () => Object.keys(await import('/koekje/koekje.js')).sort());
  for (const name of ['accept', 'acceptAll', 'accepted', 'consent', 'hide', 'ready', 'rejectAll', 'reset', 'setLanguage', 'show', 'showPreferences']) {
    expect(names).toContain(name);
  }
  // Importing it again does not start a second banner.
  await expect(banner(page)).toHaveCount(1);
});

test('scripts are released in document order, each external one finishing first', async ({ page }) => {
  await recordRequests(page, { gaDelayMs: 400 });
  await page.route('**/t/slow-*.js', async (route) => {
    const n = route.request().url().match(/slow-(\d)/)[1];
    await new Promise((r) => setTimeout(r, n === '1' ? 300 : 10));
    await route.fulfill({ contentType: 'text/javascript', body: `window.__order.push('external-${n}');` });
  });
  const url = await testPage(page, 'order', {
    head: `<script type="text/plain" data-category="analytics">window.__order = ['inline-0'];</script>
      <script type="text/plain" data-category="analytics" data-src="/t/slow-1.js"></script>
      <script type="text/plain" data-category="analytics">window.__order.push('inline-1');</script>
      <script type="text/plain" data-category="analytics" data-src="/t/slow-2.js" async></script>
      <script type="text/plain" data-category="analytics">window.__order.push('inline-2');</script>`,
  });
  await page.goto(url);
  await koekjeReady(page);
  await page.evaluate(() => koekje.acceptAll());
  await page.waitForFunction(() => window.__order && window.__order.length === 5);
  expect(await page.evaluate(() => window.__order)).toEqual(['inline-0', 'external-1', 'inline-1', 'external-2', 'inline-2']);
  // Attributes are kept on the released script.
  expect(await page.locator('script[src="/t/slow-2.js"]').evaluate((s) => [s.async, s.type])).toEqual([true, '']);
});

test('wrong calls to the API are named in the console and record nothing wrong', async ({ page }) => {
  const log = watchConsole(page);
  const url = await testPage(page, 'api-misuse');
  await page.goto(url);
  await koekjeReady(page);
  await page.evaluate(() => koekje.accept('analytics'));
  expect(log.errors).toContain('koekje: accept(categories): expected an array of category ids; nothing recorded');
  expect(await page.evaluate(() => koekje.consent())).toBeNull();
  await page.evaluate(() => koekje.accept(['analytics', 'bogus', 7]));
  expect(log.errors).toContain('koekje: accept(categories)[1]: unknown category (left out) "bogus"');
  expect(log.errors).toContain('koekje: accept(categories)[2]: expected a string (left out)');
  expect(await page.evaluate(() => koekje.consent().categories)).toEqual({ identification: true, functional: true, analytics: true });
  expect(await page.evaluate(() => koekje.accepted())).toBe(false);
  expect(log.errors).toContain('koekje: accepted(category): expected a category id');
  expect(log.pageErrors).toEqual([]);
});

test('the GPC record says it never expires with null', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  const url = await testPage(page, 'gpc-record');
  await page.goto(url);
  await koekjeReady(page);
  expect(await page.evaluate(() => koekje.consent())).toMatchObject({ method: 'gpc', gpc: true, id: '', expiresAt: null });
});

test('koekje:show and koekje:hide follow the banner and the dialog; GTM gets koekje_consent on a page with a dataLayer', async ({ page }) => {
  await page.addInitScript(() => {
    window.dataLayer = [];
    window.__views = [];
    for (const type of ['koekje:show', 'koekje:hide']) addEventListener(type, (e) => window.__views.push(type.slice(7) + ' ' + e.detail.view));
  });
  const url = await testPage(page, 'view-events');
  await page.goto(url);
  await expectBanner(page);
  await page.evaluate(() => koekje.showPreferences());
  await page.getByRole('dialog').getByRole('button', { name: 'Alles aanvaarden' }).click();
  await expect(banner(page)).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => window.__views)).toEqual(['show banner', 'show dialog', 'hide banner', 'hide dialog']);
  const layer = await page.evaluate(() => window.dataLayer.filter((e) => e.event === 'koekje_consent'));
  expect(layer).toEqual([{ event: 'koekje_consent', koekjeCategories: ['identification', 'functional', 'analytics'], koekjeServices: ['google-analytics'], koekjeMethod: 'accept-all' }]);
  // A stored choice: the event comes at start too.
  await page.reload();
  await koekjeReady(page);
  expect(await page.evaluate(() => window.dataLayer.filter((e) => e.event === 'koekje_consent').length)).toBe(1);
});
