//! The browser app: six pages over the embedded model set and training reports.
//!
//! - **Predict** (`/`): a form built from the model's features, a live prediction with its
//!   interval, the reasons for it and what-if controls.
//! - **Models** (`/models`): every model family the trainer compared.
//! - **Insights** (`/insights`): charts of the training data's aggregates.
//! - **Fairness** (`/fairness`): how the model errs for each group, with and without gender
//!   and race/ethnicity.
//! - **Batch** (`/batch`): predictions for a whole CSV file, downloadable.
//! - **About** (`/about`): the model card.
//!
//! Two wasm modules carry them. The **shell** (`src/main.rs`, [`shell`]) is what the first
//! visit downloads: the header with the navigation and the visitor's selection (the score to
//! predict, math by default, and a switch that leaves gender and race/ethnicity out), and the
//! Predict page, written against the DOM without a UI framework so the first load stays small.
//! The **pages module** (`src/bin/pages.rs`) draws every other page with Leptos, fetched on the
//! first visit to one: it parses the reports into an [`AppState`] every page reads through
//! context ([`use_state`]), and a page follows the selection because it reads the model or
//! report inside a reactive closure. Either document may be unreadable: the pages that need it
//! show an error card and the others keep working.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use model::report::Report;
use model::Predictor;

mod catalog;
pub mod charts;
pub mod chunked;
mod loader;
mod pages;
pub mod router;
pub mod shell;
pub mod state;

pub use pages::about::AboutPage;
pub use pages::batch::{page_count, page_range, BatchPage, PAGE_SIZE};
pub use pages::fairness::FairnessPage;
pub use pages::insights::InsightsPage;
pub use pages::models::{format_duration, format_params, ModelsPage};
pub use shell::predict::TARGET_RANGE;
pub use state::{
    parse_models, parse_reports, provide_state, use_state, AppState, Catalog, Loaded, Selection,
};

/// The models of `assets/model.json`, built into the wasm ready-made: `build.rs` reads and
/// validates the document and writes it as Rust (`model::codegen`), so the app carries no JSON
/// parser for them.
pub fn embedded_set() -> model::ModelSet {
    include!(concat!(env!("OUT_DIR"), "/model_set.rs"))
}

/// The embedded models, ready to predict. build.rs validated them with
/// `model::Predictors::new` before writing them (a bad model fails the build), so they are not
/// checked again here: the wasm carries no validation code.
pub fn embedded_models() -> Result<Catalog, String> {
    Ok(Catalog::new(&model::Predictors::prevalidated(
        embedded_set(),
    )))
}

/// The model document the trainer wrote, as text: what [`embedded_set`] was built from (the
/// tests compare the two).
pub const MODEL_JSON: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/model.json"));

/// The trainer's report (model comparison and data insights), embedded at build time.
pub const REPORT_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../assets/report.json"
));

/// The app's name, shown in the header.
pub const APP_NAME: &str = "Student Performance Predictor";

/// The default target's full model: what the benchmark and the tests of one model use.
pub fn parse_model(json: &str) -> Result<Predictor, String> {
    let catalog = parse_models(json)?;
    catalog
        .get(catalog.default_target(), false)
        .map(|p| p.as_ref().clone())
        .ok_or_else(|| {
            format!(
                "the model set has no model for {}",
                catalog.default_target()
            )
        })
}

/// The default target's report: what the tests of one report use.
pub fn parse_report(json: &str) -> Result<Report, String> {
    let set = parse_reports(json)?;
    set.get(&set.default_target)
        .cloned()
        .ok_or_else(|| format!("the report has no {} section", set.default_target))
}

/// The app's pages. Their paths build the router and the navigation links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Predict,
    Models,
    Insights,
    Fairness,
    Batch,
    About,
}

impl Route {
    /// Every page, in navigation order.
    pub const ALL: [Route; 6] = [
        Route::Predict,
        Route::Models,
        Route::Insights,
        Route::Fairness,
        Route::Batch,
        Route::About,
    ];

