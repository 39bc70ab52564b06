// The byte budget: what a first visit must download before it can show a prediction (the page,
// the boot script, the stylesheet, the app's JS and wasm), gzip-compressed as both clouds serve
// it, stays under the ceiling below; prints each file's figures and the room left.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './server.mjs';

/** The first-load budget: what the first prediction needs (the one Leptos module with every page
 * and the embedded models; report.json is fetched only by the pages that show it). */
export const BUDGET_BYTES = 300 * 1024;
/** The 300 KB budget is retired (one module with every page measures about 400 KB); this
 * ceiling guards against growth: the test fails above it and prints how far the first load is
 * from the old budget. 420 KB as the developers' guide sets it: 408,494 B before issue 21, then
 * 425,729 B with the dataset-as-data format (every feature's label, help, unit and roles in the
 * embedded model.json, the reader's checks of them, the what-if over any actionable features and
 * explanations past 16 fields). The app-for-any-dataset issue allows the default site +15 KB
 * over 408,494 B in all, so it must win back what issue 21 added beyond that. */
export const CEILING_BYTES = 420 * 1024;
const DIST = join(ROOT, 'dist');

/** The files the first prediction needs, from dist/index.html. */
export function criticalFiles() {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/\s(?:href|src|data-app-js|data-app-wasm)=["']?\/([^"'\s>]+\.(?:js|wasm|css))/g),
  ].map((m) => m[1]);
  return ['index.html', ...new Set(refs)];
}

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
    return `${name.padEnd(40)} ${String(body.length).padStart(8)} ${String(compressed).padStart(8)}`;
  });
  console.log(`${'file'.padEnd(40)} ${'bytes'.padStart(8)} ${'gzip'.padStart(8)}`);
  console.log(rows.join('\n'));
  console.log(`${'total'.padEnd(40)} ${String(raw).padStart(8)} ${String(gzip).padStart(8)}  (budget ${BUDGET_BYTES} gzip: ${gzip <= BUDGET_BYTES ? `${BUDGET_BYTES - gzip} bytes to spare` : `${gzip - BUDGET_BYTES} bytes over`})`);
  assert.ok(gzip <= CEILING_BYTES, `${gzip} bytes gzip is over the ${CEILING_BYTES}-byte ceiling (budget ${BUDGET_BYTES})`);
});
