// Embeds held until consent show a placeholder in the visitor's language;
// the browser's Global Privacy Control signal is respected.
import { test, expect } from '@playwright/test';
import { koekjeReady, banner, expectBanner, recordRequests, gaRequests, testPage, clickSeen, confirmation, storedRecord } from './helpers.js';

test('an embed shows a same-size placeholder; "load this once" loads only now', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await expectBanner(page);
  const placeholder = page.locator('[data-koekje-placeholder]');
  await expect(placeholder).toBeVisible();
  await expect(placeholder).toContainText('YouTube');
  await expect(placeholder).toHaveAttribute('lang', 'nl');
  const box = await placeholder.boundingBox();
  expect([Math.round(box.width), Math.round(box.height)]).toEqual([560, 315]);
  await expect(page.locator('iframe[data-service=youtube]')).toBeHidden();
  await clickSeen(placeholder.getByRole('button', { name: 'Eenmalig laden' }));
  await expect(placeholder).toHaveCount(0);
  const frame = page.locator('iframe[data-service=youtube]');
  await expect(frame).toBeVisible();
  await expect(frame).toHaveAttribute('src', /youtube-nocookie\.com\/embed/);
  expect(requests.some((u) => u.includes('youtube-nocookie.com'))).toBe(true);
  // Nothing was recorded: the banner still asks, and the next visit shows the placeholder again.
  expect(await page.evaluate(() => koekje.consent())).toBeNull();
  await page.reload();
  await expect(page.locator('[data-koekje-placeholder]')).toBeVisible();
  expect(gaRequests(requests)).toEqual([]);
});

test('an embed loaded once is not a withdrawal: rejecting afterwards does not reload', async ({ page }) => {
  await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await clickSeen(page.locator('[data-koekje-placeholder]').getByRole('button', { name: 'Eenmalig laden' }));
  await expect(page.locator('iframe[data-service=youtube]')).toHaveAttribute('src', /youtube/);
  await page.evaluate(() => { window.__sameDocument = true; });
  await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
});

test('"always allow YouTube" saves consent for that service only; the banner goes on asking about the rest', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await clickSeen(page.locator('[data-koekje-placeholder]').getByRole('button', { name: 'YouTube altijd toestaan' }));
  await expect(page.locator('iframe[data-service=youtube]')).toHaveAttribute('src', /youtube/);
  const record = await page.evaluate(() => koekje.consent());
  // Only YouTube is decided: Google Analytics was never asked about.
  expect(record.services.analytics).toEqual({ youtube: true });
  expect(record.method).toBe('embed');
  await expect(banner(page)).toBeVisible();
  await page.reload();
  await koekjeReady(page);
  await expect(page.locator('[data-koekje-placeholder]')).toHaveCount(0);
  await expect(page.locator('iframe[data-service=youtube]')).toHaveAttribute('src', /youtube/);
  await expect(banner(page)).toBeVisible();
  expect(gaRequests(requests)).toEqual([]);
  // "Reject all" answers the rest: YouTube stays allowed, nothing reloads, GA never runs.
  await page.evaluate(() => { window.__sameDocument = true; });
  await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
  await expect(banner(page)).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
  const after = await page.evaluate(() => koekje.consent());
  expect([after.method, after.services.analytics]).toEqual(['reject-all', { 'google-analytics': false, youtube: true }]);
  expect(gaRequests(requests)).toEqual([]);
});

test('a placeholder for a service the config does not list names the category that would load it', async ({ page }) => {
  await recordRequests(page);
  const url = await testPage(page, 'embed-unlisted', {
    config: { categories: [{ id: 'functional', required: true }, { id: 'marketing' }] },
    body: '<iframe data-category="marketing" data-service="vimeo" data-src="/t/v.html" width="400" height="300" title="Video"></iframe>',
  });
  await page.goto(url);
  const allow = page.locator('[data-koekje-placeholder]').getByRole('button', { name: 'Marketingcookies altijd toestaan' });
  await clickSeen(allow);
  await expect(page.locator('iframe[data-service=vimeo]')).toHaveAttribute('src', '/t/v.html');
  expect(await page.evaluate(() => [koekje.accepted('marketing'), koekje.consent().method])).toEqual([true, 'custom']);
  await expect(banner(page)).toHaveCount(0);
});

