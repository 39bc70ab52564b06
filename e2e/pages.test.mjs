// Every page in Chromium: navigation and deep links (reload included), the predictor's interval,
// reasons and what-if controls, the models leaderboard, the insights charts, accessibility
// (axe-core, light and dark) and screenshots of each page on a desktop and a phone.
//   trunk build --release && make parity-cases && node --test e2e/

import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PREDICTION, axeViolations, collectErrors, screenshot, defaultModel, defaultReport, openApp, readParityCases, closeTab } from './server.mjs';

const model = defaultModel();
const report = defaultReport();

// Each page: its path, its navigation label, its heading and the document title.
const PAGES = [
  { name: 'predict', path: '/', nav: 'Predict', heading: 'Predict a score', title: 'Student Performance Predictor' },
  { name: 'models', path: '/models', nav: 'Models', heading: 'Models compared', title: 'Models · Student Performance Predictor' },
  { name: 'insights', path: '/insights', nav: 'Insights', heading: 'Data insights', title: 'Insights · Student Performance Predictor' },
  { name: 'fairness', path: '/fairness', nav: 'Fairness', heading: 'Fairness', title: 'Fairness · Student Performance Predictor' },
  { name: 'batch', path: '/batch', nav: 'Batch', heading: 'Predict a whole class', title: 'Batch · Student Performance Predictor' },
  { name: 'about', path: '/about', nav: 'About', heading: 'About this model', title: 'About · Student Performance Predictor' },
];


/** A few students from the parity file as a small CSV (for the batch page's pictures). */
function smallCsv() {
  const cases = readParityCases().slice(0, 12);
  const columns = [...model.features.map((f) => f.name), model.target];
  const lines = cases.map((c, i) =>
    columns.map((n) => (i === 4 && n === 'writing_score' ? 'n/a' : c.student[n])).join(','),
  );
  return [columns.join(','), ...lines].join('\n') + '\n';
}

/** Waits until the page's training report has arrived (pages that need it fetch it once). */
async function reportShown(page) {
  // The app first (its page title), then no report still loading: before the wasm mounts there
  // is no loading card either, and a large report.json made that race visible.
  await page.locator('main .page-title').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="report-loading"]'));
}

