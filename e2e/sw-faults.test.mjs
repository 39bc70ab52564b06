// The service worker under faults (issue 14): a tab of the old deploy left open across a new
// one, a deploy whose precache fails half way (a missing file, the network dropping), cleared
// site data, and two tabs. Each deploy is a copy of dist/ with its own hashed file names (as a
// new build has: the old names are gone from the server), a visible build name and a visible
// mark in report.json, and its own sw.js from scripts/postbuild.mjs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, collectErrors, launchChromium } from './server.mjs';
import { serveLikeAzure } from './swa-server.mjs';

const DIST = join(ROOT, 'dist');
const WAIT = { timeout: 20_000 };
let browser;
let work;

before(async () => {
  browser = await launchChromium();
  work = mkdtempSync(join(tmpdir(), 'predictor-sw-faults-'));
});

after(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/**
 * A copy of dist/ as deploy `name`: new hashed names for the app's files, `<meta name="build"
 * content=name>`, every model's fit time in report.json set to `mark` seconds (the Models page
 * shows it), sw.js rebuilt, then the files in `missing` removed. Returns `{ dir, cache, precache }`.
 */
function deploy(name, { mark = 0, missing = [] } = {}) {
  const dir = join(work, `${name}-${mark}-${missing.length}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(DIST, dir, { recursive: true });
  // Every hashed file gets a new name (the app's glue, main wasm, split loader and page
  // modules, the stylesheet), and index.html and the JS that name them follow.
  const renames = [];
  for (const file of readdirSync(dir)) {
    const m = file.match(/^([a-z_0-9]+)-([0-9a-f]{16})(.*)$/);
    if (!m) continue;
    const hash = createHash('sha256').update(name + m[2]).digest('hex').slice(0, 16);
    const renamed = `${m[1]}-${hash}${m[3]}`;
    renameSync(join(dir, file), join(dir, renamed));
    renames.push([file, renamed]);
  }
  for (const file of readdirSync(dir).filter((f) => f === 'index.html' || /-[0-9a-f]{16}\.js$/.test(f))) {
    let text = readFileSync(join(dir, file), 'utf8');
    for (const [from, to] of renames) text = text.replaceAll(from, to);
    if (file === 'index.html') text = text.replace('</head>', `<meta name="build" content="${name}"></head>`);
    writeFileSync(join(dir, file), text);
  }
  const reports = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  for (const report of reports.reports) for (const family of report.families) family.fit_seconds = mark;
  writeFileSync(join(dir, 'report.json'), JSON.stringify(reports));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'postbuild.mjs')], {
    env: { ...process.env, TRUNK_STAGING_DIR: dir },
    stdio: 'pipe',
  });
  for (const file of missing) rmSync(join(dir, file));
  const sw = readFileSync(join(dir, 'sw.js'), 'utf8');
  const version = sw.match(/const VERSION = "([0-9a-f]+)"/)[1];
  const precache = JSON.parse(sw.match(/const PRECACHE = (\[[\s\S]*?\]);/)[1]);
  return { dir, cache: `predictor-${version}`, precache };
}

/** A browser context on a server for `dir`, closed after the test. */
async function start(t, dir) {
  const server = await serveLikeAzure(dir);
  const context = await browser.newContext();
  t.after(() => Promise.all([context.close(), server.close()]));
  return { server, context };
}

/** A new tab at the app's start page, with its errors collected. */
async function open(context, server) {
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url);
  return { page, errors };
}

const build = (page) => page.evaluate(() => document.querySelector('meta[name="build"]')?.content);
const cacheNames = (page) => page.evaluate(() => caches.keys());

/**
 * Waits until `condition(arg)`, evaluated in the page, resolves truthy (page.waitForFunction
 * takes a returned promise itself as truthy, so it cannot wait on caches).
 */
async function until(page, condition, arg, what) {
  const deadline = Date.now() + WAIT.timeout;
  while (!(await page.evaluate(condition, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

const waitForCaches = (page, names) =>
  until(page, (want) => caches.keys().then((keys) => keys.join() === want.join()), names, `caches ${names}`);

/** Waits until a worker controls the page and the deploy's cache holds all its files. */
const offlineReady = (page, { cache, precache }) =>
  until(
    page,
    async ([name, urls]) => {
      if (navigator.serviceWorker.controller?.state !== 'activated') return false;
      const cached = await Promise.all(urls.map((url) => caches.match(url, { cacheName: name })));
      return cached.every(Boolean);
    },
    [cache, precache],
    `offline-ready with ${cache}`,
  );

/** The page computes a prediction, and a new one when a score changes. */
async function predicts(page) {
  const prediction = page.getByTestId('prediction');
  await prediction.filter({ hasText: /\d/ }).waitFor(WAIT);
  const before = await prediction.textContent();
  const reading = page.getByLabel('Reading score', { exact: true });
  await reading.fill((await reading.inputValue()) === '20' ? '95' : '20');
  await page.waitForFunction(
    (old) => {
      const now = document.querySelector('[data-testid="prediction"]')?.textContent ?? '';
      return /\d/.test(now) && now !== old;
    },
    before,
    WAIT,
  );
}

/** Goes to a page through the navigation bar (no page load). */
async function navigateTo(page, name) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
}

/** Opens the Models page in the app and reads the report's mark (every fit time). */
async function reportMark(page) {
  await navigateTo(page, 'Models');
  const table = page.getByTestId('leaderboard');
  await table.waitFor(WAIT);
  const cells = await table.locator('td').allTextContents();
  const marks = new Set(cells.flatMap((cell) => cell.trim().match(/^(\d+)\.00 s$/)?.[1] ?? []).map(Number));
  assert.equal(marks.size, 1, `one mark on the leaderboard, not ${[...marks]}`);
  const [mark] = marks;
  await navigateTo(page, 'Predict');
  return mark;
}

/** Counts the page's controller changes (in `window.controllerChanges`). */
const countTakeovers = (page) =>
  page.evaluate(() => {
    window.controllerChanges = 0;
    navigator.serviceWorker.addEventListener('controllerchange', () => (window.controllerChanges += 1));
  });

/** Asks the browser to check for a new worker (as it does on a page load, or daily). */
const checkForUpdate = (page) => page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));

/** Waits until a new worker has taken over the page (counted since `countTakeovers`). */
const takenOver = (page) =>
  page.waitForFunction(
    () => window.controllerChanges > 0 && navigator.serviceWorker.controller?.state === 'activated',
    null,
    WAIT,
  );

/** Asks the browser to check for a new worker; resolves to the state its install ended in. */
function updateEnds(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    const found = new Promise((ok) => registration.addEventListener('updatefound', () => ok(registration.installing), { once: true }));
    await registration.update();
    const worker = await found;
    while (!['redundant', 'activated'].includes(worker.state)) {
      await new Promise((ok) => worker.addEventListener('statechange', ok, { once: true }));
    }
    return worker.state;
  });
}

test('a tab of the old deploy keeps working after a new deploy, and a reload gets the new one', { timeout: 90_000 }, async (t) => {
  const v1 = deploy('v1', { mark: 101 });
  const v2 = deploy('v2', { mark: 202 });
  const { server, context } = await start(t, v1.dir);
  const { page, errors } = await open(context, server);
  await predicts(page);
  await offlineReady(page, v1);

  server.setRoot(v2.dir); // v1's hashed files are gone from the server
  await countTakeovers(page);
  await checkForUpdate(page);
  await takenOver(page);
  assert.equal(await build(page), 'v1');
  await predicts(page);
  // The report the old tab fetches the first time it needs it is still v1's.
  assert.equal(await reportMark(page), 101, "the old tab's Models page shows its own build's report");
  await predicts(page);
  assert.deepEqual(errors, []);

  await page.reload();
  assert.equal(await build(page), 'v2', 'a reload shows the new deploy');
  await predicts(page);
  assert.equal(await reportMark(page), 202);
  await context.setOffline(true);
  await page.reload();
  assert.equal(await build(page), 'v2', 'offline, the new deploy is what is cached');
  await predicts(page);
  assert.equal(await reportMark(page), 202);
  await waitForCaches(page, [v2.cache]);
  assert.deepEqual(errors, []);
});

/**
 * A deploy v2 whose worker fails to install (`fail` puts it on the server and may return a
 * function that ends the fault): the old build stays offline, and the next good deploy v3
 * installs. `v2Works`: the v2 page itself works online (not when the network drops its wasm).
 */
async function failedDeploy(t, { v2Works }, fail) {
  const v1 = deploy('v1', { mark: 101 });
  const { server, context } = await start(t, v1.dir);
  const { page } = await open(context, server);
  await predicts(page);
  await offlineReady(page, v1);

  const restore = await fail(server, context);
  assert.equal(await updateEnds(page), 'redundant', 'the new worker fails to install');
  // Online, a reload shows the new deploy from the network (the browser tries its worker again).
  await page.reload();
  assert.equal(await build(page), 'v2');
  if (v2Works) await predicts(page);

  await context.setOffline(true);
  await page.reload();
  assert.equal(await build(page), 'v1', 'offline, the old build is served');
  await predicts(page);
  assert.equal(await reportMark(page), 101);
  await waitForCaches(page, [v1.cache]); // a failed install leaves no cache behind

  // The next good deploy installs.
  await restore?.();
  const good = deploy('v3', { mark: 303 });
  server.setRoot(good.dir);
  await context.setOffline(false);
  await page.reload();
  assert.equal(await build(page), 'v3');
  await checkForUpdate(page);
  await waitForCaches(page, [good.cache]);
  await context.setOffline(true);
  await page.reload();
  assert.equal(await build(page), 'v3');
  await predicts(page);
  assert.equal(await reportMark(page), 303);
}

test('a deploy with a file missing leaves the old build serving offline; the next good deploy installs', { timeout: 90_000 }, async (t) => {
  await failedDeploy(t, { v2Works: true }, async (server) => {
    server.setRoot(deploy('v2', { mark: 202, missing: ['icons/icon-512.png'] }).dir);
  });
});

test("a deploy whose files are not the ones its sw.js lists leaves the old build serving offline", { timeout: 90_000 }, async (t) => {
  // As when two uploads overlap: v2's sw.js, another build's report.json.
  await failedDeploy(t, { v2Works: true }, async (server) => {
    const v2 = deploy('v2', { mark: 202 });
    const report = join(v2.dir, 'report.json');
    writeFileSync(report, readFileSync(report, 'utf8').replaceAll('"fit_seconds":202', '"fit_seconds":212'));
    server.setRoot(v2.dir);
  });
});

test('a deploy whose install loses the network half way leaves the old build serving offline', { timeout: 90_000 }, async (t) => {
  await failedDeploy(t, { v2Works: false }, async (server, context) => {
    const v2 = deploy('v2', { mark: 202 });
    server.setRoot(v2.dir);
    // The worker's other downloads arrive, the wasm's connection drops (the largest file, the
    // one most likely cut): any request for it through the worker, precache or page.
    const wasm = readdirSync(v2.dir).find((file) => /^app-[0-9a-f]+_bg\.wasm$/.test(file));
    let dropped = 0;
    const drop = (route) => {
      const request = route.request();
      if (!request.serviceWorker() || !request.url().endsWith(`/${wasm}`)) return route.continue();
      dropped += 1;
      return route.abort('internetdisconnected');
    };
    await context.route('**/*', drop);
    return async () => {
      await context.unroute('**/*', drop);
      assert.ok(dropped > 0, 'the worker asked for the wasm');
    };
  });
});

for (const { what, storageTypes } of [
  { what: 'every kind of site data (the worker unregistered)', storageTypes: 'all' },
  { what: 'the cache storage alone (the worker kept)', storageTypes: 'cache_storage' },
]) {
  test(`after clearing ${what}, a visit loads, predicts and is offline-ready again`, { timeout: 90_000 }, async (t) => {
    const v1 = deploy('v1', { mark: 101 });
    const { server, context } = await start(t, v1.dir);
    const { page, errors } = await open(context, server);
    await predicts(page);
    await offlineReady(page, v1);

    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin: new URL(server.url).origin, storageTypes });
    assert.deepEqual(await cacheNames(page), []);
    const workers = await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length));
    assert.equal(workers, storageTypes === 'all' ? 0 : 1);

    await page.goto(server.url);
    assert.equal(await build(page), 'v1');
    await predicts(page);
    await offlineReady(page, v1);
    await context.setOffline(true);
    await page.reload();
    await predicts(page);
    assert.equal(await reportMark(page), 101);
    assert.deepEqual(errors, []);
  });
}

test('two tabs: both keep working across a new deploy, and both get it on reload', { timeout: 90_000 }, async (t) => {
  const v1 = deploy('v1', { mark: 101 });
  const v2 = deploy('v2', { mark: 202 });
  const { server, context } = await start(t, v1.dir);
  const a = await open(context, server);
  await predicts(a.page);
  await offlineReady(a.page, v1);
  const b = await open(context, server);
  await predicts(b.page);
  await offlineReady(b.page, v1);

  server.setRoot(v2.dir);
  await countTakeovers(b.page);
  await a.page.reload();
  assert.equal(await build(a.page), 'v2', 'a reload shows the new deploy');
  await checkForUpdate(a.page);
  await takenOver(b.page);
  await offlineReady(a.page, v2);

  assert.equal(await build(b.page), 'v1');
  await predicts(b.page);
  assert.equal(await reportMark(b.page), 101, 'the other tab keeps its own build');
  assert.equal(await reportMark(a.page), 202);
  await predicts(a.page);

  await b.page.reload();
  assert.equal(await build(b.page), 'v2');
  await predicts(b.page);
  assert.equal(await reportMark(b.page), 202);

  await context.setOffline(true);
  for (const { page } of [a, b]) {
    await page.reload();
    assert.equal(await build(page), 'v2');
    await predicts(page);
  }
  await waitForCaches(a.page, [v2.cache]);
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
});
