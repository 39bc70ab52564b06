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

mod bench;
pub mod charts;
pub mod chunked;
mod fatal;
mod focus;
mod format;
pub mod glossary;
pub mod lazy_pages;
mod pages;
pub mod reports;
mod routes;
mod selection;
pub mod state;
mod widgets;

pub use fatal::report_panic;
pub use focus::PageTitle;
use focus::RouteChanges;
pub use format::{
    category_label, dom_id, family_label, format_count, format_percent, format_score,
};
pub use routes::{title_at, Route};
use selection::SelectionBar;
use widgets::LockIcon;
pub use widgets::{served_summary, ModelError, ServedModel, TableScroll};

pub use lazy_pages::{AboutRoute, BatchRoute, FairnessRoute, InsightsRoute, ModelsRoute};
pub use pages::predict::{PredictPage, TARGET_RANGE};
pub use reports::{parse_reports, provide_reports, Reports, REPORT_URL};
pub use state::{parse_models, provide_app_state, use_app_state, Catalog, FormValues, Selection};

/// The model document the trainer wrote, embedded at build time and read at start-up:
/// `assets/model.json`, or the file `APP_MODEL_JSON` names at build time (`make site`; see
/// `build.rs`).
pub const MODEL_JSON: &str = include_str!(env!("APP_MODEL_JSON_PATH"));

/// The app's name, shown in the header.
pub const APP_NAME: &str = "Student Performance Predictor";

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
