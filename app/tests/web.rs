//! The components mounted in a real browser (headless Chromium through wasm-bindgen-test):
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p app --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use app::{
    parse_report, App, AppState, AppWithModel, Route, SecondaryPage, MODEL_JSON, REPORT_JSON,
};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use leptos::web_sys::{Event, HtmlElement, HtmlInputElement};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh container in the document to mount one component into.
fn container() -> HtmlElement {
    let div = document()
        .create_element("div")
        .expect("a div")
        .unchecked_into::<HtmlElement>();
    document()
        .body()
        .expect("a body")
        .append_child(&div)
        .expect("appended");
    div
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

/// True when `shown` is a number with exactly one decimal, as `{:.1}` prints it.
fn one_decimal(shown: &str) -> bool {
    matches!(shown.split_once('.'), Some((whole, tenth))
        if !whole.is_empty() && tenth.len() == 1 && shown.parse::<f64>().is_ok())
}

/// Puts `path` in the address bar (without navigating) for the next app mounted.
fn go(path: &str) {
    window()
        .history()
        .expect("a history")
        .push_state_with_url(&JsValue::NULL, "", Some(path))
        .expect("pushed");
}

fn input(root: &HtmlElement, selector: &str) -> HtmlInputElement {
    root.query_selector(selector)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .unchecked_into::<HtmlInputElement>()
}

/// Sets an input's value as typing or dragging would, firing `input`.
fn type_into(control: &HtmlInputElement, value: &str) {
    control.set_value(value);
    control
        .dispatch_event(&Event::new("input").expect("an event"))
        .expect("dispatched");
}

fn count(root: &HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector)
        .expect("a valid selector")
        .length()
}

#[wasm_bindgen_test]
async fn a_prediction_shows_at_once_and_bad_scores_are_explained() {
    go("/");
    let root = container();
    let _app = mount_to(root.clone(), App);
    tick().await;

    let shown = text(&root, "[data-testid=prediction]");
    assert!(
        one_decimal(&shown),
        "{shown:?} is not a score with one decimal"
    );
    assert!(text(&root, "[data-testid=model-info]").contains("test R²"));

    let input = root
        .query_selector("#field-reading-score")
        .expect("a valid selector")
        .expect("the reading score field")
        .unchecked_into::<HtmlInputElement>();
    input.set_value("150");
    input
        .dispatch_event(&Event::new("input").expect("an event"))
        .expect("dispatched");
    tick().await;

    assert_eq!(text(&root, "[data-testid=prediction]"), "—");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        text(&root, "#error-reading-score"),
        "Reading score: 150 is not between 0 and 100"
    );

    input.set_value("70");
    input
        .dispatch_event(&Event::new("input").expect("an event"))
        .expect("dispatched");
    tick().await;
    assert!(one_decimal(&text(&root, "[data-testid=prediction]")));
    assert_eq!(input.get_attribute("aria-invalid"), None);
}

#[wasm_bindgen_test]
async fn an_unreadable_model_shows_an_error_card() {
    go("/");
    let root = container();
    let _app = mount_to(root.clone(), || {
        view! {
            <AppWithModel
                models=app::parse_models("{ not json")
                reports=app::parse_reports(REPORT_JSON)
            />
        }
    });
    tick().await;

    let card = text(&root, "[role=alert]");
    assert!(card.contains("could not be loaded"), "{card}");
    assert!(card.contains("not valid JSON"), "{card}");
    assert!(root.query_selector("form").expect("valid").is_none());
}

#[wasm_bindgen_test]
async fn the_slider_and_the_text_field_share_one_value() {
    go("/");
    let root = container();
    let _app = mount_to(root.clone(), App);
    settle().await;

    let text_field = input(&root, "#field-reading-score");
    let slider = input(&root, "#slider-reading-score");
    assert_eq!(
        slider.get_attribute("aria-label").as_deref(),
        Some("Reading score slider")
    );
    assert_eq!(slider.value(), text_field.value());
    let before = text(&root, "[data-testid=prediction]");

    type_into(&slider, "95");
    settle().await;
    assert_eq!(text_field.value(), "95", "the text follows the slider");
    assert_ne!(
        text(&root, "[data-testid=prediction]"),
        before,
        "the prediction follows"
    );

    type_into(&text_field, "40");
    settle().await;
    assert_eq!(slider.value(), "40", "the slider follows the text");
}

#[wasm_bindgen_test]
async fn the_reasons_add_up_to_the_prediction() {
    go("/");
    let root = container();
    let _app = mount_to(root.clone(), App);
    settle().await;
    // The typical student has nothing to explain.
    assert!(text(&root, "[data-testid=why-empty]").contains("typical student"));

    type_into(&input(&root, "#field-writing-score"), "92");
    settle().await;
    let features = app_features();
    assert_eq!(
        count(&root, ".waterfall .row"),
        features,
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
}

fn app_features() -> u32 {
    app::parse_model(MODEL_JSON)
        .expect("the model parses")
        .features()
        .len() as u32
}

#[wasm_bindgen_test]
async fn an_unreadable_report_leaves_the_predictor_working() {
    go("/");
    let root = container();
    let _app = mount_to(root.clone(), || {
        view! { <AppWithModel models=app::embedded_models() reports=app::parse_reports("[1, 2") /> }
    });
    settle().await;
    assert!(root
        .query_selector("[role=alert]")
        .expect("valid")
        .is_none());
    assert!(text(&root, "[data-testid=prediction]").contains('.'));

    let other = container();
    let _models = mount_to(other.clone(), || {
        let state = AppState::new(app::embedded_models(), app::parse_reports("[1, 2"));
        view! { <SecondaryPage route=Route::Models state /> }
    });
    settle().await;
    let card = text(&other, "[role=alert]");
    assert!(
        card.contains("training report could not be loaded"),
        "{card}"
    );
    assert!(card.contains("not valid JSON"), "{card}");
    go("/");
}

#[wasm_bindgen_test]
async fn the_models_page_lists_every_family() {
    let root = container();
    let _page = mount_to(root.clone(), || pages_module(Route::Models));
    settle().await;
    let report = parse_report(REPORT_JSON).expect("the report parses");
    assert_eq!(
        count(&root, "[data-testid=leaderboard] tbody tr"),
        report.families.len() as u32
    );
    assert!(text(&root, "[data-testid=leaderboard] tr.winner").contains("winner"));
}

#[wasm_bindgen_test]
async fn the_insights_page_draws_labelled_charts() {
    let root = container();
    let _page = mount_to(root.clone(), || pages_module(Route::Insights));
    settle().await;
    let report = parse_report(REPORT_JSON).expect("the report parses");
    let insights = &report.insights;
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
async fn the_shell_marks_the_page_and_says_when_a_page_cannot_load() {
    go("/models");
    let root = container();
    let _app = mount_to(root.clone(), App);
    settle().await;
    assert_eq!(text(&root, "nav [aria-current=page]"), "Models");
    // No boot.js here, so no pages module: the page says so, and predicting still works.
    let card = text(&root, "[role=alert]");
    assert!(card.contains("This page could not be loaded"), "{card}");
    assert!(card.contains("window.loadPages is missing"), "{card}");
    go("/");
}

/// A page as the pages module draws it, with the embedded models and reports.
fn pages_module(route: Route) -> impl IntoView {
    let state = AppState::new(app::embedded_models(), app::parse_reports(REPORT_JSON));
    view! { <SecondaryPage route state /> }
}

/// Lets the app finish reacting (some DOM updates run as tasks, after the event).
async fn settle() {
    tick().await;
    sleep(10).await;
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
