// Trust, later: page content that arrives after Koekje started (a comment
// loader, a CMS widget), and pages that come back from the back/forward
// cache. None of it may make something run without consent or undo a
// withdrawal.
import { test, expect } from '@playwright/test';
import { testPage, koekjeReady, banner, expectBanner, watchConsole, serveKoekjeTest, insertLate } from './helpers.js';

// Chromium as a visitor has it: with the back/forward cache, which
// Playwright turns off by default (for the whole file: a launch option
// cannot change within it).
test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  },
});

/** A held script of the built-in analytics category: counts its runs. */
const HELD = `<script type="text/plain" data-category="analytics" data-service="google-analytics">window.__released = (window.__released || 0) + 1;</script>`;
const released = (page) => page.evaluate(() => window.__released ?? 0);
const consentCookie = async (context, name = 'koekje') => (await context.cookies()).find((c) => c.name === name);
/** Reads the stored record without `document` (which the page may have clobbered). */
const storedMethod = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('koekje'))?.method ?? null);

/** Markup that shadows `document.cookie` (and more), as sanitisers keep it. */
const CLOBBERING = {
  'an <img name="cookie">': '<img name="cookie" src="/x.png" alt="">',
  'a <form name="cookie">': '<form name="cookie"></form>',
  'named images for cookie, documentElement, querySelectorAll and createElement':
    '<img name="cookie" alt=""><img name="documentElement" alt=""><img name="querySelectorAll" alt=""><img name="createElement" alt="">',
};

test.describe('DOM clobbering after start', () => {
  for (const [what, markup] of Object.entries(CLOBBERING)) {
    test(`cookie store: ${what} added later does not stop reset() from withdrawing`, async ({ page, context }) => {
      const url = await testPage(page, 'late-clobber-reset', { config: { store: 'cookie' }, body: HELD });
      await page.goto(url);
      await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
      await expect.poll(() => released(page)).toBe(1);
      expect(await consentCookie(context)).toBeDefined();
      await insertLate(page, markup);
      // The script that ran is now refused: the page reloads.
      const reloaded = page.waitForEvent('load');
      await page.evaluate(() => koekje.reset());
      await reloaded;
      await koekjeReady(page);
      await expectBanner(page);
      expect(await consentCookie(context)).toBeUndefined();
      expect(await released(page)).toBe(0);
      expect(await page.evaluate(() => koekje.accepted('analytics'))).toBe(false);
    });
  }

  test('cookie store: an <img name="cookie"> added later does not stop the dialog\'s "Reject all" from holding across a reload', async ({ page, context }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'late-clobber-dialog', { config: { store: 'cookie' }, body: HELD });
    await page.goto(url);
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await expect.poll(() => released(page)).toBe(1);
    await insertLate(page, CLOBBERING['an <img name="cookie">']);
    await page.evaluate(() => koekje.showPreferences());
    const reloaded = page.waitForEvent('load');
    await page.getByRole('dialog').getByRole('button', { name: 'Alles weigeren' }).click();
    await reloaded;
    await koekjeReady(page);
    await expect(banner(page)).toHaveCount(0);
    expect(await page.evaluate(() => [koekje.consent().method, koekje.accepted('analytics')])).toEqual(['reject-all', false]);
    expect(await released(page)).toBe(0);
    expect((await consentCookie(context)).value).toContain('.reject-all.');
    expect(log.warnings.filter((w) => w.includes('not kept by the browser'))).toEqual([]);
  });

  test.describe('"both" with a shared domain, on https', () => {
    const config = { store: 'both', consentCookie: { domain: 'koekje.test' } };

    test('an <img name="cookie"> added later does not stop reset(): the old acceptance neither counts again nor comes back into localStorage', async ({ page, context }) => {
      await serveKoekjeTest(context, config, HELD);
      await page.goto('https://www.koekje.test/page.html');
      await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
      await expect.poll(() => released(page)).toBe(1);
      await insertLate(page, CLOBBERING['an <img name="cookie">']);
      const reloaded = page.waitForEvent('load');
      await page.evaluate(() => koekje.reset());
      await reloaded;
      await koekjeReady(page);
      await expectBanner(page);
      expect(await released(page)).toBe(0);
      expect(await consentCookie(context)).toBeUndefined();
      expect(await storedMethod(page)).toBeNull();
    });

    test('an <img name="cookie"> added later does not stop the dialog\'s "Save": the refusal holds, in the cookie and in localStorage', async ({ page, context }) => {
      await serveKoekjeTest(context, config, HELD);
      await page.goto('https://www.koekje.test/page.html');
      await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
      await expect.poll(() => released(page)).toBe(1);
      await insertLate(page, CLOBBERING['an <img name="cookie">']);
      await page.evaluate(() => koekje.showPreferences());
      await page.getByRole('switch', { name: /Analytische cookies/ }).uncheck();
      const reloaded = page.waitForEvent('load');
      await page.getByRole('button', { name: 'Keuze bewaren' }).click();
      await reloaded;
      await koekjeReady(page);
      expect(await page.evaluate(() => [koekje.consent().method, koekje.accepted('analytics')])).toEqual(['custom', false]);
      expect(await released(page)).toBe(0);
      expect(await storedMethod(page)).toBe('custom');
      expect((await consentCookie(context)).value).toContain('.custom.');
    });
  });

  test('names for querySelectorAll and createElement added later do not stop held scripts from being released on consent', async ({ page }) => {
    const url = await testPage(page, 'late-clobber-release', {
      body: `${HELD}<script type="text/plain" data-category="analytics" data-src="/t/late-ext.js"></script>`,
    });
    await page.route('**/t/late-ext.js', (route) => route.fulfill({ contentType: 'text/javascript', body: 'window.__external = true;' }));
    await page.goto(url);
    await expectBanner(page);
    await koekjeReady(page);
    await insertLate(page, '<img name="querySelectorAll" alt=""><img name="createElement" alt="">');
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await expect.poll(() => page.evaluate(() => [window.__released ?? 0, window.__external ?? false])).toEqual([1, true]);
  });

  test('an <img name="documentElement"> added while the banner is first shown does not blind the watcher for later held scripts', async ({ page }) => {
    // Page content that arrives between the start and the watcher (here:
    // when the banner shows).
    await page.addInitScript(() => addEventListener('koekje:show', () => {
      document.body.insertAdjacentHTML('beforeend', '<div class="comment"><img name="documentElement" alt=""></div>');
    }, { once: true }));
    const url = await testPage(page, 'late-clobber-watcher');
    await page.goto(url);
    await expectBanner(page);
    await koekjeReady(page);
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await expect(banner(page)).toHaveCount(0);
    await insertLate(page, HELD);
    await expect.poll(() => released(page)).toBe(1);
  });
});