/** Shows a typical page state worth a picture (and an accessibility check). */
async function prepare(page, name) {
  await reportShown(page);
  if (name === 'predict') {
    await page.getByLabel('Gender', { exact: true }).selectOption('male');
    await page.getByLabel('Writing score', { exact: true }).fill('84');
    await page.getByLabel('Test preparation course', { exact: true }).selectOption('completed');
    await page.locator('.waterfall').waitFor();
    await page.evaluate(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
  }
  if (name === 'batch') {
    await page.getByLabel('CSV file').setInputFiles({
      name: 'class.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(smallCsv()),
    });
    await page.locator('[data-testid="batch-summary"]').waitFor();
    await page.locator('#results-title').evaluate((el) => el.scrollIntoView());
  }
}

describe('the pages in Chromium', () => {
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
  });

  afterEach(() => closeTab(page));

  after(() => app?.close());

  const heading = (text) => page.getByRole('heading', { level: 2, name: text, exact: true });

  test('the navigation links every page and marks the current one, without reloading', async () => {
    await page.goto(server.url);
    await heading('Predict a score').waitFor();
    await page.evaluate(() => {
      window.__sameDocument = true;
    });
    const nav = page.getByRole('navigation', { name: 'Pages' });
    for (const p of [...PAGES.slice(1), PAGES[0]]) {
      await nav.getByRole('link', { name: p.nav, exact: true }).click();
      await heading(p.heading).waitFor();
      assert.equal(new URL(page.url()).pathname, p.path);
      assert.equal(await page.title(), p.title);
      const current = nav.locator('[aria-current="page"]');
      assert.equal(await current.count(), 1, 'one current page');
      assert.equal((await current.textContent()).trim(), p.nav);
    }
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'client-side navigation');
    // The browser's back button goes back a page.
    await page.goBack();
    const last = PAGES.at(-1);
    await heading(last.heading).waitFor();
    assert.equal(new URL(page.url()).pathname, last.path);
    // A link inside a page drawn by the pages module navigates in the same document too.
    await nav.getByRole('link', { name: 'About', exact: true }).click();
    await page.getByRole('link', { name: 'Fairness page' }).click();
    await heading('Fairness').waitFor();
    assert.equal(new URL(page.url()).pathname, '/fairness');
    assert.equal(await page.evaluate(() => window.__sameDocument), true, 'still the same document');
  });

  for (const p of PAGES) {
    test(`${p.path} works as a deep link and after a reload`, async () => {
      await page.goto(server.url + p.path.slice(1));
      await heading(p.heading).waitFor();
      await page.reload();
      await heading(p.heading).waitFor();
      assert.equal(await page.title(), p.title);
      assert.equal(
        (await page.locator('nav [aria-current="page"]').textContent()).trim(),
        p.nav,
      );
    });
  }

  test('an unknown address says so and links back', async () => {
    await page.goto(`${server.url}no-such-page`);
    await heading('Page not found').waitFor();
    await page.getByRole('link', { name: 'start with a prediction' }).click();
    await heading('Predict a score').waitFor();
  });

  test('the skip link moves keyboard focus to the page', async () => {
    await page.goto(server.url);
    await heading('Predict a score').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'field-gender', 'the first field is next');
  });

  test('predict: the interval, its coverage and its limits', async () => {
    await page.goto(server.url);
    const interval = page.locator('[data-testid="interval"]');
    await interval.waitFor();
    const value = Number((await page.locator(PREDICTION).textContent()).trim());
    const half = model.interval.half_width;
    const level = Math.round(model.interval.level * 100);
    const text = (await interval.textContent()).replace(/\s+/g, ' ');
    const [, shownLevel, low, high] = text.match(/^(\d+) % interval: (\d+\.\d) – (\d+\.\d)$/) ?? [];
    assert.equal(Number(shownLevel), level, text);
    assert.ok(Math.abs(Number(low) - (value - half)) <= 0.11, text);
    assert.ok(Math.abs(Number(high) - (value + half)) <= 0.11, text);
    assert.match(await interval.getAttribute('title'), /limited to the 0–100 score range/);
    const coverage = Math.round(model.interval.test_coverage * 100);
    assert.match(await page.locator('.coverage').textContent(), new RegExp(`covered ${coverage}\\s% of held-out students`));

    // A very strong student: the upper bound stops at 100.
    await page.getByLabel('Reading score', { exact: true }).fill('100');
    await page.getByLabel('Writing score', { exact: true }).fill('100');
    await page.getByLabel('Gender', { exact: true }).selectOption('male');
    await page.waitForFunction(() => document.querySelector('[data-testid="interval"]')?.textContent.includes('100.0'));
    assert.match(await interval.textContent(), /– 100\.0/);
  });

  test('predict: the reasons add up and follow every change', async () => {
    await page.goto(server.url);
    await page.locator('[data-testid="why-empty"]').waitFor();
    assert.match(await page.locator('.baseline').textContent(), /A typical student — .+ — scores \d+\.\d\./);
    await page.getByLabel('Writing score', { exact: true }).fill('90');
    const bars = page.locator('.waterfall .row');
    await bars.first().waitFor();
    assert.equal(await bars.count(), model.features.length, 'one bar per field');
    const sum = (await page.locator('[data-testid="why-sum"]').textContent()).replace('\u2212', '-');
    const [baseline, delta, total] = sum.match(/[-+]?\d+\.\d/g).map(Number);
    assert.ok(Math.abs(baseline + delta - total) <= 0.11, sum);
    assert.equal(total.toFixed(1), (await page.locator(PREDICTION).textContent()).trim());
    // The largest bar comes first.
    const first = await bars.first().locator('.label').textContent();
    assert.match(first, /^Writing score: 90$/);
  });

  test('predict: a decimal comma and full-width digits are read, and the slider follows', async () => {
    await page.goto(server.url);
    const field = page.getByLabel('Reading score', { exact: true });
    const slider = page.getByRole('slider', { name: 'Reading score slider' });
    // The slider moves in whole points: it stands at the nearest one.
    const sliderAt = (value) =>
      page.waitForFunction((v) => Math.abs(Number(document.querySelector('input[aria-label="Reading score slider"]')?.value) - v) <= 0.5, value, { timeout: 2000 });
    await field.fill('85,5');
    await sliderAt(85.5);
    assert.equal(await page.locator('.field-error').count(), 0, 'no field error');
    await field.fill('８５');
    await sliderAt(85);
    assert.equal(await page.locator('.field-error').count(), 0, 'no field error');
    await field.fill('1e1');
    assert.match(await page.locator('.field-error').first().textContent(), /number/);
    await sliderAt(50);
    await field.fill('70');
  });

  test('predict: sliders and chips share the fields, and move the prediction while dragging', async () => {
    await page.goto(server.url);
    const slider = page.getByRole('slider', { name: 'Reading score slider' });
    const field = page.getByLabel('Reading score', { exact: true });
    assert.equal(await slider.getAttribute('min'), '0');
    assert.equal(await slider.getAttribute('max'), '100');
    assert.equal(await slider.getAttribute('step'), '1');
    const before = (await page.locator(PREDICTION).textContent()).trim();

    // Dragging fires `input` events as the thumb moves: the prediction follows each one.
    await slider.scrollIntoViewIfNeeded();
    const box = await slider.boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.5, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.95, y, { steps: 4 });
    const during = (await page.locator(PREDICTION).textContent()).trim();
    const fieldDuring = await field.inputValue();
    await page.mouse.up();
    assert.notEqual(during, before, 'the prediction moved while dragging');
    assert.ok(Number(fieldDuring) > 85, `the text field follows the slider (${fieldDuring})`);

    // Keyboard on the slider, then typing in the field: one value, two controls.
    await slider.focus();
    await page.keyboard.press('Home');
    assert.equal(await field.inputValue(), '0');
    await field.fill('63');
    assert.equal(await slider.inputValue(), '63');

    // A chip sets the select, and the select moves the chip. Chips are for the actionable
    // fields only (issue 22: a what-if never varies gender), so the course's.
    await page.getByRole('radio', { name: /^Completed/ }).check();
    assert.equal(await page.getByLabel('Test preparation course', { exact: true }).inputValue(), 'completed');
    await page.getByLabel('Test preparation course', { exact: true }).selectOption('none');
    assert.equal(await page.getByRole('radio', { name: /^None/ }).isChecked(), true);
    // Every other chip says how far it would move the prediction.
    assert.match(await page.getByRole('radio', { name: /^Completed/ }).locator('..').textContent(), /Completed[+\u2212]\d+\.\d/);
  });

  test('models: every family, the winner marked, the chart and how it was chosen', async () => {
    await page.goto(`${server.url}models`);
    const table = page.locator('[data-testid="leaderboard"]');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    assert.equal(await rows.count(), report.families.length);
    const winner = table.locator('tr.winner');
    assert.equal(await winner.count(), 1);
    assert.match(await winner.textContent(), /winner/);
    const best = [...report.families].sort((a, b) => b.cv_r2_mean - a.cv_r2_mean)[0];
    assert.match(await rows.first().textContent(), new RegExp(`${best.cv_r2_mean.toFixed(3)} ± ${best.cv_r2_std.toFixed(3)}`));
    const header = await table.locator('thead').textContent();
    for (const column of ['CV R²', 'Test R²', 'Test MAE', 'Test RMSE', 'Fit time', 'Best parameters']) {
      assert.ok(header.includes(column), `a ${column} column`);
    }
    const chart = page.locator('svg.chart.bars');
    assert.equal(await chart.locator('.row').count(), report.families.length);
    assert.equal(await chart.locator('path.error').count(), report.families.length, 'error bars');
    const notes = await page.locator('.notes').textContent();
    assert.match(notes, /cross-validation R² alone/);
    assert.match(notes, new RegExp(`split seed ${report.split.seed}`));
    assert.match(notes, new RegExp(`fold seed ${report.cv.seed}`));
    assert.match(notes, new RegExp(`${report.split.n_train} train / ${report.split.n_test} test`));
  });

  test('insights: every aggregate drawn, each chart with a text alternative', async () => {
    await page.goto(`${server.url}insights`);
    await heading('Data insights').waitFor();
    const i = report.insights;
    assert.equal(await page.locator('svg.histogram').count(), i.histograms.length);
    assert.equal(await page.locator('svg.line').count(), i.relations.length);
    assert.equal(await page.locator('svg.bars').count(), i.by_category.length + 1);
    for (const svg of await page.locator('svg.chart').all()) {
      assert.equal(await svg.getAttribute('role'), 'img');
      assert.ok((await svg.getAttribute('aria-label')).length > 20);
    }
    assert.equal(await page.locator('figure .visually-hidden table').count(), i.histograms.length + i.by_category.length + i.relations.length);
    const r = i.relations[0];
    // The chart's figure (the chart sits in a frame that sizes it to the card).
    assert.match(await page.locator('svg.line').first().locator('xpath=ancestor::figure[1]').textContent(), new RegExp(`r = ${r.correlation.toFixed(2)}`));
    assert.doesNotMatch(await page.locator('main').innerText(), /NaN|undefined/);
  });

  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 390]) {
      test(`no accessibility violations on any page (${scheme}, ${width} px wide)`, async () => {
        const context = await browser.newContext({ viewport: { width, height: width > 400 ? 800 : 844 }, colorScheme: scheme });
        const tab = await context.newPage();
        const found = [];
        for (const p of PAGES) {
          await tab.goto(server.url + p.path.slice(1));
          await tab.getByRole('heading', { level: 2, name: p.heading, exact: true }).waitFor();
          await prepare(tab, p.name);
          found.push(...(await axeViolations(tab)).map((v) => `${p.path}: ${v}`));
        }
        await context.close();
        assert.deepEqual(found, []);
      });
    }
  }

  test('a wide table is a focusable, named scroll region with a visible cue at 390 px', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const tab = await context.newPage();
    for (const p of PAGES.filter((p) => ['models', 'fairness', 'batch'].includes(p.name))) {
      await tab.goto(server.url + p.path.slice(1));
      await prepare(tab, p.name);
      const regions = await tab.locator('.table-scroll').evaluateAll((els) =>
        els.map((el) => ({
          role: el.getAttribute('role'),
          label: el.getAttribute('aria-label'),
          tabindex: el.getAttribute('tabindex'),
          scrolls: el.scrollWidth > el.clientWidth,
          cue: getComputedStyle(el).backgroundImage,
        })),
      );
      assert.ok(regions.length > 0, p.path);
      for (const r of regions) {
        assert.equal(r.role, 'region', p.path);
        assert.ok(r.label && r.label.length > 3, `${p.path}: ${r.label}`);
        assert.equal(r.tabindex, '0', p.path);
        assert.match(r.cue, /radial-gradient/, `${p.path}: the edge shadow that says it scrolls`);
      }
      // The report pages' tables stack their rows on a phone (issue 22: no number behind a
      // sideways scroll); the batch results still scroll.
      if (p.name === 'batch') assert.ok(regions.some((r) => r.scrolls), `${p.path}: some table is wider than a phone`);
    }
    await context.close();
  });

  for (const width of [1280, 390]) {
    test(`no number in a report table sits behind a horizontal scroll (${width} px wide)`, async () => {
      const context = await browser.newContext({ viewport: { width, height: width > 400 ? 800 : 844 } });
      const tab = await context.newPage();
      const hidden = [];
      try {
        for (const p of PAGES.filter((p) => ['models', 'fairness'].includes(p.name))) {
          await tab.goto(server.url + p.path.slice(1));
          await prepare(tab, p.name);
          await tab.locator('main table').first().waitFor();
          hidden.push(
            ...(await tab.evaluate(() => {
              const out = [];
              const viewport = document.documentElement.clientWidth;
              for (const cell of document.querySelectorAll('main table tbody td, main table tbody th')) {
                if (!/\d/.test(cell.textContent) || cell.closest('.visually-hidden')) continue;
                const box = cell.getBoundingClientRect();
                const frame = cell.closest('.table-scroll')?.getBoundingClientRect() ?? { left: 0, right: viewport };
                const [left, right] = [Math.max(0, frame.left), Math.min(viewport, frame.right)];
                if (box.left < left - 1 || box.right > right + 1) {
                  out.push(`${location.pathname}: "${cell.textContent.trim()}" spans ${Math.round(box.left)}–${Math.round(box.right)} px, its frame ${Math.round(left)}–${Math.round(right)}`);
                }
              }
              return out;
            })),
          );
        }
      } finally {
        await context.close();
      }
      assert.deepEqual(hidden, []);
    });
  }

  test('on a phone the sticky result never hides the focused control', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const tab = await context.newPage();
    await tab.goto(server.url);
    await tab.locator(PREDICTION).waitFor();
    await tab.locator('#field-gender').focus();
    const hidden = [];
    for (let i = 0; i < 40; i++) {
      const state = await tab.evaluate(() => {
        const el = document.activeElement;
        const card = document.querySelector('.result');
        if (!el || !card || el === document.body) return null;
        const a = el.getBoundingClientRect();
        const b = card.getBoundingClientRect();
        const overlap = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        const inside = card.contains(el);
        return { id: el.id || el.getAttribute('name') || el.tagName, overlap, inside, bottom: a.bottom, innerHeight };
      });
      if (!state) break;
      if (!state.inside && state.overlap > 0) hidden.push(`${state.id}: ${state.overlap.toFixed(0)} px under the result`);
      if (!state.inside && state.bottom > state.innerHeight) hidden.push(`${state.id}: below the screen`);
      await tab.keyboard.press('Tab');
      if (await tab.evaluate(() => document.activeElement?.closest('.why, footer') !== null)) break;
    }
    await context.close();
    assert.deepEqual(hidden, []);
  });

  test('a change of page moves focus to its heading and retitles the tab', async () => {
    await page.goto(server.url);
    await heading('Predict a score').waitFor();
    for (const p of PAGES.slice(1)) {
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: p.nav, exact: true }).click();
      // The clicked link has the page's name too, and keeps focus until the page (its module
      // fetched on a first visit) is drawn: wait for the heading itself.
      await page.waitForFunction((t) => document.activeElement?.tagName === 'H2' && document.activeElement.textContent === t, p.heading, { timeout: 5000 }).catch(() => {});
      assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H2', p.path);
      assert.equal(await page.title(), p.title);
    }
  });

  test('a page that shows the report asks for it once, early (the preload boot.js starts); the others never', async () => {
    const shows = new Set(['/models', '/insights', '/fairness', '/about']);
    for (const p of PAGES) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(server.url + p.path.slice(1));
      await tab.getByRole('heading', { level: 2, name: p.heading, exact: true }).waitFor();
      await reportShown(tab);
      const fetched = await tab.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => new URL(e.name).pathname === '/report.json')
          .map((e) => e.initiatorType),
      );
      // One entry, from the preload link: the app's own fetch was served by it, not sent again.
      assert.deepEqual(fetched, shows.has(p.path) ? ['link'] : [], p.path);
      await context.close();
    }
  });

  test('the page loads without a console warning', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const warnings = [];
    tab.on('console', (msg) => {
      if (msg.type() === 'warning' || msg.type() === 'error') warnings.push(msg.text());
    });
    for (const p of PAGES) {
      await tab.goto(server.url + p.path.slice(1));
      await tab.getByRole('heading', { level: 2, name: p.heading, exact: true }).waitFor();
      await reportShown(tab);
    }
    await context.close();
    assert.deepEqual(warnings, []);
  });

  test('every chart fills its card at 1280 and at 390 px', async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const tab = await context.newPage();
      for (const p of PAGES) {
        await tab.goto(server.url + p.path.slice(1));
        await prepare(tab, p.name);
        const charts = await tab.locator('.chart-fit').evaluateAll((els) =>
          els.map((el) => {
            const svg = el.querySelector('svg');
            return { frame: el.clientWidth, svg: svg ? svg.getBoundingClientRect().width : 0 };
          }),
        );
        for (const c of charts) {
          assert.ok(c.svg >= c.frame - 2 && c.svg <= c.frame + 1, `${p.path} at ${width} px: a ${c.svg} px chart in a ${c.frame} px card`);
        }
      }
      await context.close();
    }
  });

  test('screenshots: each page on a desktop and a phone, no sideways scrolling', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const mobile = await phone.newPage();
    const mobileErrors = collectErrors(mobile);
    for (const p of PAGES) {
      for (const [tab, kind] of [[page, 'desktop'], [mobile, 'mobile']]) {
        await tab.goto(server.url + p.path.slice(1));
        await tab.getByRole('heading', { level: 2, name: p.heading, exact: true }).waitFor();
        await prepare(tab, p.name);
        const width = await tab.evaluate(() => document.documentElement.scrollWidth);
        const viewport = tab.viewportSize().width;
        assert.ok(width <= viewport, `${p.path} on ${kind}: the page is ${width}px wide in a ${viewport}px window`);
        await screenshot(tab, `${p.name}-${kind}`);
      }
    }
    await phone.close();
    assert.deepEqual(mobileErrors, []);
  });

  test('no console errors or page errors', () => {
    assert.deepEqual(errors, []);
  });
});
