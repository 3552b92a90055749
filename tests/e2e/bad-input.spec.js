// Bad input fails closed: a broken config, a corrupted or stale stored
// record, storage that throws, a wasm file that does not load, and config
// texts with markup. Each time the page keeps working, nothing
// non-essential runs, and the console says what was wrong and where.
import { test, expect } from '@playwright/test';
import { testPage, koekjeReady, banner, expectBanner, watchConsole, recordRequests, gaRequests, storedRecord } from './helpers.js';

const HELD = `
  <script type="text/plain" data-category="functional">window.__functional = true;</script>
  <script type="text/plain" data-category="analytics" data-src="https://www.googletagmanager.com/gtag/js?id=G-BAD"></script>
  <script type="text/plain" data-category="analytics">window.__analytics = true;</script>
  <script type="text/plain" data-category="marketing">window.__marketing = true;</script>`;

/** Expects that no analytics or marketing code ran and none was requested. */
async function expectNothingOptionalRan(page, requests) {
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => [window.__analytics, window.__marketing, window.__gaRuns])).toEqual([undefined, undefined, undefined]);
  expect(gaRequests(requests)).toEqual([]);
}

/**
 * Expects that the config failed closed: the built-in categories, none of
 * them required, so even a script the site may have meant as functional
 * waits for the visitor.
 */
async function expectFailedClosed(page) {
  expect(await page.evaluate(() => ['identification', 'functional', 'analytics'].map((c) => koekje.accepted(c)))).toEqual([false, false, false]);
  expect(await page.evaluate(() => window.__functional)).toBeUndefined();
  await page.evaluate(() => koekje.showPreferences());
  await expect(page.getByRole('dialog').getByRole('switch', { disabled: true })).toHaveCount(0);
  await page.evaluate(() => koekje.hide());
}

test('config that is not JSON: error in the console, banner, nothing runs', async ({ page }) => {
  const log = watchConsole(page);
  const requests = await recordRequests(page);
  const url = await testPage(page, 'not-json', { config: '{ "revision": 2, categories: [ }', head: HELD });
  await page.goto(url);
  await expectBanner(page);
  expect(log.errors.join('\n')).toMatch(/^koekje: config from "#koekje-config": not valid JSON \(.+\); the built-in categories apply, none required$/m);
  await expect(banner(page).locator('h2')).toHaveText('Mogen we cookies gebruiken?');
  await expectFailedClosed(page);
  await expectNothingOptionalRan(page, requests);
  expect(log.pageErrors).toEqual([]);
});

test('wrong types, unknown keys and duplicate ids are named; what is valid is used', async ({ page }) => {
  const log = watchConsole(page);
  const requests = await recordRequests(page);
  const config = {
    revision: 'two',
    colour: 'red',
    categories: [
      { id: 'functional', required: true },
      { id: 'marketing', required: 'yes', title: { nl: 'Reclame' }, description: { nl: 'Advertenties op maat' } },
      { id: 7 },
      { id: 'functional' },
      { id: 'analytics', services: 'google-analytics' },
    ],
  };
  const url = await testPage(page, 'wrong-types', { config, head: HELD });
  await page.goto(url);
  await expectBanner(page);
  const errors = log.errors.join('\n');
  for (const line of [
    'koekje: config.revision: expected a whole number from 0 to 4294967295',
    'koekje: config.colour: unknown key (ignored)',
    'koekje: config.categories[1].required: expected true or false',
    'koekje: config.categories[2].id: expected a string',
    'koekje: config.categories[3].id: duplicate id "functional"',
    'koekje: config.categories[4].services: expected an array',
  ]) {
    expect(errors).toContain(line);
  }
  // The broken `required` left marketing optional and off.
  expect(await page.evaluate(() => [koekje.accepted('functional'), koekje.accepted('marketing')])).toEqual([true, false]);
  await page.evaluate(() => koekje.showPreferences());
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('switch', { name: /Reclame/ })).not.toBeChecked();
  await expect(dialog.getByRole('switch', { name: /Reclame/ })).toBeEnabled();
  await expect(dialog.getByRole('switch')).toHaveCount(3);
  await expectNothingOptionalRan(page, requests);
});

test('a category without words in the shown language is named and still shown', async ({ page }) => {
  const log = watchConsole(page);
  const config = { categories: [{ id: 'chat', title: { en: 'Live chat' }, description: { en: 'Talk to us' } }] };
  const url = await testPage(page, 'no-words', { config });
  await page.goto(url);
  await expectBanner(page);
  expect(log.errors).toContain('koekje: config.categories[0].title: no text in nl');
  expect(log.errors).toContain('koekje: config.categories[0].description: no text in nl');
  await page.evaluate(() => koekje.showPreferences());
  await expect(page.getByRole('switch', { name: /Live chat/ })).toBeVisible();
});

