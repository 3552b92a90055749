// Serves the demo site: www/ at /, and the built bundle (dist/) at /koekje/.
// Usage: node scripts/serve.mjs [--port N]   (default 8080, or $PORT)
// Imported (tests/engines/server.mjs, scripts/bench/server.mjs), it only
// exports its request handler, its path check and its content types.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const portArg = process.argv.indexOf('--port');
const port = Number(portArg > 0 ? process.argv[portArg + 1] : process.env.PORT || 8080);
const host = process.env.HOST || '127.0.0.1';

/** Content types by file extension. */
export const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The file at `rest` (the %-escaped rest of a URL path) under the folder
 * `base`, or null where it would leave that folder (`..`, also escaped, or
 * a sibling whose name begins with the folder's). Throws on a malformed
 * %-escape.
 */
export function under(base, rest) {
  const file = normalize(join(base, decodeURIComponent(rest)));
  return file === base || file.startsWith(base + sep) ? file : null;
}

/** Maps a URL path to a file under www/ or dist/, refusing to leave them. */
export function fileFor(pathname) {
  return pathname.startsWith('/koekje/')
    ? under(join(root, 'dist'), pathname.slice('/koekje/'.length))
    : under(join(root, 'www'), pathname.slice(1));
}

/** Answers one request with a file of www/ or dist/, or 404. */
export async function handle(req, res) {
  try {
    const { pathname } = new URL(req.url, 'http://localhost');
    let file = fileFor(pathname); // throws on a malformed %-escape
    if (!file) throw new Error('outside');
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': types[extname(file)] || 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  createServer(handle).listen(port, host, () => {
    console.log(`Koekje demo: http://${host}:${port}/`);
  });
}
