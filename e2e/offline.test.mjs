// The installable, offline app: after one visit the service worker serves every file, so a
// reload with no network renders and predicts; a new deploy replaces the old cache and the
// user sees the new version after a reload.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, launchChromium, pageModules } from './server.mjs';
import { serveLikeAzure } from './swa-server.mjs';

const DIST = join(ROOT, 'dist');
let browser;
let work;

before(async () => {
  browser = await launchChromium();
  work = mkdtempSync(join(tmpdir(), 'predictor-deploys-'));
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Waits until a service worker controls the page and its cache is filled. */
async function waitForOfflineReady(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    }
  });
}

const cacheNames = (page) => page.evaluate(() => caches.keys());
const build = (page) =>
  page.evaluate(() => document.querySelector('meta[name="build"]')?.content ?? 'v1');

async function predicts(page) {
  const prediction = page.getByTestId('prediction');
  await prediction.filter({ hasText: /\d/ }).waitFor();
  await page.getByLabel('Reading score', { exact: true }).fill('88');
  await prediction.filter({ hasText: /\d/ }).waitFor();
  return prediction.textContent();
}

test('the manifest makes the app installable', () => {
  const manifest = JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.start_url, '/');
  const sizes = manifest.icons.map((i) => i.sizes);
  assert.ok(sizes.includes('192x192') && sizes.includes('512x512'), sizes.join());
  for (const icon of manifest.icons) {
    assert.ok(readFileSync(join(DIST, icon.src)).length > 0, icon.src);
  }
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  assert.match(html, /<link (?=[^>]*rel="?manifest)[^>]*href="?\/manifest\.webmanifest/);
});

test('after one visit the app loads, routes and predicts with no network', async (t) => {
  const server = await serveLikeAzure(DIST);
  const context = await browser.newContext();
  t.after(() => Promise.all([context.close(), server.close()]));
  const page = await context.newPage();
  await page.goto(server.url);
  await predicts(page);
  await waitForOfflineReady(page);
  const precached = JSON.parse(
    readFileSync(join(DIST, 'sw.js'), 'utf8').match(/const PRECACHE = (\[[\s\S]*?\]);/)[1],
  );
  assert.ok(precached.some((u) => /^\/app-.*\.wasm$/.test(u)), 'the app wasm is precached');
  assert.ok(precached.includes('/report.json'), 'the training report is precached');
  // Every page's module too (e2e/budget.test.mjs lists them), and the loader that fetches them.
  const modules = pageModules().map((f) => `/${f}`);
  assert.ok(modules.length >= 5, modules.join());
  for (const module of modules) assert.ok(precached.includes(module), `${module} is precached`);
  assert.ok(precached.some((u) => /^\/split-[0-9a-f]+\.js$/.test(u)), 'the split loader is precached');

  await context.setOffline(true);
  await page.reload();
  const offline = await predicts(page);
  assert.match(offline, /\d/);
  // A page that needs the report, never opened online: the report and the page's module come
  // from the worker's cache, on a load and on a change of page.
  await page.goto(new URL('/models', server.url).href);
  await page.locator('[data-testid="leaderboard"]').waitFor();
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await nav.getByRole('link', { name: 'Fairness' }).click();
  await page.locator('[data-testid="fairness-table"]').first().waitFor();
  await nav.getByRole('link', { name: 'Batch' }).click();
  await page.getByRole('heading', { name: 'Predict a whole class' }).waitFor();
});

