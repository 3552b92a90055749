// Out of the page's reach: page content (markup that sanitisers keep: a
// <style> in a comment, inline style, popover/popovertarget, any id or
// class, also inserted after Koekje started) can neither restyle, cover nor
// address Koekje's interface, and a click counts only on a control the
// visitor saw. Each test plants such content, acts as a visitor would (the
// mouse clicks where the visitor sees a label) and checks what was recorded
// and what ran.
import { test, expect } from '@playwright/test';
import { testPage, koekjeReady, banner, watchConsole, recordRequests, gaRequests } from './helpers.js';

const GA = `<script type="text/plain" data-category="analytics" data-service="google-analytics"
    data-src="https://www.googletagmanager.com/gtag/js?id=G-REACH" async></script>`;

const CONFIG = {
  categories: [
    { id: 'functional', required: true },
    { id: 'analytics', services: [{ id: 'google-analytics', name: 'Google Analytics' }, { id: 'youtube', name: 'YouTube' }] },
  ],
};

const VIDEO = `<iframe data-category="analytics" data-service="youtube" data-src="https://www.youtube-nocookie.com/embed/x"
    width="560" height="315" title="Video"></iframe>`;

/** What the page stored, as { method, analytics } (null: nothing). */
const stored = (page) => page.evaluate(() => {
  const r = koekje.consent();
  return r && { method: r.method, analytics: r.categories.analytics };
});

