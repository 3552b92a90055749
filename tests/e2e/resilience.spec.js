// Resilience: a slow wasm, a strict Content Security Policy (with and
// without nonces), hundreds of held scripts, hundreds of cookies with odd
// names. Each time nothing non-essential runs before consent and the page
// stays usable.
import { test, expect } from '@playwright/test';
import { testPage, koekjeReady, banner, expectBanner, watchConsole, recordRequests, gaRequests } from './helpers.js';
import { readFileSync } from 'node:fs';

test('a wasm that arrives after 3 seconds: the banner then shows, held scripts wait', async ({ page }) => {
  const requests = await recordRequests(page);
  await page.route('**/koekje/koekje_bg.wasm', async (route) => {
    const response = await route.fetch();
    await new Promise((r) => setTimeout(r, 3000));
    await route.fulfill({ response });
  });
  const head = `<script type="text/plain" data-category="analytics" data-src="https://www.googletagmanager.com/gtag/js?id=G-SLOW"></script>
    <script type="text/plain" data-category="analytics">window.__analytics = true;</script>`;
  const url = await testPage(page, 'slow-wasm', { head, body: '<a href="#x" id="x">link</a>' });
  const start = Date.now();
  await page.goto(url);
  // The page is usable while waiting.
  await page.click('#x');
  await expect(page).toHaveURL(/#x$/);
  expect(await page.evaluate(() => [window.koekje.accepted('analytics'), window.koekje.consent(), window.__analytics])).toEqual([false, null, undefined]);
  await expectBanner(page);
  expect(Date.now() - start).toBeGreaterThanOrEqual(2900);
  expect(gaRequests(requests)).toEqual([]);
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__analytics === true && window.__gaRuns === 1);
});

const STRICT = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

test('a strict CSP: Koekje works and nothing violates the policy', async ({ page }) => {
  const log = watchConsole(page);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.route('**/t/config.json', (r) => r.fulfill({ json: { privacyPolicy: '/privacy.html', layout: 'box' } }));
  await page.route('**/t/analytics.js', (r) => r.fulfill({ contentType: 'text/javascript', body: 'window.__analytics = true;' }));
  const url = await testPage(page, 'csp-strict', {
    headers: { 'content-security-policy': STRICT },
    scriptAttrs: 'data-config="/t/config.json"',
    head: '<script src="/koekje/koekje-gcm.js"></script><script type="text/plain" data-category="analytics" data-src="/t/analytics.js"></script>',
    body: '<iframe data-category="analytics" data-service="youtube" data-src="/t/frame.html" width="320" height="180" title="Video"></iframe>',
  });
  await page.goto(url);
  await expectBanner(page);
  await expect(banner(page)).toHaveClass(/koekje-box/);
  await expect(page.locator('[data-koekje-placeholder]')).toBeVisible();
  await banner(page).getByRole('button', { name: 'Zelf kiezen' }).click();
  await page.getByRole('switch', { name: /Analytische/ }).check();
  await page.getByRole('button', { name: 'Keuze bewaren' }).click();
  await page.waitForFunction(() => window.__analytics === true);
  expect(await page.evaluate(() => window.__violations)).toEqual([]);
  expect(log.errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
  // The banner's styles (Koekje's stylesheet, which its shadow roots adopt:
  // no <style> element for the policy to refuse) applied: it is a fixed box.
  await page.evaluate(() => koekje.show());
  expect(await banner(page).evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
});

test('a nonce-based CSP: released inline and external scripts carry the nonce and run', async ({ page }) => {
  const log = watchConsole(page);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
  });
  await page.route('**/t/ext.js', (r) => r.fulfill({ contentType: 'text/javascript', body: 'window.__order.push("external");' }));
  const nonce = 'r4nd0mN0nce';
  const url = await testPage(page, 'csp-nonce', {
    headers: { 'content-security-policy': `default-src 'self'; script-src 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self'` },
    scriptAttrs: `nonce="${nonce}"`,
    head: `<script type="text/plain" data-category="analytics" nonce="${nonce}">window.__order = ['inline'];</script>
      <script type="text/plain" data-category="analytics" nonce="${nonce}" data-src="/t/ext.js"></script>
      <script type="text/plain" data-category="analytics">window.__noNonce = true;</script>`,
  });
  await page.goto(url);
  await expectBanner(page);
  await banner(page).getByRole('button', { name: 'Alles aanvaarden' }).click();
  await page.waitForFunction(() => window.__order?.length === 2);
  expect(await page.evaluate(() => window.__order)).toEqual(['inline', 'external']);
  const nonces = await page.locator('script[data-koekje-released]').evaluateAll((els) => els.map((e) => e.nonce));
  expect(nonces.slice(0, 2)).toEqual([nonce, nonce]);
  // Under 'strict-dynamic' the browser would trust any script Koekje creates,
  // so a held script without the page's nonce (injected markup, say) is not released.
  expect(await page.evaluate(() => window.__noNonce)).toBeUndefined();
  expect(log.warnings.join('\n')).toContain('koekje: script[data-category="analytics"]: no nonce, or not the page\'s; not released');
  expect(await page.evaluate(() => window.__violations)).toEqual([]);
});

