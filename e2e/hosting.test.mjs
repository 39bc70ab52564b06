// The app under the production hosting rules: dist/ served with exactly the headers of
// hosting/staticwebapp.config.json (Azure Static Web Apps), the same security headers in the
// CloudFront template, and in Chromium: no Content-Security-Policy violation, and no network
// request at all while predicting or processing a batch.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, collectErrors, htmlAttr, launchChromium } from './server.mjs';
import { routeRegExp, serveLikeAzure } from './swa-server.mjs';

const DIST = join(ROOT, 'dist');
let server;
let browser;

before(async () => {
  server = await serveLikeAzure(DIST);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Headers of a GET for `path`, lower-case names. */
async function headersOf(path) {
  const res = await fetch(new URL(path, server.url), { headers: { 'accept-encoding': 'gzip' } });
  await res.arrayBuffer();
  return { status: res.status, get: (name) => res.headers.get(name) };
}

test('the CSP allows only what the app needs: no inline script, no eval', () => {
  const csp = server.config.globalHeaders['Content-Security-Policy'];
  const directives = Object.fromEntries(
    csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]),
  );
  assert.ok(!csp.includes("'unsafe-inline'"), csp);
  assert.ok(!csp.includes("'unsafe-eval'"), csp);
  assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives['connect-src'], ["'self'"]);
  assert.deepEqual(directives['object-src'], ["'none'"]);
  assert.deepEqual(directives['frame-ancestors'], ["'none'"]);
  assert.deepEqual(directives['base-uri'], ["'self'"]);
});

test('CloudFront sends the same security headers as Azure', async () => {
  const global = server.config.globalHeaders;
  const cfn = JSON.parse(await readFile(join(ROOT, 'hosting', 'cloudfront.json'), 'utf8'));
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
  // The CloudFront function rewrites exactly the paths Azure's navigation fallback rewrites.
  const code = cfn.Resources.SpaRewrite.Properties.FunctionCode;
  const handler = new Function(`${code}; return handler;`)();
  const rewritten = (uri) => handler({ request: { uri } }).uri;
  assert.equal(rewritten('/models'), '/index.html');
  assert.equal(rewritten('/batch/'), '/index.html');
  assert.equal(rewritten('/app-123.js'), '/app-123.js');
});

test('caching, MIME types and the navigation fallback follow the config', async () => {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const wasm = htmlAttr(html, 'data-app-wasm')?.slice(1);
  const js = htmlAttr(html, 'data-app-js')?.slice(1);
  assert.ok(wasm && js, 'index.html names the app module and wasm');
  const pagesWasm = htmlAttr(html, 'data-pages-wasm')?.slice(1);
  const pagesJs = htmlAttr(html, 'data-pages-js')?.slice(1);
  assert.match(pagesWasm ?? '', /^pages-[0-9a-f]{16}_bg\.wasm$/, 'the pages module has a hashed name');
  assert.match(pagesJs ?? '', /^pages-[0-9a-f]{16}\.js$/);
  for (const name of [pagesWasm, pagesJs]) {
    const h = await headersOf(`/${name}`);
    assert.equal(h.status, 200, name);
    assert.equal(h.get('cache-control'), 'public, max-age=31536000, immutable', name);
  }

  const index = await headersOf('/');
  assert.equal(index.status, 200);
  assert.equal(index.get('cache-control'), 'no-cache');
  assert.match(index.get('content-type'), /^text\/html/);
  for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'permissions-policy', 'strict-transport-security']) {
    assert.ok(index.get(name), `${name} on index.html`);
  }

  const w = await headersOf(`/${wasm}`);
  assert.equal(w.get('content-type'), 'application/wasm');
  assert.equal(w.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(w.get('content-encoding'), 'gzip');
  assert.equal((await headersOf(`/${js}`)).get('cache-control'), 'public, max-age=31536000, immutable');
  for (const entry of ['/sw.js', '/boot.js', '/manifest.webmanifest', '/index.html']) {
    assert.equal((await headersOf(entry)).get('cache-control'), 'no-cache', entry);
  }
  assert.equal((await headersOf('/manifest.webmanifest')).get('content-type'), 'application/manifest+json');

  const deep = await headersOf('/models');
  assert.equal(deep.status, 200, 'client routes fall back to index.html');
  assert.equal(deep.get('cache-control'), 'no-cache');
  assert.equal((await headersOf('/no-such-file.js')).status, 404, 'assets never fall back');
  assert.ok(routeRegExp('/*.{js,wasm,css}').test('/app-1_bg.wasm'));
});

/** A page with CSP-violation and request recorders installed before any script runs. */
async function recordedPage() {
  const context = await browser.newContext({ serviceWorkers: 'block' });
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

test('the app runs under that CSP with no violation and predicts with no network request', async () => {
  const { context, page, requests, errors } = await recordedPage();
  await page.goto(server.url);
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
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('every page renders under the CSP with no violation', async () => {
  const { context, page, errors } = await recordedPage();
  for (const path of ['/', '/models', '/insights', '/batch', '/about']) {
    await page.goto(new URL(path, server.url).href);
    await page.locator('main').waitFor();
    await page.waitForLoadState('networkidle');
  }
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('processing a batch makes no network request', async () => {
  const { context, page, requests, errors } = await recordedPage();
  await page.goto(new URL('/batch', server.url).href);
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
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await context.close();
});
