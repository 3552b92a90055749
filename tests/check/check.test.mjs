// The config checker (bin/koekje-check.mjs, on the checker wasm in
// dist/check/): a clean config, each kind of problem, a file that is not
// JSON (line and column), and the exit codes a site's CI relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/koekje-check.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'koekje-check-'));

/** Runs the checker on files written from `files` ({ name: text or object }). */
function run(files, args = ['check']) {
  const paths = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    paths.push(path);
  }
  const r = spawnSync(process.execPath, [bin, ...args, ...paths], { encoding: 'utf8' });
  return { code: r.status, lines: r.stdout.trim().split('\n'), stderr: r.stderr, paths };
}

const SOLAR = {
  revision: 1,
  defaultLanguage: 'nl',
  privacyPolicy: { nl: '/privacy.html', fr: '/fr/vie-privee.html' },
  categories: [
    { id: 'identification', required: true },
    { id: 'functional', required: true },
    {
      id: 'analytics',
      description: { nl: 'Meet bezoeken met Google Analytics (gegevens naar de VS).', fr: 'Mesure les visites avec Google Analytics (données vers les États-Unis).' },
      services: [{ id: 'google-analytics', name: 'Google Analytics',
        cookies: [{ name: '_ga', provider: 'Google', purpose: { nl: 'Onderscheidt bezoekers', fr: 'Distingue les visiteurs' }, duration: { nl: '2 jaar', fr: '2 ans' } }, '_ga_*', '_gid'] }],
    },
  ],
};

test('a clean config: exit 0 and a one-line summary', () => {
  const r = run({ 'clean.json': SOLAR });
  assert.equal(r.code, 0, r.lines.join('\n'));
  assert.deepEqual(r.lines, [`${r.paths[0]}: no problems (3 categories; languages nl, fr)`]);
});

test('the npx form without "check" works too', () => {
  const r = run({ 'clean2.json': SOLAR }, []);
  assert.equal(r.code, 0);
});

test('unknown keys, wrong types, bad values and ids, as the browser prints them', () => {
  const r = run({
    'kinds.json': {
      colour: 'red',
      revision: 'two',
      expiryDays: 1000,
      layout: 'popup',
      privacyPolicy: 'javascript:alert(1)',
      consentMode: { signals: { analytics_storage: ['stats'] } },
      categories: [{ id: 'analytics', descripton: 'x' }, { id: 'analytics' }, { id: 'a b' }, { title: 'no id' }],
    },
  });
  assert.equal(r.code, 1);
  assert.deepEqual(r.lines, [
    'koekje: config.colour: unknown key (ignored)',
    'koekje: config.revision: expected a whole number from 0 to 4294967295',
    'koekje: config.expiryDays: expected a whole number from 1 to 395',
    'koekje: config.layout: expected "bar" or "box"',
    'koekje: config.privacyPolicy: expected a web address (http, https or a path)',
    'koekje: config.categories[0].descripton: unknown key (ignored)',
    'koekje: config.categories[1].id: duplicate id "analytics"',
    'koekje: config.categories[2].id: expected only letters, digits, - and _',
    'koekje: config.categories[3].id: missing (the category is left out)',
    'koekje: config.consentMode.signals.analytics_storage: unknown category "stats" (the signal stays denied)',
    `${r.paths[0]}: 10 problems`,
  ]);
});

test('a config that fails closed says so', () => {
  const r = run({ 'categorys.json': { categorys: [{ id: 'functional', required: true }] } });
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes('koekje: config.categories: missing, and an unknown key holds a list of ids (misspelt?): the built-in categories apply, none required'));
});

test('missing translations are named for every language the config uses', () => {
  const config = structuredClone(SOLAR);
  // The analytics description in Dutch only: French visitors would miss the disclosure.
  config.categories[2].description = { nl: 'Meet bezoeken (gegevens naar de VS).' };
  config.categories.push({ id: 'chat', title: { nl: 'Chat', fr: 'Chat' }, description: { nl: 'Livechat' } });
  config.texts = { nl: { bannerText: 'Wij meten bezoeken.' } };
  const r = run({ 'missing.json': config });
  assert.equal(r.code, 1);
  assert.deepEqual(r.lines, [
    'koekje: config.categories[2].description: no text in fr',
    'koekje: config.categories[3].description: no text in fr',
    'koekje: config.texts.fr.bannerText: no text in fr',
    `${r.paths[0]}: 3 problems`,
  ]);
});

test('a language without texts is named', () => {
  const r = run({ 'lang.json': { defaultLanguage: 'es' } });
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes('koekje: config.defaultLanguage: no texts in "es" (ignored)'), r.lines.join('\n'));
});

