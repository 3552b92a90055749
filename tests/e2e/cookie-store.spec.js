// The choice in a first-party cookie ("store": "cookie" or "both"): what is
// written and with which attributes, a returning visitor with the cookie
// only, withdrawal, the cookie shared by subdomains, the newest record
// winning between localStorage and the cookie, and forged or broken cookies
// that give no consent. The https sites (www.koekje.test and its
// subdomains) are answered by the test itself from dist/, so their pages
// are real https origins without a certificate.
import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { testPage, koekjeReady, banner, expectBanner, watchConsole, storedRecord, serveKoekjeTest } from './helpers.js';
import { PORT } from '../../playwright.config.js';

const ORIGIN = `http://127.0.0.1:${PORT}`;
const DAY = 86_400_000;
/** A held script of the built-in analytics category: counts its runs. */
const HELD = `<script type="text/plain" data-category="analytics" data-service="google-analytics">window.__released = (window.__released || 0) + 1;</script>`;
/** The cookie value Koekje writes: record version 1, then the fields. */
const VALUE = /^1\.1\.(accept-all|reject-all|custom|embed)\.[01]\.\d+\.\d+\.\d+\.[a-z]{2}\.[0-9a-f-]{36}\.(?:[0-9a-f]{64})?(\.[A-Za-z0-9_-]+:[01](:[A-Za-z0-9_-]+:[01])*)+$/;

const consentCookie = async (context, name = 'koekje') => (await context.cookies()).find((c) => c.name === name);
const released = (page) => page.evaluate(() => window.__released ?? 0);

/** The README's server-side reader of the cookie, `koekjeChoice(cookieHeader, name)`. */
async function readmeReader() {
  const readme = await readFile('README.md', 'utf8');
  const code = /<!-- cookie reader -->\n```js\n([\s\S]*?)\n```/.exec(readme)[1];
  return new Function(`${code}\nreturn koekjeChoice;`)();
}

/** A cookie value for the built-in categories, as Koekje writes it. */
function cookieValue({ analytics = true, method = analytics ? 'accept-all' : 'reject-all', updatedAt = Date.now(), revision = 1 } = {}) {
  const a = analytics ? 1 : 0;
  return [1, revision, method, 0, updatedAt, updatedAt, updatedAt + 182 * DAY, 'nl', '00000000-0000-4000-8000-000000000000', '',
    'identification:1', 'functional:1', `analytics:${a}:google-analytics:${a}`].join('.');
}

