//! The pages other than Predict as lazily loaded routes: with the `split` feature (the release
//! build, scripts/build-wasm.sh) each page's code is a split point of `wasm_split_helpers` (what
//! Leptos's `#[lazy]` is built on), so `wasm-split-cli` moves the code only that page needs out
//! of the main wasm into a module the page fetches when it is first opened. Predict (`/`) stays
//! in the main module: it is what the first load is for.
//!
//! Without the feature (`cargo test`, the wasm tests) the same routes load their page at once:
//! a wasm that is not split cannot satisfy the split points' imports.
//!
//! While a page's module loads, the router keeps the page that was shown (on a first visit to
//! the address, nothing yet); a module that fails to load (offline, on a page never opened
//! while online) is an error card with the page's heading, never a panic: the split points are
//! `fallible`, and a later visit tries the download again.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::pages::{
    about::AboutPage, batch::BatchPage, fairness::FairnessPage, insights::InsightsPage,
    models::ModelsPage,
};
use crate::Route;

/// A page's module could not be loaded (the browser console has the reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLoadFailed;

impl std::fmt::Display for PageLoadFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the page's code could not be downloaded")
    }
}

impl std::error::Error for PageLoadFailed {}

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for PageLoadFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PageLoadFailed
    }
}

/// One lazily loaded page: `$route` is the route type the router shows at its address, `$split`
/// the name of its module (`split_$split*.wasm`), `$load` the split function that draws it and
/// `$preload` the function that only downloads it.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident, $split:ident, $load:ident, $preload:ident, $page:ident, $which:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $route;

        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split(
            $split,
            wasm_split_path = ::leptos::wasm_split,
            preload($preload),
            fallible
        )]
        fn $load() -> Result<AnyView, PageLoadFailed> {
            Ok(view! { <$page /> }.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $load() -> Result<AnyView, PageLoadFailed> {
            Ok(view! { <$page /> }.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $preload() -> Result<(), PageLoadFailed> {
            Ok(())
        }

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_: Self) -> AnyView {
                $load().await.unwrap_or_else(|_| page_load_error($which))
            }

            async fn preload() {
                // A failure shows in `view`, which tries the download again.
                let _ = $preload().await;
            }
        }
    };
}

lazy_page!(
    /// The Models page, loaded when first opened.
    ModelsRoute, models, models_page, preload_models_page, ModelsPage, Route::Models
);
lazy_page!(
    /// The Insights page, loaded when first opened.
    InsightsRoute, insights, insights_page, preload_insights_page, InsightsPage, Route::Insights
);
lazy_page!(
    /// The Fairness page, loaded when first opened.
    FairnessRoute, fairness, fairness_page, preload_fairness_page, FairnessPage, Route::Fairness
);
lazy_page!(
    /// The Batch page (with its CSV reading and column mapping), loaded when first opened.
    BatchRoute, batch, batch_page, preload_batch_page, BatchPage, Route::Batch
);
lazy_page!(
    /// The About page, loaded when first opened.
    AboutRoute, about, about_page, preload_about_page, AboutPage, Route::About
);

/// Shown instead of a page whose code could not be downloaded: its heading (where focus goes
/// on arrival), what happened and a way to try again.
pub fn page_load_error(route: Route) -> AnyView {
    let retry = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    view! {
        <section class="card error-card" role="alert" data-testid="page-load-error">
            <h2 class="page-title" data-page=route.path() tabindex="-1">
                {format!("The {} page could not be loaded", route.label())}
            </h2>
            <p>
                "This page's code is downloaded the first time the page is opened, and that download failed. "
                "You may be offline: once the app has been opened online, every page works offline."
            </p>
            <button type="button" class="button" on:click=retry>
                "Try again"
            </button>
        </section>
    }
    .into_any()
}
