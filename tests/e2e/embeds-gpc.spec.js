// Embeds held until consent show a placeholder in the visitor's language;
// the browser's Global Privacy Control signal is respected.
import { test, expect } from '@playwright/test';
import { koekjeReady, banner, expectBanner, recordRequests, gaRequests, testPage } from './helpers.js';

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
  await placeholder.getByRole('button', { name: 'Eenmalig laden' }).click();
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
  await page.locator('[data-koekje-placeholder]').getByRole('button', { name: 'Eenmalig laden' }).click();
  await page.evaluate(() => { window.__sameDocument = true; });
  await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__sameDocument)).toBe(true);
});

test('"always allow YouTube" saves consent for that service only; the banner goes on asking about the rest', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html');
  await page.locator('[data-koekje-placeholder]').getByRole('button', { name: 'YouTube altijd toestaan' }).click();
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
  await allow.click();
  await expect(page.locator('iframe[data-service=vimeo]')).toHaveAttribute('src', '/t/v.html');
  expect(await page.evaluate(() => [koekje.accepted('marketing'), koekje.consent().method])).toEqual([true, 'custom']);
  await expect(banner(page)).toHaveCount(0);
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