test.describe('DOM clobbering after start, in the loader', () => {
  test('the loader\'s reads at run time (the consent log\'s address, another language\'s words) go through Document.prototype', async ({ page }) => {
    const events = [];
    await page.route('**/consent/**', (route) => {
      if (route.request().method() === 'POST') events.push([new URL(route.request().url()).pathname, route.request().postDataJSON().path]);
      return route.fulfill({ status: 201, contentType: 'application/json', body: '{}' });
    });
    const url = await testPage(page, 'late-clobber-loader', { config: { consentLog: { url: '/consent' } } });
    await page.goto(url);
    await expectBanner(page);
    await koekjeReady(page);
    await insertLate(page, ['head', 'URL', 'baseURI', 'querySelectorAll', 'documentElement'].map((n) => `<img name="${n}" alt="">`).join(''));
    await page.evaluate(() => koekje.setLanguage('fr'));
    await expect(banner(page)).toHaveAttribute('lang', 'fr');
    await banner(page).locator('[data-koekje-action="accept-all"]').click();
    await expect.poll(() => events).toEqual([['/consent/events', '/t/late-clobber-loader.html']]);
  });
});

test.describe('Koekje\'s own storage', () => {
  test('a refused storage: ["*"] keeps the consent log\'s queue: a choice made while the receiver is down is sent once it answers', async ({ page }) => {
    const config = {
      consentLog: { url: '/consent' },
      categories: [{ id: 'functional', required: true }, { id: 'analytics', storage: ['*'] }],
    };
    // The receiver, behind the site's own origin: down at first.
    let up = false;
    const received = [];
    await page.route('**/consent/**', async (route) => {
      if (!up) return route.abort('connectionrefused');
      const request = route.request();
      if (request.method() === 'POST') {
        const event = request.postDataJSON();
        received.push(event);
        return route.fulfill({ status: 201, contentType: 'application/json', body: JSON.stringify({ stored: true, seq: received.length, eventId: event.eventId, notice: 'present' }) });
      }
      return route.fulfill({ status: 200, body: '' });
    });
    const url = await testPage(page, 'own-storage-kept', { config });
    await page.addInitScript(() => localStorage.setItem('hj_session', '1'));
    await page.goto(url);
    await expectBanner(page);
    await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
    const id = await page.evaluate(() => koekje.consent().id);
    // The refused "*" took the page's key, not Koekje's queue or record.
    await expect.poll(() => page.evaluate(() => localStorage.getItem('hj_session'))).toBeNull();
    const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('koekje-log'))?.events.map((e) => [e.consentId, e.method]));
    expect(queued).toEqual([[id, 'reject-all']]);
    expect(await storedMethod(page)).toBe('reject-all');

    // On the next page (the clean-up runs again first), the receiver is up.
    up = true;
    await page.reload();
    await koekjeReady(page);
    await expect.poll(() => received.map((e) => [e.consentId, e.kind, e.method])).toEqual([[id, 'choice', 'reject-all']]);
    await expect.poll(() => page.evaluate(() => localStorage.getItem('koekje-log'))).toBeNull();
    expect(await storedMethod(page)).toBe('reject-all');
  });
});

