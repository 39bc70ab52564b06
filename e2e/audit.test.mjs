// Issue 13, points 4 and 6 in Chromium: the Batch page's per-group audit of a file with the
// target column (checked against figures worked out here from the downloaded predictions), no
// audit without that column; what each metric means, at hand on every page and in the About
// page's glossary, whose links land on their entry; the cost of the switch said in points;
// axe-core on the changed pages, light and dark, 1280 and 390 px; screenshots.
//   trunk build --release && make parity-cases && node --test e2e/audit.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, axeViolations, collectErrors, screenshot, defaultModel, defaultReport, openApp, readParityCases } from './server.mjs';
import { parseCsv, toCsv } from './csv.mjs';

const model = defaultModel();
const report = defaultReport();
const FEATURES = model.features.map((f) => f.name);
const TARGET = model.target;
const AUDITED = ['gender', 'race_ethnicity', 'lunch'];
const TERMS = ['mae', 'rmse', 'r2', 'cv', 'test', 'interval', 'coverage', 'signed-error', 'error-bars'];

/** Categories as the app matches them: case, spaces, `_`, `/` and `-` do not count. */
const fold = (text) => text.toLowerCase().split(/[\s_/-]+/).filter(Boolean).join(' ');
const categoriesOf = (name) => model.features.find((f) => f.name === name).categories;
const label = (category) => category.charAt(0).toUpperCase() + category.slice(1);
/** A number as the page prints it: a real minus sign, a leading + on the signed error. */
const number = (text) => Number(text.replace('\u2212', '-').replace('+', ''));

/**
 * The test-split students as a file, the categories written as people write them, with one row
 * that cannot be predicted, two without a score and one whose lunch is empty (the model fills
 * it in; the audit puts the row in no lunch group).
 */
function auditFile(dir) {
  const cases = readParityCases();
  const columns = [...FEATURES, TARGET];
  const rows = cases.map((c, i) => {
    const row = { ...c.student };
    if (i % 4 === 1) row.gender = row.gender.toUpperCase();
    if (i % 5 === 2) row.lunch = row.lunch === 'free/reduced' ? 'Free / reduced' : 'STANDARD';
    if (i % 6 === 3) row.race_ethnicity = row.race_ethnicity.replace('group', 'Group');
    if (i === 7) row.reading_score = '150';
    if (i === 9 || i === 19) row[TARGET] = '';
    if (i === 11) row.lunch = '';
    return columns.map((n) => row[n] ?? '');
  });
  const path = join(dir, 'class-audit.csv');
  writeFileSync(path, toCsv([columns, ...rows]));
  return path;
}

/** Per-group n, MAE, mean signed error (prediction − actual) and coverage, from a download. */
function expectedAudit(csv) {
  const [header, ...rows] = parseCsv(csv);
  const at = (name) => header.indexOf(name);
  const groups = new Map();
  const unmatched = Object.fromEntries(AUDITED.map((f) => [f, 0]));
  let n = 0;
  let problems = 0;
  let withoutScore = 0;
  for (const row of rows) {
    if (row[at('error')] !== '') {
      problems += 1;
      continue;
    }
    if (row[at(TARGET)].trim() === '') {
      withoutScore += 1;
      continue;
    }
    n += 1;
    const prediction = Number(row[at(`predicted_${TARGET}`)]);
    const actual = Number(row[at(TARGET)]);
    const error = prediction - actual;
    const covered = Number(row[at(`${TARGET}_interval_low`)]) <= actual && actual <= Number(row[at(`${TARGET}_interval_high`)]);
    for (const field of AUDITED) {
      const category = categoriesOf(field).find((c) => fold(c) === fold(row[at(field)]));
      if (!category) {
        unmatched[field] += 1;
        continue;
      }
      const key = `${field}|${category}`;
      const g = groups.get(key) ?? { field, category, n: 0, abs: 0, signed: 0, covered: 0 };
      g.n += 1;
      g.abs += Math.abs(error);
      g.signed += error;
      g.covered += covered ? 1 : 0;
      groups.set(key, g);
    }
  }
  return { n, problems, withoutScore, unmatched, groups: [...groups.values()] };
}

/** Runs axe-core on the page with every "what these numbers mean" box open. */
async function axeWithBoxesOpen(page) {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
  return axeViolations(page);
}

