// The bench's command line and what it compares: how many runs, and for
// each banner its page, its files and the elements the probe looks for.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const option = (name, fallback, least) => {
  const i = process.argv.indexOf(name);
  const n = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < least) throw new Error(`${name} expects a whole number, at least ${least}`);
  return n;
};
export const RUNS = option('--runs', 30, 1); // measured runs per banner
export const WARMUP = option('--warmup', 1, 0); // pairs run first and not counted (in each pass)
export const THROTTLED_RUNS = option('--throttled-runs', 10, 0); // runs per banner at 4x CPU slowdown (0: none)
export const TRACES = process.argv.includes('--traces'); // keep the traced runs' traces in .bench/traces/
export const SETTLE_MS = 500; // pause between "visible" and the click: entrance animations end
export const TIMEOUT_MS = 15_000;
export const VANILLA = 'vanilla-cookieconsent';
export const VANILLA_VERSION = '3.1.0';
export const vanillaDir = join(root, '.bench/node_modules', VANILLA);

// What differs between the two pages: where they are, which element is the
// banner (vanilla's consent modal is `.cm` inside `#cc-main`), its
// "Accept all" button, and, for the traced pass, which scripts are the
// banner's (`sources`, path prefixes) and whether its page runs
// WebAssembly (`wasm`: then all wasm work in the trace is the banner's).
// vanilla's configuration and its call to run() are the inline module of
// its page: that page's own script counts as vanilla's. Koekje's page has
// an inline script of the bench's own (it reads the wasm memory): not
// Koekje's.
export const BANNERS = {
  koekje: {
    label: 'koekje',
    page: '/bench/koekje.html',
    files: '/koekje/', // where what it fetches is served
    sources: ['/koekje/'],
    wasm: true,
    banner: '#koekje-banner',
    acceptAll: '#koekje-banner [data-koekje-action="accept-all"]',
  },
  vanilla: {
    label: 'vanilla',
    page: '/bench/vanilla.html',
    files: '/vanilla/',
    sources: ['/vanilla/', '/bench/vanilla.html'],
    wasm: false,
    banner: '#cc-main .cm',
    acceptAll: '#cc-main .cm [data-role="all"]',
  },
};

// The banners in the order each pair runs them.
export const WHO = ['koekje', 'vanilla'];
