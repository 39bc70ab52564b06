//! The app's components mounted in a real browser (headless Chromium through
//! wasm-bindgen-test): `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p app --target
//! wasm32-unknown-unknown`. Each test mounts the whole app (`AppWith`) at an address, with the
//! embedded models or a broken document, and the reports given or fetched.
#![cfg(target_arch = "wasm32")]

use app::{parse_models, parse_reports, AppWith, Catalog, Reports, MODEL_JSON};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::web_sys::{
    self as web_sys, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const REPORT_JSON: &str = include_str!("../../assets/report.json");

/// The app mounted in a fresh container; dropping it unmounts the app and removes the
/// container, so no router of an earlier test hears a later test's clicks.
struct Mounted {
    root: HtmlElement,
    handle: Option<Box<dyn std::any::Any>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.root.remove();
        go("/");
    }
}

impl std::ops::Deref for Mounted {
    type Target = HtmlElement;
    fn deref(&self) -> &HtmlElement {
        &self.root
    }
}

/// The app at `path` with these models and reports, the remembered selection cleared first.
async fn app_at(path: &str, models: Result<Catalog, String>, reports: Reports) -> Mounted {
    clear_storage();
    app_keeping_storage(path, models, reports).await
}

/// The app at `path` with the embedded models and the committed reports.
async fn app(path: &str) -> Mounted {
    app_at(path, parse_models(MODEL_JSON), reports()).await
}

fn reports() -> Reports {
    Reports::with(parse_reports(REPORT_JSON))
}

/// The app at `path`, reading the selection the last one remembered.
async fn app_keeping_storage(
    path: &str,
    models: Result<Catalog, String>,
    reports: Reports,
) -> Mounted {
    go(path);
    let root = document()
        .create_element("div")
        .expect("a div")
        .unchecked_into::<HtmlElement>();
    document()
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    let handle = mount_to(root.clone(), move || view! { <AppWith models reports /> });
    settle().await;
    Mounted {
        root,
        handle: Some(Box::new(handle)),
    }
}

/// Forgets the selection a test remembered.
fn clear_storage() {
    window()
        .local_storage()
        .expect("storage")
        .expect("storage")
        .clear()
        .expect("cleared");
}

/// Puts `path` in the address bar (without navigating) for the next app mounted.
fn go(path: &str) {
    window()
        .history()
        .expect("a history")
        .push_state_with_url(&JsValue::NULL, "", Some(path))
        .expect("pushed");
}

fn text(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The element in `root` that `selector` matches, as the kind of element `T` the test knows it
/// to be.
fn find<T: JsCast>(root: &HtmlElement, selector: &str) -> T {
    root.query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .unchecked_into::<T>()
}

fn input(root: &HtmlElement, selector: &str) -> HtmlInputElement {
    find(root, selector)
}

fn count(root: &HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector)
        .expect("a valid selector")
        .length()
}

/// True when `shown` is a number with exactly one decimal, as `{:.1}` prints it.
fn one_decimal(shown: &str) -> bool {
    matches!(shown.split_once('.'), Some((whole, tenth))
        if !whole.is_empty() && tenth.len() == 1 && shown.parse::<f64>().is_ok())
}

/// Sets an input's value as typing or dragging would, firing `input`, and lets the app follow.
async fn type_into(control: &HtmlInputElement, value: &str) {
    control.set_value(value);
    fire(control, "input");
    settle().await;
}

/// Picks `value` in a list, firing `change`, and lets the app follow.
async fn choose(list: &HtmlSelectElement, value: &str) {
    list.set_value(value);
    fire(list, "change");
    settle().await;
}

/// Goes to `path` in this document as the back and forward buttons do (the router follows the
/// history's `popstate`), and lets the app follow. Link clicks are the e2e suite's.
async fn navigate(path: &str) {
    go(path);
    fire(&window(), "popstate");
    settle().await;
}

/// Clicks `element` and lets the app follow.
async fn click(element: &HtmlElement) {
    element.click();
    settle().await;
}

/// Fires a bubbling `kind` event at `target`, as the browser does for a change to a control.
fn fire(target: &web_sys::EventTarget, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict(kind, &init).expect("an event");
    target.dispatch_event(&event).expect("dispatched");
}

/// Lets the app finish what it does after an event: effects, a new page, a fetch.
async fn settle() {
    sleep(30).await;
}

/// Waits `ms` milliseconds (a task, so the browser runs everything queued).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("a timeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("resolved");
}

fn default_features() -> u32 {
    let catalog = parse_models(MODEL_JSON).expect("the model parses");
    catalog
        .get(catalog.default_target(), false)
        .expect("math")
        .features()
        .len() as u32
}

