// Shortens the names that join koekje_bg.wasm and its glue in koekje.js.
// wasm-bindgen names each import like `__wbg_setAttribute_f75317b2b5cabfb4`
// and keeps the import module "./koekje_bg.js" and the export names; both
// files carry every name. wasm-opt's minify pass renames them all and prints
// the mapping, which this script then applies to the glue.
// Usage: node scripts/minify-names.mjs dist/koekje_bg.wasm dist/koekje.js
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, jsPath] = process.argv.slice(2);
const wasmOpt = new URL('../node_modules/.bin/wasm-opt', import.meta.url).pathname;
const features = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue'];
const map = JSON.parse(execFileSync(wasmOpt, [
  '--minify-imports-and-exports-and-modules', ...features.map((f) => `--enable-${f}`), wasmPath, '-o', wasmPath,
], { encoding: 'utf8' }));

const fail = (why) => { console.error(`minify-names: ${why}`); process.exit(1); };
const modules = new Set(map.imports.map(([module]) => module));
if (modules.size !== 1) fail(`expected one import module, found ${[...modules].join(', ')}`);
const [oldModule] = modules;
const newModules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath))).map((i) => i.module));
if (newModules.size !== 1) fail('the minified wasm has more than one import module');
const [newModule] = newModules;

let js = readFileSync(jsPath, 'utf8');
/** Replaces every match of `pattern`; fails if there is none. */
const replace = (pattern, by, what) => {
  const next = js.replace(pattern, by);
  if (next === js) fail(`${what} not found in ${jsPath}`);
  js = next;
};
const quoted = (s) => JSON.stringify(s);
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
replace(new RegExp(escape(quoted(oldModule)) + ':', 'g'), `${quoted(newModule)}:`, `module ${oldModule}`);
for (const [, name, short] of map.imports) {
  // An import is a key of the imports object: `name: function`.
  replace(new RegExp(`\\b${escape(name)}(?=\\s*:)`, 'g'), quoted(short), `import ${name}`);
}
for (const [name, short] of map.exports) {
  // An export is read as `wasm.name`; some (the abort hooks) are never read.
  if (!new RegExp(`\\b${escape(name)}\\b`).test(js)) continue;
  replace(new RegExp(`\\bwasm\\.${escape(name)}\\b`, 'g'), `wasm[${quoted(short)}]`, `export ${name}`);
}
writeFileSync(jsPath, js);
console.log(`minify-names: ${map.imports.length} imports and ${map.exports.length} exports renamed`);
