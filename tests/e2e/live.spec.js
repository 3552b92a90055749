// Live pages: held scripts and iframes added after start, starting twice,
// and a choice made in one tab applied in the others.
import { test, expect } from '@playwright/test';
import { testPage, koekjeReady, banner, expectBanner, recordRequests, gaRequests, withdrawAnalytics, watchConsole, inKoekje } from './helpers.js';

test('held scripts inserted after start run after consent, never before', async ({ page }) => {
  const url = await testPage(page, 'late');
  await page.goto(url);
  await koekjeReady(page);
  const insert = (name) => page.evaluate((name) => {
    const s = document.createElement('script');
    s.type = 'text/plain';
    s.dataset.category = 'analytics';
    s.textContent = `window.__late = (window.__late || []).concat('${name}');`;
    document.body.append(s);
    // A tag manager also adds whole fragments.
    const div = document.createElement('div');
    div.innerHTML = `<iframe data-category="analytics" data-service="youtube" data-src="/t/frame-${name}.html" width="320" height="180" title="${name}"></iframe>`;
    document.body.append(div);
  }, name);
  await insert('before');
  await page.waitForTimeout(200);
  expect(await page.evaluate(() => window.__late)).toBeUndefined();
  await expect(page.locator('[data-koekje-placeholder]')).toHaveCount(1);
  await page.evaluate(() => koekje.acceptAll());
  await page.waitForFunction(() => window.__late?.length === 1);
  await expect(page.locator('iframe[title=before]')).toHaveAttribute('src', '/t/frame-before.html');
  await expect(page.locator('[data-koekje-placeholder]')).toHaveCount(0);
  await insert('after');
  await page.waitForFunction(() => window.__late?.length === 2);
  expect(await page.evaluate(() => window.__late)).toEqual(['before', 'after']);
  await expect(page.locator('iframe[title=after]')).toHaveAttribute('src', '/t/frame-after.html');
});

test('included twice, and started twice: one banner, each script once', async ({ page }) => {
  const requests = await recordRequests(page);
  const head = `
    <script type="module" src="/koekje/koekje.js?second-copy"></script>
    <script type="text/plain" data-category="analytics" data-src="https://www.googletagmanager.com/gtag/js?id=G-TWICE"></script>
    <script type="text/plain" data-category="analytics">window.__runs = (window.__runs || 0) + 1;</script>`;
  const url = await testPage(page, 'twice', { head });
  await page.goto(url);
  await koekjeReady(page);
  await page.waitForTimeout(300);
  await expect(page.locator('#koekje-banner')).toHaveCount(1);
  // A framework that mounts twice imports the module again, under another
  // URL: a second copy, whose exports answer through the running Koekje.
  const before = await page.evaluate(async () => {
    const copy = await import('/koekje/koekje.js?third-copy');
    return [copy.accepted('analytics'), copy.consent()];
  });
  expect(before).toEqual([false, null]);
  await page.evaluate(async () => { (await import('/koekje/koekje.js?third-copy')).acceptAll(); });
  await page.waitForFunction(() => window.__runs === 1);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__runs)).toBe(1);
  expect(gaRequests(requests)).toHaveLength(1);
  await expect(page.locator('#koekje-banner')).toHaveCount(0);
  const after = await page.evaluate(async () => {
    const copy = await import('/koekje/koekje.js?second-copy');
    return [copy.accepted('analytics'), copy.consent().method, koekje.accepted('analytics')];
  });
  expect(after).toEqual([true, 'accept-all', true]);
});

test('a copy of another build answers through the running one', async ({ page }) => {
  await page.route('**/koekje/koekje.js?other-build', async (route) => {
    const js = await (await route.fetch({ url: route.request().url().replace('?other-build', '') })).text();
    await route.fulfill({ contentType: 'text/javascript', body: js.replace(/"[0-9a-f]{16}"|'[0-9a-f]{16}'/, '"0000000000000000"') });
  });
  const url = await testPage(page, 'other-build');
  await page.goto(url);
  await koekjeReady(page);
  // The banner is in the shadow root of Koekje's host: looked for there.
  const outcome = await inKoekje(page, async (k) => {
    const copy = await import('/koekje/koekje.js?other-build');
    await copy.ready;
    const before = k.findAll('.koekje-banner').length;
    copy.acceptAll();
    return [copy.consent().method, koekje.consent().method, before, k.findAll('.koekje-banner').length];
  });
  expect(outcome).toEqual(['accept-all', 'accept-all', 1, 0]);
});

test('a choice in one tab reaches a second tab at once', async ({ context }) => {
  const [first, second] = [await context.newPage(), await context.newPage()];
  for (const page of [first, second]) await recordRequests(page);
  await first.goto('/zonnepanelen.html');
  await second.goto('/zonnepanelen.html');
  await expectBanner(first);
  await expectBanner(second);
  await banner(first).getByRole('button', { name: 'Alles aanvaarden' }).click();
  // The second tab closes its banner and releases its held scripts.
  await expect(banner(second)).toHaveCount(0);
  await second.waitForFunction(() => window.__gaRuns === 1);
  expect(await second.evaluate(() => koekje.consent().method)).toBe('accept-all');

  // A withdrawal in the first tab reloads both tabs (GA ran in each); in the
  // second, GA then stays off.
  await withdrawAnalytics(first, [first, second]);
  expect(await second.evaluate(() => [window.__gaRuns, koekje.accepted('analytics')])).toEqual([undefined, false]);

  // A reset in one tab asks again in the other.
  await first.evaluate(() => koekje.reset());
  await expectBanner(second);
});

test('a reset in one tab deletes the listed keys in the other tab too, sessionStorage included', async ({ context }) => {
  const config = {
    reloadOnWithdrawal: false,
    categories: [{ id: 'functional', required: true }, { id: 'analytics', storage: ['hj_*'] }],
  };
  const [first, second] = [await context.newPage(), await context.newPage()];
  const url = await testPage(first, 'reset-two-tabs', { config });
  await testPage(second, 'reset-two-tabs', { config });
  await first.goto(url);
  await second.goto(url);
  await banner(first).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await expect(banner(second)).toHaveCount(0);
  // sessionStorage is each tab's own: only the second tab can delete its keys.
  await second.evaluate(() => { sessionStorage.setItem('hj_session', '1'); sessionStorage.setItem('kept', '1'); });
  await first.evaluate(() => koekje.reset());
  await expectBanner(second);
  expect(await second.evaluate(() => [sessionStorage.getItem('hj_session'), sessionStorage.getItem('kept')])).toEqual([null, '1']);
});
