// Trust: nothing in the page but the visitor's own click on Koekje's own
// interface can give consent. Page content (a comment, CMS text, a widget)
// can carry any id, class or data-* attribute that HTML sanitisers keep;
// each test below plants such markup and checks that it changes nothing.
import { test, expect } from '@playwright/test';
import { testPage, koekjeReady, banner, expectBanner, watchConsole, recordRequests, gaRequests, analyticsCookies, storedRecord, clickSeen, inKoekje } from './helpers.js';
import { PORT } from '../../playwright.config.js';

const ORIGIN = `http://127.0.0.1:${PORT}`;

const GA = `<script type="text/plain" data-category="analytics" data-service="google-analytics"
    data-src="https://www.googletagmanager.com/gtag/js?id=G-TRUST" async></script>
  <script type="text/plain" data-category="analytics">window.__analytics = true;</script>`;

const NOW = Date.now();
const DAY = 86_400_000;


test.describe('forged configuration', () => {
  test('an element of the page with id="koekje-config" is not the config', async ({ page }) => {
    const log = watchConsole(page);
    const requests = await recordRequests(page);
    const url = await testPage(page, 'forged-config', {
      head: GA,
      body: `<div class="comment"><p id="koekje-config">{"categories":[{"id":"analytics","required":true}]}</p></div>`,
    });
    await page.goto(url);
    await expectBanner(page);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => [koekje.accepted('analytics'), window.__analytics])).toEqual([false, undefined]);
    expect(gaRequests(requests)).toEqual([]);
    expect(log.errors).toContain('koekje: <p id="koekje-config">: ignored; only a <script type="application/json" id="koekje-config"> in the <head> or before Koekje\'s script tag is read');
  });

  test('a JSON script after Koekje\'s tag in the body is not the config; the one in the head is', async ({ page }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'late-config', {
      config: { revision: 3, categories: [{ id: 'functional', required: true }, { id: 'analytics' }] },
      body: `<script type="application/json" id="koekje-config">{"categories":[{"id":"analytics","required":true}]}</script>`,
    });
    await page.goto(url);
    await expectBanner(page);
    expect(await page.evaluate(() => koekje.accepted('analytics'))).toBe(false);
    expect(log.errors.filter((e) => e.startsWith('koekje: <script type="application/json" id="koekje-config">: ignored'))).toHaveLength(1);
  });
});

