// The byte budget: what a first visit must download before it can show a prediction (the page,
// the boot script, the stylesheet, the app's JS — the wasm-bindgen glue and the split loader it
// imports — and the main wasm module), gzip-compressed as both clouds serve it, stays under the
// ceiling below; prints each file's figures and the room left, then every page module (fetched
// when its page is first opened, precached by the service worker after the first visit).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, criticalFiles, pageModules } from './server.mjs';

/** The first-load budget: what the first prediction needs (the main module with the Predict
 * page and the embedded models; report.json is fetched only by the pages that show it). */
export const BUDGET_BYTES = 300 * 1024;
/** The 300 KB budget is retired (one module with every page measured about 400 KB); this
 * ceiling guards against growth: the test fails above it and prints how far the first load is
 * from the old budget. 420 KB as the developers' guide sets it: 408,494 B before issue 21, then
 * 425,729 B with the dataset-as-data format (every feature's label, help, unit and roles in the
 * embedded model.json, the reader's checks of them, the what-if over any actionable features and
 * explanations past 16 fields). */
export const CEILING_BYTES = 420 * 1024;
/** The app-for-any-dataset issue allows the default site +15 KB over 408,494 B in all. Since the
 * pages other than Predict are modules of their own (app/src/lazy_pages.rs,
 * scripts/build-wasm.mjs), the first load is far below it. */
export const ISSUE_TARGET_BYTES = 408_494 + 15_000;
const DIST = join(ROOT, 'dist');
/** The second site the e2e suite checks (`make site-uci`), when it has been built. */
const SITE_UCI = process.env.E2E_SITE_UCI ?? join(ROOT, 'target/site-uci');

const row = (name, bytes, gzip) => `${name.padEnd(40)} ${String(bytes).padStart(8)} ${String(gzip).padStart(8)}`;

test('the first prediction downloads no more than the byte ceiling, and says how far from the budget (gzip)', () => {
  const files = criticalFiles();
  assert.ok(files.some((f) => f.endsWith('.wasm')), files.join());
  assert.ok(files.some((f) => f.endsWith('.js')), files.join());
  let raw = 0;
  let gzip = 0;
  const rows = files.map((name) => {
    const body = readFileSync(join(DIST, name));
    const compressed = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gzip += compressed;
    return row(name, body.length, compressed);
  });
  console.log(`${'first load'.padEnd(40)} ${'bytes'.padStart(8)} ${'gzip'.padStart(8)}`);
  console.log(rows.join('\n'));
  console.log(`${row('total', raw, gzip)}  (budget ${BUDGET_BYTES} gzip: ${gzip <= BUDGET_BYTES ? `${BUDGET_BYTES - gzip} bytes to spare` : `${gzip - BUDGET_BYTES} bytes over`}; issue target ${ISSUE_TARGET_BYTES}: ${ISSUE_TARGET_BYTES - gzip} to spare)`);
  let later = 0;
  let laterGzip = 0;
  const modules = pageModules().map((name) => {
    const body = readFileSync(join(DIST, name));
    const compressed = gzipSync(body, { level: 9 }).length;
    later += body.length;
    laterGzip += compressed;
    return row(name, body.length, compressed);
  });
  console.log(`${'page modules (when a page is first opened)'.padEnd(40)}`);
  console.log(modules.join('\n'));
  console.log(row('all page modules', later, laterGzip));
  // What the first visit to each page fetches: its module and the shared chunks the split
  // loader lists for it (read from the minified loader: informational, so only printed).
  const loader = files.find((f) => /^split-[0-9a-f]+\.js$/.test(f));
  const js = loader ? readFileSync(join(DIST, loader), 'utf8') : '';
  const fileOf = new Map(
    [...js.matchAll(/([\w$]+)=[\w$]+\(\(\)=>\{const [\w$]+=fetch\(new URL\("\.\/(chunk_[^"]+\.wasm)"/g)].map((m) => [m[1], m[2]]),
  );
  for (const [, page, rest] of js.matchAll(/"\.\/(split_[a-z]+-[0-9a-f]+\.wasm)"([^\]]*\])/g)) {
    const deps = (rest.match(/\[([^\]]*)\]$/)?.[1] ?? '').split(',').filter(Boolean).map((v) => fileOf.get(v.trim()));
    if (deps.some((d) => !d)) continue;
    const size = [page, ...deps].reduce((sum, f) => sum + gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length, 0);
    console.log(`${`first visit to ${page.replace(/^split_|-.*$/g, '')}: its module + ${deps.length} chunks`.padEnd(49)} ${String(size).padStart(8)}`);
  }
  assert.ok(gzip <= CEILING_BYTES, `${gzip} bytes gzip is over the ${CEILING_BYTES}-byte ceiling (budget ${BUDGET_BYTES})`);
  assert.ok(gzip <= ISSUE_TARGET_BYTES, `${gzip} bytes gzip is over the issue's ${ISSUE_TARGET_BYTES} bytes`);
});

test('every page but Predict is a module of its own, outside the first load', () => {
  const modules = pageModules();
  for (const page of ['models', 'insights', 'fairness', 'batch', 'about']) {
    assert.ok(modules.some((f) => f.startsWith(`split_${page}-`)), `${page}: a module among ${modules.join()}`);
  }
  assert.ok(!modules.some((f) => f.startsWith('split_predict')), 'Predict stays in the main module');
});

test('the other site\'s first load, printed (make site-uci: the UCI Portuguese course\'s model set)', (t) => {
  if (!existsSync(join(SITE_UCI, 'index.html'))) {
    t.skip(`${SITE_UCI} is not built: make site-uci`);
    return;
  }
  const files = criticalFiles(SITE_UCI);
  let raw = 0;
  let gzip = 0;
  for (const name of files) {
    const body = readFileSync(join(SITE_UCI, name));
    raw += body.length;
    gzip += gzipSync(body, { level: 9 }).length;
  }
  console.log(`${row('site-uci first load', raw, gzip)}  (${files.length} files; its model.json is embedded)`);
  assert.ok(gzip > 0);
});