test('300 held scripts in three categories: released in document order, each once', async ({ page }) => {
  const categories = ['analytics', 'marketing', 'functional'];
  let head = '<script>window.__ran = [];</script>';
  for (let i = 0; i < 300; i++) {
    const category = categories[i % 3];
    head += i % 10 === 0
      ? `<script type="text/plain" data-category="${category}" data-src="/t/s.js?n=${i}"></script>`
      : `<script type="text/plain" data-category="${category}">window.__ran.push(${i});</script>`;
  }
  await page.route('**/t/s.js*', (route) => {
    const n = new URL(route.request().url()).searchParams.get('n');
    return route.fulfill({ contentType: 'text/javascript', body: `window.__ran.push(${n});` });
  });
  const config = { reloadOnWithdrawal: false, categories: [{ id: 'functional', required: true }, { id: 'analytics' }, { id: 'marketing' }] };
  const url = await testPage(page, 'many-scripts', { head, config });
  await page.goto(url);
  await koekjeReady(page);
  // The required category's 100 run at once, in order.
  await page.waitForFunction(() => window.__ran.length === 100);
  const required = await page.evaluate(() => window.__ran);
  expect(required).toEqual([...Array(100).keys()].map((k) => k * 3 + 2));
  await page.evaluate(() => koekje.accept(['analytics']));
  await page.waitForFunction(() => window.__ran.length === 200);
  await page.evaluate(() => koekje.acceptAll());
  await page.waitForFunction(() => window.__ran.length === 300);
  await page.waitForTimeout(300);
  const ran = await page.evaluate(() => window.__ran);
  expect(ran.length).toBe(300);
  expect(new Set(ran).size).toBe(300);
  const analytics = ran.slice(100, 200);
  expect(analytics).toEqual([...Array(100).keys()].map((k) => k * 3));
  const marketing = ran.slice(200);
  expect(marketing).toEqual([...Array(100).keys()].map((k) => k * 3 + 1));
});

// Chromium keeps at most 180 cookies per domain, so "hundreds" here is 170.
test('a full cookie jar with long and odd names: withdrawal deletes exactly the listed ones', async ({ page, context }) => {
  const log = watchConsole(page);
  const odd = ['a'.repeat(3000), 'é-ü', 'x y', 'weird.name[1]', '_ga_' + 'Z'.repeat(200), '$dollar', 'semi%3Bcolon', '_gaX'];
  const cookies = [];
  for (let i = 0; i < 142; i++) cookies.push({ name: `c${i}_${'n'.repeat(i % 40)}`, value: 'v', domain: '127.0.0.1', path: '/' });
  // A listed cookie set before any choice goes at start: nothing allowed it.
  await context.addCookies([...cookies, { name: '_ga_before', value: '1', domain: '127.0.0.1', path: '/' }]);
  const config = { reloadOnWithdrawal: false, categories: [{ id: 'analytics', cookies: ['_ga', '_ga_*', 'x y'] }] };
  const url = await testPage(page, 'many-cookies', { config });
  await page.goto(url);
  await expectBanner(page);
  await koekjeReady(page);
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).not.toContain('_ga_before');
  const ga = [];
  for (let i = 0; i < 20; i++) ga.push({ name: `_ga_${i}`, value: '1', domain: '127.0.0.1', path: '/' });
  await context.addCookies(ga);
  // Odd names the way a page can set them.
  await page.evaluate((names) => { for (const n of names) document.cookie = `${n}=1; path=/`; }, odd);
  await expect.poll(async () => (await context.cookies()).length).toBe(170);
  await banner(page).getByRole('button', { name: 'Alles weigeren' }).click();
  await expect(banner(page)).toHaveCount(0);
  // document.cookie writes reach the browser's cookie store (which
  // context.cookies() reads) a moment later: wait for them.
  const names = async () => (await context.cookies()).map((c) => c.name);
  await expect.poll(async () => (await names()).filter((n) => n.startsWith('_ga_'))).toEqual([]);
  const left = await names();
  expect(left).not.toContain('x y');
  expect(left).toContain('_gaX');
  expect(left).toContain('a'.repeat(3000));
  expect(left).toContain('é-ü');
  expect(left.filter((n) => /^c\d+_/.test(n))).toHaveLength(142);
  expect(await page.evaluate(() => document.cookie.length)).toBeGreaterThan(5000);
  expect(log.pageErrors).toEqual([]);
});

test('the wasm linear memory stays within 256 KiB after start and a full round of use', async ({ page }) => {
  // The module exports no handle on its wasm: the instance is caught as the
  // browser makes it (the build shortens export names: the memory is the
  // one WebAssembly.Memory).
  await page.addInitScript(() => {
    const streaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (...args) => {
      const result = await streaming(...args);
      window.__koekjeMemory = Object.values(result.instance.exports).find((e) => e instanceof WebAssembly.Memory);
      return result;
    };
  });
  const url = await testPage(page, 'memory', { config: JSON.parse(readFileSync('www/koekje-config.json', 'utf8')) });
  await page.goto(url);
  await koekjeReady(page);
  const memory = () => page.evaluate(() => window.__koekjeMemory.buffer.byteLength);
  expect(await memory()).toBeLessThanOrEqual(256 * 1024);
  for (let i = 0; i < 20; i++) {
    await page.evaluate(() => { koekje.showPreferences(); koekje.setLanguage(['fr', 'de', 'en', 'nl'][Math.floor(Math.random() * 4)]); koekje.hide(); });
  }
  await page.evaluate(() => koekje.acceptAll());
  expect(await memory()).toBeLessThanOrEqual(256 * 1024);
});