/** Waits until the page is drawn (its title: a page's module may still be loading) and its
 * training report has arrived. */
async function reportShown(page) {
  await page.locator('main .page-title').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="report-loading"]'));
}

describe('the batch audit and the glossary in Chromium', () => {
  let app;
  let page;
  let errors;
  let server;
  let browser;
  let dir;
  let file;

  before(async () => {
    app = await openApp(null, { acceptDownloads: true });
    ({ page, errors, server, browser } = app);
    page.setDefaultTimeout(10_000);
    dir = mkdtempSync(join(tmpdir(), 'predictor-audit-'));
    file = auditFile(dir);
  });

  after(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Chooses the file at `path` on the Batch page and waits for its results. */
  async function choose(tab, path) {
    await tab.getByLabel('CSV file').setInputFiles(path);
    await tab.locator('[data-testid="batch-summary"], [data-testid="batch-error"]').first().waitFor();
    await tab.waitForFunction(() => !document.querySelector('[data-testid="batch-status"]')?.textContent.startsWith('Processing'));
  }

  test('a file with the target column: each group\'s n, MAE, signed error and coverage, as worked out from the download', async () => {
    await page.goto(`${server.url}batch`);
    await choose(page, file);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download results CSV' }).click(),
    ]);
    const want = expectedAudit(readFileSync(await download.path(), 'utf8'));
    assert.equal(want.problems, 1);
    assert.equal(want.withoutScore, 2);
    assert.equal(want.unmatched.lunch, 1);

    const audit = page.locator('[data-testid="batch-audit"]');
    await audit.waitFor();
    assert.match(await audit.locator('[data-testid="batch-audit-intro"]').textContent(), new RegExp(`^The ${want.n} rows of the file`));
    assert.equal(
      (await audit.locator('[data-testid="batch-audit-notes"]').textContent()).trim(),
      'Left out: 1 row with a problem, 2 rows without a math score. 1 row in no lunch group (the cell is empty or names none).',
    );

    const tables = audit.locator('[data-testid="batch-audit-table"]');
    assert.equal(await tables.count(), AUDITED.length, 'one table per field');
    const shown = [];
    for (let t = 0; t < AUDITED.length; t++) {
      const table = tables.nth(t);
      const heads = await table.locator('thead th').allTextContents();
      assert.deepEqual(heads.slice(1), ['n', 'MAE', 'Signed', 'Interval coverage']);
      for (const row of await table.locator('tbody tr').all()) {
        const category = (await row.locator('th').textContent()).trim();
        const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
        shown.push({ field: AUDITED[t], category, cells });
      }
    }
    assert.equal(shown.length, want.groups.length, 'every group with rows, and no other');
    for (const g of want.groups) {
      const row = shown.find((s) => s.field === g.field && s.category === label(g.category));
      assert.ok(row, `a row for ${g.field} ${g.category}`);
      const [n, mae, signed, coverage] = row.cells;
      const where = `${g.field} ${g.category}: ${row.cells.join(' | ')}`;
      assert.equal(Number(n), g.n, where);
      assert.ok(Math.abs(Number(mae) - g.abs / g.n) <= 0.005 + 1e-9, where);
      assert.ok(Math.abs(number(signed) - g.signed / g.n) <= 0.005 + 1e-9, where);
      if (g.signed / g.n >= 0.005) assert.match(signed, /^\+/, `${where}: over-predicted reads +`);
      const share = g.covered / g.n;
      const [, percent] = coverage.match(/^(\d+)\s%/) ?? [];
      assert.ok(Math.abs(Number(percent) - share * 100) <= 0.5 + 1e-9, where);
      // Flagged as the Fairness page flags: under 80 % with at least 20 rows.
      assert.equal(/under 80\s%/.test(coverage), share < 0.8 && g.n >= 20, where);
    }
    assert.doesNotMatch(await audit.innerText(), /NaN|undefined/);
  });

  test('a file without the target column: no audit, and a note saying what the column would add', async () => {
    const cases = readParityCases().slice(0, 15);
    const path = join(dir, 'no-target.csv');
    writeFileSync(path, toCsv([FEATURES, ...cases.map((c) => FEATURES.map((n) => c.student[n]))]));
    await choose(page, path);
    assert.equal(await page.locator('[data-testid="batch-audit"]').count(), 0);
    assert.equal(await page.locator('[data-testid="batch-audit-table"]').count(), 0);
    assert.match(
      await page.locator('[data-testid="batch-summary"] + p').textContent(),
      new RegExp(`Add a ${TARGET} column to see how close the predictions come, and how they err for each group of gender, race/ethnicity and lunch`),
    );
  });

  test('the glossary on About: every term with its id and one sentence', async () => {
    await page.goto(`${server.url}about`);
    const glossary = page.locator('[data-testid="glossary"]');
    await glossary.waitFor();
    for (const id of TERMS) {
      const dt = glossary.locator(`dt#${id}`);
      assert.equal(await dt.count(), 1, id);
      const sentence = (await dt.locator('xpath=following-sibling::dd[1]').textContent()).trim();
      assert.match(sentence, /^[A-Z].+\.$/, `${id}: ${sentence}`);
      assert.doesNotMatch(sentence.slice(0, -1), /\.\s/, `${id}: one sentence`);
    }
  });

  test('links to the glossary land on their entry: from a page\'s box, from the served model, from a deep link', async () => {
    // From the Fairness page's box, in the same document.
    await page.goto(`${server.url}fairness`);
    await reportShown(page);
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    const box = page.locator('[data-testid="explain"]').first();
    await box.locator('summary').click();
    assert.match(await box.textContent(), /mean signed error/i);
    await box.getByRole('link', { name: 'MAE (mean absolute error)' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'mae', null, { timeout: 5000 });
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).hash, '/about#mae');
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'no reload');
    assert.ok(await page.locator('#mae').isVisible());
    const inView = () =>
      page.locator('[data-testid="glossary"] dt:focus').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight;
      });
    assert.ok(await inView(), 'the entry is on screen');

    // From the Predict page (whose report is not loaded yet): "test R²" in the model's line.
    await page.goto(server.url);
    await page.locator('[data-testid="model-info"]').getByRole('link', { name: 'test R²' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'r2', null, { timeout: 5000 });
    await reportShown(page);
    assert.ok(await inView(), 'still on screen once the report above it has come');

    // A deep link.
    await page.goto(`${server.url}about#coverage`);
    await page.waitForFunction(() => document.activeElement?.id === 'coverage', null, { timeout: 5000 });
    assert.ok(await inView());
  });

  test('every page that shows a metric has its explanation at hand', async () => {
    const boxes = {
      '': ['Prediction interval', 'Coverage', 'R²'],
      models: ['Cross-validation (CV)', 'R²', 'MAE (mean absolute error)', 'RMSE (root mean squared error)', 'Coverage'],
      fairness: ['MAE (mean absolute error)', 'Mean signed error', 'Error bars on a group\'s MAE', 'Coverage', 'R²'],
    };
    for (const [path, terms] of Object.entries(boxes)) {
      await page.goto(`${server.url}${path}`);
      await reportShown(page);
      const box = page.locator('[data-testid="explain"]').first();
      await box.waitFor();
      const names = await box.locator('dt').allTextContents();
      for (const t of terms) assert.ok(names.some((n) => n.startsWith(t)), `/${path}: ${t} in ${names.join(', ')}`);
      for (const href of await box.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
        assert.match(href, new RegExp(`^/about#(${TERMS.join('|')})$`), `/${path}`);
      }
    }
    // Every page's served-model line (the result card's, on Predict) links its terms.
    for (const path of ['', 'models', 'insights', 'fairness', 'batch', 'about']) {
      await page.goto(`${server.url}${path}`);
      const links = page.locator('[data-testid="served-model"] a, [data-testid="model-info"] a');
      await links.first().waitFor();
      assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))), ['/about#r2', '/about#interval'], `/${path}`);
    }
  });

  test('the cost of the switch said in points, from the report\'s test errors', async () => {
    const full = report.fairness.find((a) => a.excluded.length === 0);
    const without = report.fairness.find((a) => a.excluded.length > 0);
    await page.goto(`${server.url}fairness`);
    const text = (await page.locator('[data-testid="fairness-cost-points"]').textContent()).trim();
    const more = without.test_mae - full.test_mae;
    assert.ok(more > 0);
    assert.equal(
      text,
      `In points: without them, a prediction of the math score misses by ${without.test_mae.toFixed(2)} points on average instead of ${full.test_mae.toFixed(2)}, ${more.toFixed(2)} points more (test MAE; the RMSE goes from ${full.test_rmse.toFixed(2)} to ${without.test_rmse.toFixed(2)}).`,
    );
    await page.goto(`${server.url}about`);
    await reportShown(page);
    assert.match(await page.locator('main').textContent(), new RegExp(`\\(cost ${without.r2_cost.toFixed(3)} of test R²: predictions miss by ${more.toFixed(2)} points more on average\\)`));
  });

  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      test(`no accessibility violations with the audit and every explanation open (${scheme}, ${width} px)`, async () => {
        const context = await browser.newContext({ viewport: { width, height: width > 400 ? 800 : 844 }, colorScheme: scheme });
        const tab = await context.newPage();
        const found = [];
        try {
          await tab.goto(`${server.url}batch`);
          await choose(tab, file);
          await tab.locator('[data-testid="batch-audit"]').waitFor();
          found.push(...(await axeWithBoxesOpen(tab)).map((v) => `/batch: ${v}`));
          for (const path of ['', 'models', 'fairness', 'about']) {
            await tab.goto(`${server.url}${path}`);
            await reportShown(tab);
            await tab.locator('[data-testid="served-model"], [data-testid="model-info"]').first().waitFor();
            found.push(...(await axeWithBoxesOpen(tab)).map((v) => `/${path}: ${v}`));
          }
        } finally {
          await context.close();
        }
        assert.deepEqual(found, []);
      });
    }
  }

  test('screenshots: the audit and the glossary, on a desktop and a phone', async () => {
    for (const [kind, viewport] of [['desktop', { width: 1280, height: 800 }], ['mobile', { width: 390, height: 844 }]]) {
      const context = await browser.newContext({ viewport, isMobile: kind === 'mobile', hasTouch: kind === 'mobile' });
      const tab = await context.newPage();
      try {
        await tab.goto(`${server.url}batch`);
        await choose(tab, file);
        const audit = tab.locator('[data-testid="batch-audit"]');
        await audit.locator('details summary').click();
        await audit.evaluate((el) => el.scrollIntoView());
        const width = await tab.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width, `/batch on ${kind}: ${width} px wide`);
        await screenshot(tab, `batch-audit-${kind}`);
        await tab.goto(`${server.url}about#glossary`);
        await reportShown(tab);
        await tab.waitForFunction(() => document.activeElement?.id === 'glossary', null, { timeout: 5000 });
        await tab.evaluate(() => document.activeElement?.blur());
        await screenshot(tab, `about-glossary-${kind}`);
      } finally {
        await context.close();
      }
    }
  });

  test('no console errors or page errors', () => {
    assert.deepEqual(errors, []);
  });
});

