// Google Analytics done right: Consent Mode v2 defaults before any Google
// tag command, exact updates after each choice, basic and advanced modes,
// and a withdrawal that reloads the page so trackers stop.
import { test, expect } from '@playwright/test';
import { testPage, koekjeReady, banner, expectBanner, recordRequests, gaRequests, withdrawAnalytics, clickSeen } from './helpers.js';

// The Google snippet as the README documents it, with koekje-gcm.js first.
const GOOGLE = (mode = 'basic') => `
  <script src="/koekje/koekje-gcm.js"></script>
  ${mode === 'basic'
    ? `<script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="https://www.googletagmanager.com/gtag/js?id=G-TEST" async></script>
       <script type="text/plain" data-category="analytics" data-service="google-analytics">gtag('js', new Date()); gtag('config', 'G-TEST');</script>`
    : `<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST"></script>
       <script src="/t/gtag-config.js"></script>`}`;

/** The page's dataLayer as plain arrays. */
const dataLayer = (page) => page.evaluate(() => window.dataLayer.map((a) => Array.from(a)));
const updates = async (page) => (await dataLayer(page)).filter((a) => a[0] === 'consent' && a[1] === 'update').map((a) => a[2]);

const DENIED = {
  ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied',
  functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted',
};

test('defaults reach dataLayer before any Google tag command; exact updates after accept and reject', async ({ page }) => {
  const requests = await recordRequests(page);
  const url = await testPage(page, 'gcm-basic', { head: GOOGLE(), config: { reloadOnWithdrawal: false } });
  await page.goto(url);
  await koekjeReady(page);
  const first = (await dataLayer(page))[0];
  expect(first).toEqual(['consent', 'default', { ...DENIED, wait_for_update: 500 }]);
  // Koekje sends an update as soon as it has read the (absent) choice: only what is required.
  expect(await updates(page)).toEqual([{ ...DENIED, functionality_storage: 'granted', personalization_storage: 'granted' }]);
  expect(gaRequests(requests)).toEqual([]);

  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__gaRuns === 1);
  const all = await updates(page);
  expect(all.at(-1)).toEqual({
    ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', // no marketing category
    analytics_storage: 'granted', functionality_storage: 'granted', personalization_storage: 'granted', security_storage: 'granted',
  });
  // The update comes before the Google tag's own commands.
  const layer = await dataLayer(page);
  const lastUpdate = layer.findLastIndex((a) => a[0] === 'consent' && a[1] === 'update');
  expect(layer.findIndex((a) => a[0] === 'js')).toBeGreaterThan(lastUpdate);

  await page.evaluate(() => koekje.rejectAll());
  expect((await updates(page)).at(-1)).toEqual({ ...DENIED, functionality_storage: 'granted', personalization_storage: 'granted' });
});

test('a custom choice maps each category to its signals, from the config', async ({ page }) => {
  const config = {
    reloadOnWithdrawal: false,
    categories: [{ id: 'functional', required: true }, { id: 'analytics' }, { id: 'marketing' }],
    consentMode: { signals: { personalization_storage: ['marketing'] } },
  };
  const url = await testPage(page, 'gcm-custom', { head: GOOGLE(), config });
  await page.goto(url);
  await koekjeReady(page);
  await page.evaluate(() => koekje.accept(['marketing']));
  expect((await updates(page)).at(-1)).toEqual({
    ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'denied',
    functionality_storage: 'granted', personalization_storage: 'granted', security_storage: 'granted',
  });
  await page.evaluate(() => koekje.accept(['analytics']));
  expect((await updates(page)).at(-1)).toEqual({
    ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'granted',
    functionality_storage: 'granted', personalization_storage: 'denied', security_storage: 'granted',
  });
});

