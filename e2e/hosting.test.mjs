// The app under Azure's own emulator: the Static Web Apps CLI (`swa start dist
// --swa-config-location hosting`, e2e/swa-cli.mjs) serving the release build on 127.0.0.1 with
// hosting/staticwebapp.config.json. Every file's type, caching and security headers; every page
// and deep link, and a reload of each, in Chromium with no Content-Security-Policy violation;
// 404s (never index.html, never cacheable) for missing files; the offline reload through the
// service worker. Also: the CloudFront template sends the same security headers.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, collectErrors, launchChromium } from './server.mjs';
import { IMMUTABLE, expectedFor, mediaType, namedFiles, siteFiles, startSwa } from './swa-cli.mjs';
import { serveLikeAzure } from './swa-server.mjs';

const DIST = join(ROOT, 'dist');
const CONFIG = JSON.parse(readFileSync(join(ROOT, 'hosting', 'staticwebapp.config.json'), 'utf8'));
/** Every client route of the app (the navigation menu's pages). */
const PAGES = ['/', '/models', '/insights', '/fairness', '/batch', '/about'];
let swa;
let browser;

before(async () => {
  swa = await startSwa(DIST);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await swa?.close();
});

/** A GET of `path` from the CLI: status, headers (lower-case names) and body bytes. */
async function get(path) {
  const res = await fetch(new URL(path, swa.url), { headers: { 'accept-encoding': 'gzip, br' } });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, header: (name) => res.headers.get(name), body };
}

const indexHtml = () => readFileSync(join(DIST, 'index.html'));

test('the CSP allows only what the app needs: no inline script, no eval, fetches only to its own origin', () => {
  const csp = CONFIG.globalHeaders['Content-Security-Policy'];
  const directives = Object.fromEntries(
    csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]),
  );
  assert.ok(!csp.includes("'unsafe-inline'"), csp);
  assert.ok(!csp.includes("'unsafe-eval'"), csp);
  assert.deepEqual(directives['default-src'], ["'self'"]);
  assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives['connect-src'], ["'self'"], 'the app fetches /report.json from its own origin only');
  assert.deepEqual(directives['object-src'], ["'none'"]);
  assert.deepEqual(directives['frame-ancestors'], ["'none'"]);
  assert.deepEqual(directives['base-uri'], ["'self'"]);
});

test('CloudFront sends the same security headers as Azure and rewrites the same client routes', () => {
  const global = CONFIG.globalHeaders;
  const cfn = JSON.parse(readFileSync(join(ROOT, 'hosting', 'cloudfront.json'), 'utf8'));
  const policy = cfn.Resources.SecurityHeaders.Properties.ResponseHeadersPolicyConfig;
  const security = policy.SecurityHeadersConfig;
  assert.equal(security.ContentSecurityPolicy.ContentSecurityPolicy, global['Content-Security-Policy']);
  assert.equal(security.ReferrerPolicy.ReferrerPolicy, global['Referrer-Policy']);
  assert.equal(global['X-Content-Type-Options'], 'nosniff');
  assert.ok(security.ContentTypeOptions.Override);
  const hsts = security.StrictTransportSecurity;
  assert.equal(
    `max-age=${hsts.AccessControlMaxAgeSec}; includeSubDomains${hsts.Preload ? '; preload' : ''}`,
    global['Strict-Transport-Security'],
  );
  const custom = Object.fromEntries(policy.CustomHeadersConfig.Items.map((i) => [i.Header, i.Value]));
  assert.equal(custom['Permissions-Policy'], global['Permissions-Policy']);
  assert.equal(custom['Cross-Origin-Opener-Policy'], global['Cross-Origin-Opener-Policy']);
  // The CloudFront function (run here as plain JavaScript: its runtime is CloudFront's own).
  const code = cfn.Resources.SpaRewrite.Properties.FunctionCode;
  const handler = new Function(`${code}; return handler;`)();
  const rewritten = (uri) => handler({ request: { uri } }).uri;
  for (const page of PAGES.slice(1)) {
    assert.equal(rewritten(page), '/index.html', page);
    assert.equal(rewritten(`${page}/`), '/index.html', `${page}/`);
  }
  for (const file of ['/app-0123456789abcdef.js', '/report.json', '/icons/icon.svg', '/sw.js']) {
    assert.equal(rewritten(file), file, 'files are served as they are');
  }
});

