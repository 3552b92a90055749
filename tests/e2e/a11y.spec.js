// Accessibility: axe-core finds no violation in the banner or the dialog,
// in every built-in language, both themes, both layouts, phone and desktop
// widths; keyboard-only use; no layout shift; hostile page CSS.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { testPage, koekjeReady, banner, expectBanner, inKoekje, inShadow } from './helpers.js';

const PAGE_BODY = `<p>Zonnepanelen op maat voor uw dak. ${'Wij plaatsen, onderhouden en adviseren. '.repeat(30)}</p>`;

// `selector`: inside Koekje's shadow roots.
async function expectNoViolations(page, selector) {
  const results = await new AxeBuilder({ page }).include(inShadow(selector)).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

for (const lang of ['nl', 'fr', 'de', 'en']) {
  for (const theme of ['light', 'dark']) {
    for (const layout of ['bar', 'box']) {
      for (const width of [320, 1280]) {
        test(`axe: ${lang}, ${theme}, ${layout}, ${width}px`, async ({ page }) => {
          await page.setViewportSize({ width, height: 720 });
          await page.emulateMedia({ reducedMotion: 'reduce' });
          const config = { language: lang, theme, layout, privacyPolicy: '/privacy.html' };
          const url = await testPage(page, `axe-${lang}-${theme}-${layout}-${width}`, { config, body: PAGE_BODY });
          await page.goto(url);
          await expectBanner(page);
          await expect(banner(page)).toHaveAttribute('lang', lang);
          // No horizontal scrolling at any width.
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
          await expectNoViolations(page, '#koekje-banner');
          await banner(page).locator('[data-koekje-action=preferences]').click();
          await expect(page.locator('#koekje-preferences')).toBeVisible();
          // Open the cookie tables too, so axe checks them.
          await page.locator('#koekje-preferences details').evaluateAll((all) => all.forEach((d) => { d.open = true; }));
          await expectNoViolations(page, '#koekje-preferences');
        });
      }
    }
  }
}

// A browser that does not know light-dark() (simulated: CSS.supports says
// so, as it does in Chrome before 123, Safari before 17.5, Firefox before
// 120; the loader then gives the shadow roots a sheet with each colour's
// light half) still shows a light banner that passes axe.
test('without light-dark() the banner keeps its colours, in the light theme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.addInitScript(() => {
    const supports = CSS.supports;
    CSS.supports = (...a) => !/light-dark/.test(a.join(' ')) && supports.apply(CSS, a);
  });
  await page.goto('/');
  await expectBanner(page);
  // The adopted sheet has no light-dark() value left in it.
  expect(await inKoekje(page, (k) => {
    const sheets = k.hosts()[0].shadowRoot.adoptedStyleSheets;
    const text = sheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join('');
    return [sheets.length > 0, text.includes('light-dark(')];
  })).toEqual([true, false]);
  const colours = await banner(page).evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
  expect(colours).toEqual(['rgb(255, 255, 255)', 'rgb(27, 27, 27)']);
  await expectNoViolations(page, '#koekje-banner');
});

test('the theme follows prefers-color-scheme unless the config fixes one', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  const url = await testPage(page, 'theme-auto');
  await page.goto(url);
  await expectBanner(page);
  const bg = () => banner(page).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await bg()).toBe('rgb(29, 32, 37)');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await bg()).toBe('rgb(255, 255, 255)');
});

test('keyboard only: Tab reaches "Reject all" first thing, Enter presses it', async ({ page }) => {
  await page.goto('/');
  await expectBanner(page);
  // The banner does not take focus from the page.
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  let presses = 0;
  while (presses < 5) {
    await page.keyboard.press('Tab');
    presses += 1;
    if (await inKoekje(page, (k) => k.active()?.dataset.koekjeAction === 'reject-all')) break;
  }
  expect(presses).toBeLessThanOrEqual(2); // the privacy link, then "Reject all"
  // The focus is visible: a solid outline of at least 2 px.
  const outline = await inKoekje(page, (k) => {
    const s = getComputedStyle(k.active());
    return [s.outlineStyle, parseFloat(s.outlineWidth)];
  });
  expect(outline[0]).toBe('solid');
  expect(outline[1]).toBeGreaterThanOrEqual(2);
  await page.keyboard.press('Enter');
  await expect(banner(page)).toHaveCount(0);
  expect(await page.evaluate(() => koekje.consent().method)).toBe('reject-all');
});

