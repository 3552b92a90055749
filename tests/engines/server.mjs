// The demo site as scripts/serve.mjs serves it, for the engine tests: every
// request is logged, and the outside addresses in the demo's pages (Google's
// tag, the YouTube embed) are rewritten to local stand-ins on this server,
// since only Playwright can intercept requests. Test pages are added with
// page(); /broken/ serves the bundle with a wasm that does not compile;
// /__ext/order.js?n=NAME is a slow external script that notes it ran.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileFor, handle } from '../../scripts/serve.mjs';

/** Where the rewritten outside addresses point, on this server. */
export const GA_PATH = '/__ext/www.googletagmanager.com/gtag/js';
const OUTSIDE = /https:\/\/(www\.googletagmanager\.com|www\.youtube-nocookie\.com)\//g;

/** What the stand-in gtag.js does: note that it ran and set GA's cookies. */
const GA_STAND_IN = `
  window.__gaRuns = (window.__gaRuns || 0) + 1;
  document.cookie = '_ga=GA1.1.123.456; path=/; max-age=3600';
  document.cookie = '_ga_ZW2026DEMO=GS1.1.789; path=/; max-age=3600';
  document.cookie = '_gid=GA1.1.42; path=/; max-age=3600';
`;

const send = (res, type, body) => {
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
  res.end(body);
};

/**
 * Starts the server on a free port. Returns { origin, log, page, close }:
 * `log` is every request path (with query) in order; `page(name, html)`
 * serves html at /t/<name>.html and returns that path.
 */
export async function startServer({ gaDelayMs = 300 } = {}) {
  const log = [];
  const pages = new Map();
  const server = createServer(async (req, res) => {
    log.push(req.url);
    const { pathname } = new URL(req.url, 'http://localhost');
    if (pathname === GA_PATH) {
      await new Promise((r) => setTimeout(r, gaDelayMs)); // the held inline snippet must wait for it
      return send(res, 'text/javascript; charset=utf-8', GA_STAND_IN);
    }
    if (pathname === '/__ext/order.js') { // an external held script that takes its time
      await new Promise((r) => setTimeout(r, gaDelayMs));
      const name = new URL(req.url, 'http://localhost').searchParams.get('n');
      return send(res, 'text/javascript; charset=utf-8', `window.__order.push(${JSON.stringify(name)});`);
    }
    if (pathname.startsWith('/__ext/')) return send(res, 'text/html; charset=utf-8', '<!doctype html><title>stand-in</title>');
    if (pages.has(pathname)) return send(res, 'text/html; charset=utf-8', pages.get(pathname));
    if (pathname === '/broken/koekje_bg.wasm') return send(res, 'application/wasm', Buffer.from('\0asm\x01\0\0\0garbage that is not wasm'));
    if (pathname.startsWith('/broken/')) req.url = '/koekje/' + pathname.slice('/broken/'.length);
    try {
      let file = fileFor(pathname);
      if (file && (await stat(file)).isDirectory()) file = join(file, 'index.html');
      if (file?.endsWith('.html')) {
        const origin = `http://${req.headers.host}/__ext/`;
        return send(res, 'text/html; charset=utf-8', (await readFile(file, 'utf8')).replace(OUTSIDE, (_, host) => `${origin}${host}/`));
      }
    } catch { /* handle() answers 404 */ }
    return handle(req, res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    log,
    page(name, html) {
      pages.set(`/t/${name}.html`, html);
      return `/t/${name}.html`;
    },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}