// A click on a placeholder's button that the browser cannot prove seen
// (page content laid over part of it here, where IntersectionObserver v2
// can tell) does not act: Koekje asks in its own dialog, on top, with the
// same words and buttons; closing it loads nothing and gives focus back,
// its buttons act.
test('a placeholder button not proven seen asks in Koekje\'s confirmation, whose buttons act', async ({ page }) => {
  await recordRequests(page);
  // A choice that leaves YouTube off: no banner, the placeholder alone
  // (stored by the top page only: the embed, once loaded, is of the same
  // origin and would store it again).
  await page.addInitScript((r) => { if (window === window.top) localStorage.setItem('koekje', r); }, storedRecord({ analytics: false }));
  const url = await testPage(page, 'embed-unseen', {
    config: { categories: [{ id: 'functional', required: true }, { id: 'analytics', services: [{ id: 'youtube', name: 'YouTube' }] }] },
    body: `<div style="position:relative"><iframe data-category="analytics" data-service="youtube" data-src="/t/v.html" width="240" height="300" title="Video"></iframe>
      <div id="cover" style="position:absolute;left:0;top:0;width:60px;height:300px;background:#fff"></div></div>`,
  });
  await page.route('**/t/v.html', (r) => r.fulfill({ contentType: 'text/html', body: 'video' }));
  await page.goto(url);
  await koekjeReady(page);
  await expect(banner(page)).toHaveCount(0);
  const once = page.locator('[data-koekje-placeholder]').getByRole('button', { name: 'Eenmalig laden' });
  await expect(once).toBeVisible();
  // The cover lies over the left of both buttons (one above the other in
  // so narrow a box): never seen.
  const always = page.locator('[data-koekje-placeholder]').getByRole('button', { name: 'YouTube altijd toestaan' });
  await page.waitForTimeout(300);
  await expect(once).not.toHaveAttribute('data-koekje-seen');
  await expect(always).not.toHaveAttribute('data-koekje-seen');
  const box = await once.boundingBox();
  expect(box.x).toBeLessThan(60);
  expect((await always.boundingBox()).x).toBeLessThan(60);
  await page.mouse.click(box.x + box.width - 10, box.y + box.height / 2);
  const asked = confirmation(page);
  await expect(asked).toBeVisible();
  await expect(asked).toContainText('YouTube');
  expect(await asked.evaluate((d) => d.open && d.matches(':modal'))).toBe(true);
  expect(await page.locator('iframe').getAttribute('src')).toBeNull();
  // Closed: nothing loads, focus is back on the placeholder's button.
  await asked.getByRole('button', { name: 'Sluiten' }).click();
  await expect(asked).toHaveCount(0);
  expect(await page.locator('iframe').getAttribute('src')).toBeNull();
  await expect(once).toBeFocused();
  // Asked again: "Always allow YouTube" there acts.
  await always.click({ position: { x: box.width - 10, y: box.height / 2 } });
  await expect(asked).toBeVisible();
  expect(await page.evaluate(() => koekje.accepted('analytics', 'youtube'))).toBe(false);
  await asked.getByRole('button', { name: 'YouTube altijd toestaan' }).click();
  await expect(asked).toHaveCount(0);
  await expect(page.locator('iframe')).toHaveAttribute('src', '/t/v.html');
  await expect(page.locator('[data-koekje-placeholder]')).toHaveCount(0);
  expect(await page.evaluate(() => [koekje.accepted('analytics', 'youtube'), koekje.consent().services.analytics.youtube])).toEqual([true, true]);
});

