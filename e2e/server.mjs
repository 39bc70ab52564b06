// Shared helpers for the browser tests: a static file server for dist/ and a Chromium launcher.
// No npm dependencies beyond playwright-core (which drives Debian's /usr/bin/chromium).

import { createServer } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, posix, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The project root (the folder above e2e/). */
export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The files the first prediction needs: dist/index.html, what it names, and the modules those
 * scripts import statically (the glue imports the split loader); `import()` and the page modules'
 * wasm are fetched later. */
export function criticalFiles(dist = join(ROOT, 'dist')) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/\s(?:href|src|data-app-js|data-app-wasm)=["']?\/([^"'\s>]+\.(?:js|wasm|css))/g),
  ].map((m) => m[1]);
  const files = ['index.html', ...new Set(refs)];
  for (let i = 0; i < files.length; i++) {
    if (!files[i].endsWith('.js')) continue;
    const js = readFileSync(join(dist, files[i]), 'utf8');
    for (const [, spec] of js.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const file = posix.normalize(posix.join(dirname(files[i]), spec));
      if (!files.includes(file)) files.push(file);
    }
  }
  return files;
}

/** The page modules: every wasm of the build the first load does not fetch. */
export function pageModules(dist = join(ROOT, 'dist')) {
  const first = new Set(criticalFiles(dist));
  return readdirSync(dist).filter((f) => f.endsWith('.wasm') && !first.has(f)).sort();
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The release build (`dist/`, or the site in `dir`) served locally and opened in a fresh
 * desktop-sized Chromium page whose console and page errors are collected. Goes to `path`
 * (relative to the server's root) unless it is `null`. Resolves to
 * `{ server, browser, context, page, errors, close }`.
 */
export async function openApp(path = '', { acceptDownloads = false, dir = join(ROOT, 'dist') } = {}) {
  const server = await serveStatic(dir);
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads });
  const page = await context.newPage();
  const errors = collectErrors(page);
  if (path !== null) await page.goto(`${server.url}${path}`);
  const close = async () => {
    await browser.close();
    await server.close();
  };
  /**
   * A page at `at` in a browser context of its own (fresh storage, cache and service worker:
   * no test depends on what another did), its console and page errors pushed to `into`. The
   * suites open one in `beforeEach` and close its context in `afterEach`.
   */
  const tab = async (at = path ?? '', into = []) => {
    const own = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads });
    const fresh = await own.newPage();
    collectErrors(fresh, into);
    await fresh.goto(`${server.url}${at}`);
    return fresh;
  };
  return { server, browser, context, page, errors, close, tab };
}

/**
 * Serves `dir` on 127.0.0.1 at a free port. A path without a file extension that names no file
 * gets index.html (client-side routes); a missing file with an extension is a 404.
 * Resolves to `{ url, close }`.
 */
