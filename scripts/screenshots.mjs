// Regenerates the screenshots in docs/ from the demo site (needs a build:
// run through `npm run screenshots`).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';

const port = 8282;
const server = spawn('node', ['scripts/serve.mjs', '--port', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const shots = [
    { file: 'docs/banner-desktop.png', viewport: { width: 1280, height: 720 } },
    { file: 'docs/banner-phone.png', viewport: { width: 360, height: 740 } },
    { file: 'docs/preferences-desktop.png', viewport: { width: 1280, height: 720 }, preferences: true },
  ];
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: shot.viewport, reducedMotion: 'reduce' });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({ status: 204, body: '' }));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator('#koekje-banner').waitFor();
    if (shot.preferences) {
      await page.locator('#koekje-banner [data-koekje-action=preferences]').click();
      await page.locator('dialog.koekje').waitFor();
    }
    await page.screenshot({ path: shot.file });
    console.log('wrote', shot.file);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