// A browser without IntersectionObserver v2 (Firefox, WebKit; simulated)
// never proves a placeholder's button seen: each click asks first, also
// while the banner shows; "Load this once" there loads, and records nothing.
test('without IntersectionObserver v2 a placeholder\'s button always asks first; "load once" there loads only now', async ({ page }) => {
  await page.addInitScript(() => { delete IntersectionObserverEntry.prototype.isVisible; });
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await expectBanner(page);
  const once = page.locator('[data-koekje-placeholder]').getByRole('button', { name: 'Eenmalig laden' });
  await once.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await expect(once).not.toHaveAttribute('data-koekje-seen');
  await once.click();
  const asked = confirmation(page);
  await expect(asked).toBeVisible();
  expect(requests.some((u) => u.includes('youtube-nocookie.com'))).toBe(false);
  await asked.getByRole('button', { name: 'Eenmalig laden' }).click();
  await expect(asked).toHaveCount(0);
  await expect(page.locator('iframe[data-service=youtube]')).toHaveAttribute('src', /youtube-nocookie\.com\/embed/);
  await expect(page.locator('[data-koekje-placeholder]')).toHaveCount(0);
  expect(await page.evaluate(() => koekje.consent())).toBeNull();
  await expect(banner(page)).toBeVisible();
});

test('the placeholder speaks the visitor\'s language', async ({ page }) => {
  const url = await testPage(page, 'embed-fr', {
    lang: 'fr-BE',
    body: '<iframe data-category="analytics" data-service="vimeo" data-src="/t/v.html" width="400" height="300" title="Vidéo"></iframe>',
  });
  await page.goto(url);
  const placeholder = page.locator('[data-koekje-placeholder]');
  await expect(placeholder).toContainText('Ce contenu est fourni par vimeo');
  await expect(placeholder.getByRole('button', { name: 'Charger cette fois' })).toBeVisible();
  // vimeo is not a listed service: it loads only with its whole category, which the button names.
  await expect(placeholder.getByRole('button')).toHaveCount(2);
  await expect(placeholder.getByRole('button', { name: 'Toujours autoriser Cookies analytiques' })).toBeVisible();
});

test.describe('Global Privacy Control', () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  });

  test('no banner, nothing stored, nothing of analytics; the dialog says why; an opt-in wins', async ({ page }) => {
    const requests = await recordRequests(page);
    await page.addInitScript(() => addEventListener('koekje:ready', (e) => { window.__ready = e.detail; }, { once: true }));
    await page.goto('/zonnepanelen.html');
    await koekjeReady(page);
    await page.waitForTimeout(300);
    await expect(banner(page)).toHaveCount(0);
    expect(await page.evaluate(() => localStorage.getItem('koekje'))).toBeNull();
    expect(gaRequests(requests)).toEqual([]);
    const record = await page.evaluate(() => koekje.consent());
    expect(record).toMatchObject({ method: 'gpc', gpc: true, categories: { analytics: false } });
    // The ready event says GPC applied.
    expect(await page.evaluate(() => window.__ready)).toMatchObject({ method: 'gpc', gpc: true });

    await page.locator('footer [data-koekje=preferences]').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.locator('.koekje-gpc')).toContainText('Global Privacy Control');
    await expect(dialog.getByRole('switch', { name: /Analytische cookies/ })).not.toBeChecked();
    await dialog.getByRole('switch', { name: /Analytische cookies/ }).check();
    await dialog.getByRole('button', { name: 'Keuze bewaren' }).click();
    await page.waitForFunction(() => window.__gaRuns === 1);
    const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('koekje')));
    expect(stored).toMatchObject({ method: 'custom', gpc: true, categories: { analytics: true } });
    await page.reload();
    await page.waitForFunction(() => window.__gaRuns === 1);
    await expect(banner(page)).toHaveCount(0);
  });

  test('a category the config leaves outside GPC is still asked about', async ({ page }) => {
    const config = { categories: [{ id: 'analytics' }, { id: 'functional', required: true }, { id: 'marketing', gpc: false }] };
    const url = await testPage(page, 'gpc-partial', { config });
    await page.goto(url);
    await expectBanner(page);
    expect(await page.evaluate(() => [koekje.accepted('analytics'), koekje.accepted('marketing')])).toEqual([false, false]);
  });
});
