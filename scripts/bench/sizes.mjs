// The bench's first part: the bundle's sizes (scripts/size.mjs on dist/),
// then vanilla-cookieconsent's two files, measured the same way.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { measure } from '../size.mjs';
import { root, VANILLA, VANILLA_VERSION, vanillaDir } from './options.mjs';

// Koekje is served from a copy of dist/ taken now, so that a rebuild during the
// runs (a test run, another build) can neither change nor remove what is measured.
export function copyDist() {
  rmSync(join(root, '.bench/dist'), { recursive: true, force: true });
  cpSync(join(root, 'dist'), join(root, '.bench/dist'), { recursive: true });
}

// Prints the sizes of the bundle and of vanilla's files, installing
// vanilla-cookieconsent first where it is not (into .bench/, git-ignored).
export function printSizes() {
  console.log('Koekje bundle (dist/), bytes:');
  if (spawnSync(process.execPath, [join(root, 'scripts/size.mjs')], { stdio: 'inherit' }).status !== 0) {
    throw new Error('scripts/size.mjs failed');
  }

  const installed = existsSync(join(vanillaDir, 'package.json'))
    && JSON.parse(readFileSync(join(vanillaDir, 'package.json'), 'utf8')).version === VANILLA_VERSION;
  if (!installed) {
    console.log(`\ninstalling ${VANILLA}@${VANILLA_VERSION} into .bench/`);
    const npm = spawnSync('npm', ['install', '--prefix', join(root, '.bench'), `${VANILLA}@${VANILLA_VERSION}`,
      '--no-save', '--no-audit', '--no-fund'], { stdio: 'inherit' });
    if (npm.status !== 0) throw new Error(`npm install ${VANILLA}@${VANILLA_VERSION} failed`);
  }

  console.log(`\nFor comparison, ${VANILLA} ${VANILLA_VERSION} (the files its page loads; its config is inline, in bench/vanilla-head.html):`);
  const line = (name, row) => console.log(name.padEnd(20) + row.map((v, i) => String(v).padStart([9, 10, 12][i])).join(''));
  const vanillaTotal = [0, 0, 0];
  for (const name of ['cookieconsent.esm.js', 'cookieconsent.css']) {
    const { raw, gzip, brotli } = measure(readFileSync(join(vanillaDir, 'dist', name)));
    const row = [raw, gzip, brotli];
    row.forEach((v, i) => { vanillaTotal[i] += v; });
    line(name, row);
  }
  line('total', vanillaTotal);
}
