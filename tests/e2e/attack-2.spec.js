// Attacks from hostile page content, second round (red team): markup that
// sanitisers or CMS filters keep, in the page's HTML or inserted later,
// acting on the rebuilt interface (shadow roots of <koekje-ui>, the banner a
// manual popover, proof.rs, on_top.rs, seen.rs). Each test asserts the SAFE
// behaviour, so each fails while the attack works. page.evaluate is used
// only to insert markup (insertLate) or to read state.
import { test, expect } from '@playwright/test';
import { testPage, koekjeReady, banner, watchConsole, recordRequests, gaRequests, insertLate, storedRecord } from './helpers.js';

const CONFIG = {
  categories: [
    { id: 'functional', required: true },
    { id: 'analytics', services: [{ id: 'google-analytics', name: 'Google Analytics' }, { id: 'youtube', name: 'YouTube' }] },
  ],
};

const GA = `<script type="text/plain" data-category="analytics" data-service="google-analytics"
    data-src="https://www.googletagmanager.com/gtag/js?id=G-ATTACK2" async></script>`;

const VIDEO = `<iframe data-category="analytics" data-service="youtube" data-src="https://www.youtube-nocookie.com/embed/x"
    width="560" height="315" title="Video"></iframe>`;

/** What the page stored, as { method, analytics } (null: nothing). */
const stored = (page) => page.evaluate(() => {
  const r = koekje.consent();
  return r && { method: r.method, analytics: r.categories.analytics };
});

/** The centre of `locator`'s box. */
async function centre(locator) {
  const b = await locator.boundingBox();
  return [b.x + b.width / 2, b.y + b.height / 2];
}

/**
 * What the page shows now at a flat spot of `locator` (its padding, away
 * from its text and corners): 2 by 2 pixels, as a PNG.
 */
async function pixels(page, locator) {
  const box = await locator.boundingBox();
  return page.screenshot({ clip: { x: box.x + 6, y: box.y + box.height / 2 - 1, width: 2, height: 2 }, animations: 'disabled' });
}

// A fake layer over the bottom 60 % of the viewport (where the banner is)
// that paints "Reject all" and lets clicks through to what is under it.
const FAKE_LAYER = 'position: fixed; inset: auto 0 0 0; margin: 0; height: 60vh; width: 100%; max-width: none; max-height: none; '
  + 'background: #c00; color: #fff; pointer-events: none; border: 0; font: 40px sans-serif';

/**
 * The visitor's first click (anywhere, here the top-left corner) opens a
 * page layer in the top layer; then they click where they see "Reject all",
 * which is where Koekje's "Accept all" is. Safe: either Koekje is back on
 * top (the pixels under "Accept all" are its own, so the visitor saw what
 * they clicked), or the click does not count.
 */
async function clickThroughFakeLayer(page) {
  const accept = banner(page).locator('[data-koekje-action="accept-all"]');
  await expect(accept).toBeVisible();
  await page.waitForTimeout(300);
  const before = await pixels(page, accept);
  await page.mouse.click(5, 5);
  await page.waitForTimeout(300);
  const koekjeOnTop = (await pixels(page, accept)).equals(before);
  const [x, y] = await centre(accept);
  await page.mouse.click(x, y);
  await page.waitForTimeout(300);
  const recorded = await stored(page);
  return { koekjeOnTop, recorded };
}

