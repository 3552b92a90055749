// The built-in words are fetched per language (koekje-texts-LANG.txt): a
// first visit downloads the language shown and no other, a later visit
// with a stored choice none; a words file that does not load, or is from
// another build, shows no interface, and nothing that needs consent runs.
// And the banner comes back when page code or a framework takes it out.
import { test, expect } from '@playwright/test';
import { testPage, koekjeReady, banner, expectBanner, watchConsole, storedRecord } from './helpers.js';

const HELD = `<script type="text/plain" data-category="analytics">window.__analytics = (window.__analytics || 0) + 1;</script>`;
const words = (requests) => requests.filter((u) => /koekje-texts-/.test(u)).map((u) => u.replace(/^.*koekje-texts-/, ''));

function watchRequests(page) {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  return requests;
}

test('a first visit fetches the words of the language shown, once; a later visit fetches none', async ({ page }) => {
  const requests = watchRequests(page);
  const url = await testPage(page, 'words-first', { lang: 'de-AT', head: HELD });
  await page.goto(url);
  await expectBanner(page);
  await expect(banner(page).locator('[data-koekje-action=reject-all]')).toHaveText('Alle ablehnen');
  await page.evaluate(() => koekje.showPreferences());
  await expect(page.getByRole('dialog')).toContainText('Analyse-Cookies');
  expect(words(requests)).toEqual(['de.txt']);
  await page.getByRole('dialog').getByRole('button', { name: 'Auswahl speichern' }).click();
  requests.length = 0;
  await page.reload();
  await koekjeReady(page);
  await expect(banner(page)).toHaveCount(0);
  expect(words(requests)).toEqual([]);
  // The cookie settings, later: the words come then.
  await page.evaluate(() => koekje.showPreferences());
  await expect(page.getByRole('dialog').getByRole('switch', { name: /Analyse-Cookies/ })).toBeVisible();
  expect(words(requests)).toEqual(['de.txt']);
});

test('the config chooses another language than the page: the guess costs one more file, the config wins', async ({ page }) => {
  const requests = watchRequests(page);
  const url = await testPage(page, 'words-guess', { lang: 'nl-BE', config: { language: 'fr' } });
  await page.goto(url);
  await expectBanner(page);
  await expect(banner(page).locator('[data-koekje-action=reject-all]')).toHaveText('Tout refuser');
  expect(words(requests).sort()).toEqual(['fr.txt', 'nl.txt']);
});

test('setLanguage fetches the new language and shows what is open in it', async ({ page }) => {
  const requests = watchRequests(page);
  const url = await testPage(page, 'words-switch', { lang: 'nl-BE' });
  await page.goto(url);
  await expectBanner(page);
  await page.evaluate(() => koekje.showPreferences());
  await page.evaluate(() => koekje.setLanguage('en'));
  await expect(page.getByRole('dialog').getByRole('button', { name: 'Save choices' })).toBeVisible();
  await expect(banner(page).locator('[data-koekje-action=reject-all]')).toHaveText('Reject all');
  expect(words(requests)).toEqual(['nl.txt', 'en.txt']);
});

for (const [name, handler, why] of [
  ['answers 404', (route) => route.fulfill({ status: 404, body: 'not found' }), 'HTTP 404'],
  ['is from another build', (route) => route.fulfill({ contentType: 'text/plain', body: '0123456789abcdef\n' + 'x\n'.repeat(33) + 'x' }), 'of another build'],
]) {
  test(`a words file that ${name}: no interface, nothing that needs consent runs, the page works`, async ({ page }) => {
    const log = watchConsole(page);
    await page.route('**/koekje/koekje-texts-nl.txt', handler);
    const url = await testPage(page, 'words-' + name.replace(/\W+/g, '-'), { head: HELD });
    await page.goto(url);
    await expect.poll(() => log.errors.join('\n')).toContain('koekje-texts-nl.txt could not be loaded (' + why + ')');
    await koekjeReady(page);
    await page.waitForTimeout(200);
    await expect(banner(page)).toHaveCount(0);
    expect(await page.evaluate(() => [koekje.accepted('analytics'), window.__analytics])).toEqual([false, undefined]);
    expect(log.pageErrors).toEqual([]);
  });
}

