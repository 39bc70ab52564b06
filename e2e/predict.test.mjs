// The release build in a real browser: every test-split student gets exactly the prediction the
// native trainer computed, bad input is explained next to its field, and nothing errors.
//   trunk build --release && make parity-cases && node --test e2e/

import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LABELS,
  PREDICTION,
  collectErrors,
  defaultModel,
  openApp,
  parityMismatches,
  predictionText,
  readParityCases,
  rustFixed1,
  screenshot,
  closeTab,
} from './server.mjs';


const model = defaultModel();
const features = model.features.map((f) => ({ ...f, label: LABELS[f.name] ?? f.name }));
const numeric = features.filter((f) => f.kind === 'numeric');

/** The text of the elements an input's aria-describedby points to. */
async function description(control) {
  return control.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent.trim() ?? '')
      .join(' '),
  );
}

/** A student unlike the typical one, so the pictures show the reasons for the score. */
async function showReasons(page) {
  await page.getByLabel(LABELS.gender, { exact: true }).selectOption('male');
  await page.getByLabel(LABELS.writing_score, { exact: true }).fill('84');
  await page.getByLabel(LABELS.test_preparation_course, { exact: true }).selectOption('completed');
  await page.locator('.waterfall').waitFor();
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
}

describe('the predictor in Chromium', () => {
  let app;
  let server;
  let browser;
  let page;
  let errors;

  before(async () => {
    app = await openApp(null);
    ({ server, browser } = app);
    errors = [];
  });

  // Each test on a page of its own (no order dependence); the errors of all collected.
  beforeEach(async () => {
    page = await app.tab('', errors);
    await page.locator(PREDICTION).waitFor();
  });

  afterEach(() => closeTab(page));

  after(() => app?.close());

  test('Rust-style rounding helper matches format!("{:.1}")', () => {
    // Values printed by Rust: exact ties round half to even, everything else to nearest.
    const rust = { 0.25: '0.2', 0.75: '0.8', 71.25: '71.2', 71.75: '71.8', 2.5: '2.5', 71.35: '71.3', 0.05: '0.1', 65.76022657905088: '65.8' };
    for (const [x, want] of Object.entries(rust)) assert.equal(rustFixed1(Number(x)), want, x);
    assert.equal(rustFixed1(-0.25), '-0.2');
  });

  test('the page shows a labelled form, a prediction and the model', async () => {
    assert.equal(await page.title(), 'Student Performance Predictor');
    await page.getByRole('heading', { name: 'Student Performance Predictor' }).waitFor();
    await page.getByText('Runs entirely in your browser — nothing you enter leaves this device').waitFor();
    for (const f of features) {
      const control = page.getByLabel(f.label, { exact: true });
      assert.equal(await control.count(), 1, `one control labelled ${f.label}`);
      if (f.kind === 'categorical') {
        const options = await control.locator('option').evaluateAll((os) => os.map((o) => o.value));
        assert.deepEqual(options, f.categories, `${f.label} offers the model's categories`);
      } else {
        assert.equal(await control.getAttribute('inputmode'), 'decimal');
      }
    }
    const status = page.getByRole('status');
    assert.match(await status.textContent(), /Predicted /);
    assert.match(await predictionText(page), /^-?\d+\.\d$/, 'a prediction shows at once');
    const info = await page.locator('[data-testid="model-info"]').textContent();
    assert.match(info, new RegExp(`test R² ${model.metrics.test_r2.toFixed(3)} · 90\u00a0% interval ± ${model.interval.half_width.toFixed(1)} points`));
  });

  test('every test-split student gets the native prediction', async () => {
    const cases = readParityCases();
    const mismatches = await parityMismatches(page, features, cases, (c) => c.prediction);
    assert.deepEqual(mismatches, [], `${mismatches.length} of ${cases.length} predictions differ`);
  });

  for (const [typed, problem] of [
    ['150', /150 is not between 0 and 100/],
    // The message writes a negative number with the minus sign (U+2212), as every surface does.
    ['-1', /\u22121 is not between 0 and 100/],
    ['', /a value is required/],
    ['abc', /"abc" is not a number/],
  ]) {
    test(`a score of ${JSON.stringify(typed)} is explained next to the field`, async () => {
      const field = numeric[0];
      assert.ok(field, 'the model has a numeric feature');
      const control = page.getByLabel(field.label, { exact: true });
      await control.fill(typed);
      await page.locator(`${PREDICTION}.empty`).waitFor();
      assert.equal(await control.getAttribute('aria-invalid'), 'true');
      const said = await description(control);
      assert.match(said, new RegExp(field.label));
      assert.match(said, problem);
      assert.doesNotMatch(await predictionText(page), /\d/, 'no number while a field is wrong');
      assert.match(await page.getByRole('status').textContent(), /Fix the highlighted fields/);
      assert.doesNotMatch(await page.locator('body').innerText(), /NaN/);

      await control.fill('70');
      await page.locator(`${PREDICTION}:not(.empty)`).waitFor();
      assert.match(await predictionText(page), /^-?\d+\.\d$/, 'a number again once fixed');
      assert.equal(await control.getAttribute('aria-invalid'), null);
      assert.doesNotMatch(await description(control), /not between|required|not a number/);
    });
  }

  test('the form follows the dataset file: its groups, in its order', async () => {
    await page.reload();
    await page.locator(PREDICTION).waitFor();
    const legends = await page.locator('form.form legend').allTextContents();
    assert.deepEqual(legends, ['Student', 'Family', 'School', 'Scores']);
    const hint = await page.locator('#hint-reading-score').textContent();
    assert.equal(hint.trim(), '0 to 100 points');
  });

  test('the result names its scale, says what the model is and is not, and shows a cut interval to everyone', async () => {
    await page.reload();
    await page.locator(PREDICTION).waitFor();
    assert.equal((await page.locator('[data-testid="status-note"]').textContent()).trim(), 'out of 100 points');
    const honest = page.locator('[data-testid="honest"]');
    assert.ok(await honest.isVisible(), 'the honest line is visible');
    const said = await honest.textContent();
    assert.match(said, /associations in its training data, not causes/);
    assert.match(said, /generated/);
    // A very strong student: the upper bound is cut at 100, and the page says so visibly.
    await page.getByLabel(LABELS.reading_score, { exact: true }).fill('100');
    await page.getByLabel(LABELS.writing_score, { exact: true }).fill('100');
    await page.getByLabel(LABELS.gender, { exact: true }).selectOption('male');
    const cut = page.locator('[data-testid="interval-cut"]');
    await cut.waitFor();
    assert.ok(await cut.isVisible(), 'the cut is visible, not for screen readers only');
    assert.match(await cut.textContent(), /cut at the 0–100 range/);
    await page.getByLabel(LABELS.reading_score, { exact: true }).fill('50');
    await page.getByLabel(LABELS.writing_score, { exact: true }).fill('50');
    await page.locator('[data-testid="interval-cut"]').waitFor({ state: 'detached' });
  });

  test('on a phone the result is a compact bar that expands, and never covers the goal answer', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const tab = await phone.newPage();
    const tabErrors = collectErrors(tab);
    await tab.goto(server.url);
    await tab.locator(PREDICTION).waitFor();
    const card = tab.locator('.result');
    const heights = [];
    for (const y of [0, 300, 700, 1100]) {
      await tab.evaluate((to) => window.scrollTo(0, to), y);
      heights.push((await card.boundingBox()).height);
    }
    for (const h of heights) assert.ok(h <= 0.15 * 844, `the card is ${h.toFixed(0)} px, more than 15 % of 844 px`);
    // The details open on demand, and close again.
    const toggle = tab.getByRole('checkbox', { name: 'Details' });
    const coverage = tab.locator('.result .coverage');
    assert.equal(await toggle.isChecked(), false);
    assert.equal(await coverage.isVisible(), false);
    assert.equal(await tab.locator('[data-testid="model-info"]').isVisible(), true, 'the model is always named');
    await toggle.check();
    assert.equal(await coverage.isVisible(), true);
    await toggle.uncheck();
    assert.equal(await coverage.isVisible(), false);

    await tab.locator('#goal-input').focus();
    await tab.keyboard.type('90');
    const summary = tab.locator('[data-testid="goal-summary"]');
    await tab.waitForFunction(() => /\S/.test(document.querySelector('[data-testid="goal-summary"]')?.textContent ?? ''));
    await summary.scrollIntoViewIfNeeded();
    const a = await summary.boundingBox();
    const b = await card.boundingBox();
    const overlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
    assert.ok(overlap <= 0, `the card covers ${overlap.toFixed(0)} px of the goal's answer`);
    await phone.close();
    assert.deepEqual(tabErrors, []);
  });

  test('screenshots: desktop and phone', async () => {
    await page.reload();
    await page.locator(PREDICTION).waitFor();
    await showReasons(page);
    await screenshot(page, 'predict-desktop');

    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const mobile = await phone.newPage();
    const mobileErrors = collectErrors(mobile);
    await mobile.goto(server.url);
    await mobile.locator(PREDICTION).waitFor();
    await showReasons(mobile);
    const width = await mobile.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling on a phone (page is ${width}px wide)`);
    await screenshot(mobile, 'predict-mobile');
    await phone.close();
    assert.deepEqual(mobileErrors, []);
  });

  test('no console errors or page errors', () => {
    assert.deepEqual(errors, []);
  });
});
