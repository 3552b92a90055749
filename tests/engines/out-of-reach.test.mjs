// Out of the page's reach, in every engine (Firefox and WebKit unless
// KOEKJE_ENGINES says otherwise): the attacks of tests/e2e/out-of-reach.spec.js
// that these engines have the features for (page CSS, popovers, ids,
// placeholders covered by inline style). The visitor's clicks are real
// pointer clicks (WebDriver actions) where the visitor sees a label.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { engines, scenarios } from './engines.mjs';
import { startServer, GA_PATH } from './server.mjs';

const GA = `<script type="text/plain" data-category="analytics" data-service="google-analytics" data-src="${GA_PATH}?id=G-REACH" async></script>`;
const CONFIG = JSON.stringify({
  categories: [
    { id: 'functional', required: true },
    { id: 'analytics', services: [{ id: 'google-analytics', name: 'Google Analytics' }, { id: 'youtube', name: 'YouTube' }] },
  ],
});
const VIDEO = `<iframe data-category="analytics" data-service="youtube" data-src="/__ext/www.youtube-nocookie.com/embed/x" width="560" height="315" title="Video"></iframe>`;

/** A test page in English with the config above (`blocking` added) and `body`. */
const page = ({ body = '', blocking = false } = {}) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>reach</title>
  <link rel="stylesheet" href="/koekje/koekje.css">
  <script type="application/json" id="koekje-config">${blocking ? CONFIG.replace('{', '{"blocking":true,') : CONFIG}</script>
  <script type="module" src="/koekje/koekje.js"></script>${GA}
  </head><body><main><h1>reach</h1>${body}</main></body></html>`;

const RESTYLE = `<div class="comment"><style>
  .koekje-button { color: transparent !important; font-size: 0 !important; }
  [data-koekje-action="accept-all"]::after { content: "Reject all"; font-size: 16px; color: #fff; }
  [data-koekje-action="reject-all"]::after { content: "Accept all"; font-size: 16px; color: #fff; }
  .koekje-actions { position: relative !important; }
  [data-koekje-action="accept-all"] { position: absolute !important; inset: 0 !important; opacity: 0 !important; z-index: 9 !important; }
  koekje-ui { display: none !important; }</style></div>`;

const server = await startServer();
after(() => server.close());

for (const engine of engines()) {
  describe(engine.name, () => {
    const session = scenarios(engine, server);
    const { js, until, ready, settled } = session;
    const open = async (name, html) => {
      await session.driver.get(server.origin + server.page(name, html));
      await ready();
    };
    // Finds `selector` in Koekje's shadow roots (WebDriver's CSS does not
    // look into them) and returns the centre of its box.
    const FIND = `const all = [...document.querySelectorAll('koekje-ui')].map((h) => h.shadowRoot && h.shadowRoot.querySelector(arguments[0]));
      const el = all.find(Boolean) || null;`;
    const centre = async (selector) => {
      const at = await session.driver.wait(() => js(`${FIND} if (!el) return null; const r = el.getBoundingClientRect();
        return r.width ? { x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2) } : null;`, selector), 5000, `${engine.name}: ${selector} shows`);
      return at;
    };
    /** A real pointer click at the centre of Koekje's `selector`. */
    const clickAt = async (selector) => {
      const { x, y } = await centre(selector);
      await session.driver.actions().move({ x, y, origin: 'viewport' }).click().perform();
    };
    const stored = () => js('const r = koekje.consent(); return r && [r.method, r.categories.analytics];');
    const gaRequests = () => server.log.filter((u) => u.startsWith(GA_PATH));

    for (const blocking of [false, true]) {
      test(`page CSS that swaps, stretches or hides (${blocking ? 'blocking banner' : 'banner'}) does not reach Koekje's buttons: a click on "Reject all" rejects`, async () => {
        await open(`restyle-${blocking}`, page({ body: RESTYLE, blocking }));
        const look = await js(`${FIND} const s = getComputedStyle(el); return [s.color, parseFloat(s.fontSize), getComputedStyle(el, '::after').content, s.opacity];`, '[data-koekje-action="reject-all"]');
        assert.notEqual(look[0], 'rgba(0, 0, 0, 0)');
        assert.ok(look[1] >= 14, `font size ${look[1]}`);
        assert.equal(look[2], 'none');
        assert.equal(look[3], '1');
        await clickAt('[data-koekje-action="reject-all"]');
        await until('return koekje.consent() !== null', 'a choice was stored');
        assert.deepEqual(await stored(), ['reject-all', false]);
        await settled();
        assert.deepEqual(gaRequests(), []);
      });
    }

    test('style inserted after start (a comment loader) does not reach the banner either', async () => {
      await open('restyle-late', page());
      await js('document.querySelector("main").insertAdjacentHTML("beforeend", arguments[0])', RESTYLE);
      await clickAt('[data-koekje-action="reject-all"]');
      await until('return koekje.consent() !== null', 'a choice was stored');
      assert.deepEqual(await stored(), ['reject-all', false]);
    });

    test('popovertarget with Koekje\'s id cannot hide the banner; a page popover opened later goes below it', async () => {
      await open('popover', page({
        body: `<button id="hider" popovertarget="koekje-banner" popovertargetaction="hide">hide</button>
          <button id="opener" popovertarget="fake">open</button>
          <div popover id="fake" style="position: fixed; inset: auto 0 0 0; margin: 0; height: 60vh; width: 100%; background: #c00; border: 0">fake</div>`,
      }));
      await session.driver.findElement({ id: 'hider' }).click();
      assert.equal(await js(`${FIND} return el.matches(':popover-open');`, '#koekje-banner'), true);
      await session.driver.findElement({ id: 'opener' }).click();
      assert.equal(await js('return document.getElementById("fake").matches(":popover-open")'), true);
      // Koekje's banner is put back on top: what is under "Accept all" is its own button.
      await until(`${FIND.replaceAll('arguments[0]', "'[data-koekje-action=\"accept-all\"]'")} const r = el.getBoundingClientRect();
        return el.getRootNode().elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === el;`, 'the banner is back on top');
      await clickAt('[data-koekje-action="accept-all"]');
      await until('return koekje.consent() !== null', 'a choice was stored');
      assert.deepEqual(await stored(), ['accept-all', true]);
    });

    test('a placeholder covered by page content: a click on the fake "Play" allows nothing; Koekje asks in its own dialog, whose button allows', async () => {
      const cover = `<div style="position: relative; margin-top: -315px; width: 560px; height: 315px; pointer-events: none; background: #000; color: #fff">Play</div>`;
      await open('covered', page({ body: VIDEO + cover }));
      await clickAt('[data-koekje-action="reject-all"]');
      await until('return koekje.consent() !== null', 'a choice was stored');
      await clickAt('.koekje-placeholder [data-koekje-action="allow-always"]');
      await settled();
      assert.equal(await js('return koekje.accepted("analytics", "youtube")'), false);
      assert.equal(await js('return document.querySelector("iframe").getAttribute("src")'), null);
      assert.equal(await js(`${FIND} return !!el && el.open;`, 'dialog.koekje-confirm'), true);
      await clickAt('dialog.koekje-confirm [data-koekje-action="allow-always"]');
      await until('return document.querySelector("iframe").getAttribute("src") !== null', 'the embed loaded');
      assert.equal(await js('return koekje.accepted("analytics", "youtube")'), true);
      assert.equal(await js('return koekje.accepted("analytics", "google-analytics")'), false);
      assert.deepEqual(gaRequests(), []);
    });
  });
}