for (const [browser, init] of [['', null], [' (a browser without HTMLDialogElement)', () => { delete window.HTMLDialogElement; }]]) {
  test(`keyboard only: the dialog keeps focus inside, Esc closes it, focus returns${browser}`, async ({ page }) => {
    if (init) await page.addInitScript(init);
    await page.goto('/');
    await expectBanner(page);
    const opener = banner(page).locator('[data-koekje-action=preferences]');
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('#koekje-preferences');
    await expect(dialog).toBeVisible();
    if (init) {
      // The stand-in says what it is, and sits above the page.
      expect(await dialog.evaluate((d) => [d.getAttribute('role'), d.getAttribute('aria-modal'), getComputedStyle(d).zIndex]))
        .toEqual(['dialog', 'true', '2147483647']);
      expect(await page.evaluate(() => typeof window.HTMLDialogElement)).toBe('undefined');
    }
    const inside = () => inKoekje(page, (k) => k.find('#koekje-preferences').contains(k.active()));
    expect(await inside()).toBe(true);
    const count = await dialog.evaluate((d) => d.querySelectorAll('button, input:not(:disabled), a[href], summary').length);
    for (let i = 0; i < count + 3; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
    }
    for (let i = 0; i < count + 3; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await inside()).toBe(true);
    }
    // Space toggles a switch.
    const analytics = dialog.getByRole('switch', { name: /Analytische/ });
    await analytics.focus();
    await page.keyboard.press('Space');
    await expect(analytics).toBeChecked();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    expect(await inKoekje(page, (k) => k.active()?.dataset.koekjeAction)).toBe('preferences');
    // Nothing was saved by closing.
    expect(await page.evaluate(() => koekje.consent())).toBeNull();
    // And a choice saved from it counts.
    await page.keyboard.press('Enter');
    await dialog.getByRole('switch', { name: /Analytische/ }).check();
    await dialog.getByRole('button', { name: 'Keuze bewaren' }).click();
    await expect(dialog).toHaveCount(0);
    expect(await page.evaluate(() => koekje.accepted('analytics'))).toBe(true);
  });
}

// WCAG 2.4.11 (focus not obscured): the banner covers the bottom of the
// viewport, yet every element Tab reaches on the page shows above it, down to
// the last link of the footer; the room goes when the banner does.
for (const [layout, width, doctype] of [['bar', 375], ['bar', 1280], ['box', 375], ['box', 1280], ['bar', 800, '']]) {
  {
    const quirks = doctype === '' ? ', quirks mode' : '';
    test(`no focused element hides behind the banner: ${layout}, ${width}px${quirks}`, async ({ page }) => {
      await page.setViewportSize({ width, height: 667 });
      const links = Array.from({ length: 40 }, (_, i) => `<p><a href="#l${i}" id="l${i}">link ${i}</a></p>`).join('');
      const url = await testPage(page, `obscured-${layout}-${width}${quirks ? '-quirks' : ''}`, { config: { layout }, body: links, doctype });
      await page.goto(url);
      await expectBanner(page);
      const seen = [];
      for (let i = 0; i < 45; i++) {
        await page.keyboard.press('Tab');
        const at = await inKoekje(page, (k) => {
          const a = k.active();
          const b = k.find('#koekje-banner');
          if (!a || a === document.body || b.contains(a)) return null;
          return { id: a.id, bottom: a.getBoundingClientRect().bottom, top: b.getBoundingClientRect().top };
        });
        if (!at) continue;
        seen.push(at.id);
        expect(at.bottom, `#${at.id} ends above the banner`).toBeLessThanOrEqual(at.top + 1);
      }
      expect(seen).toContain('l39');
      // The room is the banner's reach, not more (in quirks mode the root
      // element is as tall as the page), and stays so when the width changes.
      const room = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).paddingBottom));
      const reach = () => inKoekje(page, (k) => innerHeight - k.find('#koekje-banner').offsetTop);
      expect(Math.abs((await room()) - (await reach()))).toBeLessThanOrEqual(2);
      await page.setViewportSize({ width: width - 100, height: 667 });
      await page.setViewportSize({ width, height: 667 });
      await expect.poll(async () => Math.abs((await room()) - (await reach()))).toBeLessThanOrEqual(2);
      await banner(page).locator('[data-koekje-action=reject-all]').click();
      await expect(banner(page)).toHaveCount(0);
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).paddingBottom)).toBe('0px');
    });
  }
}

// The banner stands first in the page; once a choice removes it (from the
// banner or from the dialog opened there), Tab goes on from where it stood
// rather than from the end of the page.
for (const from of ['banner', 'dialog']) {
  test(`keyboard only: after a choice in the ${from}, Tab goes on from the top of the page`, async ({ page }) => {
    await page.goto('/');
    await expectBanner(page);
    if (from === 'banner') {
      await banner(page).locator('[data-koekje-action=accept-all]').focus();
    } else {
      await banner(page).locator('[data-koekje-action=preferences]').focus();
      await page.keyboard.press('Enter');
      await page.locator('#koekje-preferences [data-koekje-action=save]').focus();
    }
    await page.keyboard.press('Enter');
    await expect(banner(page)).toHaveCount(0);
    await expect(page.locator('#koekje-preferences')).toHaveCount(0);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Naar de inhoud');
  });
}

test('a blocking banner takes focus and keeps it until the visitor chooses', async ({ page }) => {
  const url = await testPage(page, 'blocking', { config: { blocking: true } });
  await page.goto(url);
  await expectBanner(page);
  const inside = () => inKoekje(page, (k) => k.find('#koekje-banner').contains(k.active()));
  expect(await inside()).toBe(true);
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    expect(await inside()).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expectBanner(page);
  await expectNoViolations(page, '#koekje-banner');
});

