// How the config checker's time grows with the size of a config: generates
// configs of 2,000, 20,000 and 200,000 categories (or the sizes given) and
// times the checker on each (dist/check/'s check(), as bin/koekje-check.mjs
// calls it, in a process of its own per config, so that a run that does not
// end is cut off), in two shapes:
//   clean     every category with a title, a description, a service and a
//             cookie: no problem to report;
//   problems  ids only (two missing texts each, every tenth id a duplicate):
//             a problem per category and more.
// Linear growth: ten times the categories takes about ten times as long.
// It prints the CPU time of the check (all of the process's threads, the
// garbage collector's too) beside the wall-clock time: on a machine shared
// with other work the CPU time is the steadier figure. Node's start and the
// reading of the file are not counted.
//
//   node scripts/bench-check.mjs [N...]     (npm run bench:check; needs dist/)
//   KOEKJE_BENCH_TIMEOUT=120                seconds before a run is cut off
//   KOEKJE_BENCH_CHECKER=dir                another build of dist/check/, to compare
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const checker = process.env.KOEKJE_BENCH_CHECKER || fileURLToPath(new URL('../dist/check/', import.meta.url));
// The child: the checker's wasm, one check, its times and the problems found.
const child = `
  import { readFileSync } from 'node:fs';
  import { pathToFileURL } from 'node:url';
  const dir = ${JSON.stringify(checker)};
  const { initSync, check } = await import(pathToFileURL(dir + '/koekje_check.js').href);
  initSync({ module: readFileSync(dir + '/koekje_check_bg.wasm') });
  const text = readFileSync(process.argv[1], 'utf8');
  const cpu = process.cpuUsage(), wall = performance.now();
  const report = JSON.parse(check(text, 'config.json'));
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ problems: report.problems.length, cpu: (used.user + used.system) / 1e6, wall: (performance.now() - wall) / 1000 }));
`;
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
console.log(`${'shape'.padEnd(10)}${'categories'.padStart(12)}${'bytes'.padStart(12)}${'problems'.padStart(10)}${'cpu s'.padStart(10)}${'wall s'.padStart(10)}`);
try {
  for (const [shape, make] of Object.entries(shapes)) {
    for (const n of sizes.length ? sizes : [2_000, 20_000, 200_000]) {
      const file = join(dir, `${shape}-${n}.json`);
      const text = JSON.stringify(make(n));
      writeFileSync(file, text);
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', child, file], { encoding: 'utf8', timeout });
      const cut = r.error?.code === 'ETIMEDOUT' ? `> ${timeout / 1000}` : null;
      if (!cut && r.status !== 0) throw new Error(`bench-check: the check failed: ${r.stderr}`);
      const got = cut ? { problems: '-', cpu: cut, wall: cut } : JSON.parse(r.stdout);
      const fixed = (v) => (typeof v === 'number' ? v.toFixed(2) : v);
      console.log(`${shape.padEnd(10)}${String(n).padStart(12)}${String(text.length).padStart(12)}${String(got.problems).padStart(10)}${fixed(got.cpu).padStart(10)}${fixed(got.wall).padStart(10)}`);
      rmSync(file);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