#[wasm_bindgen_test]
async fn a_prediction_shows_at_once_and_bad_scores_are_explained() {
    let root = app("/").await;
    let shown = text(&root, "[data-testid=prediction]");
    assert!(
        one_decimal(&shown),
        "{shown:?} is not a score with one decimal"
    );
    assert!(text(&root, "[data-testid=model-info]").contains("test R²"));
    assert_eq!(text(&root, "nav [aria-current=page]"), "Predict");
    assert_eq!(document().title(), "Student Performance Predictor");

    let field = input(&root, "#field-reading-score");
    type_into(&field, "150").await;
    assert_eq!(text(&root, "[data-testid=prediction]"), "—");
    assert_eq!(text(&root, ".status-note"), "Fix the highlighted fields");
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        field.get_attribute("aria-describedby").as_deref(),
        Some("hint-reading-score error-reading-score")
    );
    assert_eq!(
        text(&root, "#error-reading-score"),
        "Reading score: 150 is not between 0 and 100"
    );
    assert_eq!(count(&root, ".field.has-error"), 1);
    assert!(text(&root, "[data-testid=why-empty]").contains("Fix the highlighted fields"));

    type_into(&field, "70").await;
    assert!(one_decimal(&text(&root, "[data-testid=prediction]")));
    assert_eq!(field.get_attribute("aria-invalid"), None);
    assert_eq!(
        field.get_attribute("aria-describedby").as_deref(),
        Some("hint-reading-score")
    );
    assert_eq!(count(&root, ".field.has-error"), 0);
    assert!(!root.inner_html().contains("NaN"));
}

#[wasm_bindgen_test]
async fn an_unreadable_model_shows_an_error_card_naming_the_problem() {
    for (document, problem) in [
        ("{ not json".to_owned(), "not valid JSON"),
        (
            MODEL_JSON.replacen("{\"major\":1,", "{\"major\":9,", 1),
            "version 9.1 is not supported",
        ),
    ] {
        let root = app_at("/", parse_models(&document), reports()).await;
        let card = text(&root, "[data-testid=model-error]");
        assert!(card.contains("could not be loaded"), "{card}");
        assert!(card.contains(problem), "{card}");
        assert_eq!(count(&root, "form"), 0);
        // Without models there is nothing to select; the other pages still work.
        assert_eq!(count(&root, "[data-testid=selection]"), 0);
        drop(root);
    }
}

#[wasm_bindgen_test]
async fn the_slider_and_the_text_field_share_one_value() {
    let root = app("/").await;
    let text_field = input(&root, "#field-reading-score");
    let slider = input(&root, "#slider-reading-score");
    assert_eq!(
        slider.get_attribute("aria-label").as_deref(),
        Some("Reading score slider")
    );
    assert_eq!(slider.value(), text_field.value());
    let before = text(&root, "[data-testid=prediction]");

    type_into(&slider, "95").await;
    assert_eq!(text_field.value(), "95", "the text follows the slider");
    assert_eq!(text(&root, "#shown-reading-score"), "95");
    assert_ne!(
        text(&root, "[data-testid=prediction]"),
        before,
        "the prediction follows"
    );

    type_into(&text_field, "40").await;
    assert_eq!(slider.value(), "40", "the slider follows the text");
    type_into(&text_field, "abc").await;
    assert_eq!(
        slider.value(),
        "50",
        "a slider stays in the middle meanwhile"
    );
    // The head says why the slider is not at the text (issue 22: never a value it is not at).
    assert_eq!(text(&root, "#shown-reading-score"), "not a number");
    type_into(&text_field, "105").await;
    assert_eq!(slider.value(), "100");
    assert_eq!(text(&root, "#shown-reading-score"), "105 is above 100");
}

#[wasm_bindgen_test]
async fn the_chips_and_the_list_share_one_value_and_show_what_each_would_change() {
    let root = app("/").await;
    // The chips are the actionable categories' only (the course), never gender's.
    assert_eq!(count(&root, "[name=whatif-gender]"), 0);
    let list = find::<HtmlSelectElement>(&root, "#field-test-preparation-course");
    let completed = input(
        &root,
        "input[name=whatif-test-preparation-course][value=completed]",
    );
    let none = input(
        &root,
        "input[name=whatif-test-preparation-course][value=none]",
    );
    assert_eq!(list.value(), "none");
    assert!(none.checked() && !completed.checked());
    // The picked chip shows no change; the other one says how far the score would move.
    let delta = |chip: &HtmlInputElement| {
        chip.parent_element()
            .and_then(|label| label.query_selector(".chip-delta").ok().flatten())
            .map(|d| d.text_content().unwrap_or_default())
    };
    assert_eq!(delta(&none), None);
    let moved = delta(&completed).expect("a delta");
    assert!(
        moved.starts_with('+') || moved.starts_with('\u{2212}'),
        "{moved}"
    );

    let before: f64 = text(&root, "[data-testid=prediction]")
        .parse()
        .expect("a number");
    click(&completed).await;
    assert_eq!(list.value(), "completed", "the list follows the chip");
    let after: f64 = text(&root, "[data-testid=prediction]")
        .parse()
        .expect("a number");
    let moved: f64 = moved.replace('\u{2212}', "-").parse().expect("a number");
    assert!(
        (after - before - moved).abs() < 0.11,
        "{before} {moved} {after}"
    );

    choose(&list, "none").await;
    assert!(
        none.checked() && !completed.checked(),
        "the chips follow the list"
    );
}