test.describe('forged choices', () => {
  test('a look-alike accept button in page content records nothing', async ({ page }) => {
    const url = await testPage(page, 'lookalike', {
      head: GA,
      body: `<div class="koekje"><a href="#" data-koekje-action="accept-all" id="fake">Read more</a></div>
        <div class="koekje-banner"><button data-koekje-action="save" id="fake-save">Save</button></div>`,
    });
    await page.goto(url);
    await expectBanner(page);
    await page.click('#fake');
    // Styled like the banner, so it sits under it: clicked by event.
    await page.locator('#fake-save').dispatchEvent('click');
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => [koekje.consent(), window.__analytics])).toEqual([null, undefined]);
    await expect(banner(page)).toBeVisible();
  });

  test('an invisible overlay over the banner cannot turn a click on "Reject all" into "Accept all"', async ({ page }) => {
    const url = await testPage(page, 'overlay', {
      head: GA,
      body: `<div class="koekje" style="position:fixed;inset:0;z-index:2147483647;opacity:0">
        <button data-koekje-action="accept-all" style="width:100%;height:100%">x</button></div>`,
    });
    await page.goto(url);
    await expectBanner(page);
    const box = await banner(page).getByRole('button', { name: 'Alles weigeren' }).boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => [koekje.accepted('analytics'), window.__analytics])).toEqual([false, undefined]);
  });

  test('an opaque overlay from page content cannot cover the banner: a click on "Reject all" reaches it', async ({ page }) => {
    const url = await testPage(page, 'overlay-opaque', {
      head: GA,
      body: `<div style="position:fixed;inset:0;z-index:2147483647;background:#fff">A page element over everything</div>`,
    });
    await page.goto(url);
    await expectBanner(page);
    // The banner is in the top layer (a manual popover): above any z-index.
    expect(await banner(page).evaluate((b) => b.matches(':popover-open'))).toBe(true);
    const box = await banner(page).getByRole('button', { name: 'Alles weigeren' }).boundingBox();
    expect(await inKoekje(page, (k, [x, y]) => k.at(x, y)?.dataset.koekjeAction, [box.x + box.width / 2, box.y + box.height / 2])).toBe('reject-all');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.evaluate(() => koekje.consent()?.method)).toBe('reject-all');
  });

  test('a fake placeholder grants nothing; the real one still shows', async ({ page }) => {
    const url = await testPage(page, 'fake-placeholder', {
      config: { categories: [{ id: 'functional', required: true }, { id: 'analytics', services: [{ id: 'youtube', name: 'YouTube' }] }] },
      body: `<div class="koekje koekje-placeholder" data-koekje-placeholder><button data-koekje-action="allow-always" id="fake-allow">Allow</button>
        <button data-koekje-action="load-once" id="fake-once">Once</button></div>
        <iframe data-category="analytics" data-service="youtube" data-src="/t/frame.html" title="video"></iframe>`,
    });
    await page.route('**/t/frame.html', (r) => r.fulfill({ contentType: 'text/html', body: 'frame' }));
    await page.goto(url);
    await expectBanner(page);
    await page.click('#fake-allow');
    await page.click('#fake-once');
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => [koekje.consent(), koekje.accepted('analytics', 'youtube')])).toEqual([null, false]);
    expect(await page.locator('iframe').getAttribute('src')).toBeNull();
    // Koekje's own placeholder is there beside the fake one, and works.
    await expect(page.locator('[data-koekje-placeholder]')).toHaveCount(2);
    await clickSeen(page.getByRole('button', { name: 'Eenmalig laden' }));
    await expect(page.locator('iframe')).toHaveAttribute('src', '/t/frame.html');
  });

  test('page elements with Koekje\'s ids neither hide its interface nor get closed or removed by it', async ({ page }) => {
    const url = await testPage(page, 'same-ids', {
      body: `<div id="koekje-banner">The page's own box</div><dialog id="koekje-preferences" open>The page's own dialog</dialog>`,
    });
    await page.goto(url);
    const own = page.locator('section.koekje-banner');
    await expect(own).toBeVisible();
    await page.evaluate(() => koekje.showPreferences());
    const dialog = page.locator('dialog.koekje-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Alles weigeren' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(own).toHaveCount(0);
    expect(await page.evaluate(() => koekje.consent().method)).toBe('reject-all');
    // The page's elements are untouched.
    expect(await page.evaluate(() => [...document.querySelectorAll('[id^="koekje-"]')].map((e) => [e.localName, e.textContent, e.open ?? null]))).toEqual([
      ['div', "The page's own box", null],
      ['dialog', "The page's own dialog", true],
    ]);
  });

  test('dialog ids are unique by construction (ads--google beside ads + google) and no page element shares one', async ({ page }) => {
    const url = await testPage(page, 'dialog-ids', {
      config: { categories: [{ id: 'functional', required: true }, { id: 'ads', services: [{ id: 'google' }] }, { id: 'ads--google' }] },
      body: '<input id="koekje-category-ads--google"><p id="koekje-c1">page</p>',
    });
    await page.goto(url);
    await koekjeReady(page);
    await page.evaluate(() => koekje.showPreferences());
    const ids = await page.locator('dialog.koekje-dialog [id]').evaluateAll((els) => els.map((e) => e.id));
    expect(new Set(ids).size).toBe(ids.length);
    const pageIds = await page.locator('main [id]').evaluateAll((els) => els.map((e) => e.id));
    expect(ids.filter((id) => pageIds.includes(id))).toEqual([]);
    // Every label names a switch inside the dialog.
    expect(await page.locator('dialog.koekje-dialog label[for]').evaluateAll((labels) =>
      labels.every((l) => l.control && l.closest('dialog') === l.control.closest('dialog')))).toBe(true);
    await page.getByRole('switch', { name: 'ads--google' }).check();
    await page.getByRole('button', { name: 'Keuze bewaren' }).click();
    expect(await page.evaluate(() => [koekje.accepted('ads--google'), koekje.accepted('ads'), koekje.accepted('ads', 'google')])).toEqual([true, false, false]);
  });
});