test.describe('on http', () => {
  test('cookie only: the choice is a cookie with the right attributes, nothing goes to localStorage, and the next page needs no banner', async ({ page, context }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'cookie-only', { config: { store: 'cookie' }, body: HELD });
    await page.goto(url);
    await expectBanner(page);
    expect(await released(page)).toBe(0);
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await expect.poll(() => released(page)).toBe(1);
    const cookie = await consentCookie(context);
    expect(cookie).toMatchObject({ domain: '127.0.0.1', path: '/', sameSite: 'Lax', secure: false, httpOnly: false });
    expect(cookie.value).toMatch(VALUE);
    // It lasts as long as the choice does: 182 days.
    expect(Math.abs(cookie.expires * 1000 - (Date.now() + 182 * DAY))).toBeLessThan(60_000);
    const record = await page.evaluate(() => koekje.consent());
    expect(cookie.value.split('.').slice(0, 9)).toEqual(['1', '1', 'accept-all', '0', String(record.givenAt), String(record.updatedAt), String(record.expiresAt), 'nl', record.id]);
    expect(cookie.value.length).toBeLessThan(300);
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    // What the README's server-side reader makes of it.
    const koekjeChoice = await readmeReader();
    expect(koekjeChoice(`theme=dark; koekje=${cookie.value}; x=1`)).toEqual({
      revision: 1, method: 'accept-all', gpc: false, givenAt: record.givenAt, updatedAt: record.updatedAt,
      expiresAt: record.expiresAt, language: 'nl', id: record.id, notice: record.notice,
      categories: {
        identification: { accepted: true, services: {} }, functional: { accepted: true, services: {} },
        analytics: { accepted: true, services: { 'google-analytics': true } },
      },
    });
    expect(koekjeChoice('koekjes=1.1')).toBeNull();
    expect(koekjeChoice(undefined)).toBeNull();

    await page.reload();
    await koekjeReady(page);
    await expect(banner(page)).toHaveCount(0);
    expect(await released(page)).toBe(1);
    expect(await page.evaluate(() => koekje.consent())).toEqual(record);
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    expect(log.errors.concat(log.warnings, log.pageErrors)).toEqual([]);
  });

  test('a returning visitor with only the cookie (set by the server, say) sees no banner, and the held script runs', async ({ page, context }) => {
    await context.addCookies([{ name: 'koekje', value: cookieValue(), url: `${ORIGIN}/` }]);
    const url = await testPage(page, 'cookie-returning', { config: { store: 'cookie' }, body: HELD });
    await page.goto(url);
    await koekjeReady(page);
    await expect(banner(page)).toHaveCount(0);
    expect(await released(page)).toBe(1);
    expect(await page.evaluate(() => [koekje.accepted('analytics'), koekje.consent().method])).toEqual([true, 'accept-all']);
  });

  test('cookie only, the choice expired (its cookie gone with it): what it allowed is deleted before the banner asks again', async ({ page, context }) => {
    await context.addCookies([{ name: '_ga', value: 'GA1.1.1.1', domain: '127.0.0.1', path: '/' }]);
    const config = { store: 'cookie', categories: [{ id: 'analytics', cookies: [{ name: '_ga*' }] }] };
    const url = await testPage(page, 'cookie-expired', { config, body: HELD });
    await page.goto(url);
    await expectBanner(page);
    await koekjeReady(page);
    expect((await context.cookies()).map((c) => c.name)).toEqual([]);
  });

  test('withdrawal deletes the cookie, and the banner asks again', async ({ page, context }) => {
    const url = await testPage(page, 'cookie-withdrawal', { config: { store: 'cookie' }, body: HELD });
    await page.goto(url);
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await expect.poll(() => released(page)).toBe(1);
    expect(await consentCookie(context)).toBeDefined();
    // The script that ran is now refused: the page reloads.
    const reloaded = page.waitForEvent('load');
    await page.evaluate(() => koekje.reset());
    await reloaded;
    await koekjeReady(page);
    await expectBanner(page);
    expect(await consentCookie(context)).toBeUndefined();
    expect(await released(page)).toBe(0);
  });

  test('the refused-cookie clean-up never deletes the consent cookie, even under a refused "*"', async ({ page, context }) => {
    const config = { store: 'cookie', categories: [{ id: 'functional', required: true }, { id: 'analytics', cookies: ['*'] }] };
    await context.addCookies([{ name: '_tracker', value: '1', url: `${ORIGIN}/` }]);
    const url = await testPage(page, 'cookie-kept', { config });
    await page.goto(url);
    await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
    await expect.poll(async () => (await context.cookies()).map((c) => c.name)).toEqual(['koekje']);
    await page.reload();
    await koekjeReady(page);
    await expect(banner(page)).toHaveCount(0);
    expect((await context.cookies()).map((c) => c.name)).toEqual(['koekje']);
  });

  test('both: the choice is in both places; the newer record wins, and a record found in one place only is kept in the other', async ({ page, context }) => {
    const url = await testPage(page, 'cookie-both', { config: { store: 'both' }, body: HELD });
    // Chosen before the cookie was configured: localStorage only.
    await page.addInitScript((value) => {
      if (!sessionStorage.getItem('seeded')) {
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem('koekje', value);
      }
    }, storedRecord({ analytics: true, updatedAt: Date.now() - DAY }));
    await page.goto(url);
    await koekjeReady(page);
    await expect(banner(page)).toHaveCount(0);
    expect(await released(page)).toBe(1);
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('koekje')));
    await expect.poll(async () => (await consentCookie(context))?.value).toBe(cookieValue({ updatedAt: stored.updatedAt }));

    // A newer refusal in the cookie (made on another subdomain) wins over
    // the older acceptance in localStorage, and is copied there.
    await context.addCookies([{ name: 'koekje', value: cookieValue({ analytics: false }), url: `${ORIGIN}/` }]);
    await page.reload();
    await koekjeReady(page);
    expect(await page.evaluate(() => [koekje.accepted('analytics'), koekje.consent().method, JSON.parse(localStorage.getItem('koekje')).method]))
      .toEqual([false, 'reject-all', 'reject-all']);
    expect(await released(page)).toBe(0);

    // A choice in the dialog goes to both.
    await page.evaluate(() => koekje.acceptAll());
    const record = await page.evaluate(() => koekje.consent());
    expect(JSON.parse(await page.evaluate(() => localStorage.getItem('koekje')))).toEqual(record);
    expect((await consentCookie(context)).value.split('.')[5]).toBe(String(record.updatedAt));
  });

  test('forged, broken or stale cookies give no consent: the banner asks, nothing is released', async ({ page, context }) => {
    test.setTimeout(90_000);
    const log = watchConsole(page);
    const url = await testPage(page, 'cookie-forged', { config: { store: 'cookie' }, body: HELD });
    const now = Date.now();
    const good = cookieValue({ updatedAt: now });
    const cases = {
      garbage: 'yes',
      'another version': good.replace(/^1\./, '2.'),
      'the localStorage form': encodeURIComponent(storedRecord()),
      'a GPC record': good.replace('accept-all', 'gpc'),
      truncated: good.slice(0, good.lastIndexOf(':')),
      'a category decided twice': `${good}.analytics:1:google-analytics:1`,
      'an unknown method': good.replace('accept-all', 'accept-everything'),
      'a time that is not whole': good.replace(`.${now}.`, `.${now}5e-1.`),
      oversized: good + Array.from({ length: 700 }, (_, i) => `.c${i}:0`).join('').slice(0, 4050 - good.length),
      'another revision': cookieValue({ revision: 2 }),
      'dated in the future': cookieValue({ updatedAt: now + DAY }),
      expired: cookieValue({ updatedAt: now - 183 * DAY }),
    };
    for (const [name, value] of Object.entries(cases)) {
      await context.clearCookies();
      await context.addCookies([{ name: 'koekje', value, url: `${ORIGIN}/` }]);
      log.warnings.length = 0;
      await page.goto(url);
      await koekjeReady(page);
      await expectBanner(page);
      expect(await page.evaluate(() => [koekje.consent(), koekje.accepted('analytics')]), name).toEqual([null, false]);
      expect(await released(page), name).toBe(0);
      if (!['another revision', 'dated in the future', 'expired'].includes(name)) {
        expect(log.warnings, name).toContain('koekje: cookie "koekje": not a consent record (ignored)');
      }
    }
  });

  test('a cookie domain that is not the page\'s host or a parent: said in the console, kept for this host only', async ({ page, context }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'cookie-wrong-domain', { config: { store: 'cookie', consentCookie: { name: 'zw_consent', domain: 'example.be' } } });
    await page.goto(url);
    await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
    expect(log.errors).toContain('koekje: config.consentCookie.domain: not this page\'s host or a parent of it; the cookie is kept for this host only');
    await expect.poll(async () => (await consentCookie(context, 'zw_consent'))?.domain).toBe('127.0.0.1');
  });

  test('a bad store setting fails closed to localStorage, with its path in the console', async ({ page, context }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'cookie-bad-config', { config: { store: 'cookies', consentCookie: { name: 'a b' } }, body: HELD });
    await page.goto(url);
    await expectBanner(page);
    expect(await released(page)).toBe(0);
    expect(log.errors).toEqual(expect.arrayContaining([
      'koekje: config.store: expected "localStorage", "cookie" or "both"',
      'koekje: config.consentCookie.name: expected only letters, digits, - and _',
    ]));
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await expect.poll(() => released(page)).toBe(1);
    expect(await consentCookie(context)).toBeUndefined();
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('koekje')).method)).toBe('accept-all');
  });
});