test.describe('page layers above the banner that Koekje does not see open', () => {
  test('a popover in a declarative shadow root (its toggle events never leave it) stays above the banner: a click on its "Reject all" must not accept', async ({ page }) => {
    const requests = await recordRequests(page);
    // Server-rendered comment HTML: a declarative shadow root holding an
    // invisible full-page popovertarget button and the fake layer.
    const body = `<div class="comment"><template shadowrootmode="open">
        <button popovertarget="fake" style="position: fixed; inset: 0; opacity: 0; z-index: 1"></button>
        <div popover="manual" id="fake" style="${FAKE_LAYER}">Reject all</div>
      </template></div>`;
    const url = await testPage(page, 'a2-dsd-popover', { lang: 'en', config: CONFIG, head: GA, body });
    await page.goto(url);
    await koekjeReady(page);
    const { koekjeOnTop, recorded } = await clickThroughFakeLayer(page);
    expect(koekjeOnTop || recorded === null, `fake layer on top: ${!koekjeOnTop}; recorded: ${JSON.stringify(recorded)}`).toBe(true);
    // Nothing ran unless the visitor accepted on Koekje's own banner, seen.
    if (recorded === null) expect(gaRequests(requests)).toEqual([]);
  });

  test('a <form popover> whose <input name="contains"> clobbers form.contains makes on_top\'s toggle listener throw: the page layer stays above the banner', async ({ page }) => {
    const requests = await recordRequests(page);
    const body = `<button popovertarget="fake" style="position: fixed; inset: 0; opacity: 0; z-index: 1"></button>
      <form popover="manual" id="fake" style="${FAKE_LAYER}"><input type="hidden" name="contains">Reject all</form>`;
    const url = await testPage(page, 'a2-form-popover', { lang: 'en', config: CONFIG, head: GA, body });
    await page.goto(url);
    await koekjeReady(page);
    const { koekjeOnTop, recorded } = await clickThroughFakeLayer(page);
    expect(koekjeOnTop || recorded === null, `fake layer on top: ${!koekjeOnTop}; recorded: ${JSON.stringify(recorded)}`).toBe(true);
    // Nothing ran unless the visitor accepted on Koekje's own banner, seen.
    if (recorded === null) expect(gaRequests(requests)).toEqual([]);
  });

  test('the picker of a customizable <select> (appearance: base-select; ::picker(select) styled by a <style>) opens in the top layer above the banner: a click on its "Reject all" must not accept', async ({ page }) => {
    const requests = await recordRequests(page);
    const body = `<div class="comment"><style>
        select.s, select.s::picker(select) { appearance: base-select; }
        select.s { position: fixed; inset: 0; width: 100vw; height: 100vh; opacity: 0; z-index: 1 }
        select.s::picker(select) { position-area: none; position-try: none; ${FAKE_LAYER}; inset: 40vh 0 0 0; }
      </style><select class="s"><option>Reject all</option><option>Accept all</option></select></div>`;
    const url = await testPage(page, 'a2-select-picker', { lang: 'en', config: CONFIG, head: GA, body });
    await page.goto(url);
    await koekjeReady(page);
    const { koekjeOnTop, recorded } = await clickThroughFakeLayer(page);
    expect(koekjeOnTop || recorded === null, `fake layer on top: ${!koekjeOnTop}; recorded: ${JSON.stringify(recorded)}`).toBe(true);
    // Nothing ran unless the visitor accepted on Koekje's own banner, seen.
    if (recorded === null) expect(gaRequests(requests)).toEqual([]);
  });
});

test.describe('a double click: the first opens Koekje\'s dialog under the pointer, the second lands in it', () => {
  test('a page element with data-koekje="preferences" where the dialog\'s "Accept all" will be: a double click on it must not accept', async ({ page }) => {
    const log = watchConsole(page);
    const requests = await recordRequests(page);
    // "Double-click to continue": the opener covers the whole page, so the
    // visitor's double click anywhere opens the dialog with the first click;
    // the page marks where to double-click (where "Accept all" will be).
    const url = await testPage(page, 'a2-dblclick-preferences', {
      lang: 'en', config: CONFIG, head: GA,
      body: '<div class="comment"><button data-koekje="preferences" style="position: fixed; inset: 0; z-index: 5; background: #eee; font: 30px sans-serif">Double-click the ✕ to close this ad</button></div>',
    });
    await page.goto(url);
    await koekjeReady(page);
    // Where the dialog's "Accept all" appears (the same for every visitor
    // with this viewport; an attacker computes it once).
    await page.mouse.click(5, 5);
    const dialogAccept = page.locator('#koekje-preferences [data-koekje-action="accept-all"]');
    await expect(dialogAccept).toBeVisible();
    const [x, y] = await centre(dialogAccept);
    await page.keyboard.press('Escape');
    await expect(page.locator('#koekje-preferences')).toHaveCount(0);
    await page.waitForTimeout(300);
    // The visitor double-clicks the page's "✕"; they never saw the dialog
    // before its button took the second click.
    await page.mouse.dblclick(x, y);
    await page.waitForTimeout(300);
    expect(await stored(page), `console: ${JSON.stringify(log.warnings)}`).toBeNull();
    expect(gaRequests(requests)).toEqual([]);
  });

  test('a covered placeholder lined up with the confirmation: a double click on the fake "Play" must not allow the embed for good', async ({ page }) => {
    await recordRequests(page);
    // The embed in a fixed box (the page's own layout), covered by a fake
    // player that lets clicks through: the first click is not proven seen,
    // so Koekje opens its confirmation, centred, right under the pointer.
    const body = `<div id="player" style="position: fixed; left: 0; top: 0">${VIDEO}
      <div style="position: absolute; inset: 0; pointer-events: none; background: #000; color: #fff; font: 40px sans-serif; display: flex; align-items: center; justify-content: center">▶ Double-click to play</div></div>`;
    const url = await testPage(page, 'a2-dblclick-confirm', { lang: 'en', config: CONFIG, body });
    await page.goto(url);
    await koekjeReady(page);
    await banner(page).locator('[data-koekje-action="reject-all"]').click();
    await page.waitForTimeout(300);
    const allow = page.locator('.koekje-placeholder [data-koekje-action="allow-always"]');
    // Where the confirmation's "Always allow" appears (fixed for a viewport).
    const [px, py] = await centre(allow);
    await page.mouse.click(px, py);
    const confirm = page.locator('dialog.koekje-confirm');
    await expect(confirm).toBeVisible();
    const [cx, cy] = await centre(confirm.locator('[data-koekje-action="allow-always"]'));
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    // The page's layout puts the placeholder's button right there.
    await insertLate(page, `<style>#player { left: ${cx - px}px !important; top: ${cy - py}px !important }</style>`);
    await page.waitForTimeout(300);
    const [x, y] = await centre(allow);
    await page.mouse.dblclick(x, y);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => koekje.accepted('analytics', 'youtube'))).toBe(false);
    expect(await page.locator('iframe[data-service=youtube]').getAttribute('src')).toBeNull();
  });
});