export async function serveStatic(dir) {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!(await isFile(index))) {
    throw new Error(`${index} is missing: run \`trunk build --release\` first`);
  }
  const server = createServer(async (req, res) => {
    try {
      const pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      let path = normalize(join(root, pathname));
      if (path !== root && !path.startsWith(root + sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if (!(await isFile(path))) {
        if (extname(pathname) !== '') {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        path = index;
      }
      const body = await readFile(path);
      res.writeHead(200, {
        'content-type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-store',
      });
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
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

/** Debian's Chromium, headless, with no network chatter of its own. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Closes a page from `tab` with its context. Its error listeners go first: a request still
 * under way (the manifest's icon, say) is aborted by the close, which is no error of the app.
 */
export async function closeTab(page) {
  page.removeAllListeners();
  await page.context().close();
}

/**
 * Records page errors, console errors and failed requests of `page` into `errors` (a new array
 * unless given; for "no errors" checks).
 * Chromium's own complaint about a missing favicon is not an app error and is left out.
 */
export function collectErrors(page, errors = []) {
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ?? '';
    if (/\/favicon\.ico$/.test(where)) return;
    errors.push(`console.error: ${msg.text()}${where ? ` (${where})` : ''}`);
  });
  // A request the page's own navigation or closing aborted (a test opening another address
  // while the icon still loads) is not the app's failure; every other one is.
  page.on('requestfailed', (req) => {
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  return errors;
}

/**
 * Formats `x` with one decimal exactly as Rust's `format!("{:.1}", x)` does. Both Rust and
 * `Number.prototype.toFixed` round the exact binary value, but on an exact tie (a value whose
 * last binary digits are .25 or .75) Rust rounds half to even and toFixed rounds up.
 */
export function rustFixed1(x) {
  const tenths = x * 10; // exact for a tie: 4x is then an odd integer
  if (Number.isInteger(x * 4) && !Number.isInteger(x * 2)) {
    const down = Math.floor(tenths);
    const even = down % 2 === 0 ? down : down + 1;
    return (even / 10).toFixed(1);
  }
  return x.toFixed(1);
}

/** The Predict page's prediction. */
export const PREDICTION = '[data-testid="prediction"]';

/** The trainer's test-split students with their native predictions (`make parity-cases`);
 * E2E_PARITY points elsewhere only for trying the tests before the trainer exists. */
export const PARITY = process.env.E2E_PARITY ?? join(ROOT, 'target/parity/test_split.json');

export function readParityCases() {
  if (!existsSync(PARITY)) {
    throw new Error(`${PARITY} is missing: run \`make parity-cases\` (the trainer's native predictions) first`);
  }
  const cases = JSON.parse(readFileSync(PARITY, 'utf8'));
  if (!Array.isArray(cases) || cases.length === 0) throw new Error(`${PARITY} holds no cases`);
  return cases;
}

/** The prediction's text once it equals `expected` (or whatever it is after a short wait). */
export async function predictionText(page, expected, timeout = 2000) {
  if (expected !== undefined) {
    await page
      .waitForFunction(
        ([sel, want]) => document.querySelector(sel)?.textContent.trim() === want,
        [PREDICTION, expected],
        { timeout, polling: 'raf' },
      )
      .catch(() => {});
  }
  return (await page.locator(PREDICTION).textContent()).trim();
}

/**
 * Types every case's student into the form on `page` (only the fields that change; `features`
 * carry their `label`; `form` is where their controls are looked for, the whole page unless
 * given), and lists each case whose shown prediction is not `native(case)` as Rust prints it.
 */
export async function parityMismatches(page, features, cases, native, form = page) {
  const current = new Map();
  const mismatches = [];
  for (const c of cases) {
    for (const f of features) {
      const value = c.student[f.name];
      if (value === undefined) throw new Error(`row ${c.row}: no ${f.name} in the parity file`);
      if (current.get(f.name) === value) continue;
      const control = form.getByLabel(f.label, { exact: true });
      // A list for categories and for numbers with coded levels; a text field otherwise.
      if (f.kind === 'categorical' || (await control.evaluate((el) => el.tagName)) === 'SELECT') {
        await control.selectOption(value);
      } else await control.fill(value);
      current.set(f.name, value);
    }
    const want = native(c);
    if (typeof want !== 'number') throw new Error(`row ${c.row}: no native prediction`);
    const expected = rustFixed1(want);
    const shown = await predictionText(page, expected);
    if (shown !== expected) {
      mismatches.push(`row ${c.row} (line ${c.line}): shown ${shown}, native ${want} → ${expected}`);
    }
  }
  return mismatches;
}

/** The default target's full model from assets/model.json (a set of bundles). */
export function defaultModel() {
  const set = JSON.parse(readFileSync(join(ROOT, 'assets/model.json'), 'utf8'));
  if (!set.bundles) return set;
  return set.bundles.find((b) => b.target === set.default_target && !(b.excluded ?? []).length);
}

/** The default target's report from assets/report.json (a report per target). */
export function defaultReport() {
  const set = JSON.parse(readFileSync(join(ROOT, 'assets/report.json'), 'utf8'));
  if (!set.reports) return set;
  return set.reports.find((r) => r.target === set.default_target);
}

/**
 * The value of the first `name=` attribute in `html`, quoted or not (the release build's
 * index.html is minified, which drops quotes where it can).
 */
export function htmlAttr(html, name) {
  const m = html.match(new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`));
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** The form's accessible labels (model::fields::label): the contract the tests hold the app to. */
export const LABELS = {
  gender: 'Gender',
  race_ethnicity: 'Race/ethnicity',
  parental_level_of_education: 'Parental level of education',
  lunch: 'Lunch',
  test_preparation_course: 'Test preparation course',
  math_score: 'Math score',
  reading_score: 'Reading score',
  writing_score: 'Writing score',
};

/** Runs axe-core on the page; resolves to its violations, summarised. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ path: join(ROOT, 'node_modules/axe-core/axe.min.js') });
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(' | ')}`,
  );
}

/**
 * Writes the README's screenshot `name`.png of `target` (a page or a locator) into
 * e2e/screenshots/ when `make screenshots` runs the suites (SCREENSHOTS=1). Other runs check the
 * same layout and write nothing, so a test run leaves the work tree as it was.
 */
export async function screenshot(target, name) {
  if (!process.env.SCREENSHOTS) return;
  const dir = join(ROOT, 'e2e/screenshots');
  mkdirSync(dir, { recursive: true });
  await target.screenshot({ path: join(dir, `${name}.png`) });
}
