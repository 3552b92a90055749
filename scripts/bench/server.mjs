// The bench's pages and the static server on 127.0.0.1 that serves them.
// Like scripts/serve.mjs (www/ at /, dist/ at /koekje/: here its copy), with
// its content types and its path check, plus the fixtures at /bench/ and
// vanilla-cookieconsent's dist/ at /vanilla/.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { types, under } from '../serve.mjs';
import { gzip } from '../size.mjs';
import { BANNERS, root, vanillaDir } from './options.mjs';

// The two pages differ only in their <head> (bench/<name>-head.html): both
// have the demo home page's <html lang> and body, built here, not copied.
const home = readFileSync(join(root, 'www/index.html'), 'utf8');
const benchPage = (name) => home.slice(0, home.indexOf('<head>') + '<head>\n'.length)
  + readFileSync(join(root, `bench/${name}-head.html`), 'utf8')
  + home.slice(home.indexOf('</head>'));
// bench/none.html, the same page without a banner, is the throttled pass's control.
const PAGES = new Map([...Object.keys(BANNERS), 'none'].map((name) => [`/bench/${name}.html`, benchPage(name)]));

const ROUTES = [
  ['/koekje/', join(root, '.bench/dist')],
  ['/vanilla/', join(vanillaDir, 'dist')],
  ['/bench/', join(root, 'bench')],
  ['/', join(root, 'www')],
];

// Starts the server on a free port. Returns its `origin`, what it `served`
// (pathname -> { bytes, gzip, etag, type }), the paths it answered 404 for
// (`notFound`) and `close`.
// Every response is gzip -9 encoded when the browser accepts it (as a
// compressing server sends it) and carries an ETag, answered with 304 when
// the browser revalidates (cache-control: no-cache), so that a later page
// view transfers headers only for what it fetches again. The files do not
// change during the run: each is read and compressed once.
export async function startServer() {
  const notFound = new Set();
  const served = new Map();
  const load = async (pathname) => {
    if (served.has(pathname)) return served.get(pathname);
    let bytes;
    let type = types['.html'];
    if (PAGES.has(pathname)) bytes = Buffer.from(PAGES.get(pathname));
    else {
      const [prefix, base] = ROUTES.find(([p]) => pathname.startsWith(p));
      const file = under(base, pathname.slice(prefix.length));
      if (!file) throw new Error('outside');
      bytes = await readFile(file);
      type = types[extname(file)] || 'application/octet-stream';
    }
    const entry = { bytes, gzip: gzip(bytes), type, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 16)}"` };
    served.set(pathname, entry);
    return entry;
  };
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    let entry;
    try {
      entry = await load(pathname);
    } catch {
      notFound.add(pathname);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    const headers = { 'content-type': entry.type, 'cache-control': 'no-cache', etag: entry.etag, vary: 'accept-encoding' };
    if (req.headers['if-none-match'] === entry.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzipped = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
    if (gzipped) headers['content-encoding'] = 'gzip';
    res.writeHead(200, headers);
    res.end(gzipped ? entry.gzip : entry.bytes);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://127.0.0.1:${server.address().port}`, served, notFound, close: () => server.close() };
}
