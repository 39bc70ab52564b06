// Azure's own emulator: the Static Web Apps CLI (`swa start`, npm @azure/static-web-apps-cli,
// installed by scripts/tools.sh) serving a folder under hosting/staticwebapp.config.json on
// 127.0.0.1, and the list of files a build serves. Used by the hosting and deploy tests.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, sep } from 'node:path';
import { ROOT } from './server.mjs';

export const SWA_BIN = join(ROOT, 'node_modules', '.bin', 'swa');
/** The config's JSON Schema, as the CLI package ships it. */
export const SWA_SCHEMA = join(ROOT, 'node_modules', '@azure', 'static-web-apps-cli', 'schema', 'staticwebapp.config.json');
/** Azure's configuration: in dist/ for Azure's deploy, never a file of the site. */
export const SWA_CONFIG_NAME = 'staticwebapp.config.json';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/**
 * Starts a child process in its own process group, collecting its output. Resolves to
 * `{ child, output, exited, stop }`; `stop()` ends the whole group (SIGTERM, then SIGKILL after
 * 5 s) and resolves once it has exited.
 */
export function startProcess(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  let done = false;
  const exited = new Promise((ok) =>
    child.once('exit', (code, signal) => {
      done = true;
      ok({ code, signal });
    }),
  );
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (done) return;
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { child, output, exited, stop, isRunning: () => !done };
}

/** Polls `url` until it answers (any status) or `timeoutMs` passes or `proc` exits. */
export async function waitForHttp(url, proc, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.isRunning()) throw new Error(`exited before serving ${url}:\n${proc.output.join('')}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((ok) => setTimeout(ok, 200));
    }
  }
  await proc.stop();
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${proc.output.join('')}`);
}

/**
 * `swa start DIR --swa-config-location hosting --host 127.0.0.1 --port <free>`. Resolves to
 * `{ url, close, output }`.
 */
export async function startSwa(dir) {
  if (!existsSync(SWA_BIN)) {
    throw new Error(`${SWA_BIN} is missing: run \`scripts/tools.sh web\` (npm ci) first`);
  }
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`${join(dir, 'index.html')} is missing: run \`make build\` first`);
  }
  const port = await freePort();
  const proc = startProcess(
    SWA_BIN,
    ['start', dir, '--swa-config-location', 'hosting', '--host', '127.0.0.1', '--port', String(port)],
    { cwd: ROOT, env: { ...process.env, SWA_CLI_OPEN_BROWSER: 'false', NO_COLOR: '1' } },
  );
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, proc);
  return { url, output: proc.output, close: proc.stop };
}

/** Every file under `dir`, as '/'-separated paths relative to it, sorted. */
export function filesOf(dir) {
  const walk = (d) =>
    readdirSync(d).flatMap((name) => {
      const path = join(d, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(dir, path).split(sep).join('/')];
    });
  return walk(dir).sort();
}

/** The files of a build that are the site (everything but Azure's configuration). */
export function siteFiles(dir) {
  return filesOf(dir).filter((name) => name !== SWA_CONFIG_NAME);
}

/** The kinds of file of a build, with the caching each must get on every host. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const ICONS = 'public, max-age=86400';
const ENTRY_POINTS = new Set(['boot.js', 'sw.js']);

/**
 * What every host must send for a file of the build: `{ type, cache }` (the media type without
 * parameters). Written from the app's needs, not read from the config, so the config is tested.
 */
export function expectedFor(name) {
  const ext = name.slice(name.lastIndexOf('.')).toLowerCase();
  const type = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.wasm': 'application/wasm',
    '.css': 'text/css',
    '.json': 'application/json',
    '.webmanifest': 'application/manifest+json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
    '.txt': 'text/plain',
  }[ext];
  let cache = 'no-cache';
  if (name.startsWith('icons/')) cache = ICONS;
  else if (['.js', '.wasm', '.css'].includes(ext) && !ENTRY_POINTS.has(name)) cache = IMMUTABLE;
  return { type, cache };
}

/** A Content-Type without its parameters, lower case. */
export function mediaType(contentType) {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** The files an index.html names (src, href and data-* attributes), without the leading '/'. */
export function namedFiles(html) {
  const names = new Set();
  for (const m of html.matchAll(/(?:src|href|data-[\w-]+)=(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
    const value = m[1] ?? m[2] ?? m[3];
    if (/^\/[^/]/.test(value) && /\.[a-z0-9]+$/i.test(value)) names.add(value.slice(1));
  }
  return [...names].sort();
}
