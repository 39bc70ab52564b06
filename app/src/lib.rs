//! The browser app: one Leptos app over the model set the trainer wrote, with six pages.
//!
//! - **Predict** (`/`): a form built from the model's features, a live prediction with its
//!   interval, the reasons for it and what-if controls.
//! - **Models** (`/models`): every model family the trainer compared.
//! - **Insights** (`/insights`): charts of the training data's aggregates.
//! - **Fairness** (`/fairness`): how the model errs for each group, with and without the
//!   sensitive features.
//! - **Batch** (`/batch`): predictions for a whole CSV file, downloadable.
//! - **About** (`/about`): the model card.
//!
//! `assets/model.json` is embedded (`include_str!`) and read once at start-up by the model
//! crate's reader, with the validation the trainer runs before writing it ([`parse_models`]);
//! an unreadable model is an error card naming the problem. The training reports are fetched
//! when a page first needs them ([`reports`]). The header holds the visitor's selection — the
//! score to predict (the set's default first) and a switch that leaves the sensitive features out —
//! and every page follows it, because it reads the model or report inside a reactive closure.

use leptos::prelude::*;
use leptos_router::components::{Route as RouteView, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::{Lazy, StaticSegment};
use wasm_bindgen::JsCast;

pub mod charts;
pub mod chunked;
pub mod glossary;
pub mod lazy_pages;
mod pages;
pub mod reports;
pub mod state;

pub use lazy_pages::{
    page_load_error, AboutRoute, BatchRoute, FairnessRoute, InsightsRoute, ModelsRoute,
    PageLoadFailed,
};
pub use pages::about::AboutPage;
pub use pages::batch::{page_count, page_range, BatchPage, PAGE_SIZE};
pub use pages::fairness::FairnessPage;
pub use pages::insights::InsightsPage;
pub use pages::models::{format_duration, format_params, ModelsPage};
pub use pages::predict::{describe_reference, slider_position, Outputs, PredictPage, TARGET_RANGE};
pub use reports::{
    parse_reports, provide_reports, use_reports, ReportError, ReportFor, Reports, REPORT_URL,
};
pub use state::{
    parse_models, provide_app_state, use_app_state, AppState, Catalog, FormValues, Loaded,
    Remembered, Selection,
};

/// The model document the trainer wrote, embedded at build time and read at start-up:
/// `assets/model.json`, or the file `APP_MODEL_JSON` names at build time (`make site`; see
/// `build.rs`).
pub const MODEL_JSON: &str = include_str!(env!("APP_MODEL_JSON_PATH"));

/// The app's name, shown in the header.
pub const APP_NAME: &str = "Student Performance Predictor";

/// The app's pages. Their paths build the routes and the navigation links.
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

    /// The path without its leading slash: the route's segment.
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

    /// Whether the page shows the training report (fetched from [`REPORT_URL`]); assets/boot.js
    /// starts that fetch early on these pages.
    pub fn shows_report(&self) -> bool {
        matches!(
            self,
            Route::Models | Route::Insights | Route::Fairness | Route::About
        )
    }
}

/// The browser tab's title at `path` (a page's, or "Not found").
pub fn title_at(path: &str) -> String {
    Route::from_path(path).map_or_else(|| format!("Not found · {APP_NAME}"), |r| r.document_title())
}

/// The app: the embedded models, the reports fetched from [`REPORT_URL`] when needed.
#[component]
pub fn App() -> impl IntoView {
    view! { <AppWith models=parse_models(MODEL_JSON) reports=Reports::new(REPORT_URL) /> }
}