    /// The page's address.
    pub fn path(&self) -> &'static str {
        match self {
            Route::Predict => "/",
            Route::Models => "/models",
            Route::Insights => "/insights",
            Route::Fairness => "/fairness",
            Route::Batch => "/batch",
            Route::About => "/about",
        }
    }

    /// The path without its leading slash: what the router matches.
    pub fn segment(&self) -> &'static str {
        &self.path()[1..]
    }

    /// The page's name in the navigation.
    pub fn label(&self) -> &'static str {
        match self {
            Route::Predict => "Predict",
            Route::Models => "Models",
            Route::Insights => "Insights",
            Route::Fairness => "Fairness",
            Route::Batch => "Batch",
            Route::About => "About",
        }
    }

    /// The page at `path` (a trailing slash is allowed), if any.
    pub fn from_path(path: &str) -> Option<Route> {
        let path = match path.strip_suffix('/') {
            Some(rest) if !rest.is_empty() => rest,
            _ => path,
        };
        Route::ALL.into_iter().find(|r| r.path() == path)
    }

    /// The browser tab's title on this page.
    pub fn document_title(&self) -> String {
        match self {
            Route::Predict => APP_NAME.to_owned(),
            other => format!("{} · {APP_NAME}", other.label()),
        }
    }
}

/// A page the pages module draws: its content for `route` and the current selection, in a
/// container of the shell.
#[component]
pub fn SecondaryPage(route: Route, state: AppState) -> impl IntoView {
    provide_state(state);
    match route {
        Route::Models => view! { <ModelsPage /> }.into_any(),
        Route::Insights => view! { <InsightsPage /> }.into_any(),
        Route::Fairness => view! { <FairnessPage /> }.into_any(),
        Route::Batch => view! { <BatchPage /> }.into_any(),
        Route::About => view! { <AboutPage /> }.into_any(),
        // The shell draws the Predict page itself; the module is never asked for it.
        Route::Predict => view! {
            <section class="card page-card">
                <p>
                    "Predictions are made on the " <a href=Route::Predict.path()>"Predict page"</a>
                    "."
                </p>
            </section>
        }
        .into_any(),
    }
}

/// Shown instead of a page that needs the model when the embedded model is unusable.
#[component]
pub fn ModelError(message: String) -> impl IntoView {
    view! {
        <section class="card error-card" role="alert">
            <h2>"The prediction model could not be loaded"</h2>
            <p>"This build of the app carries a model it cannot read, so it cannot predict."</p>
            <p class="error-detail">
                <code>{message}</code>
            </p>
        </section>
    }
}

/// Shown instead of a page that needs the report when the embedded report is unusable.
#[component]
pub fn ReportError(message: String) -> impl IntoView {
    view! {
        <section class="card error-card" role="alert">
            <h2>"The training report could not be loaded"</h2>
            <p>
                "This build of the app carries a report it cannot read, so this page has nothing to show. "
                "The predictor itself does not need the report: "
                <a href=Route::Predict.path()>"make a prediction"</a> "."
            </p>
            <p class="error-detail">
                <code>{message}</code>
            </p>
        </section>
    }
}

/// What a panic hook does: the message to the console (for developers) and on the page (for
/// the visitor), since the app cannot run on after it.
pub fn report_panic(message: &str) {
    leptos::web_sys::console::error_1(&message.into());
    show_fatal_error(message);
}

/// Shows `message` in an error card at the top of the page, without Leptos: for a panic, after
/// which the app can no longer run.
pub fn show_fatal_error(message: &str) {
    let Some(document) = leptos::web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Some(body), Ok(card)) = (document.body(), document.create_element("section")) else {
        return;
    };
    card.set_class_name("card error-card fatal");
    let _ = card.set_attribute("role", "alert");
    let heading = document.create_element("h2").ok();
    let text = document.create_element("p").ok();
    let detail = document.create_element("p").ok();
    if let (Some(heading), Some(text), Some(detail)) = (heading, text, detail) {
        heading.set_text_content(Some("Something went wrong"));
        text.set_text_content(Some(
            "The app hit an internal error and stopped. Reload the page to start again.",
        ));
        detail.set_class_name("error-detail");
        detail.set_text_content(Some(message));
        for child in [heading, text, detail] {
            let _ = card.append_child(&child);
        }
    }
    let _ = body.insert_before(&card, body.first_child().as_ref());
}

