// The visitor's journey on the demo site in every engine (Firefox and WebKit
// unless KOEKJE_ENGINES says otherwise): one set of scenarios, run once per
// engine with a fresh browser profile for each. The Playwright tests
// (tests/e2e/) check the same in Chromium in more detail; these check that
// the engines agree. Requests are read from the test server's log.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { By, Key, error } from 'selenium-webdriver';
import { engines, scenarios } from './engines.mjs';
import { startServer, GA_PATH } from './server.mjs';

const HELD = `
  <script type="text/plain" data-category="functional">window.__functional = true;</script>
  <script type="text/plain" data-category="analytics" data-src="${GA_PATH}?id=G-BAD"></script>
  <script type="text/plain" data-category="analytics">window.__analytics = true;</script>
  <script type="text/plain" data-category="marketing">window.__marketing = true;</script>`;

/** A test page: Koekje from `src`, console errors kept in window.__errors. */
const testPage = ({ head = '', src = '/koekje/koekje.js' } = {}) => `<!doctype html><html lang="nl-BE"><head><meta charset="utf-8">
  <title>test</title>
  <script>window.__errors = []; const e = console.error; console.error = (...a) => { __errors.push(a.join(' ')); e.apply(console, a); };</script>
  <link rel="stylesheet" href="/koekje/koekje.css">
  <script type="module" src="${src}"></script>
  ${head}</head><body><main><h1>test</h1><a href="/" id="home">home</a></main></body></html>`;

// Page-side helpers for scripts: `found(css)` lists the elements that
// match in the shadow roots of Koekje's <koekje-ui> hosts; `active()` is the
// focused element, looking into shadow roots (the document's activeElement
// is the host when focus is inside).
const IN_KOEKJE = 'const found = (css) => [...document.querySelectorAll("koekje-ui")].flatMap((h) => (h.shadowRoot ? [...h.shadowRoot.querySelectorAll(css)] : []));';
const DEEP_ACTIVE = 'const active = () => { let a = document.activeElement; while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement; return a; };';

const server = await startServer();
after(() => server.close());

