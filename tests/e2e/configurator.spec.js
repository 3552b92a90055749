// The configurator (www/configurator.html): the solar installer's config
// built from scratch through the form, problems beside their fields as the
// admin types (the banner's own messages), the revision offered when
// purposes change, export, and the exported config on the demo site showing
// exactly what the preview showed; keyboard use and axe-core.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { testPage, watchConsole, recordRequests } from './helpers.js';

const at = (page, path) => page.locator(`[data-path="${path}"]`);
const problemsOf = (page, path) => page.locator(`[data-problems="${path}"]`);
const preview = (page) => page.frameLocator('#kc-preview-frame');

async function open(page) {
  await page.goto('/configurator.html');
  await expect(page.locator('#kc-form')).toBeVisible();
}

/** Adds a category through the form and fills its id. */
async function addCategory(page, i, id, { required = false } = {}) {
  await page.getByRole('button', { name: 'Add a category' }).click();
  await expect(at(page, `config.categories[${i}].id`)).toBeFocused();
  await page.keyboard.type(id);
  if (required) await at(page, `config.categories[${i}].required`).check();
}

async function buildSolarConfig(page) {
  await open(page);
  // The site is in Dutch and French.
  await page.getByRole('checkbox', { name: 'nl', exact: true }).check();
  await page.getByRole('checkbox', { name: 'fr', exact: true }).check();
  await page.getByRole('checkbox', { name: 'en', exact: true }).uncheck();
  await page.getByLabel('Default language').selectOption('nl');
  await page.getByLabel('Privacy policy address (nl)').fill('/privacy.html');
  await page.getByLabel('Privacy policy address (fr)').fill('/privacy.html');

  await addCategory(page, 0, 'identification', { required: true });
  await addCategory(page, 1, 'functional', { required: true });
  await addCategory(page, 2, 'analytics');
  const c = 'config.categories[2]';
  await at(page, `${c}.description.nl`).fill('Tellen bezoeken met Google Analytics; de gegevens gaan naar de Verenigde Staten.');
  // Dutch only so far: the missing French text is named beside the field.
  await expect(problemsOf(page, `${c}.description`)).toHaveText('no text in fr');
  await expect(page.locator('#kc-summary')).toContainText('Missing in fr: 1');
  await at(page, `${c}.description.fr`).fill('Comptent les visites avec Google Analytics ; les données vont aux États-Unis.');
  await expect(problemsOf(page, `${c}.description`)).toBeEmpty();

  await page.locator(`[data-field="${c}.services"]`).getByRole('button', { name: 'Add a service' }).click();
  const s = `${c}.services[0]`;
  await expect(at(page, `${s}.id`)).toBeFocused();
  await page.keyboard.type('google-analytics');
  await at(page, `${s}.name`).fill('Google Analytics');
  const cookies = [
    ['_ga', 'Onderscheidt bezoekers', 'Distingue les visiteurs', '2 jaar', '2 ans'],
    ['_ga_*', 'Bewaart de sessie', 'Conserve la session', '2 jaar', '2 ans'],
    ['_gid', 'Onderscheidt bezoekers per dag', 'Distingue les visiteurs par jour', '1 dag', '1 jour'],
  ];
  for (const [i, [name, nl, fr, dnl, dfr]] of cookies.entries()) {
    await page.locator(`[data-field="${s}.cookies"]`).getByRole('button', { name: 'Add a cookie' }).click();
    const k = `${s}.cookies[${i}]`;
    await expect(at(page, `${k}.name`)).toBeFocused();
    await page.keyboard.type(name);
    await at(page, `${k}.provider`).fill('Google');
    await at(page, `${k}.purpose.nl`).fill(nl);
    await at(page, `${k}.purpose.fr`).fill(fr);
    await at(page, `${k}.duration.nl`).fill(dnl);
    await at(page, `${k}.duration.fr`).fill(dfr);
  }
  await expect(page.locator('#kc-summary')).toHaveText('No problems.');
  return JSON.parse(await page.locator('#kc-json').inputValue());
}

/** The banner's and the dialog's words in the preview, once it shows `title`. */
async function previewTexts(page, lang) {
  await page.getByLabel('Language', { exact: true }).selectOption(lang);
  await page.getByLabel('Show', { exact: true }).selectOption('banner');
  const frame = preview(page);
  await expect(frame.locator('#koekje-banner')).toHaveAttribute('lang', lang);
  const bannerText = await frame.locator('#koekje-banner').innerText();
  await page.getByLabel('Show', { exact: true }).selectOption('preferences');
  await expect(frame.locator('#koekje-preferences')).toBeVisible();
  await frame.locator('#koekje-preferences details').evaluateAll((all) => all.forEach((d) => { d.open = true; }));
  const dialogText = await frame.locator('#koekje-preferences').innerText();
  return { bannerText, dialogText };
}

