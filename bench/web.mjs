// make bench-web: load performance of the built app as a first-time visitor sees it.
// Serves dist/ on 127.0.0.1 with the production headers and gzip (e2e/swa-server.mjs), opens
// it RUNS times in headless Chromium, each with a fresh profile, and prints medians of:
//   - bytes transferred before the first prediction is shown (encoded, i.e. gzip, and decoded)
//   - time from navigation start to the first prediction shown, unthrottled and under
//     Chromium's emulation of slow 4G (150 ms latency, 1.6 Mbps down, 750 kbps up: Lighthouse's
//     mobile preset)
//   - per-prediction latency inside the wasm, timed over many predictions
//   - the first visit to a page with the training report (Models): click → leaderboard
//   - time to process a 1,000-row, a 10,000-row and a 100,000-row batch CSV on the batch page
// and then Lighthouse (npm lighthouse 12, mobile defaults, Debian's chromium) on every page:
// its four category scores and the largest contentful paint.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, launchChromium } from '../e2e/server.mjs';
import { serveLikeAzure } from '../e2e/swa-server.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const SLOW_RUNS = Number(process.env.SLOW_RUNS ?? 3);
const PREDICTIONS = Number(process.env.PREDICTIONS ?? 200_000);
const PAGES = ['/', '/models', '/insights', '/fairness', '/batch', '/about'];
/** Chromium's network emulation for slow 4G (DevTools protocol units: bytes per second). */
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const tmp = mkdtempSync(join(tmpdir(), 'predictor-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const LIGHTHOUSE = join(ROOT, 'bench/lighthouse/node_modules/lighthouse/cli/index.js');

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

/** One cold visit (fresh profile): to the first prediction, then (unthrottled) a report page. */
async function firstVisit(server, { throttle = false } = {}) {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (throttle) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    }
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
    await page.waitForFunction(() => window.__firstPrediction !== undefined, null, { timeout: 60_000 });
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
    if (throttle) return visit;
    // The first page with the report: click → leaderboard (the report is fetched, or comes
    // from the service worker's precache once that has filled).
    const clicked = await page.evaluate(() => performance.now());
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' }).click();
    await page.locator('[data-testid="leaderboard"]').waitFor();
    const report = { ms: (await page.evaluate(() => performance.now())) - clicked };
    const perPrediction = await page.evaluate((n) => window.predictorBench?.(n), PREDICTIONS);
    await context.close();
    return { ...visit, perPrediction, report };
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
    // From a file on disk, as a visitor chooses one: a buffer would be decoded by Playwright
    // inside the page first, which would be timed too.
    const path = join(tmp, `students-${rows}.csv`);
    writeFileSync(path, batchCsv(rows));
    const started = Date.now();
    await input.setInputFiles(path);
    await page.getByTestId('batch-summary').filter({ hasText: new RegExp(`${rows.toLocaleString('en-US')}|${rows}`) }).waitFor({ timeout: 300_000 });
    return (Date.now() - started) / 1000;
  } finally {
    await browser.close();
  }
}

/** Lighthouse's mobile defaults on one page: the four category scores (0–100) and LCP. Run as
 * a child process without blocking this one: the server answering Lighthouse's Chromium lives in
 * this process (a synchronous run left every request unanswered until it timed out). */
async function lighthouse(url) {
  const { stdout: out } = await promisify(execFile)(
    process.execPath,
    [LIGHTHOUSE, url, '--output=json', '--quiet', '--chrome-flags=--headless=new --no-sandbox --disable-gpu'],
    // A run that hangs anyway is stopped and reported instead of stalling the benchmark.
    { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' }, maxBuffer: 256 * 1024 * 1024, timeout: 180_000, killSignal: 'SIGKILL' },
  );
  const lhr = JSON.parse(out.toString('utf8'));
  const score = (id) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    best_practices: score('best-practices'),
    seo: score('seo'),
    lcp_s: Number((lhr.audits['largest-contentful-paint'].numericValue / 1000).toFixed(2)),
  };
}