test('every file of the build gets its Content-Type, caching and the security headers', async (t) => {
  const files = siteFiles(DIST);
  assert.ok(files.includes('index.html') && files.includes('sw.js'), files.join());
  for (const name of files) {
    const want = expectedFor(name);
    assert.ok(want.type, `${name}: a kind of file the hosting tests do not know: add it to expectedFor`);
    const res = await get(`/${name}`);
    assert.equal(res.status, 200, name);
    assert.equal(mediaType(res.header('content-type')), want.type, `${name}: Content-Type`);
    assert.equal(res.header('cache-control'), want.cache, `${name}: Cache-Control`);
    assert.ok(res.body.equals(readFileSync(join(DIST, name))), `${name}: the body is the file`);
    for (const [header, value] of Object.entries(CONFIG.globalHeaders)) {
      assert.equal(res.header(header), value, `${name}: ${header}`);
    }
  }
  t.diagnostic(`${files.length} files checked under swa start`);
});

test('index.html names only files of the build, the app and its wasm under hashed, immutable names', async () => {
  const files = new Set(siteFiles(DIST));
  const named = namedFiles(indexHtml().toString('utf8'));
  for (const name of named) assert.ok(files.has(name), `index.html names ${name}, which the build lacks`);
  const hashed = named.filter((name) => /\.(js|wasm|css)$/.test(name) && expectedFor(name).cache === IMMUTABLE);
  assert.ok(hashed.some((name) => name.endsWith('.wasm')), `a wasm among ${named.join()}`);
  assert.ok(hashed.some((name) => name.endsWith('.js')), `a module among ${named.join()}`);
  for (const name of hashed) {
    // Trunk writes the hash as hex without leading zeros: up to 16 digits.
    assert.match(name, /[-.][0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/, `${name}: a content hash in the name`);
  }
});

test('report.json is served as JSON with no-cache, or is a 404 (not index.html) in a build without it', async () => {
  const res = await get('/report.json');
  if (existsSync(join(DIST, 'report.json'))) {
    assert.equal(res.status, 200);
    assert.equal(mediaType(res.header('content-type')), 'application/json');
    assert.equal(res.header('cache-control'), 'no-cache');
    JSON.parse(res.body.toString('utf8'));
  } else {
    assert.equal(res.status, 404);
    assert.ok(!res.body.equals(indexHtml()), 'a missing report.json is not the app');
  }
});

test('every page and deep link is the app (index.html, no-cache, with the security headers)', async () => {
  for (const path of [...PAGES, ...PAGES.slice(1).map((p) => `${p}/`), '/models?target=math_score']) {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(mediaType(res.header('content-type')), 'text/html', path);
    assert.equal(res.header('cache-control'), 'no-cache', path);
    assert.equal(res.header('content-security-policy'), CONFIG.globalHeaders['Content-Security-Policy'], path);
    assert.ok(res.body.equals(indexHtml()), `${path} is index.html`);
  }
});

test('a missing file is a 404, never index.html and never cacheable; the Azure config is not served', async () => {
  const missing = [
    '/nope.js',
    '/app-0000000000000000.js',
    '/app-0000000000000000_bg.wasm',
    '/style-0000000000000000.css',
    '/report-0000000000000000.json',
    '/nope.webmanifest',
    '/icons/nope.png',
    '/icons/nope.svg',
    '/staticwebapp.config.json',
  ];
  for (const path of missing) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.ok(!res.body.equals(indexHtml()), `${path}: not the app`);
    const cache = res.header('cache-control') ?? '';
    assert.ok(!/immutable/.test(cache), `${path}: ${cache}`);
    const maxAge = Number(cache.match(/max-age=(\d+)/)?.[1] ?? 0);
    assert.equal(maxAge, 0, `${path}: a 404 is not kept (${cache})`);
  }
});