/// The app for these models (or why they are unusable) and reports: the header with the
/// navigation and the selection, then the page at the address bar's path.
#[component]
pub fn AppWith(models: Result<Catalog, String>, reports: Reports) -> impl IntoView {
    provide_app_state(models);
    provide_reports(reports);
    // The skip link moves focus itself (a `#` link would only scroll).
    let skip = |ev: leptos::ev::MouseEvent| {
        if let Some(main) = document().get_element_by_id("main") {
            ev.prevent_default();
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    };
    view! {
        <Router>
            <a class="skip-link" href="#main" on:click=skip>
                "Skip to content"
            </a>
            <header class="site-header">
                <div class="wrap header-row">
                    <div>
                        <h1>{APP_NAME}</h1>
                        <p class="privacy">
                            <LockIcon />
                            "Runs entirely in your browser — nothing you enter leaves this device."
                        </p>
                    </div>
                    <Nav />
                </div>
                <div class="wrap">
                    <SelectionBar />
                </div>
            </header>
            <main id="main" class="wrap" tabindex="-1">
                // Shown (CSS) only while main has no page: on a first visit to a page whose
                // module is still loading; the router keeps the old page on a change of page.
                <p class="page-loading muted" data-testid="page-loading">
                    "Loading…"
                </p>
                <Routes fallback=NotFound>
                    <RouteView path=StaticSegment(Route::Predict.segment()) view=PredictPage />
                    // The other pages load their code when first opened (lazy_pages.rs).
                    <RouteView
                        path=StaticSegment(Route::Models.segment())
                        view={ Lazy::<ModelsRoute>::new() }
                    />
                    <RouteView
                        path=StaticSegment(Route::Insights.segment())
                        view={ Lazy::<InsightsRoute>::new() }
                    />
                    <RouteView
                        path=StaticSegment(Route::Fairness.segment())
                        view={ Lazy::<FairnessRoute>::new() }
                    />
                    <RouteView
                        path=StaticSegment(Route::Batch.segment())
                        view={ Lazy::<BatchRoute>::new() }
                    />
                    <RouteView
                        path=StaticSegment(Route::About.segment())
                        view={ Lazy::<AboutRoute>::new() }
                    />
                </Routes>
            </main>
            <RouteChanges />
        </Router>
    }
}

/// The navigation; the current page's link carries `aria-current="page"` (leptos_router's
/// `<A>`).
#[component]
fn Nav() -> impl IntoView {
    view! {
        <nav class="site-nav" aria-label="Pages">
            <ul>
                {Route::ALL
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li>
                                <A href=r.path() exact=true>
                                    {r.label()}
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// What a change of page does to the world outside the app: the tab's title follows, and
/// keyboard and screen reader focus moves to the new page's heading (not on the first load).
#[component]
fn RouteChanges() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<(String, String)>| {
        let path = location.pathname.get();
        let hash = location.hash.get();
        document().set_title(&title_at(&path));
        let id = hash.trim_start_matches('#');
        // A link to a place on a page (`/about#mae`): focus goes there, on the first load too.
        if !id.is_empty() && previous.as_ref() != Some(&(path.clone(), hash.clone())) {
            focus_id(id.to_owned(), 120);
        } else if previous.is_some_and(|(p, _)| p != path) {
            // Long enough for a page's module to arrive (lazy_pages.rs); it stops when the
            // visitor has gone on to another page.
            focus_page_heading(location.pathname, Route::from_path(&path), 600);
        }
        (path, hash)
    });
}

/// Moves focus (and so the view) to the element `id` once the page is drawn and its report,
/// if it needs one, has come (what comes first would push the element down), trying for
/// `frames` animation frames; then to whatever has that id.
fn focus_id(id: String, frames: u32) {
    request_animation_frame(move || {
        let document = document();
        let loading = document
            .query_selector("main [data-testid=\"report-loading\"]")
            .ok()
            .flatten()
            .is_some();
        let target = document.get_element_by_id(&id);
        if (loading || target.is_none()) && frames > 0 {
            return focus_id(id, frames - 1);
        }
        if let Some(Ok(element)) = target.map(|t| t.dyn_into::<web_sys::HtmlElement>()) {
            if !element.has_attribute("tabindex") {
                let _ = element.set_attribute("tabindex", "-1");
            }
            let _ = element.focus();
        }
    });
}

/// Moves focus to the heading of `route`'s page once it is drawn (the router draws the new
/// page a little later, after its module has loaded for a page not opened before), trying for
/// `frames` animation frames while the router's `pathname` is still that page's (the address
/// bar follows only once the page is drawn); then to the page's first heading or the page
/// itself (an unknown address, a page showing an error card).
fn focus_page_heading(pathname: Memo<String>, route: Option<Route>, frames: u32) {
    request_animation_frame(move || {
        let document = document();
        // (None: the app is gone, as between the wasm tests.)
        if route.is_some() && pathname.try_with_untracked(|p| Route::from_path(p)) != Some(route) {
            return;
        }
        let heading = route.and_then(|r| {
            let selector = format!("main h2[data-page=\"{}\"]", r.path());
            document.query_selector(&selector).ok().flatten()
        });
        let target = match heading {
            Some(heading) => heading,
            None if frames > 0 && route.is_some() => {
                return focus_page_heading(pathname, route, frames - 1)
            }
            None => match document
                .query_selector("main h2")
                .ok()
                .flatten()
                .or_else(|| document.get_element_by_id("main"))
            {
                Some(element) => element,
                None => return,
            },
        };
        if let Ok(element) = target.dyn_into::<web_sys::HtmlElement>() {
            if !element.has_attribute("tabindex") {
                let _ = element.set_attribute("tabindex", "-1");
            }
            let _ = element.focus();
        }
    });
}

/// A page's main heading: where focus goes when the visitor arrives on the page.
#[component]
pub fn PageTitle(route: Route, children: Children) -> impl IntoView {
    view! {
        <h2 class="page-title" data-page=route.path() tabindex="-1">
            {children()}
        </h2>
    }
}

/// The score to predict and the switch that leaves the sensitive features out: every page
/// follows them. Absent when the model set is unreadable (the pages say why).
#[component]
fn SelectionBar() -> impl IntoView {
    let state = use_app_state();
    let models = state.models.clone().ok()?;
    let Selection { target, unaware } = state.selection;
    let options = models
        .targets()
        .iter()
        .map(|t| {
            let selected = target.with_untracked(|current| current == t);
            view! {
                <option value=t.clone() selected=selected>
                    {models.label(t)}
                </option>
            }
        })
        .collect_view();
    let available = {
        let models = std::sync::Arc::clone(&models);
        Memo::new(move |_| target.with(|t| models.has_unaware(t)))
    };
    // The switch names what it leaves out; a set without sensitive features has none.
    let switch = models.left_out("or").map(|words| {
        view! {
            <div class="selection-switch">
                <input
                    id="unaware-switch"
                    type="checkbox"
                    role="switch"
                    aria-describedby="unaware-hint switch-cost"
                    prop:checked=move || unaware.get()
                    // Never stuck on: a switch that is on can always be turned off.
                    disabled=move || !unaware.get() && !available.get()
                    on:change:target=move |ev| unaware.set(ev.target().checked())
                />
                <label for="unaware-switch">{format!("Don't use {words}")}</label>
                <span id="unaware-hint" class="hint">
                    {move || {
                        if !available.get() {
                            "This build has no such model for this score."
                        } else if unaware.get() {
                            "On: predictions and reasons never use them."
                        } else {
                            "Off: every field is used."
                        }
                    }}
                </span>
                <span id="switch-cost" class="hint" data-testid="switch-cost">
                    {
                        let models = std::sync::Arc::clone(&models);
                        move || {
                            target.with(|t| cost_text(&models, t, unaware.get(), available.get()))
                        }
                    }
                </span>
            </div>
        }
    });
    Some(view! {
        <div class="selection" data-testid="selection">
            <div class="selection-target">
                <label for="target-select">"Score to predict"</label>
                <select
                    id="target-select"
                    prop:value=move || target.get()
                    on:change:target=move |ev| target.set(ev.target().value())
                >
                    {options}
                </select>
            </div>
            {switch}
        </div>
    })
}

/// What the switch costs for the selected score, while it is on: the two models' test R² from
/// model.json (the largest group shift is on the Fairness page, which reads the report: reading
/// it here would bring the report's whole reader into the first load, about 28 KB gzip,
/// measured with `make build && node --test e2e/budget.test.mjs`).
fn cost_text(models: &Catalog, target: &str, unaware: bool, available: bool) -> String {
    let r2 = |unaware| {
        models
            .get(target, unaware)
            .map(|p| p.bundle().metrics.test_r2)
    };
    match (unaware && available, r2(false), r2(true)) {
        (true, Some(full), Some(without)) if full.is_finite() && without.is_finite() => format!(
            "For this score it costs: test R² {full:.3} → {without:.3}; the Fairness page shows the groups it shifts."
        ),
        _ => String::new(),
    }
}

/// Shown for an address that is none of the pages.
#[component]
fn NotFound() -> impl IntoView {
    let location = use_location();
    view! {
        <section class="card page-card">
            <h2>"Page not found"</h2>
            <p>
                "There is no page at " <code>{move || location.pathname.get()}</code>
                ". The pages are listed at the top; "
                <a href=Route::Predict.path()>"start with a prediction"</a> "."
            </p>
        </section>
    }
}

/// A small padlock drawn inline (no icon font, no extra request).
#[component]
fn LockIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path
                fill="currentColor"
                d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z"
            />
        </svg>
    }
}

