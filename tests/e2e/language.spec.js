// The visitor's language: config, then <html lang>, then the browser, then
// English; regional tags; config overrides and added languages; right to
// left; setLanguage().
import { test, expect } from '@playwright/test';
import { testPage, banner, expectBanner } from './helpers.js';

const REJECT = { nl: 'Alles weigeren', fr: 'Tout refuser', de: 'Alle ablehnen', en: 'Reject all' };

for (const [name, options, contextLocale, expected] of [
  ['html lang fr-BE', { lang: 'fr-BE' }, 'de-DE', 'fr'],
  ['html lang nl-BE', { lang: 'nl-BE' }, 'en-US', 'nl'],
  ['the config over html lang', { lang: 'nl-BE', config: { language: 'de' } }, 'fr-FR', 'de'],
  ['the browser when html lang is unknown', { lang: 'ja' }, 'de-AT', 'de'],
  ['English when nothing fits', { lang: 'ja' }, 'pt-BR', 'en'],
]) {
  test(`language from ${name}`, async ({ browser }) => {
    const context = await browser.newContext({ locale: contextLocale });
    const page = await context.newPage();
    const url = await testPage(page, 'lang-' + name.replace(/\W+/g, '-'), options);
    await page.goto(url);
    await expectBanner(page);
    await expect(banner(page)).toHaveAttribute('lang', expected);
    await expect(banner(page).locator('[data-koekje-action=reject-all]')).toHaveText(REJECT[expected]);
    await context.close();
  });
}

test('every built-in language covers the whole interface', async ({ page }) => {
  for (const lang of ['nl', 'fr', 'de', 'en']) {
    const url = await testPage(page, 'complete-' + lang, { lang, config: { privacyPolicy: '/privacy.html' } });
    await page.goto(url);
    await expectBanner(page);
    await page.evaluate(() => koekje.showPreferences());
    const texts = await page.locator('.koekje').allInnerTexts();
    // The English words must not leak into other languages.
    if (lang !== 'en') {
      for (const word of ['Accept all', 'Reject all', 'Save choices', 'Always on', 'Privacy policy', 'Cookie settings']) {
        expect(texts.join('\n')).not.toContain(word);
      }
    }
    expect(await page.locator('#koekje-preferences').getAttribute('lang')).toBe(lang);
  }
});

test('the config overrides words and adds a right-to-left language', async ({ page }) => {
  const config = {
    language: 'ar',
    texts: {
      ar: { bannerTitle: 'هل نستخدم ملفات تعريف الارتباط؟', acceptAll: 'قبول الكل', rejectAll: 'رفض الكل', preferences: 'اختيار' },
    },
    categories: [{ id: 'analytics', title: { ar: 'تحليلات' }, description: { ar: 'قياس الزيارات' } }],
  };
  const url = await testPage(page, 'rtl', { config });
  await page.goto(url);
  await expectBanner(page);
  await expect(banner(page)).toHaveAttribute('dir', 'rtl');
  await expect(banner(page)).toHaveAttribute('lang', 'ar');
  await expect(banner(page).locator('[data-koekje-action=reject-all]')).toHaveText('رفض الكل');
  // Strings the config did not give fall back to English.
  await page.evaluate(() => koekje.showPreferences());
  await expect(page.locator('#koekje-preferences [data-koekje-action=save]')).toHaveText('Save choices');
  await expect(page.locator('#koekje-preferences')).toHaveAttribute('dir', 'rtl');
});

test('setLanguage re-renders what is open and keeps the switches', async ({ page }) => {
  const url = await testPage(page, 'set-language', { lang: 'nl-BE' });
  await page.goto(url);
  await expectBanner(page);
  await page.evaluate(() => koekje.showPreferences());
  const dialog = page.locator('#koekje-preferences');
  await dialog.getByRole('switch', { name: /Analytische/ }).check();
  await page.evaluate(() => koekje.setLanguage('fr-BE'));
  await expect(dialog.locator('h2')).toHaveText('Paramètres des cookies');
  await expect(dialog.getByRole('switch', { name: /Cookies analytiques/ })).toBeChecked();
  await expect(banner(page).locator('[data-koekje-action=reject-all]')).toHaveText('Tout refuser');
  await dialog.locator('[data-koekje-action=save]').click();
  expect(await page.evaluate(() => koekje.consent().language)).toBe('fr');
});