for (const engine of engines()) {
  describe(engine.name, () => {
    const session = scenarios(engine, server);
    const { js, until, ready, settled } = session;
    const go = (path) => session.driver.get(server.origin + path);
    const gaRequests = () => server.log.filter((u) => u.startsWith(GA_PATH));
    /** A page element. */
    const $ = (css) => session.driver.findElement(By.css(css));
    const count = async (css) => (await session.driver.findElements(By.css(css))).length;
    // Koekje's interface is in the open shadow roots of its <koekje-ui>
    // hosts, where By.css does not look: its elements are found by a script
    // that looks in each host's shadow root.
    // (A script run while the page reloads may answer null: none found.)
    const koekjeAll = async (css) => (await js(`${IN_KOEKJE} return found(arguments[0]);`, css)) ?? [];
    /** One of Koekje's elements. */
    const k$ = async (css) => {
      const [el] = await koekjeAll(css);
      if (!el) throw new error.NoSuchElementError(`${css} in Koekje's shadow roots`);
      return el;
    };
    const kCount = async (css) => (await koekjeAll(css)).length;
    /** The focused element, inside a shadow root when focus is there. */
    const active = () => js(`${DEEP_ACTIVE} return active();`);
    const heldSrc = async (css) => js('return arguments[0].getAttribute("src")', await $(css));
    const shown = (css, what) =>
      session.driver.wait(async () => (await kCount(css)) === 1 && (await k$(css)).isDisplayed(), 5000, `${engine.name}: ${what} shows`);
    const bannerGone = () => session.driver.wait(async () => (await kCount('#koekje-banner')) === 0, 5000, `${engine.name}: the banner went`);
    const dialogGone = () => session.driver.wait(async () => (await kCount('#koekje-preferences')) === 0, 5000, `${engine.name}: the dialog closed`);
    /**
     * Clicks the element (`find(css)`: a page element, or Koekje's with
     * `k$`), scrolled to the middle first (WebDriver scrolls it to the
     * bottom, under a bar banner), again while something else is on top of
     * it: the page's room for the banner comes a frame after the banner.
     */
    const click = async (css, find = $) => {
      const el = await find(css);
      await session.driver.wait(async () => {
        await js('arguments[0].scrollIntoView({ block: "center" })', el);
        try {
          await el.click();
          return true;
        } catch (e) {
          if (e instanceof error.ElementClickInterceptedError) return false;
          throw e;
        }
      }, 5000, `${engine.name}: ${css} could be clicked`);
    };
    /**
     * Clicks one of Koekje's controls once a visitor can see it, as a
     * visitor does: the pointer moved onto it first. (A click on a control
     * that appeared under a still pointer a moment before does not count;
     * WebKitWebDriver's element click sends no pointer move.)
     */
    const kClick = async (css) => {
      const visible = `${IN_KOEKJE} const c = found(${JSON.stringify(css)})[0];
        return !!c && (!c.checkVisibility || c.checkVisibility({ opacityProperty: true, visibilityProperty: true }));`;
      await until(visible, `${css} is visible`);
      const el = await k$(css);
      await js('arguments[0].scrollIntoView({ block: "center" })', el);
      await session.driver.actions().move({ origin: el }).perform();
      await click(css, k$);
    };
    const analyticsCookies = async () =>
      (await session.driver.manage().getCookies()).map((c) => c.name).filter((n) => n.startsWith('_ga') || n === '_gid').sort();
    const analyticsSwitch = '#koekje-preferences input[data-koekje-category=analytics]:not([data-koekje-service])';
    const press = (key, shift = false) => (shift
      ? session.driver.actions().keyDown(Key.SHIFT).sendKeys(key).keyUp(Key.SHIFT)
      : session.driver.actions().sendKeys(key)).perform();

    test('first visit: the banner, nothing held runs, no analytics request', async () => {
      await go('/zonnepanelen.html');
      await ready();
      await shown('#koekje-banner', 'the banner');
      const buttons = await koekjeAll('#koekje-banner [data-koekje-action]');
      assert.deepEqual(await Promise.all(buttons.map((b) => b.getText())), ['Alles weigeren', 'Alles aanvaarden', 'Zelf kiezen']);
      await settled();
      assert.deepEqual(gaRequests(), []);
      assert.deepEqual(await analyticsCookies(), []);
      assert.deepEqual(await js('return [window.__gaRuns, window.dataLayer, koekje.consent()]'), [null, null, null]);
      assert.equal(await heldSrc('iframe[data-category]'), null);
      assert.equal(await js('return document.querySelectorAll("script[type=\'text/plain\']").length'), 2);
    });

    test('accept all: held scripts released, GA once; after reload no banner, released again', async () => {
      await go('/zonnepanelen.html');
      await ready();
      await kClick('#koekje-banner [data-koekje-action=accept-all]');
      await bannerGone();
      await until('return window.__gaRuns === 1 && typeof window.gtag === "function"', 'GA ran');
      assert.deepEqual(gaRequests(), [`${GA_PATH}?id=G-ZW2026DEMO`]);
      assert.deepEqual(await analyticsCookies(), ['_ga', '_ga_ZW2026DEMO', '_gid']);
      assert.deepEqual(await js('return dataLayer.map((a) => a[0])'), ['js', 'config']);
      const record = JSON.parse(await js('return localStorage.getItem("koekje")'));
      assert.equal(record.method, 'accept-all');
      assert.deepEqual(record.categories, { identification: true, functional: true, analytics: true });
      assert.match(await heldSrc('iframe[data-category]'), /youtube-nocookie\.com\/embed\//);

      await session.driver.navigate().refresh();
      await ready();
      await until('return window.__gaRuns === 1', 'GA ran after reload');
      assert.equal(await kCount('#koekje-banner'), 0);
      assert.equal(gaRequests().length, 2);
      assert.equal(await js('return koekje.accepted("analytics", "google-analytics")'), true);
    });

    // No IntersectionObserver v2 here: a placeholder's button is never
    // proven seen, so a click on it asks first in Koekje's own dialog.
    test('an embed: its placeholder\'s button asks in Koekje\'s confirmation; "load once" there loads it, records nothing', async () => {
      await go('/zonnepanelen.html');
      await ready();
      await shown('[data-koekje-placeholder]', 'the placeholder');
      await kClick('[data-koekje-placeholder] [data-koekje-action=load-once]');
      await shown('dialog.koekje-confirm', 'the confirmation');
      assert.equal(await heldSrc('iframe[data-category]'), null);
      await kClick('dialog.koekje-confirm [data-koekje-action=load-once]');
      await session.driver.wait(async () => (await kCount('dialog.koekje-confirm')) === 0, 5000, `${engine.name}: the confirmation closed`);
      await session.driver.wait(async () => /youtube-nocookie\.com\/embed\//.test(await heldSrc('iframe[data-category]') ?? ''), 5000, `${engine.name}: the embed loaded`);
      assert.equal(await kCount('[data-koekje-placeholder]'), 0);
      assert.equal(await js('return koekje.consent()'), null);
      assert.equal(await kCount('#koekje-banner'), 1);
    });

    test('held scripts are released in document order, each external one awaited', async () => {
      const ext = (name) => `<script type="text/plain" data-category="analytics" data-src="/__ext/order.js?n=${name}"></script>`;
      const inline = (name) => `<script type="text/plain" data-category="analytics">__order.push('${name}')</script>`;
      await go(server.page('order', testPage({ head: `<script>window.__order = []</script>${ext('a')}${inline('b')}${ext('c')}${inline('d')}` })));
      await ready();
      await kClick('#koekje-banner [data-koekje-action=accept-all]');
      await until('return __order.length === 4', 'all four ran');
      assert.deepEqual(await js('return __order'), ['a', 'b', 'c', 'd']);
    });

    test('reject all: nothing held runs, also after reload', async () => {
      await go('/zonnepanelen.html');
      await ready();
      await kClick('#koekje-banner [data-koekje-action=reject-all]');
      await bannerGone();
      assert.equal(await js('return koekje.consent().method'), 'reject-all');
      await session.driver.navigate().refresh();
      await ready();
      await settled();
      assert.equal(await kCount('#koekje-banner'), 0);
      assert.deepEqual(gaRequests(), []);
      assert.deepEqual(await analyticsCookies(), []);
      assert.deepEqual(await js('return [window.__gaRuns, window.dataLayer, koekje.accepted("analytics")]'), [null, null, false]);
      assert.equal(await heldSrc('iframe[data-category]'), null);
    });

    test('preferences: the cookie-settings link opens the dialog; switches; save', async () => {
      await go('/zonnepanelen.html');
      await ready();
      await click('footer [data-koekje=preferences]');
      await shown('#koekje-preferences', 'the dialog');
      assert.match(await session.driver.getCurrentUrl(), /\/zonnepanelen\.html$/); // the link did not navigate
      const required = await k$('#koekje-preferences input[data-koekje-category=identification]');
      assert.deepEqual([await required.isSelected(), await required.isEnabled()], [true, false]);
      const analytics = await k$(analyticsSwitch);
      assert.equal(await analytics.isSelected(), false); // nothing pre-ticked
      await kClick(analyticsSwitch);
      assert.equal(await analytics.isSelected(), true);
      assert.equal(await (await k$('#koekje-preferences input[data-koekje-service=google-analytics]')).isSelected(), true);
      await kClick('#koekje-preferences [data-koekje-action=save]');
      await dialogGone();
      await bannerGone();
      await until('return window.__gaRuns === 1', 'GA ran');
      assert.equal(await js('return koekje.consent().method'), 'custom');
      assert.equal(gaRequests().length, 1);
    });

    test('preferences by keyboard: Tab and Shift+Tab wrap inside, Escape closes, focus returns', async () => {
      await go('/privacy.html');
      await ready();
      const opener = await $('footer [data-koekje=preferences]');
      await js('arguments[0].focus()', opener);
      await press(Key.ENTER);
      await session.driver.wait(async () => (await kCount('#koekje-preferences')) === 1, 5000);
      const inside = `${IN_KOEKJE} ${DEEP_ACTIVE} const d = found("#koekje-preferences")[0]; return !!d && d.contains(active());`;
      await until(inside, 'focus moved into the dialog');
      const focusable = `${IN_KOEKJE} return found("#koekje-preferences :is(button, input:not(:disabled), a[href], summary)").filter((e) => e.getClientRects().length)`;
      const items = await js(focusable);
      const n = items.length;
      assert.ok(n >= 4, `${n} focusable elements`);
      // From the last element Tab goes to the first; from the first Shift+Tab to the last.
      await js('arguments[0].focus()', items[n - 1]);
      await press(Key.TAB);
      assert.equal(await (await active()).getId(), await items[0].getId(), 'Tab from the last element wraps to the first');
      await press(Key.TAB, true);
      assert.equal(await (await active()).getId(), await items[n - 1].getId(), 'Shift+Tab from the first element wraps to the last');
      for (const shift of [false, true]) {
        for (let i = 0; i < n + 2; i++) {
          await press(Key.TAB, shift);
          assert.equal(await js(inside), true, `${shift ? 'Shift+' : ''}Tab ${i + 1} keeps focus inside`);
        }
      }
      await press(Key.ESCAPE);
      await dialogGone();
      assert.equal(await (await active()).getId(), await opener.getId(), 'focus returned to the link');
      assert.equal(await js('return koekje.consent()'), null); // closing saved nothing
    });

    test('withdrawal deletes the GA cookies; GA stays off on the next page', async () => {
      await go('/zonnepanelen.html');
      await ready();
      await kClick('#koekje-banner [data-koekje-action=accept-all]');
      await until('return window.__gaRuns === 1', 'GA ran');
      assert.deepEqual(await analyticsCookies(), ['_ga', '_ga_ZW2026DEMO', '_gid']);
      await js('document.cookie = "site_pref=1; path=/"');
      await go('/privacy.html');
      await ready();
      await click('footer [data-koekje=preferences]');
      // A later view with a stored choice fetches the words only now.
      await until(`${IN_KOEKJE} return found(${JSON.stringify(analyticsSwitch)}).length > 0`, 'the dialog opened');
      const analytics = await k$(analyticsSwitch);
      assert.equal(await analytics.isSelected(), true);
      await kClick(analyticsSwitch);
      await kClick('#koekje-preferences [data-koekje-action=save]');
      await dialogGone();
      await session.driver.wait(async () => (await analyticsCookies()).length === 0, 5000, `${engine.name}: the GA cookies went`);
      assert.ok((await session.driver.manage().getCookies()).some((c) => c.name === 'site_pref'), 'other cookies stay');
      const before = gaRequests().length;
      await go('/zonnepanelen.html');
      await ready();
      await settled();
      assert.equal(gaRequests().length, before);
      assert.equal(await js('return window.__gaRuns'), null);
      assert.equal(await kCount('#koekje-banner'), 0);
    });

    // Two windows rather than two tabs: MiniBrowser opens a tab in the
    // background (document.visibilityState "hidden"), where the banner's
    // entrance transition does not run.
    test('two windows: a choice in one reaches the other at once', async () => {
      await go('/zonnepanelen.html');
      await ready();
      const first = await session.driver.getWindowHandle();
      await session.driver.switchTo().newWindow('window');
      const second = await session.driver.getWindowHandle();
      await go('/zonnepanelen.html');
      await ready();
      await shown('#koekje-banner', 'the banner');
      await session.driver.switchTo().window(first);
      await kClick('#koekje-banner [data-koekje-action=accept-all]');
      await bannerGone();
      await session.driver.switchTo().window(second);
      await bannerGone();
      await until('return window.__gaRuns === 1', 'GA ran in the second tab');
      assert.equal(await js('return koekje.consent().method'), 'accept-all');
      // A reset in the first tab asks again in the second.
      await session.driver.switchTo().window(first);
      await js('koekje.reset()');
      await session.driver.switchTo().window(second);
      await session.driver.wait(async () => (await kCount('#koekje-banner')) === 1, 5000, `${engine.name}: the banner came back`);
    });

    test('a wasm that fails to compile: nothing held runs, the console says why', async () => {
      // Everything accepted first, where Koekje works: a working wasm would then release at once.
      await go(server.page('accept', testPage()));
      await ready();
      await js('koekje.acceptAll()');
      server.log.length = 0;
      await go(server.page('wasm-broken', testPage({ head: HELD, src: '/broken/koekje.js' })));
      await until('return __errors.some((e) => e.startsWith("koekje: could not start"))', 'the console said why');
      await settled();
      // The API stays safe: nothing accepted, no record.
      await ready();
      assert.deepEqual(await js('return [koekje.accepted("analytics"), koekje.consent()]'), [false, null]);
      assert.deepEqual(await js('return [window.__functional, window.__analytics, window.__marketing]'), [null, null, null]);
      assert.equal(await js('return document.querySelectorAll("script[type=\'text/plain\']").length'), 4);
      assert.deepEqual(gaRequests(), []);
      assert.ok(server.log.includes('/broken/koekje_bg.wasm'));
      await click('#home'); // the page still works
      await session.driver.wait(async () => /\/$/.test(await session.driver.getCurrentUrl()), 5000);
    });
  });
}