test('the solar installer\'s config, built from scratch through the form, shows on the demo site exactly as in the preview', async ({ page, context }) => {
  test.setTimeout(90_000);
  const config = await buildSolarConfig(page);
  expect(config.defaultLanguage).toBe('nl');
  expect(config.categories.map((c) => [c.id, !!c.required])).toEqual([['identification', true], ['functional', true], ['analytics', false]]);
  expect(config.categories[2].services[0].cookies.map((c) => c.name)).toEqual(['_ga', '_ga_*', '_gid']);
  const shown = { nl: await previewTexts(page, 'nl'), fr: await previewTexts(page, 'fr') };
  expect(shown.nl.bannerText).toContain('Alles weigeren');
  expect(shown.fr.dialogText).toContain('les données vont aux États-Unis');
  expect(shown.fr.dialogText).toContain('Distingue les visiteurs par jour');

  // The download is the same JSON.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download config.json' }).click()]);
  const downloaded = JSON.parse(await (await download.createReadStream()).toArray().then((b) => Buffer.concat(b).toString()));
  expect(downloaded).toEqual(config);
  // The admin's own storage on this origin was not touched by the preview.
  expect(await page.evaluate(() => localStorage.getItem('koekje'))).toBeNull();

  for (const lang of ['nl', 'fr']) {
    const site = await context.newPage();
    const log = watchConsole(site);
    await recordRequests(site);
    const url = await testPage(site, `from-configurator-${lang}`, { config, lang });
    await site.goto(url);
    await expect(site.locator('#koekje-banner')).toBeVisible();
    expect(await site.locator('#koekje-banner').innerText()).toBe(shown[lang].bannerText);
    await site.evaluate(() => koekje.showPreferences());
    await site.locator('#koekje-preferences details').evaluateAll((all) => all.forEach((d) => { d.open = true; }));
    expect(await site.locator('#koekje-preferences').innerText()).toBe(shown[lang].dialogText);
    expect(log.errors).toEqual([]);
    await site.close();
  }
});

test('problems appear beside their field as the admin types, with the banner\'s messages; a changed purpose offers a new revision', async ({ page }) => {
  await open(page);
  await page.locator('#kc-paste').fill('{"revision": 3, "categories": [{"id": "functional", "required": true}, {"id": "analytics", "descripton": "x"}]}');
  await page.getByRole('button', { name: 'Load pasted JSON' }).click();
  await expect(problemsOf(page, 'config.categories[1]')).toHaveText('unknown key (ignored)');
  await expect(page.locator('#kc-all-problems')).toContainText('config.categories[1].descripton: unknown key (ignored)');
  // A duplicate id, named beside the id field, as the browser's console names it.
  await at(page, 'config.categories[1].id').fill('functional');
  await expect(problemsOf(page, 'config.categories[1].id')).toHaveText('duplicate id "functional"');
  await expect(at(page, 'config.categories[1].id')).toHaveAttribute('aria-invalid', 'true');
  await at(page, 'config.categories[1].id').fill('stats');
  // A new category changes the purposes: the revision is offered, and explained.
  await expect(page.locator('#kc-raise')).toContainText('asks every visitor again');
  await page.getByRole('button', { name: 'Raise the revision to 4' }).click();
  await expect(at(page, 'config.revision')).toHaveValue('4');
  await expect(page.locator('#kc-raise')).toBeHidden();
  // Text that is not JSON: refused with the line and column.
  await page.locator('#kc-paste').fill('{\n  "revision": 2,\n}');
  await page.getByRole('button', { name: 'Load pasted JSON' }).click();
  await expect(page.locator('#kc-import-error')).toContainText('not valid JSON (trailing comma at line 3 column 1)');
  await expect(at(page, 'config.revision')).toHaveValue('4');
  // A file opened from disk.
  await page.getByLabel('Open a file').setInputFiles({ name: 'c.json', mimeType: 'application/json', buffer: Buffer.from('{"layout": "popup"}') });
  await expect(problemsOf(page, 'config.layout')).toHaveText('expected "bar" or "box"');
});

test('keyboard only, in the four languages, and axe-core finds no violation', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page);
  await addCategory(page, 0, 'analytics');
  // Tab reaches the next field from the one just added, no mouse needed.
  await page.keyboard.press('Tab');
  await expect(at(page, 'config.categories[0].required')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(at(page, 'config.categories[0].required')).toBeChecked();
  for (const lang of ['en', 'nl', 'fr', 'de']) {
    await page.locator('#kc-ui-lang').selectOption(lang);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await page.locator('details').evaluateAll((all) => all.forEach((d) => { d.open = true; }));
    await expect(preview(page).locator('#koekje-banner')).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await expect(page.getByRole('heading', { name: 'Kategorien' })).toBeVisible();
});