#[wasm_bindgen_test]
async fn the_reasons_add_up_to_the_prediction() {
    let root = app("/").await;
    // The typical student has nothing to explain.
    assert!(text(&root, "[data-testid=why-empty]").contains("typical student"));

    type_into(&input(&root, "#field-writing-score"), "92").await;
    assert_eq!(
        count(&root, ".waterfall .row"),
        default_features(),
        "one bar per field"
    );
    // "66.0 (typical) +5.3 (this student's differences) = 71.3"
    let sum = text(&root, "[data-testid=why-sum]").replace('\u{2212}', "-");
    let numbers: Vec<f64> = sum
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .filter_map(|t| t.parse().ok())
        .collect();
    assert_eq!(numbers.len(), 3, "{sum}");
    assert!((numbers[0] + numbers[1] - numbers[2]).abs() < 0.11, "{sum}");
    assert_eq!(
        format!("{:.1}", numbers[2]),
        text(&root, "[data-testid=prediction]")
    );
    // The chart is laid out for its card's width, in CSS pixels.
    let chart: web_sys::Element = find(&root, "svg.waterfall");
    let frame: HtmlElement = find(&root, ".chart-fit");
    let width: f64 = chart
        .get_attribute("width")
        .expect("a width")
        .parse()
        .expect("a number");
    assert!(
        (width - f64::from(frame.client_width()).max(260.0)).abs() <= 1.0,
        "{width} vs {}",
        frame.client_width()
    );
}