test.describe('forged releases', () => {
  test('a held iframe or script with a javascript: or data: address never runs, even when allowed', async ({ page }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'bad-schemes', {
      body: `<iframe data-category="functional" data-src="javascript:parent.__pwned='iframe'"></iframe>
        <iframe data-category="analytics" data-src=" JaVaScRiPt:parent.__pwned='iframe2'"></iframe>
        <script type="text/plain" data-category="functional" data-src="data:text/javascript,window.__pwned='script'"></script>
        <script type="text/plain" data-category="analytics" src="data:text/javascript,window.__pwned='src'"></script>`,
    });
    await page.goto(url);
    await expectBanner(page);
    await page.evaluate(() => koekje.acceptAll());
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(await page.locator('iframe[src]').count()).toBe(0);
    expect(log.warnings).toContain('koekje: iframe[data-category="functional"][data-src="javascript:parent.__pwned=\'iframe\'"]: data-src is not an http(s) or relative address; never released');
    expect(log.warnings.filter((w) => w.includes('not an http(s) or relative address'))).toHaveLength(4);
  });

  test('advanced Consent Mode releases the Google tag script before a choice, never an iframe', async ({ page }) => {
    const requests = await recordRequests(page);
    const url = await testPage(page, 'advanced-iframe', {
      config: { consentMode: { mode: 'advanced' } },
      head: `<script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="https://www.googletagmanager.com/gtag/js?id=G-ADV" async></script>`,
      body: `<iframe data-category="analytics" data-service="google-analytics" data-src="https://ad.doubleclick.net/ddm/activity/src=1" title="floodlight"></iframe>`,
    });
    await page.goto(url);
    await expectBanner(page);
    await expect.poll(() => gaRequests(requests).length).toBe(1);
    expect(requests.filter((u) => u.includes('doubleclick'))).toEqual([]);
    expect(await page.locator('iframe').getAttribute('src')).toBeNull();
  });

  const NONCE = 'n0nce4Trust';
  const CSP = `default-src 'self'; script-src 'nonce-${NONCE}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self'; frame-src 'self'`;

  test('Koekje imported by a nonce\'d module: the nonce guard still holds an injected script', async ({ page }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'nonce-import', {
      headers: { 'content-security-policy': CSP },
      src: '/t/loader.mjs',
      scriptAttrs: `nonce="${NONCE}"`,
      head: `<script type="text/plain" data-category="analytics" nonce="${NONCE}">window.__own = true;</script>`,
      body: `<div class="comment"><script type="text/plain" data-category="functional">window.__injected = true;</script></div>`,
    });
    // The site's module (nonce'd) imports Koekje: Koekje's own tag is not in the page.
    await page.route('**/t/loader.mjs', (r) => r.fulfill({ contentType: 'text/javascript', body: `import '/koekje/koekje.js';` }));
    await page.goto(url);
    await expectBanner(page);
    await page.evaluate(() => koekje.acceptAll());
    await page.waitForFunction(() => window.__own === true);
    expect(await page.evaluate(() => window.__injected)).toBeUndefined();
    expect(log.warnings).toContain('koekje: script[data-category="functional"]: no nonce, or not the page\'s; not released');
  });

  test('a page with nonces but none Koekje can trust releases no held script and says why', async ({ page }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'nonce-unknown', {
      body: `<script nonce="${NONCE}">window.__pageScript = true;</script>
        <script type="text/plain" data-category="functional" nonce="other">window.__held = true;</script>`,
    });
    await page.goto(url);
    await koekjeReady(page);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => [window.__pageScript, window.__held])).toEqual([true, undefined]);
    expect(log.warnings.join('\n')).toContain('the page uses nonces but Koekje\'s own tag has none');
  });

  test('a ; in the page path cannot write a cookie attribute', async ({ page, context }) => {
    await context.addCookies([{ name: '_ga', value: 'GA1.1.1', url: `${ORIGIN}/` }]);
    await page.addInitScript((r) => localStorage.setItem('koekje', r), storedRecord({ analytics: false }));
    const url = await testPage(page, 'p;max-age=86400;x/page');
    await page.goto(url);
    await koekjeReady(page);
    await expect.poll(() => analyticsCookies(page)).toEqual([]);
    const cookies = await context.cookies();
    expect(cookies.filter((c) => c.path.startsWith('/t/p'))).toEqual([]);
  });
});