test('opened from disk (configurator-standalone.html, file:), it checks and previews with the same files', async ({ page }) => {
  const file = new URL('../../dist/configurator-standalone.html', import.meta.url).href;
  await page.goto(file);
  await expect(page.locator('#kc-form')).toBeVisible();
  await expect(page.locator('#kc-summary')).toHaveText('1 problem');
  await addCategory(page, 0, 'functional', { required: true });
  await addCategory(page, 1, 'analytics');
  await expect(page.locator('#kc-summary')).toHaveText('No problems.');
  await page.getByLabel('Show', { exact: true }).selectOption('preferences');
  await expect(preview(page).locator('#koekje-preferences')).toBeVisible();
  await expect(preview(page).getByRole('switch', { name: /Analytics cookies/ })).toBeVisible();
});

/** Loads `config` into the configurator as pasted JSON. */
async function paste(page, config) {
  await page.locator('#kc-paste').fill(JSON.stringify(config));
  await page.getByRole('button', { name: 'Load pasted JSON' }).click();
}

test('the embed snippet of a config whose texts hold "<!--<script>" and "</script>", pasted in a page, shows the banner and leaves the rest of the page alone', async ({ page, context }) => {
  const config = {
    revision: 1,
    categories: [{ id: 'functional', required: true }, { id: 'analytics' }],
    // An end tag first (it would end the element), then a comment opener and
    // a start tag (they would keep it from ending: the page swallowed).
    texts: { en: { bannerTitle: 'Cookies </script><p id="injected">injected</p>', bannerText: 'We count visits <!--<SCRIPT> to improve the site.' } },
  };
  await open(page);
  await paste(page, config);
  await expect(page.locator('#kc-summary')).toHaveText('No problems.');
  // The preview is such a page too.
  await expect(preview(page).locator('#koekje-banner')).toContainText('We count visits <!--<SCRIPT> to improve the site.');
  const snippet = await page.locator('#kc-snippet').inputValue();

  const site = await context.newPage();
  const log = watchConsole(site);
  await recordRequests(site);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pasted</title>
${snippet}
</head><body><main><h1 id="rest">The rest of the page</h1><p>Solar panels, installed.</p></main></body></html>`;
  await site.route('**/t/pasted-snippet.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await site.goto('/t/pasted-snippet.html');
  await expect(site.locator('#rest')).toBeVisible();
  await expect(site.locator('#koekje-banner')).toBeVisible();
  await expect(site.locator('#koekje-banner')).toContainText('Cookies </script><p id="injected">injected</p>');
  await expect(site.locator('#koekje-banner')).toContainText('We count visits <!--<SCRIPT> to improve the site.');
  await expect(site.locator('#injected')).toHaveCount(0);
  expect(JSON.parse(await site.locator('#koekje-config').textContent())).toEqual(await page.evaluate(() => koekjeConfigurator.config()));
  expect(log.errors).toEqual([]);
  await site.close();
});

test('a button text that says another button\'s action is named beside its field', async ({ page }) => {
  await open(page);
  await paste(page, { revision: 1, categories: [{ id: 'functional', required: true }], texts: { en: { acceptAll: 'Reject all', rejectAll: 'ACCEPT  all' } } });
  await expect(problemsOf(page, 'config.texts.en.acceptAll')).toHaveText('"Reject all" says what another button says (rejectAll, in en): visitors would mistake the one for the other');
  await expect(problemsOf(page, 'config.texts.en.rejectAll')).toHaveText('"ACCEPT  all" says what another button says (acceptAll, in en): visitors would mistake the one for the other');
  await expect(at(page, 'config.texts.en.acceptAll')).toHaveAttribute('aria-invalid', 'true');
  await at(page, 'config.texts.en.acceptAll').fill('Accept everything');
  await at(page, 'config.texts.en.rejectAll').fill('');
  await expect(page.locator('#kc-summary')).toHaveText('No problems.');
});

test('a choice in the preview sends nothing to the config\'s consent-log receiver', async ({ page }) => {
  const requests = await recordRequests(page);
  const receiver = 'https://log.koekje.test/consent';
  await open(page);
  await paste(page, { revision: 1, consentLog: { url: receiver }, categories: [{ id: 'functional', required: true }, { id: 'analytics' }] });
  const frame = preview(page);
  await expect(frame.locator('#koekje-banner')).toBeVisible();
  await page.locator('#kc-preview-frame').scrollIntoViewIfNeeded();
  await frame.getByRole('button', { name: 'Accept all' }).click();
  await expect(frame.locator('#koekje-banner')).toBeHidden();
  await frame.locator('body').evaluate(() => koekje.rejectAll());
  await page.waitForTimeout(1000);
  expect(requests.filter((u) => u.startsWith('https://log.koekje.test/'))).toEqual([]);
  // The export keeps it: it is the site's config.
  expect(JSON.parse(await page.locator('#kc-json').inputValue()).consentLog).toEqual({ url: receiver });
});
