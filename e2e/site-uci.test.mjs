// A second site, for another school's table: `make site-uci` trains on the UCI Student
// Performance data (Portuguese course, ../shared/data/student-por.csv) with its dataset file
// (data/uci-student.schema.json) and builds the site into target/site-uci; `trainer predict`
// writes the test-split students' native predictions beside it. Every page renders from that
// model set alone: no text of the default dataset, no accessibility violation, and the form
// gives the native trainer's number for every target and switch.
//   make site-uci && node --test e2e/site-uci.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREDICTION, ROOT, axeViolations, closeTab, openApp, parityMismatches } from './server.mjs';
import { parseCsv } from './csv.mjs';

const SITE = process.env.E2E_SITE_UCI ?? join(ROOT, 'target/site-uci');
const PARITY = join(ROOT, 'target/parity-uci/test_split.json');

function readJson(path) {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`make site-uci\` first`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

const MODEL_JSON = `${SITE}-models/model.json`;
const SET = readJson(MODEL_JSON);
const CASES = readJson(PARITY);
const DATA = join(ROOT, 'data/student-por.csv');
const TRAINER = join(ROOT, 'target/release/trainer');
/** The default target's full model. */
const FULL = SET.bundles.find((b) => b.target === SET.default_target && !(b.excluded ?? []).length);

// The pages, by navigation label and heading.
const PAGES = [
  { path: '/', nav: 'Predict' },
  { path: '/models', nav: 'Models' },
  { path: '/insights', nav: 'Insights' },
  { path: '/fairness', nav: 'Fairness' },
  { path: '/batch', nav: 'Batch' },
  { path: '/about', nav: 'About' },
];

// What the default dataset's pages say and this site must not: its columns and their values.
const DEFAULT_WORDS =
  /\b(gender|race\/ethnicity|race_ethnicity|lunch|test preparation|parental level|math score|reading score|writing score|group [A-E]\b|free\/reduced)/i;

/** Each model of the set: its target, whether the switch selects it, its key in the parity file. */
const MODELS = SET.bundles.map((bundle) => {
  const excluded = bundle.excluded ?? [];
  return {
    bundle,
    target: bundle.target,
    unaware: excluded.length > 0,
    key: excluded.length ? `${bundle.target} without ${excluded.join(',')}` : bundle.target,
  };
});

/** Waits for the app's page title and for no report still loading. */
async function shown(page) {
  await page.locator('main .page-title').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="report-loading"]'));
}

