// Prints the size of each file in dist/: raw, gzip -9 and brotli -11 (as
// Node's zlib computes them), and the totals of what a visitor downloads:
// on a later view koekje.js + koekje_bg.wasm + koekje.css, on a first visit
// also the words of the language shown (the largest language's counted).
// With --check (as `npm test` runs it) it also fails when a first visit is
// over the budget below.
// Imported (scripts/bench/), it only exports its measure.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/** gzip -9 of `bytes` (a Buffer), as every gzip figure here is taken. */
export const gzip = (bytes) => gzipSync(bytes, { level: 9 });

/** The sizes of `bytes`: raw, gzip -9 and brotli -11. */
export const measure = (bytes) => ({
  raw: bytes.length,
  gzip: gzip(bytes).length,
  brotli: brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }).length,
});

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const dir = new URL('../dist/', import.meta.url);
  // Files in dist/ and one level down (check/: the config checker, for admins).
  const names = readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? readdirSync(new URL(d.name + '/', dir)).map((n) => d.name + '/' + n) : [d.name]);
  const rows = names.sort().map((name) => {
    return {
      name,
      ...measure(readFileSync(new URL(name, dir))),
      // What every visitor downloads; the rest is optional or for developers.
      shipped: ['koekje.js', 'koekje_bg.wasm', 'koekje.css'].includes(name),
    };
  });
  const sum = (list) => list.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  // A later view with a stored choice fetches the shipped files; a first
  // visit also the words of the language shown (the largest one counts).
  const later = sum(rows.filter((r) => r.shipped));
  const words = rows.filter((r) => /^koekje-texts-/.test(r.name));
  const largest = words.reduce((a, r) => (r.gzip > a.gzip ? r : a), { raw: 0, gzip: 0, brotli: 0 });
  const total = sum([later, largest]);
  const pad = (v, n) => String(v).padStart(n);
  console.log(`${'file'.padEnd(28)}${pad('raw', 9)}${pad('gzip -9', 10)}${pad('brotli -11', 12)}`);
  for (const r of rows) console.log(`${(r.name + (r.shipped ? '' : words.includes(r) ? ' +' : ' *')).padEnd(28)}${pad(r.raw, 9)}${pad(r.gzip, 10)}${pad(r.brotli, 12)}`);
  console.log(`${'later view (shipped)'.padEnd(28)}${pad(later.raw, 9)}${pad(later.gzip, 10)}${pad(later.brotli, 12)}`);
  console.log(`${'first visit (+ words)'.padEnd(28)}${pad(total.raw, 9)}${pad(total.gzip, 10)}${pad(total.brotli, 12)}`);
  console.log('+ the words of one language: fetched when the banner, the dialog or a placeholder is shown');
  console.log('* not counted: koekje-gcm.js only where Consent Mode is used; the types are for developers;');
  console.log('  the configurator, koekje-debug.js and check/ are for admins, loaded only on their pages or with ?koekje-debug');

  // The budget guards against growth nobody chose (a dependency that pulls
// in serde_json, say): raise it only on purpose, with the README's
// Performance section. It holds a first visit (the shipped files and the
// largest language's words), about 1.5% above the figures when it was
// last set: 68,459 gzip / 58,916 brotli, raised from 61,003 / 52,827 for
// the interface out of the page's reach (shadow roots, the banner kept on
// top, a click proven seen, the page read through its prototypes, only
// held addresses released), the one consent-log event shared with the
// receiver, and the stricter config paths. Paying only for what a site
// uses is the next step (a first visit within 36 kB).
const BUDGET = { gzip: 69_300, brotli: 59_700 };
if (process.argv.includes('--check')) {
    const over = ['gzip', 'brotli'].filter((k) => total[k] > BUDGET[k]);
    for (const k of over) console.error(`size: a first visit is ${total[k]} B ${k}, over the budget of ${BUDGET[k]} B`);
    if (over.length) process.exit(1);
    console.log(`size: within the budget of ${BUDGET.gzip} B gzip and ${BUDGET.brotli} B brotli`);
  }
}
