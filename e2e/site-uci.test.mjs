// A second site, for another school's table: `make site-uci` trains on the UCI Student
// Performance data (Portuguese course, ../shared/data/student-por.csv) with its dataset file
// (data/uci-student.schema.json) and builds the site into target/site-uci; `trainer predict`
// writes the test-split students' native predictions beside it. Every page renders from that
// model set alone: no text of the default dataset, no accessibility violation, and the form
// gives the native trainer's number for every target and switch.
//   make site-uci && node --test e2e/site-uci.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREDICTION, ROOT, axeViolations, openApp, parityMismatches } from './server.mjs';

const SITE = process.env.E2E_SITE_UCI ?? join(ROOT, 'target/site-uci');
const PARITY = join(ROOT, 'target/parity-uci/test_split.json');

function readJson(path) {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`make site-uci\` first`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

const SET = readJson(`${SITE}-models/model.json`);
const CASES = readJson(PARITY);

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
    app = await openApp('', { dir: SITE });
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