test('a data-config URL that fails: error naming it, banner, nothing runs', async ({ page }) => {
  const log = watchConsole(page);
  const requests = await recordRequests(page);
  const url = await testPage(page, 'config-404', { scriptAttrs: 'data-config="/no-such-config.json"', head: HELD });
  await page.goto(url);
  await expectBanner(page);
  expect(log.errors).toContain('koekje: config from "/no-such-config.json": could not be loaded (HTTP 404); the built-in categories apply, none required');
  await expectFailedClosed(page);
  await expectNothingOptionalRan(page, requests);
});

test('a config whose categories are all broken fails closed too', async ({ page }) => {
  const log = watchConsole(page);
  const url = await testPage(page, 'no-valid-category', { config: { categories: { functional: true } }, head: HELD });
  await page.goto(url);
  await expectBanner(page);
  expect(log.errors).toContain('koekje: config.categories: expected an array');
  await expectFailedClosed(page);
});

test('a redirected koekje.js still finds its tag and its data-config', async ({ page }) => {
  await page.route('**/t/site-config.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ texts: { nl: { acceptAll: 'Ja, alles mag' } } }) }));
  await page.route('**/latest/koekje.js', (r) => r.fulfill({ status: 302, headers: { location: '/koekje/koekje.js' } }));
  const url = await testPage(page, 'redirected', { src: '/latest/koekje.js', scriptAttrs: 'data-config="/t/site-config.json"' });
  await page.goto(url);
  await expect(banner(page).getByRole('button', { name: 'Ja, alles mag' })).toBeVisible();
});

test('a data-config URL is used; an inline config beside it is ignored, and the console says so', async ({ page }) => {
  const log = watchConsole(page);
  await page.route('**/t/site-config.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ texts: { nl: { acceptAll: 'Ja, alles mag' } } }) }));
  const url = await testPage(page, 'config-url', {
    scriptAttrs: 'data-config="/t/site-config.json"',
    config: { texts: { nl: { acceptAll: 'Inline' } } },
  });
  await page.goto(url);
  await expect(banner(page).getByRole('button', { name: 'Ja, alles mag' })).toBeVisible();
  expect(log.warnings).toContain('koekje: #koekje-config: ignored, the data-config file applies');
});

test('"categories" misspelt: named, and the built-in categories apply with none required', async ({ page }) => {
  const log = watchConsole(page);
  const url = await testPage(page, 'categories-misspelt', { config: { categorys: [{ id: 'functional', required: true }] }, head: HELD });
  await page.goto(url);
  await expectBanner(page);
  expect(log.errors).toContain('koekje: config.categories: missing, and an unknown key holds a list of ids (misspelt?): the built-in categories apply, none required');
  await expectFailedClosed(page);
});

test('a held script whose data-category the config does not have is named once and stays held', async ({ page }) => {
  const log = watchConsole(page);
  const head = `<script type="text/plain" data-category="statistics">window.__typo = true;</script>
    <iframe data-category="statistics" data-src="/t/frame.html" title="typo"></iframe>`;
  const url = await testPage(page, 'category-typo', { head });
  await page.goto(url);
  await expectBanner(page);
  await page.evaluate(() => koekje.acceptAll());
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.__typo)).toBeUndefined();
  const named = (tag) => log.warnings.filter((w) => w === `koekje: ${tag}: no such category in the config; it stays held`);
  expect(named('script[data-category="statistics"]')).toHaveLength(1);
  expect(named('iframe[data-category="statistics"][data-src="/t/frame.html"]')).toHaveLength(1);
});

for (const [name, stored] of [
  ['not JSON', '{"version":1,'],
  ['of the wrong shape', '[1,2,3]'],
  ['of an unknown version', JSON.stringify({ version: 99 })],
]) {
  test(`a stored record ${name} counts as no consent`, async ({ page }) => {
    const log = watchConsole(page);
    const requests = await recordRequests(page);
    await page.addInitScript((value) => localStorage.setItem('koekje', value), stored);
    const url = await testPage(page, 'stored-' + name.replace(/\W+/g, '-'), { head: HELD });
    await page.goto(url);
    await expectBanner(page);
    expect(await page.evaluate(() => koekje.consent())).toBeNull();
    expect(log.warnings.some((w) => w.startsWith('koekje: stored consent'))).toBe(true);
    expect(log.pageErrors).toEqual([]);
    await expectNothingOptionalRan(page, requests);
  });
}

/** A valid accept-all record, as Koekje writes it, with `changes` applied. */

test('a valid stored record releases at once, without a banner', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.addInitScript((value) => localStorage.setItem('koekje', value), storedRecord());
  const url = await testPage(page, 'stored-valid', { head: HELD });
  await page.goto(url);
  await page.waitForFunction(() => window.__analytics === true);
  await expect(banner(page)).toHaveCount(0);
  expect(gaRequests(requests)).toHaveLength(1);
});

