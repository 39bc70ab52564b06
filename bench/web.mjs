// make bench-web: load performance of the built app as a first-time visitor sees it.
// Serves dist/ on 127.0.0.1 with the production headers and gzip (e2e/swa-server.mjs), opens
// it RUNS times in headless Chromium, each with a fresh profile, and prints medians of:
//   - bytes transferred before the first prediction is shown (encoded, i.e. gzip, and decoded)
//   - time from navigation start to the first prediction shown
//   - per-prediction latency inside the wasm, timed over many predictions
//   - time to process a 1,000-row and a 10,000-row batch CSV on the batch page
//   - the first visit to a page of the pages module: time from the click and bytes fetched
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ROOT, htmlAttr, launchChromium } from '../e2e/server.mjs';
import { serveLikeAzure } from '../e2e/swa-server.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const PREDICTIONS = Number(process.env.PREDICTIONS ?? 200_000);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A batch CSV of `n` made-up students (no dataset rows), with the target column. */
export function batchCsv(n) {
  const genders = ['female', 'male'];
  const groups = ['group A', 'group B', 'group C', 'group D', 'group E'];
  const education = ["associate's degree", "bachelor's degree", 'high school', "master's degree", 'some college', 'some high school'];
  const lines = ['gender,race_ethnicity,parental_level_of_education,lunch,test_preparation_course,math_score,reading_score,writing_score'];
  for (let i = 0; i < n; i++) {
    const reading = 30 + ((i * 37) % 70);
    const writing = Math.min(100, reading + ((i * 11) % 15) - 7);
    lines.push(
      [genders[i % 2], groups[i % 5], `"${education[i % 6]}"`, i % 3 ? 'standard' : 'free/reduced', i % 4 ? 'none' : 'completed', Math.round(reading * 0.9 + 5), reading, writing].join(','),
    );
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/** The pages module's JS and wasm (named on index.html's boot script tag), gzip -9. */
function pagesModuleGzip() {
  const html = readFileSync(join(ROOT, 'dist/index.html'), 'utf8');
  return ['data-pages-js', 'data-pages-wasm']
    .map((name) => gzipSync(readFileSync(join(ROOT, 'dist', htmlAttr(html, name))), { level: 9 }).length)
    .reduce((a, b) => a + b, 0);
}

async function firstVisit(server) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const mark = () => {
        const el = document.querySelector('[data-testid="prediction"]');
        if (el && /\d/.test(el.textContent) && window.__firstPrediction === undefined) {
          window.__firstPrediction = performance.now();
        }
      };
      new MutationObserver(mark).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(server.url);
    await page.waitForFunction(() => window.__firstPrediction !== undefined);
    const visit = await page.evaluate(() => {
      const t = window.__firstPrediction;
      const nav = performance.getEntriesByType('navigation')[0];
      const before = [nav, ...performance.getEntriesByType('resource')].filter((e) => e.responseEnd <= t);
      return {
        ms: t,
        encoded: before.reduce((s, e) => s + e.transferSize, 0),
        decoded: before.reduce((s, e) => s + e.decodedBodySize, 0),
      };
    });
    // Then the first page of the pages module: time from the click to the leaderboard (the
    // module comes from the service worker's precache once that has filled, else the network).
    const clicked = await page.evaluate(() => performance.now());
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
    await page.locator('[data-testid="leaderboard"]').waitFor();
    const pages = { ms: (await page.evaluate(() => performance.now())) - clicked };
    const perPrediction = await page.evaluate((n) => window.predictorBench?.(n), PREDICTIONS);
    await context.close();
    return { ...visit, perPrediction, pages };
  } finally {
    await browser.close();
  }
}

async function batchSeconds(server, rows) {
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(new URL('/batch', server.url).href);
    const input = page.locator('input[type=file]');
    await input.waitFor({ state: 'attached' });
    const csv = batchCsv(rows);
    const started = Date.now();
    await input.setInputFiles({ name: `students-${rows}.csv`, mimeType: 'text/csv', buffer: csv });
    await page.getByTestId('batch-summary').filter({ hasText: new RegExp(`${rows.toLocaleString('en-US')}|${rows}`) }).waitFor({ timeout: 120_000 });
    return (Date.now() - started) / 1000;
  } finally {
    await browser.close();
  }
}

const server = await serveLikeAzure(join(ROOT, 'dist'));
try {
  const visits = [];
  for (let i = 0; i < RUNS; i++) visits.push(await firstVisit(server));
  const batch1k = [];
  const batch10k = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    batch1k.push(await batchSeconds(server, 1_000));
    batch10k.push(await batchSeconds(server, 10_000));
  }
  const kb = (b) => (b / 1024).toFixed(1);
  const perPrediction = visits.map((v) => v.perPrediction).filter((v) => typeof v === 'number');
  const summary = {
    runs: RUNS,
    transferred_before_first_prediction_kb: { encoded: Number(kb(median(visits.map((v) => v.encoded)))), decoded: Number(kb(median(visits.map((v) => v.decoded)))) },
    first_prediction_ms: Number(median(visits.map((v) => v.ms)).toFixed(1)),
    pages_module: { ms: Number(median(visits.map((v) => v.pages.ms)).toFixed(1)), gzip_kb: Number(kb(pagesModuleGzip())) },
    per_prediction_us: perPrediction.length ? Number(median(perPrediction).toFixed(3)) : null,
    batch_1000_rows_s: Number(median(batch1k).toFixed(3)),
    batch_10000_rows_s: Number(median(batch10k).toFixed(3)),
  };
  console.log(`medians of ${RUNS} cold loads in headless Chromium (fresh profile each), dist/ gzip-served on 127.0.0.1`);
  console.log(`  transferred before the first prediction: ${summary.transferred_before_first_prediction_kb.encoded} KB encoded (gzip), ${summary.transferred_before_first_prediction_kb.decoded} KB decoded   [target ≤ 150 KB]`);
  console.log(`  navigation start → first prediction shown: ${summary.first_prediction_ms} ms   [target ≤ 250 ms]`);
  console.log(`  first visit to another page (Models, from the ${summary.pages_module.gzip_kb} KB gzip pages module): ${summary.pages_module.ms} ms after the click`);
  console.log(`  per prediction in wasm (${PREDICTIONS} predictions): ${summary.per_prediction_us ?? 'n/a'} µs   [target ≤ 5 µs]`);
  console.log(`  batch page, 1,000 rows: ${summary.batch_1000_rows_s} s; 10,000 rows: ${summary.batch_10000_rows_s} s`);
  console.log(JSON.stringify(summary));
} finally {
  await server.close();
}
