// Serves dist/ the way Azure Static Web Apps serves it under hosting/staticwebapp.config.json:
// the first matching route's headers, the global headers on every response, the configured
// MIME types, and the navigation fallback (index.html for paths that name no file, except the
// excluded patterns). Responses are gzip-compressed when the client accepts it, as both clouds
// do. Used by the hosting tests and by `make bench-web`.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './server.mjs';

export const SWA_CONFIG = join(ROOT, 'hosting', 'staticwebapp.config.json');

const DEFAULT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
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
      if (!(await isFile(file))) {
        const fallback = config.navigationFallback?.rewrite;
        if (fallback && !excluded.some((re) => re.test(pathname))) {
          file = join(root, fallback);
        } else {
          status = 404;
        }
      }
      const headers = { ...config.globalHeaders };
      const route = routes.find((r) => r.re.test(pathname));
      Object.assign(headers, route?.headers);
      if (status === 404) {
        res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found');
        return;
      }
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
