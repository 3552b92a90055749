// Writes the interface's stylesheet (src/koekje-view.css) as a JavaScript
// string for the loader: every --koekje-* custom property replaced by its
// value (the page can register a custom property with @property and make
// its value invalid inside Koekje's shadow roots; a literal cannot be
// touched), with the light colour first for browsers without light-dark()
// (Chrome before 123, Safari before 17.5, Firefox before 120), then
// minified with esbuild when `--minify`.
//   node scripts/view-css.mjs [--minify]   prints the JSON string
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

/** The stylesheet's text with its custom properties resolved. */
export function resolveViewCss(source) {
  const values = new Map();
  // The definitions: `--koekje-name: value;` lines (the first of each name;
  // the @supports fallback block is dropped, its job is done per line below).
  let text = source.replace(/@supports not \(color: light-dark\(#000, #fff\)\) \{[\s\S]*?\n\}\n/, '');
  text = text.replace(/^\s*(--koekje-[a-z-]+):\s*([^;]+);\n/gm, (_, name, value) => {
    if (!values.has(name)) values.set(name, value.trim());
    return '';
  });
  const light = (v) => v.replace(/light-dark\(((?:[^(),]|\([^()]*\))+),\s*((?:[^(),]|\([^()]*\))+)\)/g, '$1');
  const resolve = (line) => line.replace(/var\((--koekje-[a-z-]+)\)/g, (_, name) => {
    if (!values.has(name)) throw new Error(`view-css: ${name} is used but not defined`);
    return values.get(name);
  });
  const lines = [];
  for (const line of text.split('\n')) {
    if (!line.includes('var(--koekje-')) {
      lines.push(line);
      continue;
    }
    const resolved = resolve(line);
    const fallback = light(resolved);
    if (fallback !== resolved) lines.push(fallback);
    lines.push(resolved);
  }
  const out = lines.join('\n');
  const left = out.match(/var\(--[^)]*\)/);
  if (left) throw new Error(`view-css: a custom property is left: ${left[0]}`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('..', import.meta.url);
  let css = resolveViewCss(readFileSync(new URL('src/koekje-view.css', root), 'utf8'));
  if (process.argv.includes('--minify')) css = transformSync(css, { loader: 'css', minify: true }).code.trim();
  process.stdout.write(JSON.stringify(css));
}
