// The debug view (?koekje-debug, or a koekje-debug key in localStorage):
// loaded only with the flag; it shows the config's problems, where the
// config came from, the language and why, the stored record and every held
// element with its state.
import { test, expect } from '@playwright/test';
import { recordRequests } from './helpers.js';

const debugFiles = (requests) => requests.filter((u) => /koekje-debug\.js|koekje_check/.test(u));

test('without the flag nothing of the debug view is loaded or shown', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.goto('/zonnepanelen.html?koekje-debugger');
  await page.waitForFunction(() => window.koekje !== undefined);
  await expect(page.locator('#koekje-banner')).toBeVisible();
  await page.waitForTimeout(300);
  expect(debugFiles(requests)).toEqual([]);
  await expect(page.locator('#koekje-debug')).toHaveCount(0);
});

test('?koekje-debug shows the config, its problems, the language, the record and the held elements', async ({ page }) => {
  const requests = await recordRequests(page);
  // The demo's config with a mistake and a missing translation.
  await page.route('**/koekje-config.json', async (route) => {
    const config = JSON.parse((await (await route.fetch()).text()));
    config.categories[2].descripton = 'typo';
    config.categories[2].description = { nl: 'Alleen in het Nederlands' };
    await route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) });
  });
  await page.goto('/zonnepanelen.html?koekje-debug');
  const panel = page.locator('#koekje-debug');
  await expect(panel).toBeVisible();
  expect(debugFiles(requests).length).toBeGreaterThan(0);
  await expect(panel).toContainText('data-config: /koekje-config.json');
  const problems = panel.locator('[data-koekje-debug=problems]');
  await expect(problems).toContainText('config.categories[2].descripton: unknown key (ignored)');
  await expect(problems).toContainText('config.categories[2].description: no text in en');
  await expect(panel.locator('[data-koekje-debug=language]')).toContainText('nl, from the page\'s <html lang>');
  await expect(panel.locator('[data-koekje-debug=record]')).toHaveText('none: the banner asks');
  const elements = panel.locator('[data-koekje-debug=elements] li');
  await expect(elements.first()).toHaveAttribute('data-state', 'held');
  await expect(elements.first()).toContainText('no consent for google-analytics (analytics)');
  // After a choice, the record and the released elements show.
  await page.evaluate(() => koekje.acceptAll());
  await expect(panel.locator('[data-koekje-debug=record]')).toContainText('"method": "accept-all"');
  await expect(panel.locator('[data-koekje-debug=elements] li[data-state=released]').first()).toBeVisible();
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toHaveCount(0);
});

test('the storage flag turns it on for every page', async ({ page }) => {
  await page.goto('/privacy.html');
  await page.evaluate(() => localStorage.setItem('koekje-debug', '1'));
  await page.goto('/privacy.html');
  await expect(page.locator('#koekje-debug')).toBeVisible();
  await expect(page.locator('#koekje-debug [data-koekje-debug=elements]')).toHaveCount(0);
  await expect(page.locator('#koekje-debug')).toContainText('none on this page');
});

test('anyone can open it, so it shows no secret and offers nothing that changes consent or state: only Refresh and Close', async ({ page }) => {
  // A site that put its receiver's admin token in the config by mistake.
  const token = 'koekje-admin-token-7f3a9c';
  await page.route('**/koekje-config.json', async (route) => {
    const config = JSON.parse(await (await route.fetch()).text());
    config.consentLog = { url: 'https://log.koekje.test/consent', token };
    await route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) });
  });
  await page.route('https://log.koekje.test/**', (route) => route.fulfill({ status: 204, body: '' }));
  await page.goto('/zonnepanelen.html?koekje-debug');
  const panel = page.locator('#koekje-debug');
  await expect(panel.locator('[data-koekje-debug=problems]')).toContainText('config.consentLog.token: unknown key (ignored)');
  expect(await panel.innerText()).not.toContain(token);
  // Its controls: two buttons that act on the panel alone; nothing to type
  // in or choose, no link, nothing editable or focusable besides.
  expect(await panel.locator('button').allInnerTexts()).toEqual(['Refresh', 'Close']);
  await expect(panel.locator('input, select, textarea, form, a, [contenteditable], [tabindex], [onclick], [popovertarget], [commandfor]')).toHaveCount(0);
  const state = () => page.evaluate(() => JSON.stringify({
    storage: Object.entries(localStorage), session: Object.entries(sessionStorage), cookies: document.cookie, consent: koekje.consent(),
  }));
  const before = await state();
  await panel.getByRole('button', { name: 'Refresh' }).click();
  await expect(panel.locator('[data-koekje-debug=record]')).toHaveText('none: the banner asks');
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toHaveCount(0);
  expect(await state()).toBe(before);
  // The visitor is still asked.
  await expect(page.locator('#koekje-banner')).toBeVisible();
});
