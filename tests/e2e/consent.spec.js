// The visitor's journey on the demo site, with every request recorded:
// nothing of Google Analytics before consent, GA after "Accept all" (also
// after reload, without a banner), nothing after "Reject all", and a
// withdrawal from the privacy page that takes effect on the next page.
import { test, expect } from '@playwright/test';
import { recordRequests, gaRequests, analyticsCookies, watchConsole, banner, expectBanner, koekjeReady } from './helpers.js';

test('first visit: banner with equal accept and reject, nothing of analytics', async ({ page }) => {
  const requests = await recordRequests(page);
  const log = watchConsole(page);
  await page.goto('/zonnepanelen.html');
  await expectBanner(page);
  const reject = banner(page).locator('[data-koekje-action=reject-all]');
  const accept = banner(page).locator('[data-koekje-action=accept-all]');
  await expect(reject).toHaveText('Alles weigeren');
  await expect(accept).toHaveText('Alles aanvaarden');
  // Same size, same weight, same colours: no nudge towards accept.
  const look = (l) => l.evaluate((el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return [Math.round(r.height), s.fontWeight, s.fontSize, s.color, s.backgroundColor, s.borderColor];
  });
  expect(await look(reject)).toEqual(await look(accept));
  const [rw, aw] = [await reject.boundingBox(), await accept.boundingBox()].map((b) => Math.round(b.width));
  expect(Math.abs(rw - aw)).toBeLessThanOrEqual(1);
  // The banner is the first thing in the body (in the shadow root of
  // Koekje's host, which stands first): keyboard users reach it first.
  expect(await page.evaluate(() => {
    const first = document.body.firstElementChild;
    return [first.localName, first.id, first.shadowRoot?.firstElementChild?.id];
  })).toEqual(['koekje-ui', '', 'koekje-banner']);
  await page.waitForTimeout(300);
  expect(gaRequests(requests)).toEqual([]);
  expect(await analyticsCookies(page)).toEqual([]);
  expect(await page.evaluate(() => window.__gaRuns)).toBeUndefined();
  expect(await page.evaluate(() => window.koekje.consent())).toBeNull();
  // The held iframe has no src yet.
  expect(await page.locator('iframe[data-category]').getAttribute('src')).toBeNull();
  expect(log.pageErrors).toEqual([]);
});

test('accept all: GA loads from its real URL, and again after reload without a banner', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await expectBanner(page);
  const consentEvent = page.evaluate(() => new Promise((r) => addEventListener('koekje:consent', (e) => r(e.detail), { once: true })));
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await expect(banner(page)).toHaveCount(0);
  await page.waitForFunction(() => window.__gaRuns === 1 && typeof window.gtag === 'function');
  expect(gaRequests(requests)).toEqual(['https://www.googletagmanager.com/gtag/js?id=G-ZW2026DEMO']);
  expect((await analyticsCookies(page)).sort()).toEqual(['_ga', '_ga_ZW2026DEMO', '_gid']);
  // The inline snippet ran after the external script, in document order.
  expect(await page.evaluate(() => window.dataLayer.filter((a) => !a.event).map((a) => a[0]))).toEqual(['js', 'config']);

  const record = await consentEvent;
  expect(record).toMatchObject({
    version: 1,
    revision: 1,
    method: 'accept-all',
    language: 'nl',
    categories: { identification: true, functional: true, analytics: true },
    services: { analytics: { 'google-analytics': true, youtube: true } },
  });
  expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(record.expiresAt - record.givenAt).toBe(182 * 86_400_000);
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('koekje')));
  expect(stored).toEqual(record);
  expect(await page.locator('iframe[data-category]').getAttribute('src')).toContain('youtube-nocookie.com');

  await page.reload();
  await koekjeReady(page);
  await page.waitForFunction(() => window.__gaRuns === 1);
  await expect(banner(page)).toHaveCount(0);
  expect(gaRequests(requests)).toHaveLength(2);
  expect(await page.evaluate(() => window.koekje.accepted('analytics', 'google-analytics'))).toBe(true);
});

test('reject all: nothing of analytics runs, also after reload', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
  await expect(banner(page)).toHaveCount(0);
  expect(await page.evaluate(() => window.koekje.consent().method)).toBe('reject-all');
  await page.reload();
  await koekjeReady(page);
  await expect(banner(page)).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(gaRequests(requests)).toEqual([]);
  expect(await analyticsCookies(page)).toEqual([]);
  expect(await page.evaluate(() => [window.__gaRuns, window.dataLayer])).toEqual([undefined, undefined]);
  expect(await page.evaluate(() => window.koekje.accepted('analytics'))).toBe(false);
  expect(await page.locator('iframe[data-category]').getAttribute('src')).toBeNull();
});

