// The Batch page in Chromium: a CSV file in, one prediction (or one message) per row out, the
// results downloadable, bad files explained, and 10,000 rows without freezing the page.
//   trunk build --release && make parity-cases && node --test e2e/

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABELS, defaultModel, openApp, readParityCases } from './server.mjs';
import { parseCsv, toCsv } from './csv.mjs';

const model = defaultModel();
const FEATURES = model.features.map((f) => f.name);
const TARGET = model.target;


/** A CSV of the parity students: every feature, the target, and an extra column kept as is. */
function casesCsv(cases, { columns = [...FEATURES, TARGET, 'student_id'], edit } = {}) {
  const rows = cases.map((c, i) => {
    const row = { ...c.student, student_id: `s${i + 1}` };
    edit?.(row, i);
    return columns.map((name) => row[name] ?? '');
  });
  return toCsv([columns, ...rows]);
}

const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

describe('the batch page in Chromium', () => {
  let app;
  let page;
  let errors;

  before(async () => {
    app = await openApp('batch', { acceptDownloads: true });
    ({ page, errors } = app);
    await page.getByLabel('CSV file').waitFor();
  });

  after(() => app?.close());

  /** Chooses `upload` in the file input and waits for the results or the error card. */
  async function choose(upload) {
    await page.getByLabel('CSV file').setInputFiles(upload);
    await page.locator('[data-testid="batch-summary"], [data-testid="batch-error"]').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="batch-status"]')?.textContent.startsWith('Processing'));
  }

  const summary = async (id) => (await page.locator(`[data-testid="batch-${id}"]`).textContent()).trim();

  test('the test split: every row predicted as the native trainer does, scored, downloadable', async () => {
    const cases = readParityCases();
    await choose(file('test-split.csv', casesCsv(cases)));
    assert.equal(await summary('rows'), String(cases.length));
    assert.equal(await summary('predicted'), String(cases.length));
    assert.equal(await summary('errors'), '0');
    assert.match(await summary('r2'), /^0\.\d{3}$/, 'R² shown when the target column is there');
    assert.match(await summary('mae'), /^\d+\.\d{2}$/);
    assert.equal(await page.locator('[data-testid="batch-table"] tbody tr').count(), Math.min(100, cases.length));
    assert.match(await page.locator('[data-testid="batch-showing"]').textContent(), new RegExp(`Rows 1–100 of ${cases.length}`));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download results CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'test-split-predictions.csv');
    const [header, ...rows] = parseCsv(readFileSync(await download.path(), 'utf8'));
    assert.deepEqual(header, [...FEATURES, TARGET, 'student_id', 'prediction', 'interval_low', 'interval_high', 'note', 'error']);
    assert.equal(rows.length, cases.length, 'rows out = rows in');
    const at = (name) => header.indexOf(name);
    // Every test-split row is complete, so nothing was filled in.
    assert.ok(rows.every((row) => row[at('note')] === ''), 'no blank was filled');
    const mismatches = [];
    rows.forEach((row, i) => {
      assert.equal(row[at('student_id')], `s${i + 1}`, 'rows keep their order and extra columns');
      const shown = Number(row[at('prediction')]);
      if (!(Math.abs(shown - cases[i].prediction) < 1e-9)) mismatches.push(`row ${i}: ${shown} vs native ${cases[i].prediction}`);
      if (model.interval) {
        const half = model.interval.half_width;
        // Both bounds limited to the 0–100 score range, as every surface shows them.
        assert.ok(Math.abs(Number(row[at('interval_low')]) - Math.max(0, shown - half)) < 1e-9);
        assert.ok(Math.abs(Number(row[at('interval_high')]) - Math.min(100, shown + half)) < 1e-9);
      }
      assert.equal(row[at('error')], '');
    });
    assert.deepEqual(mismatches, []);
  });

  test('a bad row keeps its place, with its line and reason; the others are predicted', async () => {
    const cases = readParityCases().slice(0, 30);
    const csv = casesCsv(cases, {
      edit: (row, i) => {
        if (i === 12) row.reading_score = '150';
      },
    });
    await choose(file('one-bad-row.csv', csv));
    assert.equal(await summary('rows'), '30');
    assert.equal(await summary('predicted'), '29');
    assert.equal(await summary('errors'), '1');
    const bad = page.locator('[data-testid="batch-table"] tbody tr').nth(12);
    assert.match(await bad.getAttribute('class'), /problem/);
    const text = await bad.textContent();
    assert.match(text, /line 14/, 'the file line (header is line 1)');
    assert.match(text, /reading_score/);
    assert.match(text, /150 is not between 0 and 100/);
    // Neighbours are untouched.
    assert.doesNotMatch(await page.locator('[data-testid="batch-table"] tbody tr').nth(11).getAttribute('class') ?? '', /problem/);

    await page.getByLabel(/Only rows with problems/).check();
    assert.equal(await page.locator('[data-testid="batch-table"] tbody tr').count(), 1);
    await page.getByLabel(/Only rows with problems/).uncheck();
    assert.equal(await page.locator('[data-testid="batch-table"] tbody tr').count(), 30);
  });

  test('a file missing a column is refused with the column named', async () => {
    const columns = FEATURES.filter((n) => n !== 'reading_score');
    await choose(file('no-reading.csv', casesCsv(readParityCases().slice(0, 5), { columns })));
    const card = page.locator('[data-testid="batch-error"]');
    assert.equal(await card.getAttribute('role'), 'alert');
    assert.match(await card.textContent(), /lacks the column\(s\) reading_score/);
    assert.equal(await page.locator('[data-testid="batch-summary"]').count(), 0, 'no stale results');
  });

  test('a file as a spreadsheet saves it: ";", the publication\'s headers, any case, decimal commas', async () => {
    const cases = readParityCases().slice(0, 12);
    const header = ['Gender', 'race/ethnicity', 'Parental level of education', 'LUNCH', 'test preparation course', 'math score', 'Reading score', 'writing score'];
    const names = ['gender', 'race_ethnicity', 'parental_level_of_education', 'lunch', 'test_preparation_course', 'math_score', 'reading_score', 'writing_score'];
    const lines = [header.join(';')];
    for (const c of cases) {
      lines.push(names.map((n) => (n === 'gender' ? c.student[n].toUpperCase() : c.student[n])).join(';'));
    }
    // One decimal comma: 72,5 reads as 72.5.
    const decimal = ['female', 'group B', "bachelor's degree", 'standard', 'none', '70', '72,5', '74'];
    lines.push(decimal.join(';'));
    await choose(file('semicolons.csv', lines.join('\r\n') + '\r\n'));
    assert.equal(await summary('rows'), String(cases.length + 1));
    assert.equal(await summary('errors'), '0');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download results CSV' }).click()]);
    const rows = parseCsv(readFileSync(await download.path(), 'utf8'));
    assert.deepEqual(rows[0].slice(0, 8), header, 'the download keeps the file\'s own header names');
    const at = rows[0].indexOf('prediction');
    cases.forEach((c, i) => assert.equal(Number(rows[i + 1][at]), c.prediction, `row ${i + 1}`));
    assert.equal(rows[cases.length + 1][6], '72,5');
  });

  test('a header that names no column is refused with the closest cell named', async () => {
    const text = casesCsv(readParityCases().slice(0, 3)).replace('reading_score', 'readng score');
    await choose(file('typo.csv', text));
    assert.match(await page.locator('[data-testid="batch-error"]').textContent(), /reading_score \(closest: "readng score"\)/);
  });

  test('a template to start from, and results that show the prediction first, on a phone too', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download a template' }).click()]);
    assert.equal(download.suggestedFilename(), 'students-template.csv');
    const text = readFileSync(await download.path(), 'utf8');
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], FEATURES, 'the header the page expects');
    assert.equal(rows.length, 3, 'two example students');
    await choose(file('students-template.csv', text));
    assert.equal(await summary('predicted'), '2');
    assert.equal(await summary('errors'), '0');
    const heads = await page.locator('[data-testid="batch-table"] thead th').allTextContents();
    assert.deepEqual(heads.slice(0, 5), ['Line', 'Prediction', '90 % interval', 'Problem', 'Filled in']);
    assert.deepEqual(heads.slice(5), FEATURES.map((f) => LABELS[f]), 'then the file\'s columns, in its order');
    await page.setViewportSize({ width: 390, height: 800 });
    try {
      const cell = page.locator('[data-testid="batch-table"] tbody tr').first().locator('td').nth(1);
      const box = await cell.boundingBox();
      assert.ok(box && box.x + box.width <= 390, `the prediction is on screen at 390 px (${JSON.stringify(box)})`);
      assert.match(await cell.textContent(), /^\d+\.\d$/);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test('an empty file is refused', async () => {
    await choose(file('empty.csv', ''));
    assert.match(await page.locator('[data-testid="batch-error"]').textContent(), /the file is empty/);
  });

  test('a file dropped on the drop zone is read', async () => {
    const csv = casesCsv(readParityCases().slice(0, 7));
    await page.locator('[data-testid="dropzone"]').evaluate((zone, text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, csv);
    await page.getByRole('heading', { name: 'Results for dropped.csv' }).waitFor();
    assert.equal(await summary('rows'), '7');
  });

  test('10,000 rows: processed without freezing the page, paginated', async () => {
    const cases = readParityCases();
    const many = Array.from({ length: 10_000 }, (_, i) => cases[i % cases.length]);
    const csv = casesCsv(many);
    // Long tasks (> 50 ms) on the main thread while the file is processed.
    await page.evaluate(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    const started = Date.now();
    await page.getByLabel('CSV file').setInputFiles(file('ten-thousand.csv', csv));
    await page.getByText('Processing ten-thousand.csv…').waitFor({ timeout: 2000 }).catch(() => {});
    await page.getByRole('heading', { name: 'Results for ten-thousand.csv' }).waitFor({ timeout: 30_000 });
    const wall = Date.now() - started;
    const predictMs = Number(await page.locator('[data-testid="batch-millis"]').textContent());
    const longest = Math.max(0, ...(await page.evaluate(() => window.__longTasks)));
    console.log(`10,000 rows: ${wall} ms from choosing the file to the results; ${predictMs.toFixed(1)} ms of it predicting (in pieces, with pauses between); longest main-thread task ${longest.toFixed(0)} ms`);

    assert.equal(await summary('rows'), '10,000');
    assert.equal(await summary('predicted'), '10,000');
    assert.ok(wall < 10_000, `processing took ${wall} ms`);
    assert.ok(longest < 250, `the page froze for ${longest} ms`);
    assert.equal(await page.locator('[data-testid="batch-table"] tbody tr').count(), 100, 'one page of rows rendered');
    assert.match(await page.locator('.pager-pos').textContent(), /Page 1 of 100/);
    await page.getByRole('button', { name: 'Next' }).click();
    assert.match(await page.locator('[data-testid="batch-showing"]').textContent(), /Rows 101–200 of 10,000/);
    // The page answers at once afterwards.
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Rows 1–100 of 10,000').waitFor();
    assert.ok(Date.now() - t0 < 1000, 'paging stays quick');
  });

  test('100,000 rows: every row out, no main-thread task over 100 ms, bounded memory, paged, downloadable', async () => {
    // The test split 500 times over (about 5.5 MB), from a file on disk as a visitor chooses one.
    const cases = readParityCases();
    const many = Array.from({ length: 100_000 }, (_, i) => cases[i % cases.length]);
    const dir = mkdtempSync(join(tmpdir(), 'predictor-batch-'));
    const path = join(dir, 'district.csv');
    writeFileSync(path, casesCsv(many));
    try {
      await page.evaluate(() => {
        window.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.__longTasks.push(Math.round(entry.duration));
        }).observe({ type: 'longtask' });
      });
      const started = Date.now();
      await page.getByLabel('CSV file').setInputFiles(path);
      await page.getByRole('heading', { name: 'Results for district.csv' }).waitFor({ timeout: 120_000 });
      const wall = Date.now() - started;
      const processing = await page.evaluate(() => window.__longTasks.splice(0));
      assert.equal(await summary('rows'), '100,000');
      assert.equal(await summary('predicted'), '100,000');
      assert.equal(await summary('errors'), '0');
      assert.match(await page.locator('.pager-pos').textContent(), /Page 1 of 1,000/);
      assert.equal(await page.locator('[data-testid="batch-table"] tbody tr').count(), 100, 'one page of rows rendered');
      await page.getByRole('button', { name: 'Next' }).click();
      assert.match(await page.locator('[data-testid="batch-showing"]').textContent(), /Rows 101–200 of 100,000/);

      // The download: every row, written in pieces.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download results CSV' }).click()]);
      const rows = parseCsv(readFileSync(await download.path(), 'utf8'));
      const downloading = await page.evaluate(() => window.__longTasks.splice(0));
      assert.equal(rows.length, 100_001, 'the header and every row');
      const at = rows[0].indexOf('prediction');
      // Row 12,345 is test-split student 12,345 mod 200: the native prediction, to the digit.
      assert.equal(Number(rows[12_346][at]), cases[12_345 % cases.length].prediction);

      const memory = await page.evaluate(() => ({ wasm: window.predictorMemoryBytes(), js: performance.memory?.usedJSHeapSize ?? 0 }));
      const longest = Math.max(0, ...processing, ...downloading);
      console.log(
        `100,000 rows: ${wall} ms from choosing the file to the results; longest main-thread task ${Math.max(0, ...processing)} ms while processing, ${Math.max(0, ...downloading)} ms while downloading; wasm memory ${(memory.wasm / 2 ** 20).toFixed(1)} MB, JS heap ${(memory.js / 2 ** 20).toFixed(1)} MB`,
      );
      assert.ok(longest <= 100, `the main thread was blocked for ${longest} ms (tasks: ${[...processing, ...downloading].join(', ')})`);
      // Memory grows with the rows; the page refuses files beyond what it can hold (MAX_FILE_BYTES).
      assert.ok(memory.wasm < 256 * 2 ** 20, `wasm memory ${memory.wasm} B`);
      assert.ok(wall < 30_000, `${wall} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a file too large to handle is refused with a clear message before any work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'predictor-batch-'));
    const path = join(dir, 'everyone.csv');
    // 200 MB without writing them: a sparse file.
    writeFileSync(path, '');
    truncateSync(path, 200 * 1024 * 1024);
    try {
      const started = Date.now();
      await page.getByLabel('CSV file').setInputFiles(path);
      const card = page.locator('[data-testid="batch-error"]');
      await card.filter({ hasText: 'everyone.csv' }).waitFor({ timeout: 10_000 });
      assert.match(await card.textContent(), /the file is 200\.0 MB; this page takes files up to 20 MB \(about 350,000 students\): split it into smaller files/);
      assert.ok(Date.now() - started < 5_000, 'refused at once, not after reading 200 MB');
      assert.equal(await page.locator('[data-testid="batch-summary"]').count(), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('no console errors or page errors', () => {
    assert.deepEqual(errors, []);
  });
});
