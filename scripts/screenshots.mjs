// Regenerates the screenshots in docs/ from the demo site (needs a build:
// run through `npm run screenshots`).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const port = 8282;
const server = spawn('node', ['scripts/serve.mjs', '--port', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const config = JSON.parse(readFileSync('www/koekje-config.json', 'utf8'));
  const sizes = { phone: { width: 360, height: 740 }, desktop: { width: 1280, height: 720 } };
  const shots = [];
  for (const layout of ['bar', 'box']) {
    for (const theme of ['light', 'dark']) {
      for (const size of ['phone', 'desktop']) shots.push({ layout, theme, size });
    }
  }
  shots.push({ layout: 'bar', theme: 'light', size: 'desktop', preferences: true });
  shots.push({ layout: 'bar', theme: 'dark', size: 'phone', preferences: true });
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: sizes[shot.size], reducedMotion: 'reduce', colorScheme: shot.theme });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({ status: 204, body: '' }));
    // The demo's own config, with the layout of this shot (the theme follows the colour scheme).
    await page.route('**/koekje-config.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...config, layout: shot.layout }) }));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('#koekje-banner').waitFor();
    if (shot.preferences) {
      await page.locator('#koekje-banner [data-koekje-action=preferences]').click();
      await page.locator('dialog.koekje').waitFor();
    }
    const file = `docs/${shot.preferences ? 'preferences' : shot.layout}-${shot.theme}-${shot.size}.png`;
    await page.screenshot({ path: file });
    console.log('wrote', file);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