test('withdrawal from the privacy page stops GA on the next page', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__gaRuns === 1);

  expect((await analyticsCookies(page)).sort()).toEqual(['_ga', '_ga_ZW2026DEMO', '_gid']);
  await page.evaluate(() => { document.cookie = 'site_pref=1; path=/'; });

  await page.goto('/privacy.html');
  await koekjeReady(page);
  await expect(banner(page)).toHaveCount(0);
  const changeEvent = page.evaluate(() => new Promise((r) => addEventListener('koekje:change', (e) => r(e.detail), { once: true })));
  await page.locator('footer [data-koekje=preferences]').click();
  const dialog = page.getByRole('dialog', { name: 'Cookie-instellingen' });
  await expect(dialog).toBeVisible();
  expect(page.url()).toContain('/privacy.html'); // the link did not navigate
  const analytics = dialog.getByRole('switch', { name: /Analytische cookies/ });
  await expect(analytics).toBeChecked();
  const required = dialog.getByRole('switch', { name: /Identificatiecookies/ });
  await expect(required).toBeChecked();
  await expect(required).toBeDisabled();
  await analytics.uncheck();
  await dialog.getByRole('button', { name: 'Keuze bewaren' }).click();
  await expect(dialog).toHaveCount(0);
  const change = await changeEvent;
  expect(change.changes).toContainEqual({ category: 'analytics', service: null, accepted: false });
  // Withdrawal takes effect: the analytics cookies are gone, other cookies stay.
  expect(await analyticsCookies(page)).toEqual([]);
  expect((await page.context().cookies()).map((c) => c.name)).toContain('site_pref');
  expect(change.consent.method).toBe('custom');

  const before = gaRequests(requests).length;
  await page.goto('/zonnepanelen.html');
  await koekjeReady(page);
  await page.waitForTimeout(300);
  expect(gaRequests(requests)).toHaveLength(before);
  expect(await page.evaluate(() => window.__gaRuns)).toBeUndefined();
  await expect(banner(page)).toHaveCount(0);
});

test('preferences: nothing pre-ticked, save a custom choice', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await banner(page).getByRole('button', { name: 'Zelf kiezen' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  const analytics = dialog.getByRole('switch', { name: /Analytische cookies/ });
  await expect(analytics).not.toBeChecked();
  await analytics.check();
  await dialog.getByRole('button', { name: 'Keuze bewaren' }).click();
  await page.waitForFunction(() => window.__gaRuns === 1);
  expect(gaRequests(requests)).toHaveLength(1);
  await expect(banner(page)).toHaveCount(0);
  expect(await page.evaluate(() => window.koekje.consent().method)).toBe('custom');
});

test('services have their own switches; the category follows them', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await banner(page).getByRole('button', { name: 'Zelf kiezen' }).click();
  const dialog = page.getByRole('dialog');
  const category = dialog.getByRole('switch', { name: /Analytische cookies/ });
  const ga = dialog.getByRole('switch', { name: 'Google Analytics' });
  const youtube = dialog.getByRole('switch', { name: 'YouTube' });
  await expect(ga).not.toBeChecked();
  await expect(category).toHaveAccessibleName('Analytische cookies');
  await youtube.check();
  await expect(category).toBeChecked();
  await expect(category).toHaveAttribute('data-koekje-mixed', '');
  // Screen readers hear it too.
  await expect(category).toHaveAccessibleName('Analytische cookies Gedeeltelijk aan');
  await category.uncheck();
  await expect(youtube).not.toBeChecked();
  await category.check();
  await expect(ga).toBeChecked();
  await expect(category).not.toHaveAttribute('data-koekje-mixed', '');
  await ga.uncheck();
  // The cookie table lists each cookie with its provider.
  await dialog.getByText('Cookies', { exact: true }).last().click();
  const table = dialog.locator('.koekje-cookie-table').last();
  await expect(table.locator('th')).toHaveText(['Naam', 'Aanbieder', 'Doel', 'Bewaartermijn']);
  await expect(table.locator('tbody tr').first().locator('td')).toHaveText(['_ga', 'Google', 'Onderscheidt bezoekers', '2 jaar']);
  await dialog.getByRole('button', { name: 'Keuze bewaren' }).click();
  const record = await page.evaluate(() => koekje.consent());
  expect(record.services.analytics).toEqual({ 'google-analytics': false, youtube: true });
  expect(record.categories.analytics).toBe(true);
  await expect(page.locator('iframe[data-service=youtube]')).toHaveAttribute('src', /youtube-nocookie/);
  await page.waitForTimeout(300);
  expect(gaRequests(requests)).toEqual([]);
  // Reopened, the dialog shows the choice as saved.
  await page.evaluate(() => koekje.showPreferences());
  await expect(dialog.getByRole('switch', { name: 'YouTube' })).toBeChecked();
  await expect(dialog.getByRole('switch', { name: 'Google Analytics' })).not.toBeChecked();
  await expect(dialog.getByRole('switch', { name: /Analytische cookies/ })).toHaveAttribute('data-koekje-mixed', '');
});