test.describe('DOM clobbering and a <base> from page content', () => {
  test('named images that shadow document.scripts cannot become Koekje\'s tag or config', async ({ page }) => {
    const log = watchConsole(page);
    const requests = await recordRequests(page);
    const forged = encodeURIComponent(JSON.stringify({ categories: [{ id: 'analytics', required: true }], consentLog: { url: 'https://evil.example/log' } }));
    const url = await testPage(page, 'clobber-scripts', {
      head: GA,
      body: `<div class="comment"><img name="scripts" src="/x/koekje.js" data-config="data:application/json,${forged}"><img name="scripts" src="/y.png"></div>`,
    });
    await page.goto(url);
    await expectBanner(page);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => [koekje.accepted('analytics'), window.__analytics])).toEqual([false, undefined]);
    expect(gaRequests(requests)).toEqual([]);
    expect(log.errors.some((e) => e.startsWith('koekje: <img name="scripts">: shadowed document.scripts'))).toBe(true);
  });

  test('a named element that shadows document.body or document.cookie does not hide the banner or stop withdrawal', async ({ page, context }) => {
    await context.addCookies([{ name: '_ga', value: 'GA1.1.1', url: `${ORIGIN}/` }]);
    const url = await testPage(page, 'clobber-body', { body: '<img name="body" src="/x.png"><img name="cookie" src="/y.png">' });
    await page.goto(url);
    await expectBanner(page);
    await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
    await expect.poll(() => analyticsCookies(page)).toEqual([]);
  });

  test('a <base> in page content does not move data-config, data-src or the privacy link', async ({ page }) => {
    await page.route('**/evil/**', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ categories: [{ id: 'analytics', required: true }] }) }));
    await page.route('**/t/site-config.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ privacyPolicy: 'privacy.html', categories: [{ id: 'functional', required: true }, { id: 'analytics' }] }) }));
    await page.route('**/t/frame.html', (r) => r.fulfill({ contentType: 'text/html', body: 'frame' }));
    const url = await testPage(page, 'base-href', {
      scriptAttrs: 'data-config="site-config.json"',
      head: GA,
      body: `<base href="${ORIGIN}/evil/"><iframe data-category="functional" data-src="frame.html" title="f"></iframe>`,
    });
    await page.goto(url);
    await expectBanner(page);
    expect(await page.evaluate(() => [koekje.accepted('analytics'), window.__analytics])).toEqual([false, undefined]);
    await expect(page.locator('iframe')).toHaveAttribute('src', `${ORIGIN}/t/frame.html`);
    await expect(banner(page).locator('a')).toHaveAttribute('href', `${ORIGIN}/t/privacy.html`);
  });
});

