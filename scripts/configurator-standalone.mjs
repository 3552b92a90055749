// Writes dist/configurator-standalone.html: the configurator in one file
// that also works opened from disk (file:), where browsers load neither
// module files nor wasm by address. The checker's glue and the configurator
// are inlined as modules; the checker wasm, the visitor's koekje_bg.wasm,
// koekje.js, koekje.css and the built-in words travel as strings, byte for byte what a visitor
// gets (koekje.js with its own address, import.meta.url, replaced by a
// stand-in that the preview answers from memory).
import { readFileSync, writeFileSync } from 'node:fs';
import { initSync, builtIn } from '../dist/check/koekje_check.js';

const dist = new URL('../dist/', import.meta.url);
const read = (f) => readFileSync(new URL(f, dist));
// The built-in languages, from the core (through the checker's wasm).
initSync({ module: read('check/koekje_check_bg.wasm') });
const languages = JSON.parse(builtIn()).languages;
// Code put in a <script> element as it is must hold no "</script" (it would
// end the element) and no "<!--" (followed by a "<script", it would keep
// the element from ending, swallowing the rest of the page), in any case.
const inline = (code, what) => {
  const bad = /<\/script|<!--/i.exec(code);
  if (bad) throw new Error(`configurator-standalone: ${what} contains ${bad[0]}`);
  return code;
};
// The configurator imports the checker's glue: here the glue hands its
// functions over through a global, in a module of its own.
const app = read('configurator.js').toString();
const imports = /import\s*([\w$]+)\s*,\s*\{([^}]*)\}\s*from\s*["']\.\/check\/koekje_check\.js["'];?/;
const m = imports.exec(app);
if (!m) throw new Error('configurator-standalone: the import of the checker is not where expected');
const names = m[2].split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
  const [from, as = from] = s.split(/\s+as\s+/);
  return `${as} = window.__koekjeCheck.${from}`;
});
const configurator = app.replace(imports, `const ${m[1]} = window.__koekjeCheck.init, ${names.join(', ')};`);
const glue = `${read('check/koekje_check.js')}\nwindow.__koekjeCheck = { init: __wbg_init, initSync, check, builtIn, language };\n`;
const assets = {
  check: read('check/koekje_check_bg.wasm').toString('base64'),
  wasm: read('koekje_bg.wasm').toString('base64'),
  js: read('koekje.js').toString().replaceAll('import.meta.url', '"https://koekje.invalid/koekje.js"'),
  css: read('koekje.css').toString(),
  texts: Object.fromEntries(languages.map((l) => [l, read(`koekje-texts-${l}.txt`).toString()])),
};
const html = read('configurator.html').toString()
  .replace('<link rel="stylesheet" href="configurator.css">', () => `<style>${read('configurator.css')}</style>`)
  .replace('<script type="module" src="configurator.js"></script>', () =>
    // Every "<" of the strings as \u003c: nothing in them can end the element or keep it open.
    `<script>window.koekjeStandalone = ${JSON.stringify(assets).replaceAll('<', '\\u003c')};</script>\n` +
    `<script type="module">${inline(glue, 'the checker glue')}</script>\n` +
    `<script type="module">${inline(configurator, 'configurator.js')}</script>`);
if (!html.includes('window.koekjeStandalone')) throw new Error('configurator-standalone: configurator.html changed shape');
writeFileSync(new URL('configurator-standalone.html', dist), html);