test('the banner does not move in, whatever the visitor asked for (it is there at once, for IntersectionObserver v2 too)', async ({ page }) => {
  const look = () => banner(page).evaluate((el) => [getComputedStyle(el).animationName, getComputedStyle(el).transform, getComputedStyle(el).opacity]);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto('/');
  await expectBanner(page);
  expect(await look()).toEqual(['none', 'none', '1']);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect(await look()).toEqual(['none', 'none', '1']);
});

test('no layout shift while the banner appears and disappears', async ({ page }) => {
  await page.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__cls += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto('/zonnepanelen.html');
  await expectBanner(page);
  const before = await page.locator('main h1').boundingBox();
  await page.waitForTimeout(300);
  await banner(page).locator('[data-koekje-action=accept-all]').click();
  await expect(banner(page)).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(await page.locator('main h1').boundingBox()).toEqual(before);
  expect(await page.evaluate(() => window.__cls)).toBe(0);
});

test('hostile page CSS does not break the banner', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const head = `<style>
    * { all: unset; }
    html { font-size: 40px; }
    button { display: none; }
    div, section, p, h2 { position: absolute; top: -9999px; color: transparent; }
    a { pointer-events: none; }
    dialog { display: none; }
    koekje-ui, koekje-ui * { display: none !important; position: absolute !important; top: -9999px !important; opacity: 0 !important; font-size: 1px !important; }
  </style>`;
  const url = await testPage(page, 'hostile-css', { head });
  await page.goto(url);
  await koekjeReady(page);
  for (const name of ['Alles weigeren', 'Alles aanvaarden', 'Zelf kiezen']) {
    const button = banner(page).getByRole('button', { name });
    await expect(button).toBeVisible();
    const box = await button.boundingBox();
    expect(box.width).toBeGreaterThan(40);
    expect(box.height).toBeGreaterThan(40);
  }
  const title = banner(page).locator('h2');
  expect(await title.evaluate((el) => getComputedStyle(el).color)).not.toBe('rgba(0, 0, 0, 0)');
  await banner(page).getByRole('button', { name: 'Zelf kiezen' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('switch', { name: /Analytische/ }).check();
  await dialog.getByRole('button', { name: 'Keuze bewaren' }).click();
  await expect(dialog).toHaveCount(0);
  expect(await page.evaluate(() => koekje.accepted('analytics'))).toBe(true);
});

test('text resized to 200% stays readable and usable', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  // The browser's text size at 200%: its default font size, which Koekje's
  // em sizes follow (the page's root font size does not reach into its
  // shadow roots); the page's own text grows with it.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 32 } });
  const url = await testPage(page, 'resize', { head: '<style>html { font-size: 200%; }</style>', body: PAGE_BODY });
  await page.goto(url);
  await expectBanner(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  const reject = banner(page).getByRole('button', { name: 'Alles weigeren' });
  // The banner's text is at 200% indeed.
  expect(await reject.evaluate((el) => getComputedStyle(el).fontSize)).toBe('32px');
  await reject.scrollIntoViewIfNeeded();
  await reject.click();
  await expect(banner(page)).toHaveCount(0);
});

test('in forced colours (high contrast) a switch still looks different on, off and partly on', async ({ page }) => {
  await page.emulateMedia({ forcedColors: 'active', reducedMotion: 'reduce' });
  const config = {
    categories: [
      { id: 'functional', required: true },
      { id: 'analytics', services: [{ id: 'google-analytics' }, { id: 'youtube' }] },
      { id: 'marketing' },
    ],
  };
  const url = await testPage(page, 'forced-colors', { config });
  await page.goto(url);
  await expectBanner(page);
  await page.evaluate(() => koekje.showPreferences());
  const dialog = page.locator('#koekje-preferences');
  const marketing = dialog.locator('input[data-koekje-category=marketing]');
  const analytics = dialog.locator('input[data-koekje-category=analytics]:not([data-koekje-service])');
  const youtube = dialog.locator('input[data-koekje-service=youtube]');
  // The pixels inside each switch's border (the border alone may keep its
  // colour), pictured without focus (the focus ring would differ anyway).
  const inside = async (input) => {
    await inKoekje(page, (k) => k.active().blur());
    const png = (await input.screenshot()).toString('base64');
    return page.evaluate(async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [img.width, img.height];
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      return g.getImageData(6, 6, img.width - 12, img.height - 12).data.join();
    }, png);
  };
  const off = await inside(marketing);
  await marketing.check();
  const on = await inside(marketing);
  await youtube.check();
  await expect(analytics).toHaveAttribute('data-koekje-mixed', '');
  const partly = await inside(analytics);
  expect(on).not.toEqual(off);
  expect(partly).not.toEqual(on);
  expect(partly).not.toEqual(off);
});