test('the configurator checks the cookie settings, and its preview never writes the site\'s consent cookie', async ({ page, context }) => {
  await page.goto('/configurator.html');
  await expect(page.locator('#kc-form')).toBeVisible();
  await page.locator('#kc-paste').fill('{"store": "cookie", "consentCookie": {"name": "koekje", "domain": "example..be"}, "categories": [{"id": "analytics"}]}');
  await page.getByRole('button', { name: 'Load pasted JSON' }).click();
  await expect(page.locator('#kc-all-problems')).toContainText('config.consentCookie.domain: expected a domain name such as "example.be"');
  // The preview is rebuilt once typing stops: wait for the one with this config.
  await page.waitForTimeout(1000);
  const frame = page.frameLocator('#kc-preview-frame');
  await expect(frame.locator('#koekje-banner')).toBeVisible();
  expect(await frame.locator('#koekje-config').textContent()).not.toContain('consentCookie');
  expect(await frame.locator('body').evaluate(() => { koekje.acceptAll(); return koekje.consent().method; })).toBe('accept-all');
  await expect(frame.locator('#koekje-banner')).toHaveCount(0);
  expect(await context.cookies()).toEqual([]);
});

test.describe('on https, across subdomains', () => {
  /** Answers https://*.koekje.test: /koekje/ from dist/, /page.html with `config` and the held script. */
  const serve = (context, config, extra = '') => serveKoekjeTest(context, config, HELD + extra);

  test('with a domain, a choice on www counts on shop: one Secure, SameSite=Lax cookie for .koekje.test; withdrawal on shop removes it for both', async ({ page, context }) => {
    await serve(context, { store: 'cookie', consentCookie: { domain: 'koekje.test' } });
    await page.goto('https://www.koekje.test/page.html');
    await expectBanner(page);
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await expect.poll(() => released(page)).toBe(1);
    const cookie = await consentCookie(context);
    expect(cookie).toMatchObject({ domain: '.koekje.test', path: '/', sameSite: 'Lax', secure: true, httpOnly: false });
    expect(cookie.value).toMatch(VALUE);

    const shop = await context.newPage();
    await shop.goto('https://shop.koekje.test/page.html');
    await koekjeReady(shop);
    await expect(banner(shop)).toHaveCount(0);
    expect(await released(shop)).toBe(1);
    expect(await shop.evaluate(() => koekje.consent().id)).toBe(await page.evaluate(() => koekje.consent().id));

    const reloaded = shop.waitForEvent('load');
    await shop.evaluate(() => koekje.reset());
    await reloaded;
    expect(await consentCookie(context)).toBeUndefined();
    await page.reload();
    await koekjeReady(page);
    await expectBanner(page);
    expect(await released(page)).toBe(0);
  });

  test('with "both" and a domain, a withdrawal on shop holds on www, whose localStorage still has the old acceptance', async ({ page, context }) => {
    await serve(context, { store: 'both', consentCookie: { domain: 'koekje.test' }, reloadOnWithdrawal: false });
    await page.goto('https://www.koekje.test/page.html');
    await expectBanner(page);
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await expect.poll(() => released(page)).toBe(1);
    const shop = await context.newPage();
    await shop.goto('https://shop.koekje.test/page.html');
    await koekjeReady(shop);
    expect(await released(shop)).toBe(1);
    await shop.evaluate(() => koekje.reset());
    expect(await consentCookie(context)).toBeUndefined();
    // www's own localStorage still holds the acceptance: it no longer counts,
    // and it is not copied back into the shared cookie.
    await page.reload();
    await koekjeReady(page);
    await expectBanner(page);
    expect(await released(page)).toBe(0);
    expect(await consentCookie(context)).toBeUndefined();
    await shop.reload();
    await expectBanner(shop);
    expect(await released(shop)).toBe(0);
  });

  test('without a domain the cookie is www\'s alone; a __Host- name keeps a sibling subdomain from planting one', async ({ page, context }) => {
    // What a sibling subdomain's script can do: write a well-formed
    // acceptance for the parent domain (www then reads it as its own), or
    // try the same with a __Host- name (the browser refuses).
    const plant = (name) => `<script>document.cookie = '${name}=${cookieValue()}; path=/; domain=koekje.test; secure';</script>`;
    await serve(context, { store: 'cookie', consentCookie: { name: '__Host-koekje' } }, plant('__Host-koekje'));
    await page.goto('https://blog.koekje.test/page.html');
    await koekjeReady(page);
    expect(await context.cookies()).toEqual([]);
    await page.goto('https://www.koekje.test/page.html');
    await expectBanner(page);
    expect(await released(page)).toBe(0);
    await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
    await expect.poll(async () => (await consentCookie(context, '__Host-koekje'))?.domain).toBe('www.koekje.test');
    expect(await consentCookie(context, '__Host-koekje')).toMatchObject({ secure: true, sameSite: 'Lax', path: '/' });
    const shop = await context.newPage();
    await shop.goto('https://shop.koekje.test/page.html');
    await expectBanner(shop);
  });
});