test.describe('held elements with an address of their own', () => {
  const CHECKED = 'https://www.youtube-nocookie.com/embed/x';

  test('an iframe whose src an allowlist checked keeps it: its data-src is never swapped in, and the console names it once', async ({ page }) => {
    const log = watchConsole(page);
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({ status: 204, body: '' }));
    await page.route('**/t/frame-*.html', (route) => route.fulfill({ contentType: 'text/html', body: 'frame' }));
    const url = await testPage(page, 'own-src-iframe', {
      body: `<iframe id="checked" src="${CHECKED}" data-src="/t/frame-unchecked.html" data-category="analytics" data-service="youtube" title="checked"></iframe>
        <iframe id="blank" src="about:blank" data-src="/t/frame-held.html" data-category="analytics" title="blank"></iframe>`,
    });
    await page.goto(url);
    await expectBanner(page);
    await koekjeReady(page);
    // Not Koekje's to hold: no placeholder, not hidden.
    await expect(page.locator('[data-koekje-placeholder]')).toHaveCount(1);
    await expect(page.locator('#checked')).toBeVisible();
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    // The one with src="about:blank" held its address: released.
    await expect(page.locator('#blank')).toHaveAttribute('src', '/t/frame-held.html');
    await insertLate(page, `<iframe src="${CHECKED}" data-src="/t/frame-late.html" data-category="analytics" title="late"></iframe>`);
    await page.waitForTimeout(300);
    await expect(page.locator('#checked')).toHaveAttribute('src', CHECKED);
    await expect(page.locator('#checked')).toHaveAttribute('data-src', '/t/frame-unchecked.html');
    await expect(page.locator('iframe[title=late]')).toHaveAttribute('src', CHECKED);
    expect(requests.filter((p) => p === '/t/frame-unchecked.html' || p === '/t/frame-late.html')).toEqual([]);
    const named = (path) => log.warnings.filter((w) => w.startsWith(`koekje: ${path}: has a src of its own besides data-src; left as it is`));
    expect(named('iframe[data-category="analytics"][data-src="/t/frame-unchecked.html"]')).toHaveLength(1);
    expect(named('iframe[data-category="analytics"][data-src="/t/frame-late.html"]')).toHaveLength(1);
  });

  test('a held script with both src and data-src is refused; one with only its own src still runs', async ({ page }) => {
    const log = watchConsole(page);
    const requests = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.route('**/t/own-*.js', (route) => route.fulfill({ contentType: 'text/javascript', body: `(window.__ran = window.__ran || []).push(${JSON.stringify(new URL(route.request().url()).pathname)});` }));
    const url = await testPage(page, 'own-src-script', {
      body: `<script type="text/plain" data-category="analytics" src="/t/own-checked.js" data-src="/t/own-unchecked.js"></script>
        <script type="text/plain" data-category="analytics" src="/t/own-only.js"></script>`,
    });
    await page.goto(url);
    await expectBanner(page);
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await expect.poll(() => page.evaluate(() => window.__ran)).toEqual(['/t/own-only.js']);
    await page.waitForTimeout(200);
    expect(requests.filter((p) => /^\/t\/own-.*\.js$/.test(p))).toEqual(['/t/own-only.js']);
    expect(log.warnings.filter((w) => w.startsWith('koekje: script[data-category="analytics"][data-src="/t/own-unchecked.js"]: has a src of its own besides data-src'))).toHaveLength(1);
  });

  test('an iframe Koekje released follows a new data-src (a framework\'s re-render)', async ({ page }) => {
    await page.route('**/t/frame-*.html', (route) => route.fulfill({ contentType: 'text/html', body: 'frame' }));
    const url = await testPage(page, 'own-src-follow', { body: '<iframe id="video" data-src="/t/frame-a.html" data-category="analytics" title="video"></iframe>' });
    await page.goto(url);
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await expect(page.locator('#video')).toHaveAttribute('src', '/t/frame-a.html');
    await page.evaluate(() => { document.getElementById('video').dataset.src = '/t/frame-b.html'; });
    await expect(page.locator('#video')).toHaveAttribute('src', '/t/frame-b.html');
  });
});

