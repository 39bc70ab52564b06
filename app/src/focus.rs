//! Where focus goes when the page changes: the new page's heading, as a screen reader or
//! keyboard user expects, and the tab's title.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

use crate::{title_at, Route};

/// What a change of page does to the world outside the app: the tab's title follows, and
/// keyboard and screen reader focus moves to the new page's heading (not on the first load).
#[component]
pub(crate) fn RouteChanges() -> impl IntoView {
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
