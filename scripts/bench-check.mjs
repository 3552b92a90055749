// How the config checker's time grows with the size of a config: generates
// configs of 2,000, 20,000 and 200,000 categories (or the sizes given) and
// runs the checker on each (bin/koekje-check.mjs on dist/check/, one process
// per config, so a run that does not end is cut off), in two shapes:
//   clean     every category with a title, a description, a service and a
//             cookie: no problem to report;
//   problems  ids only (two missing texts each, every tenth id a duplicate):
//             a problem per category and more.
// Linear growth: ten times the categories takes about ten times as long.
//
//   node scripts/bench-check.mjs [N...]     (npm run bench:check; needs dist/)
//   KOEKJE_BENCH_TIMEOUT=120                seconds before a run is cut off
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/koekje-check.mjs', import.meta.url));
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const timeout = Number(process.env.KOEKJE_BENCH_TIMEOUT || 120) * 1000;

const shapes = {
  clean: (n) => ({
    categories: Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      title: `Category ${i}`,
      description: `What category ${i} is for.`,
      services: [{ id: `s${i}`, name: `Service ${i}`, cookies: [{ name: `k${i}_*`, provider: 'Example', purpose: 'Counts', duration: '1 day' }] }],
    })),
  }),
  problems: (n) => ({
    categories: Array.from({ length: n }, (_, i) => ({ id: `c${i % 10 === 9 ? i - 1 : i}` })),
  }),
};

const dir = mkdtempSync(join(tmpdir(), 'koekje-bench-check-'));
console.log(`${'shape'.padEnd(10)}${'categories'.padStart(12)}${'bytes'.padStart(12)}${'problems'.padStart(10)}${'seconds'.padStart(10)}`);
try {
  for (const [shape, make] of Object.entries(shapes)) {
    for (const n of sizes.length ? sizes : [2_000, 20_000, 200_000]) {
      const file = join(dir, `${shape}-${n}.json`);
      const text = JSON.stringify(make(n));
      writeFileSync(file, text);
      const start = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [bin, 'check', file], { encoding: 'utf8', timeout, maxBuffer: 1 << 30 });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const last = (r.stdout || '').trimEnd().split('\n').pop() || '';
      const problems = / no problems /.test(last) ? 0 : Number((/: (\d+) problems?$/.exec(last) || [])[1]);
      const time = r.error?.code === 'ETIMEDOUT' ? `> ${timeout / 1000}` : seconds.toFixed(2);
      console.log(`${shape.padEnd(10)}${String(n).padStart(12)}${String(text.length).padStart(12)}${String(r.error ? '-' : problems).padStart(10)}${time.padStart(10)}`);
      rmSync(file);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
