//! The components mounted in a real browser (headless Chromium through wasm-bindgen-test):
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p app --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use app::{parse_report, AppState, Catalog, Route, SecondaryPage, MODEL_JSON, REPORT_JSON};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::web_sys::{
    self as web_sys, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement,
};
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

/// The shell at `path` with these models, in a fresh container, the remembered selection
/// cleared first.
fn shell(path: &str, models: Result<Catalog, String>) -> HtmlElement {
    clear_storage();
    shell_keeping_storage(path, models)
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

/// The shell at `path`, reading the selection the last one remembered.
fn shell_keeping_storage(path: &str, models: Result<Catalog, String>) -> HtmlElement {
    go(path);
    let root = container();
    app::shell::mount(&root, models);
    root
}

/// True when `shown` is a number with exactly one decimal, as `{:.1}` prints it.
fn one_decimal(shown: &str) -> bool {
    matches!(shown.split_once('.'), Some((whole, tenth))
        if !whole.is_empty() && tenth.len() == 1 && shown.parse::<f64>().is_ok())
}

/// Puts `path` in the address bar (without navigating) for the next shell mounted.
fn go(path: &str) {
    window()
        .history()
        .expect("a history")
        .push_state_with_url(&JsValue::NULL, "", Some(path))
        .expect("pushed");
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

/// Sets an input's value as typing or dragging would, firing `input`.
fn type_into(control: &HtmlInputElement, value: &str) {
    control.set_value(value);
    fire(control, "input");
}

/// Fires a bubbling `kind` event at `target`, as the browser does for a change to a control.
fn fire(target: &web_sys::EventTarget, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict(kind, &init).expect("an event");
    target.dispatch_event(&event).expect("dispatched");
}

fn count(root: &HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector)
        .expect("a valid selector")
        .length()
}

#[wasm_bindgen_test]
async fn a_prediction_shows_at_once_and_bad_scores_are_explained() {
    let root = shell("/", app::embedded_models());

    let shown = text(&root, "[data-testid=prediction]");
    assert!(
        one_decimal(&shown),
        "{shown:?} is not a score with one decimal"
    );
    assert!(text(&root, "[data-testid=model-info]").contains("test R²"));
    assert_eq!(text(&root, "nav [aria-current=page]"), "Predict");
    assert_eq!(document().title(), "Student Performance Predictor");

    let field = input(&root, "#field-reading-score");
    type_into(&field, "150");
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

    type_into(&field, "70");
    assert!(one_decimal(&text(&root, "[data-testid=prediction]")));
    assert_eq!(field.get_attribute("aria-invalid"), None);
    assert_eq!(
        field.get_attribute("aria-describedby").as_deref(),
        Some("hint-reading-score")
    );
    assert_eq!(count(&root, ".field.has-error"), 0);
    assert!(!root.inner_html().contains("NaN"));
    root.remove();
}

#[wasm_bindgen_test]
async fn an_unreadable_model_shows_an_error_card() {
    let root = shell("/", app::parse_models("{ not json"));
    let card = text(&root, "[role=alert]");
    assert!(card.contains("could not be loaded"), "{card}");
    assert!(card.contains("not valid JSON"), "{card}");
    assert!(root.query_selector("form").expect("valid").is_none());
    // Without models there is nothing to select.
    assert_eq!(count(&root, "[data-testid=selection]"), 0);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_slider_and_the_text_field_share_one_value() {
    let root = shell("/", app::embedded_models());

    let text_field = input(&root, "#field-reading-score");
    let slider = input(&root, "#slider-reading-score");
    assert_eq!(
        slider.get_attribute("aria-label").as_deref(),
        Some("Reading score slider")
    );
    assert_eq!(slider.value(), text_field.value());
    let before = text(&root, "[data-testid=prediction]");

    type_into(&slider, "95");
    assert_eq!(text_field.value(), "95", "the text follows the slider");
    assert_eq!(text(&root, "#shown-reading-score"), "95");
    assert_ne!(
        text(&root, "[data-testid=prediction]"),
        before,
        "the prediction follows"
    );

    type_into(&text_field, "40");
    assert_eq!(slider.value(), "40", "the slider follows the text");
    type_into(&text_field, "abc");
    assert_eq!(
        slider.value(),
        "50",
        "a slider stays in the middle meanwhile"
    );
    assert_eq!(text(&root, "#shown-reading-score"), "—");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_chips_and_the_list_share_one_value_and_show_what_each_would_change() {
    let root = shell("/", app::embedded_models());
    let list = find::<HtmlSelectElement>(&root, "#field-gender");
    let male = input(&root, "input[name=whatif-gender][value=male]");
    let female = input(&root, "input[name=whatif-gender][value=female]");
    assert_eq!(list.value(), "female");
    assert!(female.checked() && !male.checked());
    // The picked chip shows no change; the other one says how far the score would move.
    let delta = |chip: &HtmlInputElement| {
        chip.parent_element()
            .and_then(|label| label.query_selector(".chip-delta").ok().flatten())
            .map(|d| {
                (
                    d.has_attribute("hidden"),
                    d.text_content().unwrap_or_default(),
                )
            })
            .expect("a delta")
    };
    assert_eq!(delta(&female), (true, String::new()));
    let (hidden, moved) = delta(&male);
    assert!(
        !hidden && (moved.starts_with('+') || moved.starts_with('\u{2212}')),
        "{moved}"
    );

    let before: f64 = text(&root, "[data-testid=prediction]")
        .parse()
        .expect("a number");
    male.click();
    assert_eq!(list.value(), "male", "the list follows the chip");
    let after: f64 = text(&root, "[data-testid=prediction]")
        .parse()
        .expect("a number");
    let moved: f64 = moved.replace('\u{2212}', "-").parse().expect("a number");
    assert!(
        (after - before - moved).abs() < 0.11,
        "{before} {moved} {after}"
    );

    list.set_value("female");
    fire(&list, "change");
    assert!(
        female.checked() && !male.checked(),
        "the chips follow the list"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_reasons_add_up_to_the_prediction() {
    let root = shell("/", app::embedded_models());
    // The typical student has nothing to explain.
    assert!(text(&root, "[data-testid=why-empty]").contains("typical student"));

    type_into(&input(&root, "#field-writing-score"), "92");
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
    root.remove();
}

fn app_features() -> u32 {
    app::parse_model(MODEL_JSON)
        .expect("the model parses")
        .features()
        .len() as u32
}

#[wasm_bindgen_test]
async fn the_switch_and_the_score_change_the_form_but_keep_what_was_typed() {
    let root = shell("/", app::embedded_models());
    type_into(&input(&root, "#field-writing-score"), "81");
    let switch = input(&root, "#unaware-switch");
    assert!(!switch.checked() && !switch.disabled());
    switch.click();
    assert_eq!(count(&root, "#field-gender, #field-race-ethnicity"), 0);
    assert_eq!(
        count(&root, "[name=whatif-gender], [name=whatif-race-ethnicity]"),
        0
    );
    assert_eq!(
        text(&root, "#unaware-hint"),
        "On: predictions and reasons never use them."
    );
    assert_eq!(input(&root, "#field-writing-score").value(), "81");
    assert!(one_decimal(&text(&root, "[data-testid=prediction]")));

    let target = find::<HtmlSelectElement>(&root, "#target-select");
    target.set_value("reading_score");
    fire(&target, "change");
    assert!(text(&root, ".intro").ends_with("predict their reading score."));
    assert_eq!(
        count(&root, "#field-reading-score"),
        0,
        "the target is not asked for"
    );
    assert_eq!(input(&root, "#field-writing-score").value(), "81");
    assert_eq!(
        input(&root, "#field-math-score").get_attribute("aria-invalid"),
        None
    );

    // Remembered for the next visit.
    let storage = window().local_storage().expect("storage").expect("storage");
    assert_eq!(
        storage
            .get_item("student-predictor.target")
            .expect("readable")
            .as_deref(),
        Some("reading_score")
    );
    let again = shell_keeping_storage("/", app::embedded_models());
    assert!(input(&again, "#unaware-switch").checked());
    assert!(text(&again, ".intro").ends_with("predict their reading score."));
    again.remove();
    root.remove();
}

#[wasm_bindgen_test]
async fn an_unreadable_report_shows_an_error_card_on_its_pages() {
    let root = container();
    let _models = mount_to(root.clone(), || {
        let state = AppState::new(app::embedded_models(), app::parse_reports("[1, 2"));
        view! { <SecondaryPage route=Route::Models state /> }
    });
    settle().await;
    let card = text(&root, "[role=alert]");
    assert!(
        card.contains("training report could not be loaded"),
        "{card}"
    );
    assert!(card.contains("not valid JSON"), "{card}");
    root.remove();
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
    let root = shell("/models", app::embedded_models());
    assert_eq!(text(&root, "nav [aria-current=page]"), "Models");
    assert_eq!(document().title(), "Models · Student Performance Predictor");
    settle().await;
    // No boot.js here, so no pages module: the page says so, and predicting still works.
    let card = text(&root, "[role=alert]");
    assert!(card.contains("This page could not be loaded"), "{card}");
    assert!(card.contains("window.loadPages is missing"), "{card}");

    // Once the module can be loaded (here a stand-in), the next try draws the page and the
    // card goes.
    let stand_in = js_sys::Function::new_no_args(
        "return Promise.resolve({ mount() { window.__mounted = (window.__mounted || 0) + 1; }, unmount() {} });",
    );
    js_sys::Reflect::set(&window(), &"loadPages".into(), &stand_in).expect("set");
    let target = find::<HtmlSelectElement>(&root, "#target-select");
    target.set_value("writing_score");
    fire(&target, "change");
    settle().await;
    assert_eq!(count(&root, "[role=alert]"), 0, "the card went");
    let mounted = js_sys::Reflect::get(&window(), &"__mounted".into()).expect("read");
    assert_eq!(
        mounted.as_f64(),
        Some(1.0),
        "the module was asked to draw the page"
    );

    // A link inside the app is followed in this document.
    find::<HtmlElement>(&root, "a[href='/']").click();
    assert_eq!(window().location().pathname().expect("a path"), "/");
    assert_eq!(text(&root, "nav [aria-current=page]"), "Predict");
    assert!(one_decimal(&text(&root, "[data-testid=prediction]")));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_link_to_the_page_on_screen_or_a_place_on_it_keeps_the_page() {
    let root = shell("/", app::embedded_models());
    let form: HtmlElement = find(&root, "form");
    find::<HtmlElement>(&root, ".site-nav a[href='/']").click();
    assert!(form.is_connected(), "the page was not drawn again");
    go("/#why-title");
    fire(&window(), "popstate");
    assert!(form.is_connected(), "nor for a place on it");
    go("/nope");
    fire(&window(), "popstate");
    assert!(!form.is_connected(), "another page replaces it");
    assert!(text(&root, "main h2").contains("Page not found"));
    root.remove();
    go("/");
}

#[wasm_bindgen_test]
async fn an_unknown_address_is_not_found() {
    let root = shell("/nope", app::embedded_models());
    assert_eq!(count(&root, "nav [aria-current]"), 0);
    assert!(text(&root, "main h2").contains("Page not found"));
    assert!(text(&root, "main code").contains("/nope"));
    assert_eq!(
        document().title(),
        "Not found · Student Performance Predictor"
    );
    root.remove();
    go("/");
}

/// A page as the pages module draws it, with the embedded models and reports.
fn pages_module(route: Route) -> impl IntoView {
    // The default selection, whatever a shell test remembered.
    clear_storage();
    let state = AppState::new(app::embedded_models(), app::parse_reports(REPORT_JSON));
    view! { <SecondaryPage route state /> }
}

/// Lets the app finish what it does after an event: a Leptos page's effects, the shell's
/// attempt to load the pages module.
async fn settle() {
    sleep(20).await;
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