/// Shown instead of a page that needs the model when the embedded model is unusable.
#[component]
pub fn ModelError(message: String) -> impl IntoView {
    view! {
        <section class="card error-card" role="alert" data-testid="model-error">
            <h2>"The prediction model could not be loaded"</h2>
            <p>"This build of the app carries a model it cannot read, so it cannot predict."</p>
            <p class="error-detail">
                <code>{message}</code>
            </p>
        </section>
    }
}

/// A wide table in a scroll region that keyboard users can reach and scroll (it takes focus),
/// named for screen readers, with a shadow at the edge that has more to show.
#[component]
pub fn TableScroll(label: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=label>
            {children()}
        </div>
    }
}

/// What a panic hook does: the message to the console (for developers) and on the page (for
/// the visitor), since the app cannot run on after it.
pub fn report_panic(message: &str) {
    web_sys::console::error_1(&message.into());
    show_fatal_error(message);
}

/// Shows `message` in an error card at the top of the page, without Leptos: for a panic, after
/// which the app can no longer run.
pub fn show_fatal_error(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
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

/// The prediction as shown: one decimal, as Rust's `{:.1}` formats it; `None` for a value that
/// is not a finite number (never shown as "NaN").
pub fn format_score(value: f64) -> Option<String> {
    value.is_finite().then(|| {
        let text = format!("{value:.1}");
        // One minus sign everywhere (the charts' `signed` uses it too), never "-0.0".
        match text.strip_prefix('-') {
            Some("0.0") => "0.0".to_owned(),
            Some(rest) => format!("\u{2212}{rest}"),
            None => text,
        }
    })
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

/// The model that predicts for the selection, as every page names it: "Lasso regression ·
/// test R² 0.880 · 90 % interval ± 9.1 points". Its figures are the bundle's own (model.json),
/// so the Predict page, the report pages and the model card cannot disagree. "test R²" and the
/// interval link to their glossary entries (`/about#r2`, `/about#interval`).
pub fn served_summary(bundle: &model::ModelBundle) -> impl IntoView {
    use glossary::Term;
    let m = &bundle.metrics;
    let interval = bundle.interval.as_ref().map(|interval| {
        view! {
            " · "
            <a href=Term::Interval.href()>{format!("{} interval", format_percent(interval.level))}</a>
            {format!(" ± {:.1} points", interval.half_width)}
        }
    });
    view! {
        {family_label(&m.family)}
        " · "
        <a href=Term::R2.href()>"test R²"</a>
        {format!(" {:.3}", m.test_r2)}
        {interval}
    }
}

/// "Predicting with …": the selection's model, named the same way on every page. Nothing when
/// the build has no model for the selection (the page shows why).
#[component]
pub fn ServedModel() -> impl IntoView {
    let state = use_app_state();
    move || {
        state.predictor().ok().map(|p| {
            let excluded = if p.bundle().excluded.is_empty() {
                String::new()
            } else {
                let words = state.models.as_ref().ok().and_then(|m| m.left_out("and"));
                format!(
                    ", trained without {}",
                    words.unwrap_or_else(|| p.bundle().excluded.join(", "))
                )
            };
            view! {
                <p class="served-model muted" data-testid="served-model">
                    "Predicting with "
                    {served_summary(p.bundle())}
                    {excluded}
                </p>
            }
        })
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

    /// boot.js preloads the report on the pages that show it: its list is this one.
    #[test]
    fn boot_js_preloads_the_report_on_the_report_pages() {
        let boot = include_str!("../../assets/boot.js");
        let list = boot
            .lines()
            .find_map(|l| l.strip_prefix("const REPORT_PAGES = ["))
            .and_then(|l| l.strip_suffix("];"))
            .expect("boot.js lists REPORT_PAGES on one line");
        let listed: Vec<&str> = list.split(", ").map(|p| p.trim_matches('"')).collect();
        let expected: Vec<&str> = Route::ALL
            .iter()
            .filter(|r| r.shows_report())
            .map(|r| r.path())
            .collect();
        assert_eq!(listed, expected);
    }

    #[test]
    fn scores_show_one_decimal_and_never_nan() {
        assert_eq!(format_score(71.25).as_deref(), Some("71.2"));
        assert_eq!(format_score(71.35).as_deref(), Some("71.3"));
        assert_eq!(format_score(70.0).as_deref(), Some("70.0"));
        assert_eq!(format_score(f64::NAN), None);
        assert_eq!(format_score(f64::INFINITY), None);
        assert_eq!(format_score(-6.94).as_deref(), Some("\u{2212}6.9"));
        assert_eq!(format_score(-0.04).as_deref(), Some("0.0"));
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
    let Some(predictor) = parse_models(MODEL_JSON)
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
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
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