/** Clicks with the mouse at the centre of `locator`'s box. */
async function clickCentre(page, locator) {
  const box = await locator.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/**
 * What the page shows now at a flat spot of `locator` (its padding, away
 * from its text and corners): 2 by 2 pixels, as a PNG.
 */
async function pixels(page, locator) {
  const box = await locator.boundingBox();
  return page.screenshot({ clip: { x: box.x + 6, y: box.y + box.height / 2 - 1, width: 2, height: 2 }, animations: 'disabled' });
}

// Hides every label of Koekje's buttons and paints the other one with
// ::after; and Koekje's own "Accept all" made transparent and stretched over
// the whole row of buttons, so that the visitor sees "Reject all".
const RESTYLE = `
  .koekje-button { color: transparent !important; font-size: 0 !important; }
  [data-koekje-action="accept-all"]::after { content: "Reject all"; font-size: 16px; color: #fff; }
  [data-koekje-action="reject-all"]::after { content: "Accept all"; font-size: 16px; color: #fff; }`;
const STRETCH = `
  .koekje-actions { position: relative !important; }
  [data-koekje-action="accept-all"] { position: absolute !important; inset: 0 !important; opacity: 0 !important; z-index: 9 !important; }`;

for (const [name, css] of [['labels swapped with ::after', RESTYLE], ['"Accept all" stretched, transparent, over "Reject all"', STRETCH]]) {
  for (const blocking of [false, true]) {
    for (const late of [false, true]) {
      test(`page CSS (${name}; ${blocking ? 'blocking banner' : 'banner'}${late ? '; inserted after start' : ''}) does not change Koekje's buttons: a click on "Reject all" rejects`, async ({ page }) => {
        const requests = await recordRequests(page);
        const style = `<div class="comment"><style>${css}</style></div>`;
        const url = await testPage(page, `restyle-${blocking}-${late}-${name.length}`, {
          lang: 'en', config: { ...CONFIG, blocking }, head: GA, body: late ? '' : style,
        });
        await page.goto(url);
        await koekjeReady(page);
        if (late) await page.evaluate((html) => document.querySelector('main').insertAdjacentHTML('beforeend', html), style);
        const reject = banner(page).locator('[data-koekje-action="reject-all"]');
        // What the visitor sees on the button is Koekje's own label.
        const look = await reject.evaluate((b) => {
          const s = getComputedStyle(b);
          return { color: s.color, size: parseFloat(s.fontSize), after: getComputedStyle(b, '::after').content, position: s.position, opacity: s.opacity };
        });
        expect(look.color).not.toBe('rgba(0, 0, 0, 0)');
        expect(look.size).toBeGreaterThanOrEqual(14);
        expect(look.after).toBe('none');
        await clickCentre(page, reject);
        await expect(banner(page)).toHaveCount(0);
        expect(await stored(page)).toEqual({ method: 'reject-all', analytics: false });
        await page.waitForTimeout(200);
        expect(gaRequests(requests)).toEqual([]);
      });
    }
  }
}

test('the host of the interface cannot be hidden or moved by page CSS, even !important', async ({ page }) => {
  const url = await testPage(page, 'hide-host', {
    lang: 'en', config: CONFIG,
    body: `<style>koekje-ui, body > :first-child { display: none !important; opacity: 0 !important; visibility: hidden !important; transform: translateY(100vh) !important; }
      html { font-size: 2px !important; } body > * { filter: opacity(0) !important; }</style>`,
  });
  await page.goto(url);
  await koekjeReady(page);
  const accept = banner(page).locator('[data-koekje-action="accept-all"]');
  await expect(accept).toBeVisible();
  const box = await accept.boundingBox();
  // Sized from the visitor's default font size, not the page's root font size.
  expect(box.height).toBeGreaterThanOrEqual(40);
  expect(await accept.evaluate((b) => b.checkVisibility({ opacityProperty: true, visibilityProperty: true }))).toBe(true);
});

test('page CSS that zooms the interface too small to read: a click on it does not count, and the console says so', async ({ page }) => {
  const log = watchConsole(page);
  const requests = await recordRequests(page);
  const url = await testPage(page, 'zoomed-out', { lang: 'en', config: CONFIG, head: GA, body: '<style>body { zoom: 0.1 }</style>' });
  await page.goto(url);
  await koekjeReady(page);
  const accept = banner(page).locator('[data-koekje-action="accept-all"]');
  await clickCentre(page, accept);
  await page.waitForTimeout(300);
  expect(await stored(page)).toBeNull();
  expect(gaRequests(requests)).toEqual([]);
  expect(log.warnings.some((w) => w.startsWith('koekje: click: the control was shown smaller than 24 by 24 pixels'))).toBe(true);
  expect(log.warnings.some((w) => w.startsWith('koekje: banner: is not visible'))).toBe(true);
});

test('a placeholder covered by page content (inline style only): a click on the fake "Play" does not allow; Koekje asks in its own dialog', async ({ page }) => {
  const requests = await recordRequests(page);
  // A fake player laid over the placeholder with a negative margin; it lets
  // clicks through to "Always allow YouTube" under its "Play".
  const cover = `<div style="position: relative; margin-top: -315px; width: 560px; height: 315px; pointer-events: none; background: #000; color: #fff; font: 40px sans-serif; display: flex; align-items: center; justify-content: center">▶ Play</div>`;
  const url = await testPage(page, 'covered-placeholder', { lang: 'en', config: CONFIG, head: GA, body: VIDEO + cover });
  await page.goto(url);
  await koekjeReady(page);
  // Answered first: while a popover is open (the banner), Chromium proves
  // nothing below it seen, so this shows that the cover is what is caught.
  await clickCentre(page, banner(page).locator('[data-koekje-action="reject-all"]'));
  const allow = page.locator('.koekje-placeholder [data-koekje-action="allow-always"]');
  await expect(allow).toBeVisible();
  await expect(page.locator('.koekje-placeholder [data-koekje-action="load-once"]')).not.toHaveAttribute('data-koekje-seen', '');
  await page.waitForTimeout(300); // IntersectionObserver v2 reports after its 100 ms delay
  await clickCentre(page, allow);
  await page.waitForTimeout(300);
  // Nothing was allowed, nothing loaded.
  expect(await page.evaluate(() => koekje.accepted('analytics', 'youtube'))).toBe(false);
  expect(await page.locator('iframe[data-service=youtube]').getAttribute('src')).toBeNull();
  expect(gaRequests(requests)).toEqual([]);
  // Koekje's own dialog asks, on top of everything.
  const confirm = page.locator('dialog.koekje-confirm');
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText('YouTube');
  // The visitor, now seeing the real question, allows it there.
  await clickCentre(page, confirm.locator('[data-koekje-action="allow-always"]'));
  await expect(confirm).toHaveCount(0);
  await expect(page.locator('iframe[data-service=youtube]')).toHaveAttribute('src', /youtube-nocookie/);
  expect(await page.evaluate(() => koekje.accepted('analytics', 'youtube'))).toBe(true);
  expect(await page.evaluate(() => koekje.accepted('analytics', 'google-analytics'))).toBe(false);
});

test('an uncovered placeholder that the browser proves seen acts at once (Chromium, once no popover is open)', async ({ page }) => {
  await recordRequests(page);
  const url = await testPage(page, 'seen-placeholder', { lang: 'en', config: CONFIG, body: VIDEO });
  await page.goto(url);
  await koekjeReady(page);
  await clickCentre(page, banner(page).locator('[data-koekje-action="reject-all"]'));
  const once = page.locator('.koekje-placeholder [data-koekje-action="load-once"]');
  await expect(once).toHaveAttribute('data-koekje-seen', '');
  await clickCentre(page, once);
  await expect(page.locator('iframe[data-service=youtube]')).toHaveAttribute('src', /youtube-nocookie/);
  await expect(page.locator('dialog.koekje-confirm')).toHaveCount(0);
});

test('a page popover opened by the visitor\'s first click does not stay above the banner: Koekje goes back on top', async ({ page }) => {
  await recordRequests(page);
  // A transparent button over the whole page opens a popover that paints a
  // copy of the banner with its labels swapped; it lets clicks through.
  const fake = `<button popovertarget="fake" style="position: fixed; inset: 0; opacity: 0; z-index: 1"></button>
    <div popover id="fake" style="position: fixed; inset: auto 0 0 0; margin: 0; height: 60vh; width: 100%; background: #c00; color: #fff; pointer-events: none; border: 0">Reject all (fake)</div>`;
  const url = await testPage(page, 'popover-over', { lang: 'en', config: CONFIG, body: fake });
  await page.goto(url);
  await koekjeReady(page);
  const accept = banner(page).locator('[data-koekje-action="accept-all"]');
  await expect(accept).toBeVisible();
  await page.waitForTimeout(300);
  const before = await pixels(page, accept);
  await page.mouse.click(5, 5); // the visitor's first click, anywhere
  expect(await page.evaluate(() => document.getElementById('fake').matches(':popover-open'))).toBe(true);
  await page.waitForTimeout(100);
  // What the visitor sees where "Accept all" is: Koekje's own button.
  expect((await pixels(page, accept)).equals(before)).toBe(true);
  await clickCentre(page, accept);
  expect(await stored(page)).toEqual({ method: 'accept-all', analytics: true });
});

test('popovertarget with Koekje\'s ids cannot take the banner out of the top layer; an overlay of any z-index stays below it', async ({ page }) => {
  await recordRequests(page);
  const attack = `<button id="hider" popovertarget="koekje-banner" popovertargetaction="hide">hide</button>
    <button id="toggler" popovertarget="koekje-preferences">prefs</button>
    <style>.koekje { display: block !important; }</style>
    <div style="position: fixed; inset: 0; z-index: 2147483647; pointer-events: none; background: rgba(200, 0, 0, 0.9)"></div>`;
  const url = await testPage(page, 'popovertarget-id', { lang: 'en', config: CONFIG, body: attack });
  await page.goto(url);
  await koekjeReady(page);
  await page.locator('#hider').click({ force: true });
  await page.locator('#toggler').click({ force: true });
  const open = await banner(page).evaluate((b) => b.matches(':popover-open'));
  expect(open).toBe(true);
  await expect(page.locator('#koekje-preferences')).toHaveCount(0);
  // Nothing of the page paints over the banner: the pixels under "Reject
  // all" are the button's own (no red from the overlay).
  const reject = banner(page).locator('[data-koekje-action="reject-all"]');
  const topmost = await reject.evaluate((b) => {
    const r = b.getBoundingClientRect();
    return b.getRootNode().elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;
  });
  expect(topmost).toBe(true);
  await clickCentre(page, reject);
  expect(await stored(page)).toEqual({ method: 'reject-all', analytics: false });
});

test('a <label for> with Koekje\'s inner ids, and a page copy of Koekje\'s buttons, do nothing', async ({ page }) => {
  await recordRequests(page);
  const url = await testPage(page, 'label-for', {
    lang: 'en', config: CONFIG,
    body: `<label id="lab" for="koekje-banner">Click me</label><div class="koekje"><button data-koekje-action="accept-all" id="fake-accept">Continue</button></div>`,
  });
  await page.goto(url);
  await koekjeReady(page);
  await page.locator('#lab').click();
  await page.locator('#fake-accept').click();
  await page.waitForTimeout(200);
  expect(await stored(page)).toBeNull();
  await expect(banner(page)).toBeVisible();
});
