// Writes the interface's stylesheet (src/koekje-view.css) as a JavaScript
// string for the loader: every --koekje-* custom property replaced by its
// value (the page can register a custom property with @property and make
// its value invalid inside Koekje's shadow roots; a literal cannot be
// touched), then minified with esbuild when `--minify`. (Browsers without
// light-dark() get the light colours from the loader, which rewrites the
// text for them.)
//   node scripts/view-css.mjs [--minify]   prints the JSON string
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

/** The stylesheet's text with its custom properties resolved. */
export function resolveViewCss(source) {
  const values = new Map();
  // The definitions: `--koekje-name: value;` lines.
  const text = source.replace(/^\s*(--koekje-[a-z-]+):\s*([^;]+);\n/gm, (_, name, value) => {
    if (!values.has(name)) values.set(name, value.trim());
    return '';
  });
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
    lines.push(resolve(line));
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
