// Serves dist/ as Azure Static Web Apps does under hosting/staticwebapp.config.json, where the
// real emulator (the Static Web Apps CLI, e2e/swa-cli.mjs, which the hosting tests use) cannot:
// it compresses (gzip when the client accepts it: Azure compresses, the CLI does not), for
// `make bench-web`; and its folder can be switched mid-test (`setRoot`, a new deploy) for the
// offline tests. Otherwise it answers as the CLI does (checked on swa 2.0.10): the first matching
// route's headers over the global headers, the configured MIME types, the navigation fallback
// (index.html for paths that name no file, except the excluded patterns), and for a missing file
// or the config itself a 404 with none of the config's headers and `Cache-Control: public,
// max-age=0`.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './server.mjs';

export const SWA_CONFIG = join(ROOT, 'hosting', 'staticwebapp.config.json');

// The CLI's types for what the config's mimeTypes does not name.
const DEFAULT_TYPES = {
  '.html': 'text/html',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain',
};
const COMPRESSIBLE = /^(text\/|application\/(wasm|json|javascript|manifest\+json)|image\/svg)/;

/** A route pattern of the config as a RegExp: `*` is any text, `{a,b}` any of the choices. */
export function routeRegExp(pattern) {
  const source = pattern
    .split(/(\*|\{[^}]*\})/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith('{')) return `(?:${part.slice(1, -1).split(',').map(escape).join('|')})`;
      return escape(part);
    })
    .join('');
  return new RegExp(`^${source}$`);
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Starts the server for `dir` (a built dist/) on 127.0.0.1 at a free port. `dir` may be
 * changed later with `setRoot` (a new deploy). Resolves to `{ url, close, setRoot, config }`.
 */
export async function serveLikeAzure(dir, configPath = SWA_CONFIG) {
  const config = JSON.parse(await readFile(configPath, 'utf8'));
  const routes = (config.routes ?? []).map((r) => ({ ...r, re: routeRegExp(r.route) }));
  const excluded = (config.navigationFallback?.exclude ?? []).map(routeRegExp);
  const types = { ...DEFAULT_TYPES, ...config.mimeTypes };
  let root = resolve(dir);

  const server = createServer(async (req, res) => {
    try {
      const pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      let file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end();
        return;
      }
      let status = 200;
      if (pathname === '/staticwebapp.config.json' || pathname === '/routes.json') {
        status = 404; // the CLI (and Azure) never serve the configuration
      } else if (!(await isFile(file))) {
        const fallback = config.navigationFallback?.rewrite;
        if (fallback && !excluded.some((re) => re.test(pathname))) {
          file = join(root, fallback);
        } else {
          status = 404;
        }
      }
      if (status === 404) {
        // As the CLI: its own 404 page, none of the config's headers, not cacheable.
        res
          .writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=0' })
          .end('<!DOCTYPE html><title>404: Not Found</title><h1>404: Not Found</h1>');
        return;
      }
      const headers = { ...config.globalHeaders };
      const route = routes.find((r) => r.re.test(pathname));
      Object.assign(headers, route?.headers);
      let body = await readFile(file);
      const type = types[extname(file).toLowerCase()] ?? 'application/octet-stream';
      headers['content-type'] = type;
      if (COMPRESSIBLE.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        body = gzipSync(body, { level: 9 });
        headers['content-encoding'] = 'gzip';
        headers.vary = 'Accept-Encoding';
      }
      headers['content-length'] = body.length;
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    config,
    setRoot: (next) => {
      root = resolve(next);
    },
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