for (const [name, changes, config] of [
  ['for another revision', { revision: 0 }, undefined],
  ['that has expired', { expiresAt: Date.now() - 1000 }, undefined],
  ['that never asked about a new category', {}, { categories: [{ id: 'analytics' }, { id: 'marketing' }] }],
]) {
  test(`a stored record ${name}: asked again, nothing released`, async ({ page }) => {
    const requests = await recordRequests(page);
    await page.addInitScript((value) => localStorage.setItem('koekje', value), storedRecord(changes));
    const url = await testPage(page, 'stale-' + name.replace(/\W+/g, '-'), { head: HELD, config });
    await page.goto(url);
    await expectBanner(page);
    expect(await page.evaluate(() => koekje.consent())).toBeNull();
    await expectNothingOptionalRan(page, requests);
  });
}

test('localStorage that throws: the banner works for the page view', async ({ page }) => {
  const log = watchConsole(page);
  const requests = await recordRequests(page);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  });
  const url = await testPage(page, 'no-storage', { head: HELD });
  await page.goto(url);
  await expectBanner(page);
  expect(log.warnings).toContain("koekje: localStorage: not available; the visitor's choice holds for this page view only");
  await expectNothingOptionalRan(page, requests);
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__analytics === true);
  await expect(banner(page)).toHaveCount(0);
  expect(await page.evaluate(() => koekje.consent().method)).toBe('accept-all');
  expect(log.pageErrors).toEqual([]);
  // Nothing is shown to the visitor about it.
  await expect(page.locator('.koekje')).toHaveCount(0);
});

test('localStorage that refuses to store (quota): the choice holds for the page view', async ({ page }) => {
  const log = watchConsole(page);
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };
  });
  const url = await testPage(page, 'quota', { head: HELD });
  await page.goto(url);
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__analytics === true);
  expect(log.warnings.join('\n')).toContain('koekje: localStorage: refused to store the choice');
  expect(log.pageErrors).toEqual([]);
});

for (const [name, handler] of [
  ['answers 404', (route) => route.fulfill({ status: 404, body: 'not found' })],
  ['is corrupted', (route) => route.fulfill({ contentType: 'application/wasm', body: Buffer.from('\0asm\x01\0\0\0garbage that is not wasm') })],
]) {
  test(`a wasm file that ${name}: held scripts stay held, the page keeps working`, async ({ page }) => {
    const log = watchConsole(page);
    const requests = await recordRequests(page);
    await page.addInitScript((value) => localStorage.setItem('koekje', value), storedRecord());
    await page.route('**/koekje/koekje_bg.wasm', handler);
    const url = await testPage(page, 'wasm-' + name.replace(/\W+/g, '-'), { head: HELD });
    await page.goto(url);
    await expect.poll(() => log.errors.some((e) => e.startsWith('koekje: could not start'))).toBe(true);
    // The API stays safe: nothing accepted, no record, the calls do nothing.
    expect(await page.evaluate(async () => [await koekje.ready, koekje.accepted('analytics'), koekje.consent(), koekje.acceptAll()])).toEqual([null, false, null, undefined]);
    await expectNothingOptionalRan(page, requests);
    expect(await page.locator('script[type="text/plain"]').count()).toBe(4);
    // The page still works: its links navigate.
    await page.click('#home');
    await expect(page).toHaveURL(/\/$/);
  });
}

test('a wasm served without application/wasm: Koekje still starts, and says why it starts slower', async ({ page }) => {
  const log = watchConsole(page);
  await page.route('**/koekje/koekje_bg.wasm', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  const url = await testPage(page, 'wasm-mime', { head: HELD });
  await page.goto(url);
  await expectBanner(page);
  expect(log.warnings.join('\n')).toContain('is not served as application/wasm');
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__analytics === true);
  expect(log.pageErrors).toEqual([]);
});

test('texts with markup are shown as text, never run', async ({ page }) => {
  const log = watchConsole(page);
  const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
  const config = {
    privacyPolicy: 'javascript:window.__xss=3',
    texts: { nl: { bannerTitle: payload, acceptAll: '<b>ja</b>' } },
    categories: [{ id: 'analytics', title: payload, description: { nl: payload } }],
  };
  const url = await testPage(page, 'markup', { config });
  await page.goto(url);
  await expectBanner(page);
  await expect(banner(page).locator('h2')).toHaveText(payload);
  await expect(banner(page).getByRole('button', { name: '<b>ja</b>' })).toBeVisible();
  await page.evaluate(() => koekje.showPreferences());
  await expect(page.locator('.koekje-category-title')).toHaveText(payload);
  expect(await page.locator('.koekje img, .koekje script, .koekje b').count()).toBe(0);
  // A javascript: address is refused as a privacy link.
  expect(log.errors).toContain('koekje: config.privacyPolicy: expected a web address (http, https or a path)');
  expect(await page.locator('.koekje a[href^="javascript"]').count()).toBe(0);
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
});

test('a config nested thousands of levels deep is refused without harm', async ({ page }) => {
  const log = watchConsole(page);
  const deep = '{"texts": ' + '['.repeat(5000) + ']'.repeat(5000) + '}';
  const url = await testPage(page, 'deep-config', { config: deep });
  await page.goto(url);
  await expectBanner(page);
  expect(log.errors.join('\n')).toContain('nested too deeply');
  expect(log.pageErrors).toEqual([]);
});