#[wasm_bindgen_test]
async fn the_switch_and_the_score_change_the_form_but_keep_what_was_typed() {
    let root = app("/").await;
    type_into(&input(&root, "#field-writing-score"), "81").await;
    let switch = input(&root, "#unaware-switch");
    assert!(!switch.checked() && !switch.disabled());
    click(&switch).await;
    assert_eq!(count(&root, "#field-gender, #field-race-ethnicity"), 0);
    assert_eq!(
        count(&root, "[name=whatif-gender], [name=whatif-race-ethnicity]"),
        0
    );
    assert_eq!(
        text(&root, "#unaware-hint"),
        "On: predictions and reasons never use them."
    );
    // What it costs, beside the switch (the two math models' test R², from model.json).
    let cost = text(&root, "[data-testid=selection-cost]");
    assert!(
        cost.starts_with("For this score it costs: test R² 0.880 → 0.")
            && cost.ends_with("; the Fairness page shows the groups it shifts."),
        "{cost}"
    );
    assert_eq!(input(&root, "#field-writing-score").value(), "81");
    assert!(one_decimal(&text(&root, "[data-testid=prediction]")));

    choose(&find(&root, "#target-select"), "reading_score").await;
    assert!(text(&root, ".intro").ends_with("predict their reading score."));
    assert_eq!(
        count(&root, "#field-reading-score"),
        0,
        "the target is not asked for"
    );
    assert_eq!(input(&root, "#field-writing-score").value(), "81");
    // Never typed: empty and marked, and the prediction waits for it (issue 22).
    let math = input(&root, "#field-math-score");
    assert_eq!(math.value(), "");
    assert_eq!(math.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(count(&root, ".field.waiting #field-math-score"), 1);
    assert_eq!(text(&root, "[data-testid=prediction]"), "—");
    assert_eq!(
        text(&root, ".status-note"),
        "Waiting for a value of Math score"
    );
    type_into(&math, "66").await;
    assert!(one_decimal(&text(&root, "[data-testid=prediction]")));
    assert_eq!(count(&root, ".field.waiting"), 0);

    // Remembered for the next visit.
    let stored = window()
        .local_storage()
        .expect("storage")
        .expect("storage")
        .get_item("student-predictor.selection")
        .expect("readable")
        .expect("stored");
    assert!(stored.contains("\"reading_score\""), "{stored}");
    drop(root);
    let again = app_keeping_storage("/", parse_models(MODEL_JSON), reports()).await;
    assert!(input(&again, "#unaware-switch").checked());
    assert!(text(&again, ".intro").ends_with("predict their reading score."));
}

#[wasm_bindgen_test]
async fn the_report_pages_follow_the_selection() {
    let root = app("/models").await;
    assert_eq!(text(&root, "nav [aria-current=page]"), "Models");
    assert_eq!(document().title(), "Models · Student Performance Predictor");
    let report = parse_reports(REPORT_JSON).expect("the report parses");
    let math = report.get("math_score").expect("math");
    assert_eq!(
        count(&root, "[data-testid=leaderboard] tbody tr"),
        math.families.len() as u32
    );
    assert!(text(&root, "[data-testid=leaderboard] tr.winner").contains("winner"));
    // The leaderboard sits in a named scroll region that keyboard users can reach.
    let region: HtmlElement = find(&root, ".table-scroll");
    assert_eq!(region.get_attribute("role").as_deref(), Some("region"));
    assert_eq!(region.get_attribute("tabindex").as_deref(), Some("0"));
    assert!(region
        .get_attribute("aria-label")
        .is_some_and(|l| !l.is_empty()));

    choose(&find(&root, "#target-select"), "writing_score").await;
    let writing = report.get("writing_score").expect("writing");
    assert_eq!(
        count(&root, "[data-testid=leaderboard] tbody tr"),
        writing.families.len() as u32
    );
    assert!(
        text(&root, ".intro").contains("writing score"),
        "{}",
        text(&root, ".intro")
    );

    navigate("/insights").await;
    let insights = &writing.insights;
    let expected = insights.histograms.len()
        + insights.by_category.len()
        + insights.relations.len()
        + usize::from(!insights.importance.is_empty());
    assert_eq!(
        count(&root, "svg.chart[role=img][aria-label]"),
        expected as u32
    );
}

#[wasm_bindgen_test]
async fn a_report_that_cannot_be_fetched_is_an_error_card_with_a_retry() {
    let root = app_at(
        "/fairness",
        parse_models(MODEL_JSON),
        Reports::new("/no-such-report.json"),
    )
    .await;
    let mut card = String::new();
    for _ in 0..50 {
        if count(&root, "[data-testid=report-error]") > 0 {
            card = text(&root, "[data-testid=report-error]");
            break;
        }
        sleep(20).await;
    }
    assert!(
        card.contains("training report could not be loaded"),
        "{card:?}"
    );
    assert!(
        card.contains("/no-such-report.json could not be fetched"),
        "{card}"
    );
    // The page's heading is there all along, and predicting does not need the report.
    assert_eq!(text(&root, "main h2.page-title"), "Fairness");
    click(&find(&root, "[data-testid=report-error] button")).await;
    let after = root.inner_html();
    assert!(
        after.contains("report-loading") || after.contains("report-error"),
        "a retry loads again"
    );
    navigate("/").await;
    assert!(one_decimal(&text(&root, "[data-testid=prediction]")));
}

#[wasm_bindgen_test]
async fn an_unreadable_report_is_an_error_card_on_its_pages_only() {
    let root = app_at(
        "/about",
        parse_models(MODEL_JSON),
        Reports::with(parse_reports("[1, 2")),
    )
    .await;
    let card = text(&root, "[data-testid=report-error]");
    assert!(card.contains("not valid JSON"), "{card}");
    navigate("/batch").await;
    assert_eq!(
        count(&root, "[data-testid=report-error]"),
        0,
        "the batch page needs no report"
    );
    assert_eq!(count(&root, "#batch-file"), 1);
}

#[wasm_bindgen_test]
async fn a_change_of_page_moves_focus_to_its_heading_and_retitles_the_tab() {
    let root = app("/").await;
    navigate("/about").await;
    sleep(50).await;
    assert_eq!(window().location().pathname().expect("a path"), "/about");
    assert_eq!(document().title(), "About · Student Performance Predictor");
    let focused = document().active_element().expect("something has focus");
    assert_eq!(focused.tag_name(), "H2");
    assert_eq!(focused.text_content().as_deref(), Some("About this model"));
    assert_eq!(text(&root, "nav [aria-current=page]"), "About");

    navigate("/").await;
    assert_eq!(text(&root, "nav [aria-current=page]"), "Predict");
    assert!(one_decimal(&text(&root, "[data-testid=prediction]")));
}

#[wasm_bindgen_test]
async fn an_unknown_address_is_not_found() {
    let root = app("/nope").await;
    assert_eq!(count(&root, "nav [aria-current]"), 0);
    assert!(text(&root, "main h2").contains("Page not found"));
    assert!(text(&root, "main code").contains("/nope"));
    assert_eq!(
        document().title(),
        "Not found · Student Performance Predictor"
    );
}