/// The message of a JavaScript error (or whatever was thrown) for an error card.
pub(crate) fn js_message(value: &wasm_bindgen::JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// The prediction as shown: one decimal, as Rust's `{:.1}` formats it; `None` for a value that
/// is not a finite number (never shown as "NaN").
pub fn format_score(value: f64) -> Option<String> {
    value.is_finite().then(|| format!("{value:.1}"))
}

/// A DOM id for a column name (which may hold any text).
pub fn dom_id(prefix: &str, name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{safe}")
}

/// How a category reads in a list: its first letter capitalised ("group A" → "Group A").
/// ASCII only: Unicode case tables would add some 30 KB to the wasm for no visible gain here.
pub fn category_label(category: &str) -> String {
    let mut chars = category.chars();
    match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

/// A model family as people read it: `"random_forest"` → `"Random forest"`.
pub fn family_label(family: &str) -> String {
    match family {
        "linear_regression" => "Linear regression".to_owned(),
        "ridge_regression" | "ridge" => "Ridge regression".to_owned(),
        "lasso_regression" | "lasso" => "Lasso regression".to_owned(),
        "decision_tree" => "Decision tree".to_owned(),
        "random_forest" => "Random forest".to_owned(),
        "gradient_boosting" => "Gradient boosting".to_owned(),
        "adaboost" | "ada_boost" => "AdaBoost".to_owned(),
        "xgboost" => "XGBoost".to_owned(),
        "catboost" => "CatBoost".to_owned(),
        "knn" | "k_nearest_neighbors" => "k-nearest neighbours".to_owned(),
        other => category_label(&other.replace(['_', '-'], " ")),
    }
}

/// Where a score sits on a `[min, max]` scale, as a percentage clamped to 0–100.
pub fn scale_percent(value: f64, min: f64, max: f64) -> f64 {
    if !(value.is_finite() && min.is_finite() && max.is_finite()) || max <= min {
        return 0.0;
    }
    ((value - min) / (max - min) * 100.0).clamp(0.0, 100.0)
}

/// A count with thousands separators: `10000` → `"10,000"`.
pub fn format_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a whole percentage, the sign kept on the number's line: `0.89` → `"89 %"`.
pub fn format_percent(share: f64) -> String {
    format!("{:.0}\u{a0}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_and_report_are_readable() {
        let predictor = parse_model(MODEL_JSON).expect("assets/model.json parses");
        assert!(!predictor.features().is_empty());
        let report = parse_report(REPORT_JSON).expect("assets/report.json parses");
        assert!(!report.families.is_empty());
        assert!(report.families.iter().any(|f| f.family == report.winner));
    }

    #[test]
    fn the_models_built_into_the_app_are_exactly_the_json_document() {
        let parsed: model::ModelSet = serde_json::from_str(MODEL_JSON).expect("parses");
        assert_eq!(embedded_set(), parsed);
        // What build.rs checked, checked again here.
        model::Predictors::new(embedded_set()).expect("the embedded models are valid");
        let catalog = embedded_models().expect("valid");
        assert_eq!(catalog.targets().len(), 3);
    }

    #[test]
    fn every_model_kind_is_built_in_exactly_as_the_json_reader_reads_it() {
        // The model crate's golden fixtures, one per kind, written as Rust by build.rs.
        let fixtures: Vec<(&str, model::ModelBundle)> =
            include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../model/tests/fixtures/");
        let mut kinds = Vec::new();
        for (name, built) in fixtures {
            let json = std::fs::read_to_string(format!("{dir}{name}")).expect("readable");
            let parsed: model::ModelBundle = serde_json::from_str(&json).expect("parses");
            assert_eq!(built, parsed, "{name}");
            kinds.push(std::mem::discriminant(&built.model));
        }
        kinds.dedup();
        assert_eq!(kinds.len(), 4, "every model kind has a fixture");
    }

    #[test]
    fn a_bad_report_is_an_error_naming_the_report() {
        let error = parse_report("{ nope").unwrap_err();
        assert!(error.starts_with("the report is not valid JSON"), "{error}");
    }

    #[test]
    fn routes_have_paths_segments_and_titles() {
        for route in Route::ALL {
            assert!(route.path().starts_with('/'));
            assert_eq!(format!("/{}", route.segment()), route.path());
            assert_eq!(Route::from_path(route.path()), Some(route));
        }
        assert_eq!(Route::from_path("/models/"), Some(Route::Models));
        assert_eq!(Route::from_path("/nope"), None);
        assert_eq!(Route::Predict.document_title(), APP_NAME);
        assert_eq!(Route::Batch.document_title(), format!("Batch · {APP_NAME}"));
    }

    #[test]
    fn scores_show_one_decimal_and_never_nan() {
        assert_eq!(format_score(71.25).as_deref(), Some("71.2"));
        assert_eq!(format_score(71.35).as_deref(), Some("71.3"));
        assert_eq!(format_score(70.0).as_deref(), Some("70.0"));
        assert_eq!(format_score(f64::NAN), None);
        assert_eq!(format_score(f64::INFINITY), None);
    }

    #[test]
    fn labels_for_people() {
        assert_eq!(category_label("group A"), "Group A");
        assert_eq!(category_label("free/reduced"), "Free/reduced");
        assert_eq!(category_label(""), "");
        assert_eq!(family_label("linear_regression"), "Linear regression");
        assert_eq!(family_label("extra_trees"), "Extra trees");
        assert_eq!(dom_id("field", "race_ethnicity"), "field-race-ethnicity");
        assert_eq!(dom_id("field", "a b/c"), "field-a-b-c");
    }

    #[test]
    fn counts_and_shares() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1000), "1,000");
        assert_eq!(format_count(1234567), "1,234,567");
        assert_eq!(format_percent(0.89), "89\u{a0}%");
    }

    #[test]
    fn the_scale_is_clamped() {
        assert_eq!(scale_percent(50.0, 0.0, 100.0), 50.0);
        assert_eq!(scale_percent(-5.0, 0.0, 100.0), 0.0);
        assert_eq!(scale_percent(105.0, 0.0, 100.0), 100.0);
        assert_eq!(scale_percent(f64::NAN, 0.0, 100.0), 0.0);
        assert_eq!(scale_percent(1.0, 1.0, 1.0), 0.0);
    }
}

