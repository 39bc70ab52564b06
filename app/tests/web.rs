//! The components mounted in a real browser (headless Chromium through wasm-bindgen-test):
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p app --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use app::{App, AppWithModel};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use leptos::web_sys::{Event, HtmlElement, HtmlInputElement};
use wasm_bindgen::JsCast;
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

#[wasm_bindgen_test]
async fn a_prediction_shows_at_once_and_bad_scores_are_explained() {
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
    let root = container();
    let _app = mount_to(
        root.clone(),
        || view! { <AppWithModel model_json="{ not json" /> },
    );
    tick().await;

    let card = text(&root, "[role=alert]");
    assert!(card.contains("could not be loaded"), "{card}");
    assert!(card.contains("not valid JSON"), "{card}");
    assert!(root.query_selector("form").expect("valid").is_none());
}