test('a page whose module cannot be downloaded says so, keeps the app working and loads on a retry', async (t) => {
  // No service worker: the first visit's case, before the worker has precached the modules.
  const server = await serveLikeAzure(DIST);
  const context = await browser.newContext({ serviceWorkers: 'block' });
  t.after(() => Promise.all([context.close(), server.close()]));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  let blocked = 0;
  const offline = (route) => {
    blocked += 1;
    return route.abort('internetdisconnected');
  };
  await context.route(/\/(split|chunk)_[^/]*\.wasm$/, offline);
  await page.goto(server.url);
  await predicts(page);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await nav.getByRole('link', { name: 'Models' }).click();
  const card = page.getByTestId('page-load-error');
  await card.waitFor();
  assert.ok(blocked > 0, 'the page asked for its module');
  const heading = card.getByRole('heading', { name: 'The Models page could not be loaded' });
  await page.waitForFunction(() => document.activeElement?.textContent === 'The Models page could not be loaded');
  assert.ok(await heading.isVisible());
  assert.equal(await page.locator('.fatal').count(), 0, 'no panic: the app runs on');
  // The app still works: back to Predict, which predicts.
  await nav.getByRole('link', { name: 'Predict' }).click();
  await predicts(page);
  assert.deepEqual(errors, []);
  // Online again: the button tries again and the page comes.
  await context.unroute(/\/(split|chunk)_[^/]*\.wasm$/, offline);
  await nav.getByRole('link', { name: 'Models' }).click();
  await page.locator('[data-testid="leaderboard"]').or(card).first().waitFor();
  if (await card.isVisible()) await card.getByRole('button', { name: 'Try again' }).click();
  await page.locator('[data-testid="leaderboard"]').waitFor();
});

/** A copy of dist/ as a second deploy: a changed page, and sw.js rebuilt for it. */
function secondDeploy() {
  const v1 = join(work, 'v1');
  const v2 = join(work, 'v2');
  cpSync(DIST, v1, { recursive: true });
  cpSync(DIST, v2, { recursive: true });
  const index = join(v2, 'index.html');
  writeFileSync(
    index,
    readFileSync(index, 'utf8').replace('</head>', '<meta name="build" content="v2" /></head>'),
  );
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'postbuild.mjs')], {
    env: { ...process.env, TRUNK_STAGING_DIR: v2 },
    stdio: 'pipe',
  });
  return { v1, v2 };
}

test('a new deploy replaces the old cache and shows after a reload', async (t) => {
  const { v1, v2 } = secondDeploy();
  const server = await serveLikeAzure(v1);
  const context = await browser.newContext();
  t.after(() => Promise.all([context.close(), server.close()]));
  const page = await context.newPage();
  await page.goto(server.url);
  await predicts(page);
  await waitForOfflineReady(page);
  const [oldCache] = await cacheNames(page);
  assert.match(oldCache, /^predictor-/);
  assert.equal(await build(page), 'v1');

  server.setRoot(v2);
  await page.reload();
  assert.equal(await build(page), 'v2', 'the reload shows the new version');
  await predicts(page);
  // The new worker installs its own cache, takes over and deletes the old one.
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  // (page.waitForFunction would take the returned promise itself as truthy: poll instead.)
  await page.evaluate(async (old) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const keys = await caches.keys();
      if (keys.length === 1 && keys[0] !== old) return;
      if (Date.now() > deadline) throw new Error(`caches still ${keys}`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }, oldCache);
  await context.setOffline(true);
  await page.reload();
  assert.equal(await build(page), 'v2', 'offline, the new version is what is cached');
  await predicts(page);
});

test('a first visit to a page whose module is on its way says "Loading…", then shows the page', async (t) => {
  const server = await serveLikeAzure(DIST);
  const context = await browser.newContext({ serviceWorkers: 'block' });
  t.after(() => Promise.all([context.close(), server.close()]));
  const page = await context.newPage();
  let release;
  const released = new Promise((ok) => (release = ok));
  const held = async (route) => {
    await released;
    return route.continue();
  };
  await context.route(/\/(split|chunk)_[^/]*\.wasm$/, held);
  await page.goto(new URL('/models', server.url).href);
  const loading = page.getByTestId('page-loading');
  await loading.waitFor();
  assert.equal((await loading.textContent()).trim(), 'Loading…');
  release();
  await page.locator('[data-testid="leaderboard"]').waitFor();
  assert.ok(!(await loading.isVisible()), 'hidden once the page is drawn');
  // On Predict (in the main module) it never shows.
  await page.goto(server.url);
  await predicts(page);
  assert.ok(!(await loading.isVisible()));
});