test.describe('pages restored from the back/forward cache', () => {
  /** Page A (a held analytics script, a link to B) and page B (nothing held), sharing `config`. */
  async function twoPages(page, name, config) {
    const a = await testPage(page, `${name}-a`, { config, body: `${HELD}<a id="next" href="/t/${name}-b.html">next</a>` });
    await testPage(page, `${name}-b`, { config });
    // How often a page of this tab came back from the cache.
    await page.addInitScript(() => addEventListener('pageshow', (e) => {
      if (e.persisted) sessionStorage.setItem('restored', String(Number(sessionStorage.getItem('restored')) + 1));
    }));
    return a;
  }
  const restored = (page) => page.evaluate(() => Number(sessionStorage.getItem('restored')));

  // With localStorage, Chromium also fires the `storage` event that the
  // cached page missed once it is restored; a cookie changes without one.
  for (const store of ['localStorage', 'cookie']) {
    test(`${store}: a withdrawal made on another page reloads the restored page, whose released script is refused now`, async ({ page }) => {
      const url = await twoPages(page, `bfcache-withdrawn-${store.toLowerCase()}`, { store });
      await page.goto(url);
      await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
      await expect.poll(() => released(page)).toBe(1);
      await page.click('#next');
      await koekjeReady(page);
      await page.evaluate(() => koekje.reset());
      await expectBanner(page);
      await page.goBack({ waitUntil: 'commit' });
      // Reloaded: what ran is gone, and the banner asks.
      await expect.poll(() => released(page).catch(() => null), { timeout: 10_000 }).toBe(0);
      await koekjeReady(page);
      await expectBanner(page);
      expect(await restored(page)).toBe(1);
      expect(await page.evaluate(() => [koekje.consent(), koekje.accepted('analytics')])).toEqual([null, false]);
    });
  }

  for (const store of ['localStorage', 'cookie']) {
    test(`${store}: a choice made on another page is applied on the restored page: what it allows is released`, async ({ page }) => {
      const url = await twoPages(page, `bfcache-accepted-${store.toLowerCase()}`, { store });
      await page.goto(url);
      await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
      await page.waitForTimeout(100);
      expect(await released(page)).toBe(0);
      await page.click('#next');
      await koekjeReady(page);
      await page.evaluate(() => koekje.acceptAll());
      await page.goBack({ waitUntil: 'commit' });
      await expect.poll(() => released(page).catch(() => null), { timeout: 10_000 }).toBe(1);
      expect(await restored(page)).toBe(1);
      expect(await page.evaluate(() => [koekje.consent().method, koekje.accepted('analytics')])).toEqual(['accept-all', true]);
      await expect(banner(page)).toHaveCount(0);
    });
  }

  test('a page restored with nothing changed keeps what it showed: the open preferences stay open, the banner is not rebuilt', async ({ page }) => {
    const url = await twoPages(page, 'bfcache-unchanged', { store: 'cookie' });
    await page.goto(url);
    await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
    await page.evaluate(() => koekje.showPreferences());
    await expect(page.locator('#koekje-preferences')).toBeVisible();
    await page.evaluate(() => { window.__views = []; addEventListener('koekje:hide', (e) => __views.push('hide')); addEventListener('koekje:show', (e) => __views.push('show')); });
    await page.evaluate(() => document.getElementById('next').click());
    await page.waitForURL(/bfcache-unchanged-b/);
    await koekjeReady(page);
    await page.goBack({ waitUntil: 'commit' });
    await expect.poll(() => restored(page).catch(() => 0)).toBe(1);
    await page.waitForTimeout(200);
    await expect(page.locator('#koekje-preferences')).toBeVisible();
    expect(await page.evaluate(() => window.__views)).toEqual([]);
  });
});