test('our emulator (e2e/swa-server.mjs, for gzip and switched deploys) answers as the CLI does', async (t) => {
  const emulator = await serveLikeAzure(DIST);
  t.after(() => emulator.close());
  const paths = [
    ...siteFiles(DIST).map((f) => `/${f}`),
    ...PAGES,
    '/models/',
    '/nope.js',
    '/app-0000000000000000_bg.wasm',
    '/icons/nope.png',
    '/staticwebapp.config.json',
  ];
  const answer = async (base, path, encoding) => {
    const res = await fetch(new URL(path, base), { headers: { 'accept-encoding': encoding } });
    await res.arrayBuffer();
    const h = (name) => res.headers.get(name);
    return {
      status: res.status,
      type: mediaType(h('content-type')),
      cache: h('cache-control'),
      security: Object.keys(CONFIG.globalHeaders).map((name) => `${name}: ${h(name)}`),
    };
  };
  for (const path of paths) {
    assert.deepEqual(await answer(emulator.url, path, 'identity'), await answer(swa.url, path, 'identity'), path);
  }
  // What it is kept for: Azure compresses, the CLI does not.
  const wasm = siteFiles(DIST).find((f) => /^app-[0-9a-f]+_bg\.wasm$/.test(f));
  const gz = await fetch(new URL(wasm, emulator.url), { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  const cli = await fetch(new URL(wasm, swa.url), { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(cli.headers.get('content-encoding'), null, 'the CLI started compressing: bench/web.mjs could use it');
  t.diagnostic(`${paths.length} paths compared`);
});

/** A page with CSP-violation recording installed before any script runs. */
async function recordedPage(options = { serviceWorkers: 'block' }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = collectErrors(page);
  return { context, page, requests, errors };
}

const violations = (page) => page.evaluate(() => window.__violations);

test('every page, opened by its deep link and reloaded, renders with no CSP violation or error', async (t) => {
  const { context, page, errors } = await recordedPage();
  t.after(() => context.close());
  for (const path of PAGES) {
    for (const how of ['deep link', 'reload']) {
      if (how === 'deep link') await page.goto(new URL(path, swa.url).href);
      else await page.reload();
      await page.locator('main').waitFor();
      await page.waitForLoadState('networkidle');
      assert.equal(new URL(page.url()).pathname, path, `${how} of ${path} stays on it`);
      assert.deepEqual(await violations(page), [], `${how} of ${path}`);
    }
  }
  assert.deepEqual(errors, []);
});

test('the CSP is in force: a fetch to another origin is blocked, one to report.json is not', async (t) => {
  const { context, page } = await recordedPage();
  t.after(() => context.close());
  await page.goto(swa.url);
  await page.locator('main').waitFor();
  const outcome = await page.evaluate(async () => {
    const tryFetch = (url) => fetch(url).then((r) => r.status, (e) => `failed: ${e.name}`);
    return { other: await tryFetch('http://127.0.0.2:9/report.json'), own: await tryFetch('/report.json') };
  });
  assert.match(String(outcome.other), /^failed/);
  assert.equal(outcome.own, existsSync(join(DIST, 'report.json')) ? 200 : 404);
  const seen = await violations(page);
  assert.equal(seen.length, 1, seen.join('\n'));
  assert.match(seen[0], /^connect-src http:\/\/127\.0\.0\.2:9\/report\.json/);
});

test('the app predicts under that CSP with no network request', async (t) => {
  const { context, page, requests, errors } = await recordedPage();
  t.after(() => context.close());
  await page.goto(swa.url);
  const prediction = page.getByTestId('prediction');
  await prediction.filter({ hasText: /\d/ }).waitFor();
  await page.waitForLoadState('networkidle');
  const before = requests.length;
  for (const score of ['55', '81', '100', '0', '64.5']) {
    await page.getByLabel('Reading score', { exact: true }).fill(score);
    await page.getByLabel('Writing score', { exact: true }).fill(score);
    await prediction.filter({ hasText: /\d/ }).waitFor();
  }
  await page.getByLabel('Gender', { exact: true }).selectOption({ index: 1 });
  await page.getByLabel('Lunch', { exact: true }).selectOption({ index: 0 });
  assert.deepEqual(requests.slice(before), [], 'predicting made network requests');
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
});

test('processing a batch makes no network request', async (t) => {
  const { context, page, requests, errors } = await recordedPage();
  t.after(() => context.close());
  await page.goto(new URL('/batch', swa.url).href);
  const input = page.locator('input[type=file]');
  await input.waitFor({ state: 'attached' });
  await page.waitForLoadState('networkidle');
  const header =
    'gender,race_ethnicity,parental_level_of_education,lunch,test_preparation_course,reading_score,writing_score';
  const rows = Array.from({ length: 500 }, (_, i) =>
    `${i % 2 ? 'male' : 'female'},group C,high school,standard,none,${40 + (i % 60)},${35 + (i % 65)}`,
  );
  const before = requests.length;
  await input.setInputFiles({
    name: 'students.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([header, ...rows].join('\n') + '\n'),
  });
  await page.getByText(/500 rows/).first().waitFor({ timeout: 30_000 });
  assert.deepEqual(requests.slice(before), [], 'the batch made network requests');
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
});

test('after one visit, every page reloads offline from the service worker', async (t) => {
  const { context, page } = await recordedPage({ serviceWorkers: 'allow' });
  t.after(() => context.close());
  await page.goto(swa.url);
  await page.locator('main').waitFor();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    }
  });
  await context.setOffline(true);
  const offlineRequests = [];
  page.on('requestfinished', async (r) => {
    const response = await r.response();
    if (response && !response.fromServiceWorker()) offlineRequests.push(r.url());
  });
  for (const path of PAGES) {
    await page.goto(new URL(path, swa.url).href);
    await page.locator('main').waitFor();
    await page.reload();
    await page.locator('main').waitFor();
    assert.equal(new URL(page.url()).pathname, path);
  }
  if (existsSync(join(DIST, 'report.json'))) {
    const status = await page.evaluate(() => fetch('/report.json').then((r) => r.status));
    assert.equal(status, 200, 'report.json is in the offline cache');
  }
  assert.deepEqual(offlineRequests, [], 'offline, every response came from the service worker');
  assert.deepEqual(await violations(page), []);
});