test.describe('stored consent bounded by today\'s config', () => {
  for (const [name, record] of [
    ['older than the config\'s expiry, whatever its own expiresAt says', storedRecord({ updatedAt: NOW - 200 * DAY, expiresAt: NOW + 1000 * DAY })],
    ['dated in the future', storedRecord({ updatedAt: NOW + DAY })],
  ]) {
    test(`a record ${name} does not count`, async ({ page }) => {
      const requests = await recordRequests(page);
      await page.addInitScript((r) => localStorage.setItem('koekje', r), record);
      const url = await testPage(page, 'bounded-' + name.replace(/\W+/g, '-'), { head: GA });
      await page.goto(url);
      await expectBanner(page);
      await page.waitForTimeout(200);
      expect(await page.evaluate(() => [koekje.consent(), window.__analytics])).toEqual([null, undefined]);
      expect(gaRequests(requests)).toEqual([]);
    });
  }

  test('a record that stops counting (new revision) has what it allowed deleted before the banner asks', async ({ page, context }) => {
    await context.addCookies([{ name: '_ga', value: 'GA1.1.1', url: `${ORIGIN}/` }, { name: '_gid', value: 'x', url: `${ORIGIN}/` }]);
    await page.addInitScript((r) => localStorage.setItem('koekje', r), storedRecord({ revision: 1 }));
    const url = await testPage(page, 'stale-revision', { config: { revision: 2 }, head: GA });
    await page.goto(url);
    await expectBanner(page);
    expect(await analyticsCookies(page)).toEqual([]);
  });
});

test.describe('withdrawal deletes only what it should', () => {
  test('a refused wildcard never deletes what a kept category lists', async ({ page }) => {
    const url = await testPage(page, 'kept-patterns', {
      config: {
        categories: [
          { id: 'functional', required: true, cookies: [{ name: '__hs_opt_out' }], storage: ['cart'] },
          { id: 'marketing', cookies: [{ name: '__hs*' }], storage: ['*'] },
        ],
      },
    });
    await page.goto(url);
    await expectBanner(page);
    await page.evaluate(() => {
      document.cookie = '__hs_opt_out=no; path=/';
      document.cookie = '__hssc=1; path=/';
      localStorage.setItem('cart', '3 panels');
      localStorage.setItem('hubspot', 'x');
    });
    await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
    await expect.poll(() => page.evaluate(() => document.cookie)).toBe('__hs_opt_out=no');
    expect(await page.evaluate(() => [localStorage.getItem('cart'), localStorage.getItem('hubspot')])).toEqual(['3 panels', null]);
    // And again on the next page.
    await page.reload();
    await koekjeReady(page);
    expect(await page.evaluate(() => [document.cookie, localStorage.getItem('cart')])).toEqual(['__hs_opt_out=no', '3 panels']);
  });

  test('a refused cookie set with a closing / on its path is deleted too', async ({ page }) => {
    const url = await testPage(page, 'slash/page');
    await page.goto(url);
    await expectBanner(page);
    await page.evaluate(() => { document.cookie = '_ga=GA1.1.9; path=/t/slash/'; });
    await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
    await expect.poll(() => analyticsCookies(page)).toEqual([]);
  });
});

