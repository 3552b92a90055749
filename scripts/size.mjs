// Prints the size of each file in dist/: raw, gzip -9 and brotli -11 (as
// Node's zlib computes them), and the total of what a visitor downloads
// (JS + wasm + CSS; the TypeScript types are for developers only).
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dir = new URL('../dist/', import.meta.url);
const rows = readdirSync(dir).sort().map((name) => {
  const bytes = readFileSync(new URL(name, dir));
  return {
    name,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
    shipped: !name.endsWith('.d.ts'),
  };
});
const total = rows.filter((r) => r.shipped).reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const pad = (v, n) => String(v).padStart(n);
console.log(`${'file'.padEnd(20)}${pad('raw', 9)}${pad('gzip -9', 10)}${pad('brotli -11', 12)}`);
for (const r of rows) console.log(`${(r.name + (r.shipped ? '' : ' *')).padEnd(20)}${pad(r.raw, 9)}${pad(r.gzip, 10)}${pad(r.brotli, 12)}`);
console.log(`${'shipped total'.padEnd(20)}${pad(total.raw, 9)}${pad(total.gzip, 10)}${pad(total.brotli, 12)}`);
console.log('* not downloaded by visitors');