// Issue 22 (the report pages): every page names the served model of the selection and only its
// figures; what the switch costs where it is; one description of the interval everywhere; About
// as the dataset file's card. Each test has a browser context of its own, the selection set
// before the app starts (as a returning visitor's).
describe('the report pages follow the served model, in Chromium', () => {
  const SET = JSON.parse(readFileSync(join(ROOT, 'assets/model.json'), 'utf8'));
  const bundleOf = (unaware) =>
    SET.bundles.find((b) => b.target === SET.default_target && (b.excluded ?? []).length > 0 === unaware);
  /** A share as Rust's `{:.0}` writes it: an exact tie (90.5) rounds to even. */
  const pct = (x) => {
    const v = x * 100;
    const r = Math.round(v);
    return `${v - Math.floor(v) === 0.5 && r % 2 !== 0 ? r - 1 : r}\u00a0%`;
  };
  const signed = (x) => `${x >= 0 ? '+' : '\u2212'}${Math.abs(x).toFixed(2)}`;
  let app;

  before(async () => {
    app = await openApp(null);
  });

  after(() => app?.close());

  /** A page of the app in a context of its own, with the switch set as a returning visitor left it. */
  async function visit(path, unaware, viewport = { width: 1280, height: 800 }) {
    const context = await app.browser.newContext({ viewport });
    await context.addInitScript(
      ([target, unaware]) => localStorage.setItem('student-predictor.selection', JSON.stringify({ target, unaware })),
      [SET.default_target, unaware],
    );
    const tab = await context.newPage();
    const errors = collectErrors(tab);
    await tab.goto(`${app.server.url}${path}`);
    await tab.locator('main .page-title').first().waitFor();
    await reportShown(tab);
    return { tab, context, errors };
  }

  test('with the switch on, Models marks the model without the sensitive fields "winner · served" and its footer gives that model\'s interval, as the header does', async () => {
    const { tab, context, errors } = await visit('models', true);
    try {
      const without = bundleOf(true);
      const served = tab.locator('[data-testid="leaderboard"] tbody tr.served');
      assert.equal(await served.count(), 1);
      const text = await served.textContent();
      assert.match(text, /winner · served/);
      assert.match(text, /without gender and race\/ethnicity/);
      assert.ok(text.includes(without.metrics.test_r2.toFixed(3)), text);
      assert.equal(await tab.locator('[data-testid="leaderboard"] tbody tr.winner').count(), 1, 'one winner: the served one');
      const half = `± ${without.interval.half_width.toFixed(1)} points`;
      const footer = await tab.locator('[data-testid="models-interval"]').textContent();
      assert.ok(footer.includes(half), footer);
      assert.ok(footer.includes(`covered ${pct(without.interval.test_coverage)}`), footer);
      assert.ok((await tab.locator('[data-testid="served-model"]').textContent()).includes(half), 'the header agrees');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('Models and Fairness say what the switch costs: test R² with every field → without, and the largest group shift', async () => {
    const full = report.fairness.find((a) => !a.excluded.length);
    const without = report.fairness.find((a) => a.excluded.length);
    const worst = without.groups.reduce((a, b) => (Math.abs(b.mean_signed_error) > Math.abs(a.mean_signed_error) ? b : a));
    const before = full.groups.find((g) => g.feature === worst.feature && g.category === worst.category);
    const expected =
      `test R² ${full.test_r2.toFixed(3)} → ${without.test_r2.toFixed(3)}; largest group shift: ` +
      `${label(worst.category)} ${worst.mean_signed_error >= 0 ? 'over' : 'under'}-predicted by ${signed(worst.mean_signed_error)} points ` +
      `(${signed(before.mean_signed_error)} with every field)`;
    for (const [path, unaware] of [['models', false], ['models', true], ['fairness', false]]) {
      const { tab, context } = await visit(path, unaware);
      try {
        const cost = await tab.locator('[data-testid="switch-cost"]').textContent();
        assert.ok(cost.includes(expected), `/${path}: ${cost}`);
      } finally {
        await context.close();
      }
    }
  });

  test('one description of the interval: the same sentence on Models and About, matching the glossary, for both models', async () => {
    for (const unaware of [false, true]) {
      const interval = bundleOf(unaware).interval;
      const sentence =
        `± ${interval.half_width.toFixed(1)} points for ${pct(interval.level)} of students: the miss that ${pct(interval.level)} of the ` +
        `${interval.n_calibration} training students stayed within when each was predicted by a model not trained on them ` +
        `(cross-validation); it covered ${pct(interval.test_coverage)} of the held-out test students.`;
      const models = await visit('models', unaware);
      const about = await visit('about', unaware);
      try {
        assert.ok((await models.tab.locator('[data-testid="models-interval"]').textContent()).endsWith(sentence));
        assert.equal((await about.tab.locator('[data-testid="about-interval"]').textContent()).trim(), sentence);
        const glossary = await about.tab.locator('dt#interval + dd').textContent();
        assert.match(glossary, /training students stayed within, each predicted by a model not trained on them/);
        assert.doesNotMatch(await about.tab.locator('main').textContent(), /test population/);
      } finally {
        await models.context.close();
        await about.context.close();
      }
    }
  });

  test('About is the dataset file\'s card from model.json: title, description, source, intended use, rationale', async () => {
    const { tab, context, errors } = await visit('about', false);
    try {
      const card = SET.dataset;
      const data = await tab.locator('[data-testid="about-dataset"]').textContent();
      assert.ok(data.includes(card.title), data);
      assert.ok(data.includes(card.description), data);
      assert.equal(await tab.locator('[data-testid="about-intended-use"]').textContent(), card.intended_use);
      assert.equal(await tab.locator('[data-testid="about-rationale"]').textContent(), card.roles_rationale);
      for (const s of card.sources) {
        assert.equal(await tab.getByRole('link', { name: s.title }).getAttribute('href'), s.path);
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
