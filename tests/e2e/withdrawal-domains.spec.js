// Withdrawal deletes GA's cookies set on the host and on its parent domain,
// and the storage keys the config lists. The demo is served under
// www.zonnepanelen.test through Chromium's host resolver rules.
import { test, expect } from '@playwright/test';
import { recordRequests, banner, withdrawAnalytics, GA_URL, GA_STAND_IN } from './helpers.js';
import { PORT } from '../../playwright.config.js';
import { readFileSync } from 'node:fs';

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--host-resolver-rules=MAP zonnepanelen.test 127.0.0.1, MAP *.zonnepanelen.test 127.0.0.1'],
  },
});

const ORIGIN = `http://www.zonnepanelen.test:${PORT}`;

test('GA cookies on the host and the parent domain, and listed storage keys, are gone after withdrawal', async ({ page, context }) => {
  await recordRequests(page);
  // The real demo, served by name, but the outside-request guard must let our host through.
  await page.unroute(/^https?:\/\/(?!127\.0\.0\.1)/);
  await page.route(/^https?:\/\/(?!127\.0\.0\.1|[^/]*zonnepanelen\.test)/, (route) => route.fulfill({ status: 204, body: '' }));
  await page.route(/googletagmanager\.com\/gtag\/js/, (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `window.__gaRuns = (window.__gaRuns || 0) + 1;
      document.cookie = '_ga=GA1.1.1; path=/; max-age=3600; domain=zonnepanelen.test';
      document.cookie = '_ga_ZW2026DEMO=GS1.1.2; path=/; max-age=3600; domain=.zonnepanelen.test';
      document.cookie = '_gid=GA1.1.3; path=/; max-age=3600';
      document.cookie = '_gid=GA1.1.4; path=/zonnepanelen.html; max-age=3600';
      localStorage.setItem('_ga_ls_state', '1'); sessionStorage.setItem('_ga_session', '1'); localStorage.setItem('theme', 'dark');`,
  }));
  // The demo config, with the storage keys GA's stand-in uses listed.
  const config = JSON.parse(readFileSync('www/koekje-config.json', 'utf8'));
  config.categories.find((c) => c.id === 'analytics').services[0].storage = ['_ga_*'];
  await page.route('**/koekje-config.json', (route) => route.fulfill({ json: config }));
  await page.goto(`${ORIGIN}/zonnepanelen.html`);
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__gaRuns === 1);
  // document.cookie writes reach the cookie store that context.cookies()
  // reads a moment later: poll.
  await expect.poll(async () => (await context.cookies()).map((c) => `${c.name}@${c.domain}${c.path}`).sort()).toEqual([
    '_ga@.zonnepanelen.test/',
    '_ga_ZW2026DEMO@.zonnepanelen.test/',
    '_gid@www.zonnepanelen.test/',
    '_gid@www.zonnepanelen.test/zonnepanelen.html',
  ]);
  await context.addCookies([{ name: 'site_session', value: '1', domain: 'www.zonnepanelen.test', path: '/' }]);

  await withdrawAnalytics(page);
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).toEqual(['site_session']);
  expect(await page.evaluate(() => [localStorage.getItem('_ga_ls_state'), sessionStorage.getItem('_ga_session'), localStorage.getItem('theme')]))
    .toEqual([null, null, 'dark']);
  expect(await page.evaluate(() => koekje.consent().categories.analytics)).toBe(false);
});

test('a refused cookie on a deeper path, out of reach when consent was withdrawn, goes on the next visit there', async ({ page, context }) => {
  await recordRequests(page);
  await page.unroute(/^https?:\/\/(?!127\.0\.0\.1)/);
  await page.route(/^https?:\/\/(?!127\.0\.0\.1|[^/]*zonnepanelen\.test)/, (route) => route.fulfill({ status: 204, body: '' }));
  await page.route(GA_URL, (route) => route.fulfill({ contentType: 'text/javascript', body: GA_STAND_IN }));
  await page.goto(`${ORIGIN}/zonnepanelen.html`);
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__gaRuns === 1);
  // GA's cookie on a path below this page: a withdrawal here cannot see it.
  await context.addCookies([{ name: '_gid', value: '1', domain: 'www.zonnepanelen.test', path: '/t/deep' }]);
  await withdrawAnalytics(page);
  expect((await context.cookies()).map((c) => `${c.name}${c.path}`)).toContain('_gid/t/deep');
  // A page deeper down: the demo page, served by the real server (a page
  // made up by the test would count as public and could not load Koekje
  // from this loopback address).
  await page.route('**/t/deep/page.html', (route) => route.continue({ url: `${ORIGIN}/zonnepanelen.html` }));
  await page.goto(`${ORIGIN}/t/deep/page.html`);
  await page.waitForFunction(() => window.koekje !== undefined);
  await page.evaluate(() => window.koekje.ready);
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).not.toContain('_gid');
});
