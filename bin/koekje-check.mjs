#!/usr/bin/env node
// Koekje's config checker: prints every problem the banner would report for
// a config, plus the texts missing in each language the config uses, with
// the banner's own validation (the checker wasm in dist/check/, built from
// the same Rust core). Exits 1 when there is any problem, 2 when a file
// cannot be read, 0 with a one-line summary when every file is clean.
//
//   node bin/koekje-check.mjs [check] [--inline] FILE...     (npm run check-config -- FILE)
//
// --inline: the configs go into the page as they are, in
// <script type="application/json" id="koekje-config">: also report text
// that would break the page there (a "</script", a "<!--" then "<script").
import { readFileSync } from 'node:fs';
import { initSync, check } from '../dist/check/koekje_check.js';

const args = process.argv.slice(2);
if (args[0] === 'check') args.shift();
const inline = args.includes('--inline');
if (inline) args.splice(args.indexOf('--inline'), 1);
if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
  console.log('usage: koekje-check [check] [--inline] FILE...\n' +
    'Prints the problems Koekje would report for each config file (and the texts\n' +
    'missing in each language it uses); exits 1 if there is any, 0 if none.\n' +
    '--inline: the configs are put in the page as they are, in <script id="koekje-config">;\n' +
    'also report text that would break the page there.');
  process.exit(args.length === 0 ? 2 : 0);
}

initSync({ module: readFileSync(new URL('../dist/check/koekje_check_bg.wasm', import.meta.url)) });

let problems = 0;
let unreadable = false;
for (const file of args) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`${file}: cannot be read (${e.code || e.message})`);
    unreadable = true;
    continue;
  }
  const report = JSON.parse(check(text, file, inline));
  if (args.length > 1) console.log(`${file}:`);
  for (const p of report.problems) console.log(p.line);
  problems += report.problems.length;
  if (report.problems.length === 0) {
    const n = report.categories;
    console.log(`${file}: no problems (${n} ${n === 1 ? 'category' : 'categories'}; languages ${report.languages.join(', ')})`);
  } else {
    const n = report.problems.length;
    console.log(`${file}: ${n} ${n === 1 ? 'problem' : 'problems'}`);
  }
}
// Not process.exit(): it would cut off what is still being written to a pipe
// (stdout to a parent process is asynchronous), losing the last lines.
process.exitCode = unreadable ? 2 : problems > 0 ? 1 : 0;