test('a mask-image on the placeholder\'s parent makes it invisible (IntersectionObserver v2 still reports it seen): a click on the "Play" painted behind must not allow', async ({ page }) => {
  await recordRequests(page);
  // A fake player BEHIND the placeholder; the placeholder's parent is masked
  // fully transparent, so the visitor sees only "▶ Play". Masks do not
  // change hit testing, and IntersectionObserver v2 ignores them.
  const body = `<div class="comment" style="position: relative; width: 560px">
      <div style="position: absolute; inset: 0; background: #000; color: #fff; font: 40px sans-serif; display: flex; align-items: center; justify-content: center">▶ Play</div>
      <div style="position: relative; mask-image: linear-gradient(transparent, transparent)">${VIDEO}</div></div>`;
  const url = await testPage(page, 'a2-masked-placeholder', { lang: 'en', config: CONFIG, body });
  await page.goto(url);
  await koekjeReady(page);
  await banner(page).locator('[data-koekje-action="reject-all"]').click();
  await page.waitForTimeout(500); // IntersectionObserver v2 reports after its 100 ms delay
  const allow = page.locator('.koekje-placeholder [data-koekje-action="allow-always"]');
  const [x, y] = await centre(allow);
  await page.mouse.click(x, y);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => koekje.accepted('analytics', 'youtube'))).toBe(false);
  expect(await page.locator('iframe[data-service=youtube]').getAttribute('src')).toBeNull();
});

test('a withdrawal still reloads the page when page content has a <form data-koekje-released> whose <input name="getAttribute"> clobbers form.getAttribute', async ({ page }) => {
  const log = watchConsole(page);
  await recordRequests(page);
  // Analytics accepted on an earlier visit (stored once, not on the reload).
  await page.addInitScript((r) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('koekje', r);
      sessionStorage.setItem('seeded', '1');
    }
  }, storedRecord());
  // The comment comes before the site's analytics tag at the end of the body.
  const body = `<div class="comment"><form data-koekje-released data-category="analytics"><input type="hidden" name="getAttribute"></form></div>${GA}`;
  const url = await testPage(page, 'a2-withdraw-no-reload', { lang: 'en', body });
  await page.goto(url);
  await koekjeReady(page);
  await page.waitForFunction(() => window.__gaRuns === 1);
  // The visitor withdraws: the GA tag already ran here, so Koekje must reload.
  const reloaded = page.waitForEvent('load', { timeout: 3000 }).then(() => true, () => false);
  await page.locator('#open-preferences').click();
  await page.locator('#koekje-preferences [data-koekje-action="reject-all"]').click();
  expect(await reloaded, `page errors: ${JSON.stringify(log.pageErrors)}`).toBe(true);
});

test.describe('the console and a hidden banner', () => {
  test.use({ reducedMotion: 'reduce' });

  test('a <style> inserted after start that hides <body> (and the banner with it) is named in the console', async ({ page }) => {
    const log = watchConsole(page);
    await recordRequests(page);
    const url = await testPage(page, 'a2-late-hide', { lang: 'en', config: CONFIG });
    await page.goto(url);
    await koekjeReady(page);
    await expect(banner(page)).toBeVisible();
    await insertLate(page, '<style>body { display: none !important }</style>');
    await page.waitForTimeout(500);
    await expect(banner(page)).toBeHidden();
    expect(log.warnings.some((w) => w.startsWith('koekje: banner: is not visible'))).toBe(true);
  });
});

test('a banner that shows is not named hidden in the console (its slide-in animation starts at opacity 0)', async ({ page }) => {
  const log = watchConsole(page);
  await recordRequests(page);
  const url = await testPage(page, 'a2-false-hidden', { lang: 'en', config: CONFIG });
  await page.goto(url);
  await koekjeReady(page);
  await expect(banner(page)).toBeVisible();
  await page.waitForTimeout(300);
  expect(log.warnings.filter((w) => w.startsWith('koekje: banner: is not visible'))).toEqual([]);
});