test('a file that is not JSON: the line and column of the mistake', () => {
  const r = run({ 'broken.json': '{\n  "revision": 2,\n  "layout": "box"\n  "theme": "dark"\n}\n' });
  assert.equal(r.code, 1);
  assert.equal(r.lines[0], `koekje: config from "${r.paths[0]}": not valid JSON (expected \`,\` or \`}\` at line 4 column 3); the built-in categories apply, none required`);
  const empty = run({ 'empty.json': '' });
  assert.match(empty.lines[0], /not valid JSON \(EOF while parsing a value at line 1 column 0\)/);
});

test('hostile input: deep nesting and a huge file do not crash it', () => {
  const r = run({ 'deep.json': '['.repeat(5000) + ']'.repeat(5000) });
  assert.equal(r.code, 1);
  assert.match(r.lines[0], /not valid JSON \(recursion limit exceeded/);
  const deep = run({ 'deep2.json': '['.repeat(100) + ']'.repeat(100) });
  assert.match(deep.lines[0], /not valid JSON \(nested too deeply\)/);
  const big = { categories: Array.from({ length: 2000 }, (_, i) => ({ id: 'c' + i, title: 'T', description: 'D' })) };
  assert.equal(run({ 'big.json': big }).code, 0);
});

test('several files: each is named; a file that cannot be read exits 2', () => {
  const r = run({ 'one.json': SOLAR, 'two.json': { layout: 'popup' } });
  assert.equal(r.code, 1);
  assert.ok(r.lines.includes(`${r.paths[1]}: 1 problem`));
  const missing = spawnSync(process.execPath, [bin, 'check', join(dir, 'nope.json')], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.json: cannot be read \(ENOENT\)/);
});

test('a long report reaches the parent process whole, summary last', () => {
  // Ids only: two missing texts per category, 4,000 lines, more than a pipe
  // holds at once (process.exit() used to cut them off).
  const many = { categories: Array.from({ length: 2000 }, (_, i) => ({ id: 'c' + i })) };
  const r = run({ 'many.json': many });
  assert.equal(r.code, 1);
  assert.equal(r.lines.length, 4001);
  assert.equal(r.lines.at(-1), `${r.paths[0]}: 4000 problems`);
});

test('a button text that says another button\'s action is named', () => {
  const r = run({ 'swapped.json': { texts: { en: { acceptAll: 'Reject all', rejectAll: 'Accept all' } } } });
  assert.equal(r.code, 1);
  assert.deepEqual(r.lines, [
    'koekje: config.texts.en.acceptAll: "Reject all" says what another button says (rejectAll, in en): visitors would mistake the one for the other',
    'koekje: config.texts.en.rejectAll: "Accept all" says what another button says (acceptAll, in en): visitors would mistake the one for the other',
    `${r.paths[0]}: 2 problems`,
  ]);
  // In another built-in language, any case and spacing.
  const nl = run({ 'swapped-nl.json': { defaultLanguage: 'nl', texts: { nl: { preferences: ' alles  WEIGEREN' } } } });
  assert.match(nl.lines[0], /config\.texts\.nl\.preferences: " alles {2}WEIGEREN" says what another button says \(rejectAll, in nl\)/);
});

test('--inline: text that would break the page it is put in is named, with its path', () => {
  const config = { texts: { en: { bannerText: 'We use cookies. <!--<script>' } } };
  // As a file (data-config), the text is harmless.
  assert.equal(run({ 'comment.json': config }).code, 0);
  const r = run({ 'comment-inline.json': config }, ['check', '--inline']);
  assert.equal(r.code, 1);
  assert.deepEqual(r.lines, [
    'koekje: config.texts.en.bannerText: holds "<script" after a "<!--", which keeps the config\'s <script> element from ending when it is put in the page as it is (the rest of the page is swallowed: no banner, no content): write "<" as "\\u003c"',
    `${r.paths[0]}: 1 problem`,
  ]);
  const end = run({ 'end-inline.json': { texts: { en: { bannerText: 'a </SCRIPT> b' } } } }, ['check', '--inline']);
  assert.match(end.lines[0], /^koekje: config\.texts\.en\.bannerText: holds "<\/script", which ends the config's <script> element/);
  // Written with \u003c (as the configurator's snippet does): clean.
  const escaped = run({ 'escaped.json': JSON.stringify(config).replaceAll('<', '\\u003c') }, ['check', '--inline']);
  assert.equal(escaped.code, 0, escaped.lines.join('\n'));
});