test('words of the right build but the wrong shape are refused by the wasm', async ({ page }) => {
  const log = watchConsole(page);
  await page.route('**/koekje/koekje-texts-nl.txt', async (route) => {
    const response = await route.fetch();
    const [build] = (await response.text()).split('\n');
    // One word short: the buttons would be labelled with their neighbours' words.
    await route.fulfill({ contentType: 'text/plain', body: build + '\n' + 'x\n'.repeat(32) + 'x' });
  });
  const url = await testPage(page, 'words-shape', { head: HELD });
  await page.goto(url);
  await expect.poll(() => log.errors.join('\n')).toContain('koekje: koekje-texts "nl": not the built-in words of this build');
  await expect(banner(page)).toHaveCount(0);
  expect(await page.evaluate(() => window.__analytics)).toBeUndefined();
});

test('a banner that page code takes out comes back, three times; then Koekje says so and nothing runs', async ({ page }) => {
  const log = watchConsole(page);
  const url = await testPage(page, 'put-back', { head: HELD });
  await page.goto(url);
  await expectBanner(page);
  await koekjeReady(page);
  // What page code can take out: the banner's host, which holds it in its
  // shadow root (first in the body).
  const takeOut = () => page.evaluate(() => {
    const host = document.body.firstElementChild;
    if (host.localName !== 'koekje-ui' || !host.shadowRoot.getElementById('koekje-banner')) throw new Error('no banner in the first host');
    host.remove();
  });
  for (let i = 0; i < 3; i++) {
    await takeOut();
    await expectBanner(page);
  }
  await takeOut();
  await expect.poll(() => log.warnings.join('\n')).toContain('koekje: banner: was taken out of the page again');
  await expect(banner(page)).toHaveCount(0);
  expect(await page.evaluate(() => [koekje.accepted('analytics'), window.__analytics])).toEqual([false, undefined]);
  // The page's own way back to the choice still works.
  await page.evaluate(() => koekje.show());
  await expectBanner(page);
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await expect.poll(() => page.evaluate(() => window.__analytics)).toBe(1);
});

test('a body that a framework renders again (the banner with it) gets the banner back', async ({ page }) => {
  const url = await testPage(page, 'put-back-body', { head: HELD, body: '<main id="app"><p>app</p></main>' });
  await page.goto(url);
  await expectBanner(page);
  await koekjeReady(page);
  // What React does after a failed hydration of the whole document.
  await page.evaluate(() => document.body.replaceChildren(...[...document.body.children].filter((el) => el.id === 'app')));
  await expectBanner(page);
  await expect(banner(page)).toHaveCount(1);
});

test('a first visit: the banner shows before the rest of the start (koekje:show, then koekje:ready)', async ({ page }) => {
  await page.addInitScript(() => {
    window.__events = [];
    for (const name of ['koekje:show', 'koekje:ready']) addEventListener(name, () => window.__events.push(name));
  });
  const url = await testPage(page, 'words-order', { head: HELD });
  await page.goto(url);
  await koekjeReady(page);
  expect(await page.evaluate(() => window.__events)).toEqual(['koekje:show', 'koekje:ready']);
});

test('setLanguage while the words are on their way: a choice in between records the language shown', async ({ page }) => {
  let release;
  const held = new Promise((r) => (release = r));
  await page.route('**/koekje/koekje-texts-en.txt', async (route) => {
    await held;
    await route.continue();
  });
  const url = await testPage(page, 'words-pending', { head: HELD });
  await page.goto(url);
  await expectBanner(page);
  await page.evaluate(() => koekje.setLanguage('en'));
  await expect(banner(page).locator('[data-koekje-action=reject-all]')).toHaveText('Alles weigeren');
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  expect(await page.evaluate(() => koekje.consent().language)).toBe('nl');
  release();
  await page.evaluate(() => koekje.showPreferences());
  await expect(page.getByRole('dialog').getByRole('button', { name: 'Save choices' })).toBeVisible();
});

test('a stale words file in the browser\'s cache is fetched once more past it; the cookie settings then open', async ({ page }) => {
  const log = watchConsole(page);
  await page.addInitScript((value) => localStorage.setItem('koekje', value), storedRecord());
  let tries = 0;
  await page.route('**/koekje/koekje-texts-nl.txt', async (route) => {
    tries += 1;
    if (tries === 1) return route.fulfill({ contentType: 'text/plain', body: '0123456789abcdef\n' + 'x\n'.repeat(33) + 'x' });
    return route.continue();
  });
  const url = await testPage(page, 'words-stale', { head: HELD });
  await page.goto(url);
  await koekjeReady(page);
  await page.evaluate(() => koekje.showPreferences());
  await expect(page.getByRole('dialog').getByRole('switch', { name: /Analytische cookies/ })).toBeVisible();
  expect(tries).toBe(2);
  expect(log.errors.join('\n')).not.toContain('could not be loaded');
});