describe('a site built for the UCI Portuguese course', () => {
  let app;
  let page;
  let errors;

  before(async () => {
    app = await openApp('', { dir: SITE, acceptDownloads: true });
    ({ page, errors } = app);
    await page.locator(PREDICTION).waitFor();
  });

  after(() => app?.close());

  const targetSelect = () => page.getByLabel('Score to predict', { exact: true });
  const theSwitch = () => page.getByRole('switch');

  test('the header lists the set\'s targets by their labels, the default first', async () => {
    const targets = [...new Set(SET.bundles.map((b) => b.target))];
    assert.deepEqual(targets, ['G3', 'G2', 'G1']);
    assert.equal(await targetSelect().inputValue(), SET.default_target);
    const options = await targetSelect().locator('option').evaluateAll((os) => os.map((o) => o.textContent.trim()));
    const label = (t) => SET.bundles.find((b) => b.target === t).target_info.label;
    assert.deepEqual(options, targets.map(label));
  });

  test('the switch names the dataset file\'s sensitive columns and starts off', async () => {
    const sensitive = SET.bundles[0].features.filter((f) => f.sensitive).map((f) => f.label.toLowerCase());
    assert.deepEqual(sensitive, ['sex', 'age', 'home address']);
    const named = page.getByRole('switch', { name: new RegExp(sensitive.join('.*'), 'i') });
    assert.equal(await named.count(), 1, 'one switch, named with sex, age and address');
    assert.equal(await named.isChecked(), false);
  });

  test('every page renders from this model set, with no word of the default dataset', async () => {
    for (const p of PAGES) {
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: p.nav, exact: true }).click();
      await shown(page);
      const text = await page.locator('body').innerText();
      assert.doesNotMatch(text, /NaN|undefined/, `${p.nav}: no NaN`);
      const found = text.match(DEFAULT_WORDS);
      assert.equal(found, null, `${p.nav} names the default dataset: "${found?.[0]}"`);
    }
    assert.deepEqual(errors, []);
  });

  for (const m of MODELS) {
    test(`${m.target}${m.unaware ? ' without the sensitive columns' : ''}: test-split students get the native prediction`, async () => {
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Predict', exact: true }).click();
      await targetSelect().selectOption(m.target);
      await theSwitch().setChecked(m.unaware);
      await page.locator(PREDICTION).waitFor();
      const features = m.bundle.features;
      // The form asks for exactly this model's fields.
      for (const f of SET.bundles[0].features.concat(SET.bundles[2].features)) {
        const wanted = features.some((g) => g.name === f.name);
        assert.equal(await page.locator('form.form').getByLabel(f.label, { exact: true }).count(), wanted ? 1 : 0, `${f.name} asked for: ${wanted}`);
      }
      // Eight students per model: 30 fields each, typed as a user would.
      const cases = CASES.slice(0, 8);
      // The form's controls only: the what-if has radios labelled like some categories.
      const mismatches = await parityMismatches(page, features, cases, (c) => c.all?.[m.key], page.locator('form.form'));
      assert.deepEqual(mismatches, [], `${mismatches.length} of ${cases.length} predictions differ`);
      assert.deepEqual(errors, []);
    });
  }

  /** The test-split students' lines of the file as the school exported it, header first. */
  function exportedLines() {
    const lines = readFileSync(DATA, 'utf8').split(/\r?\n/);
    return [lines[0], ...CASES.map((c) => lines[c.line - 1])];
  }

  /** Chooses `text` as a batch file on `tab` (on /batch). */
  async function chooseBatch(tab, name, text) {
    await tab.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  }

  /** The downloaded results' predictions, in the file's order. */
  async function downloadedPredictions(tab) {
    const [download] = await Promise.all([tab.waitForEvent('download'), tab.getByRole('button', { name: 'Download results CSV' }).click()]);
    const [header, ...rows] = parseCsv(readFileSync(await download.path(), 'utf8'));
    const at = header.indexOf(`predicted_${SET.default_target}`);
    assert.ok(at >= 0, header.join(','));
    return rows.map((r) => Number(r[at]));
  }

  /** Where the downloaded predictions differ from the native trainer's. */
  function batchMismatches(predicted) {
    const out = [];
    CASES.forEach((c, i) => {
      const want = c.all?.[SET.default_target];
      if (!(Math.abs(predicted[i] - want) < 1e-9)) out.push(`line ${c.line}: ${predicted[i]} vs ${want}`);
    });
    return out;
  }

  test('the batch page predicts the test split as exported (";", quoted) and with renamed headers through the mapping step, as the native trainer does', async () => {
    const tab = await app.tab('batch', errors);
    try {
      await tab.getByLabel('CSV file').waitFor();
      const lines = exportedLines();
      await chooseBatch(tab, 'portuguese.csv', lines.join('\n') + '\n');
      await tab.locator('[data-testid="batch-summary"]').waitFor();
      const summary = async (id) => (await tab.locator(`[data-testid="batch-${id}"]`).textContent()).trim();
      await tab.waitForFunction(() => !document.querySelector('[data-testid="batch-status"]')?.textContent.startsWith('Processing'));
      assert.equal(await summary('predicted'), String(CASES.length));
      assert.equal(await summary('errors'), '0');
      assert.deepEqual(batchMismatches(await downloadedPredictions(tab)), []);

      // A school system's own names for three columns: the mapping step, then the same numbers.
      const renamed = { studytime: 'S_T', absences: 'ABS_N', Medu: 'MUM_ED' };
      const header = lines[0].split(';').map((cell) => {
        const name = cell.replace(/"/g, '');
        return renamed[name] ? `"${renamed[name]}"` : cell;
      });
      await chooseBatch(tab, 'school-export.csv', [header.join(';'), ...lines.slice(1)].join('\n') + '\n');
      const mapping = tab.locator('[data-testid="batch-mapping"]');
      await mapping.waitFor();
      for (const [name, cell] of Object.entries(renamed)) {
        const label = FULL.features.find((f) => f.name === name).label;
        await mapping.getByLabel(label, { exact: true }).selectOption({ label: cell });
      }
      assert.equal((await mapping.locator('[data-testid="mapping-problem"]').textContent()).trim(), '');
      await tab.getByRole('button', { name: 'Predict with these columns' }).click();
      await tab.locator('[data-testid="batch-summary"]').waitFor();
      await tab.waitForFunction(() => !document.querySelector('[data-testid="batch-status"]')?.textContent.startsWith('Processing'));
      assert.equal(await summary('errors'), '0');
      assert.deepEqual(batchMismatches(await downloadedPredictions(tab)), []);
    } finally {
      await closeTab(tab);
    }
    assert.deepEqual(errors, []);
  });

  test('the goal box changes only actionable fields, and its suggestion reaches the goal under trainer predict', async () => {
    const tab = await app.tab('', errors);
    try {
      await tab.locator(PREDICTION).waitFor();
      const form = tab.locator('form.form');
      const read = async () => {
        const out = {};
        for (const f of FULL.features) out[f.name] = await form.getByLabel(f.label, { exact: true }).inputValue();
        return out;
      };
      const before = await read();
      // Here the grades before (G1, G2) carry the prediction and the actionable fields move it
      // little: the goal is the highest they reach, as the goal box itself says.
      const now = Number((await tab.locator(PREDICTION).textContent()).trim());
      const summary = tab.locator('[data-testid="goal-summary"]');
      await tab.locator('#goal-input').fill('20');
      await tab.waitForFunction(() => /the highest, [\d.]+/.test(document.querySelector('[data-testid="goal-summary"]')?.textContent ?? ''));
      // Shown to one decimal: the highest is at least 0.05 under it, the prediction below that.
      const highest = Number((await summary.textContent()).match(/the highest, ([\d.]+)/)[1]);
      assert.ok(highest > now, `${highest} > ${now}`);
      const goal = Number((highest - 0.05).toFixed(2));
      await tab.locator('#goal-input').fill(String(goal));
      const items = tab.locator('[data-testid="goal-suggestions"] li');
      await items.first().waitFor();
      await items.first().getByRole('button').click();
      await tab.waitForFunction(() => /^Already there/.test(document.querySelector('[data-testid="goal-summary"]')?.textContent ?? ''));
      const after = await read();
      const changed = FULL.features.filter((f) => before[f.name] !== after[f.name]);
      assert.ok(changed.length >= 1, 'something changed');
      for (const f of changed) assert.ok(f.actionable, `${f.name} is not actionable`);

      // The native trainer, on the applied student: the goal is reached.
      const dir = mkdtempSync(join(tmpdir(), 'uci-goal-'));
      const names = FULL.features.map((f) => f.name);
      writeFileSync(join(dir, 'in.csv'), `${names.join(',')}\n${names.map((n) => `"${after[n]}"`).join(',')}\n`);
      const out = execFileSync(TRAINER, ['predict', '--model', MODEL_JSON, '--input', join(dir, 'in.csv'), '--format', 'json'], { encoding: 'utf8' });
      const native = JSON.parse(out);
      const value = Array.isArray(native) ? native[0].prediction : native.rows?.[0]?.prediction;
      assert.equal(typeof value, 'number', out.slice(0, 300));
      assert.ok(value >= goal - 1e-9, `trainer predict gives ${value} for the applied student, goal ${goal}`);
    } finally {
      await closeTab(tab);
    }
    assert.deepEqual(errors, []);
  });

  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      test(`no accessibility violations on any page (${scheme}, ${width} px wide)`, async () => {
        const context = await app.browser.newContext({ viewport: { width, height: width > 400 ? 800 : 844 }, colorScheme: scheme });
        const tab = await context.newPage();
        const found = [];
        for (const p of PAGES) {
          await tab.goto(app.server.url + p.path.slice(1));
          await shown(tab);
          found.push(...(await axeViolations(tab)).map((v) => `${p.path}: ${v}`));
        }
        await context.close();
        assert.deepEqual(found, []);
      });
    }
  }
});
