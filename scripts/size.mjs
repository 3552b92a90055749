// Prints the size of each file in dist/: raw, gzip -9 and brotli -11 (as
// Node's zlib computes them), and the total of what a visitor downloads
// (koekje.js + koekje_bg.wasm + koekje.css). With --check (as `npm test`
// runs it) it also fails when that total is over the budget below.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dir = new URL('../dist/', import.meta.url);
// Files in dist/ and one level down (check/: the config checker, for admins).
const names = readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
  d.isDirectory() ? readdirSync(new URL(d.name + '/', dir)).map((n) => d.name + '/' + n) : [d.name]);
const rows = names.sort().map((name) => {
  const bytes = readFileSync(new URL(name, dir));
  return {
    name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
    // What every visitor downloads; the rest is optional or for developers.
    shipped: ['koekje.js', 'koekje_bg.wasm', 'koekje.css'].includes(name),
  };
});
const total = rows.filter((r) => r.shipped).reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const pad = (v, n) => String(v).padStart(n);
console.log(`${'file'.padEnd(28)}${pad('raw', 9)}${pad('gzip -9', 10)}${pad('brotli -11', 12)}`);
for (const r of rows) console.log(`${(r.name + (r.shipped ? '' : ' *')).padEnd(28)}${pad(r.raw, 9)}${pad(r.gzip, 10)}${pad(r.brotli, 12)}`);
console.log(`${'shipped total'.padEnd(28)}${pad(total.raw, 9)}${pad(total.gzip, 10)}${pad(total.brotli, 12)}`);
console.log('* not in the total: koekje-gcm.js only where Consent Mode is used; the types are for developers;');
console.log('  the configurator, koekje-debug.js and check/ are for admins, loaded only on their pages or with ?koekje-debug');

// The budget guards against growth nobody chose (a dependency that pulls
// in serde_json, say): raise it only on purpose, with the README's
// Performance section. About 1.5% above the figures when it was last set
// (57,945 / 49,774: the trust checks, the safe module API and the consent
// log's receipt and events added 9.1 kB gzip to 47,348, the admin's side
// (texts reported per language, embed records, the debug flag) 1.0 kB
// more), room for a compiler update's drift.
const BUDGET = { gzip: 58_800, brotli: 50_500 };
if (process.argv.includes('--check')) {
  const over = ['gzip', 'brotli'].filter((k) => total[k] > BUDGET[k]);
  for (const k of over) console.error(`size: the shipped total is ${total[k]} B ${k}, over the budget of ${BUDGET[k]} B`);
  if (over.length) process.exit(1);
  console.log(`size: within the budget of ${BUDGET.gzip} B gzip and ${BUDGET.brotli} B brotli`);
}