test('a stored choice is sent before the released Google tag runs', async ({ page }) => {
  await recordRequests(page);
  const url = await testPage(page, 'gcm-stored', { head: GOOGLE() });
  await page.goto(url);
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.reload();
  await page.waitForFunction(() => window.__gaRuns === 1 && window.dataLayer.some((a) => a[0] === 'config'));
  const layer = await dataLayer(page);
  expect(layer[0][1]).toBe('default');
  expect(layer[1]).toEqual(['consent', 'update', expect.objectContaining({ analytics_storage: 'granted' })]);
  expect(layer.findIndex((a) => a[0] === 'js')).toBeGreaterThan(1);
});

test('advanced mode: the Google tag loads at once with everything denied, then gets the update', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.route('**/t/gtag-config.js', (r) => r.fulfill({ contentType: 'text/javascript', body: "gtag('js', new Date()); gtag('config', 'G-TEST');" }));
  const config = { consentMode: { mode: 'advanced' } };
  const held = `<script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="https://www.googletagmanager.com/gtag/js?id=G-HELD"></script>
                <script type="text/plain" data-category="analytics" data-service="hotjar">window.__hotjar = true;</script>`;
  const url = await testPage(page, 'gcm-advanced', { head: GOOGLE('advanced') + held, config });
  await page.goto(url);
  await koekjeReady(page);
  await expectBanner(page);
  // The Google tag (also a held one marked google-analytics) runs, denied; other analytics stay held.
  await page.waitForFunction(() => window.__gaRuns === 2);
  expect(gaRequests(requests)).toHaveLength(2);
  expect(await page.evaluate(() => window.__hotjar)).toBeUndefined();
  expect((await updates(page)).at(-1).analytics_storage).toBe('denied');
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  expect((await updates(page)).at(-1).analytics_storage).toBe('granted');
  await page.waitForFunction(() => window.__hotjar === true);
});

test('withdrawing consent for scripts that already ran reloads the page, and they stay off', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__gaRuns === 1);
  await page.evaluate(() => { window.__sameDocument = true; });
  await withdrawAnalytics(page);
  expect(await page.evaluate(() => [window.__sameDocument, window.__gaRuns])).toEqual([undefined, undefined]);
  expect(gaRequests(requests)).toHaveLength(1);
  await expect(banner(page)).toHaveCount(0);
});

test('with reloadOnWithdrawal off, a withdrawal does not reload', async ({ page }) => {
  await recordRequests(page);
  const url = await testPage(page, 'no-reload', { head: GOOGLE(), config: { reloadOnWithdrawal: false } });
  await page.goto(url);
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__gaRuns === 1);
  await page.evaluate(() => { window.__sameDocument = true; koekje.rejectAll(); });
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
});

test('one service of a category allowed: the category\'s other scripts and its signal stay off', async ({ page }) => {
  const requests = await recordRequests(page);
  const config = {
    reloadOnWithdrawal: false,
    categories: [
      { id: 'functional', required: true },
      { id: 'analytics', services: [{ id: 'google-analytics' }, { id: 'youtube', name: 'YouTube' }] },
    ],
  };
  const head = `${GOOGLE()}
    <script type="text/plain" data-category="analytics">window.__categoryScript = true;</script>`;
  const body = '<iframe data-category="analytics" data-service="youtube" data-src="/t/yt.html" width="320" height="180" title="Video"></iframe>';
  const url = await testPage(page, 'one-service', { head, body, config });
  await page.goto(url);
  await clickSeen(page.locator('[data-koekje-placeholder]').getByRole('button', { name: 'YouTube altijd toestaan' }));
  await expect(page.locator('iframe[data-service=youtube]')).toHaveAttribute('src', '/t/yt.html');
  expect(await page.evaluate(() => [koekje.accepted('analytics', 'youtube'), koekje.accepted('analytics')])).toEqual([true, false]);
  expect((await updates(page)).at(-1).analytics_storage).toBe('denied');
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.__categoryScript)).toBeUndefined();
  expect(gaRequests(requests)).toEqual([]);
  // The dialog shows the category partly on.
  await page.evaluate(() => koekje.showPreferences());
  const category = page.getByRole('dialog').locator('input[data-koekje-category=analytics]:not([data-koekje-service])');
  await expect(category).toBeChecked();
  await expect(category).toHaveAttribute('data-koekje-mixed', '');
});