test.describe('breakage from page content', () => {
  const TT = (allowed) => `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'; style-src 'self'; require-trusted-types-for 'script'; trusted-types ${allowed}`;

  test('under Trusted Types with the koekje policy allowed, held scripts are released', async ({ page }) => {
    const log = watchConsole(page);
    await page.route('**/t/ext-tt.js', (r) => r.fulfill({ contentType: 'text/javascript', body: 'window.__order.push("external");' }));
    const url = await testPage(page, 'tt-allowed', {
      headers: { 'content-security-policy': TT('koekje') },
      head: `<script type="text/plain" data-category="analytics">window.__order = ['inline'];</script>
        <script type="text/plain" data-category="analytics" data-src="/t/ext-tt.js"></script>`,
    });
    await page.goto(url);
    await expectBanner(page);
    await page.evaluate(() => koekje.acceptAll());
    await page.waitForFunction(() => window.__order?.length === 2);
    expect(log.pageErrors).toEqual([]);
  });

  test('under Trusted Types without the koekje policy, nothing is released, Koekje still starts and says why', async ({ page }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'tt-refused', {
      headers: { 'content-security-policy': TT('other') },
      head: `<script type="text/plain" data-category="functional">window.__functional = true;</script>`,
    });
    await page.addInitScript(() => window.addEventListener('koekje:ready', () => { window.__ready = true; }));
    await page.goto(url);
    await expectBanner(page);
    expect(await page.evaluate(() => [window.__ready, window.__functional])).toEqual([true, undefined]);
    expect(log.warnings).toContain('koekje: script[data-category="functional"]: Trusted Types refused it: allow Koekje\'s policy (trusted-types koekje) in the page\'s CSP; not released');
    // The page watcher is set up: a held script added later is handled (and refused) too.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.type = 'text/plain'; s.dataset.category = 'functional'; s.id = 'late';
      document.body.append(s);
    });
    await expect.poll(() => page.locator('#late').getAttribute('data-koekje-refused')).toBe('');
  });

  test('a pre-set window[Symbol.for("koekje")] or a read-only window.koekje does not stop Koekje', async ({ page }) => {
    const log = watchConsole(page);
    await page.addInitScript(() => {
      window[Symbol.for('koekje')] = { build: 'fake' };
      Object.defineProperty(window, 'koekje', { value: { fake: true }, writable: false });
    });
    const url = await testPage(page, 'preset-globals', { head: GA });
    await page.goto(url);
    await expectBanner(page);
    expect(log.errors).toContain('koekje: window[Symbol.for("koekje")] was set by something else; Koekje starts anyway and takes it over');
    expect(log.errors).toContain('koekje: window.koekje is taken by something else and cannot be replaced; use the module\'s exports');
    // The visitor's choice still works, and held scripts wait for it.
    expect(await page.evaluate(() => window.__analytics)).toBeUndefined();
    await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
    await page.waitForFunction(() => window.__analytics === true);
  });

  test('held elements added later inside a released element or a koekje-classed one are released', async ({ page }) => {
    const url = await testPage(page, 'nested-late');
    await page.goto(url);
    await expectBanner(page);
    await page.evaluate(() => koekje.acceptAll());
    await page.evaluate(() => {
      for (const [attr, flag] of [['data-koekje-released', '__inReleased'], ['class', '__inClassed']]) {
        const wrap = document.createElement('div');
        wrap.setAttribute(attr, attr === 'class' ? 'koekje' : '');
        wrap.innerHTML = `<script type="text/plain" data-category="analytics">window.${flag} = true;</script>`;
        document.body.append(wrap);
      }
    });
    await page.waitForFunction(() => window.__inReleased && window.__inClassed);
  });

  test('a held document.write snippet is refused instead of wiping the page', async ({ page }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'document-write', {
      head: `<script type="text/plain" data-category="functional">document.write('<p>wiped</p>');</script>`,
    });
    await page.goto(url);
    await koekjeReady(page);
    await expect(page.locator('h1')).toHaveText('document-write');
    await expectBanner(page);
    expect(log.warnings.join('\n')).toContain('uses document.write, which would replace the loaded page');
  });

  test('category ids that plain objects already have are refused, so page code reading consent() keeps working', async ({ page }) => {
    const log = watchConsole(page);
    const url = await testPage(page, 'object-names', {
      config: { categories: [{ id: 'functional', required: true }, { id: 'hasOwnProperty' }, { id: '__proto__' }, { id: 'analytics' }] },
    });
    await page.goto(url);
    await expectBanner(page);
    await page.evaluate(() => koekje.acceptAll());
    expect(await page.evaluate(() => {
      const c = koekje.consent().categories;
      return [c.hasOwnProperty('analytics'), Object.keys(c), Object.getPrototypeOf(c) === Object.prototype];
    })).toEqual([true, ['functional', 'analytics'], true]);
    expect(log.errors).toContain('koekje: config.categories[1].id: a name every JavaScript object has; choose another id');
  });
});