const server = await serveLikeAzure(join(ROOT, 'dist'));
try {
  const visits = [];
  for (let i = 0; i < RUNS; i++) visits.push(await firstVisit(server));
  const slow = [];
  for (let i = 0; i < SLOW_RUNS; i++) slow.push(await firstVisit(server, { throttle: true }));
  const batch1k = [];
  const batch10k = [];
  const batch100k = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    batch1k.push(await batchSeconds(server, 1_000));
    batch10k.push(await batchSeconds(server, 10_000));
    batch100k.push(await batchSeconds(server, 100_000));
  }
  const kb = (b) => (b / 1024).toFixed(1);
  const perPrediction = visits.map((v) => v.perPrediction).filter((v) => typeof v === 'number');
  const summary = {
    runs: RUNS,
    slow_4g_runs: SLOW_RUNS,
    transferred_before_first_prediction_kb: { encoded: Number(kb(median(visits.map((v) => v.encoded)))), decoded: Number(kb(median(visits.map((v) => v.decoded)))) },
    first_prediction_ms: Number(median(visits.map((v) => v.ms)).toFixed(1)),
    first_prediction_slow_4g_ms: Number(median(slow.map((v) => v.ms)).toFixed(1)),
    first_report_page_ms: Number(median(visits.map((v) => v.report.ms)).toFixed(1)),
    per_prediction_us: perPrediction.length ? Number(median(perPrediction).toFixed(3)) : null,
    batch_1000_rows_s: Number(median(batch1k).toFixed(3)),
    batch_10000_rows_s: Number(median(batch10k).toFixed(3)),
    batch_100000_rows_s: Number(median(batch100k).toFixed(3)),
    lighthouse: {},
  };
  console.log(`medians of ${RUNS} cold loads in headless Chromium (fresh profile each), dist/ gzip-served on 127.0.0.1`);
  console.log(`  transferred before the first prediction: ${summary.transferred_before_first_prediction_kb.encoded} KB encoded (gzip), ${summary.transferred_before_first_prediction_kb.decoded} KB decoded   [target ≤ 300 KB]`);
  console.log(`  navigation start → first prediction shown: ${summary.first_prediction_ms} ms   [target ≤ 250 ms]`);
  console.log(`  the same on slow 4G (median of ${SLOW_RUNS}): ${summary.first_prediction_slow_4g_ms} ms   [target ≤ 2500 ms]`);
  console.log(`  first visit to a page with the report (Models): ${summary.first_report_page_ms} ms after the click`);
  console.log(`  per prediction in wasm (${PREDICTIONS} predictions): ${summary.per_prediction_us ?? 'n/a'} µs   [target ≤ 5 µs]`);
  console.log(`  batch page, 1,000 rows: ${summary.batch_1000_rows_s} s; 10,000 rows: ${summary.batch_10000_rows_s} s; 100,000 rows (5.5 MB): ${summary.batch_100000_rows_s} s`);
  if (existsSync(LIGHTHOUSE)) {
    console.log('Lighthouse 12 (mobile defaults: simulated slow 4G and a 4× slower CPU), per page:');
    console.log(`  ${'page'.padEnd(11)} perf  a11y  best  seo   LCP`);
    for (const path of PAGES) {
      let scores;
      try {
        scores = await lighthouse(new URL(path, server.url).href);
      } catch (error) {
        console.log(`  ${path.padEnd(11)} Lighthouse did not finish: ${error.code ?? error.signal ?? error.message}`);
        continue;
      }
      summary.lighthouse[path] = scores;
      console.log(`  ${path.padEnd(11)} ${String(scores.performance).padStart(4)}  ${String(scores.accessibility).padStart(4)}  ${String(scores.best_practices).padStart(4)}  ${String(scores.seo).padStart(3)}  ${scores.lcp_s} s`);
    }
  } else {
    console.log(`Lighthouse is not installed (${LIGHTHOUSE}): run scripts/tools.sh bench`);
  }
  console.log(JSON.stringify(summary));
} finally {
  await server.close();
}