/// The benchmark hook `make bench-web` calls (`window.predictorBench`, set by boot.js):
/// microseconds per prediction of the default model over `n` predictions, timed in the page
/// with `performance.now()`. The students vary so no work can be skipped.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = benchPredictions)]
pub fn bench_predictions(n: u32) -> f64 {
    let Some(predictor) = embedded_models()
        .ok()
        .and_then(|m| m.get(m.default_target(), false).cloned())
    else {
        return f64::NAN;
    };
    let students: Vec<model::Student> = (0..64)
        .map(|i| {
            let mut s = predictor.reference_student();
            s.set("reading_score", (30 + i).to_string());
            s.set("writing_score", (90 - i / 2).to_string());
            s
        })
        .collect();
    let Some(performance) = leptos::web_sys::window().and_then(|w| w.performance()) else {
        return f64::NAN;
    };
    let started = performance.now();
    let mut sum = 0.0;
    for i in 0..n as usize {
        sum += predictor
            .predict(&students[i % students.len()])
            .unwrap_or_default();
    }
    let elapsed_ms = performance.now() - started;
    // `sum` is used so the loop cannot be optimised away.
    if sum.is_nan() {
        return f64::NAN;
    }
    elapsed_ms * 1000.0 / f64::from(n.max(1))
}
