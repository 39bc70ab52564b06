//! Client-side navigation for six fixed pages, small enough for the first download: the
//! current path is a signal; a click on any same-origin link in the document (the navigation,
//! and links inside pages, including those the pages module renders) becomes a
//! `history.pushState` instead of a page load, and the browser's back and forward buttons set
//! the path from the address bar.

use leptos::prelude::*;
use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::{JsCast, JsValue};
use leptos::web_sys::{self, HtmlAnchorElement, MouseEvent};

/// The path in the address bar, as a signal every component can read.
#[derive(Debug, Clone, Copy)]
pub struct Location {
    pub path: RwSignal<String>,
}

/// The address bar's path now (`/` outside a browser).
fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".to_owned())
}

/// Starts following the address bar and provides the [`Location`] to everything below.
pub fn provide_location() -> Location {
    let location = Location {
        path: RwSignal::new(current_path()),
    };
    provide_context(location);
    if let Some(window) = web_sys::window() {
        // Both listeners live as long as the page (the app is never unmounted in production;
        // a test mounting several apps gets one pair each, all following the same bar).
        let on_pop = Closure::<dyn Fn()>::new(move || {
            location.path.try_set(current_path());
        });
        let _ =
            window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
        on_pop.forget();
        let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |ev: MouseEvent| {
            if let Some(path) = internal_link(&ev) {
                ev.prevent_default();
                navigate(location, &path);
            }
        });
        if let Some(document) = window.document() {
            let _ = document
                .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        }
        on_click.forget();
    }
    location
}

/// The [`Location`] provided by an ancestor with [`provide_location`].
///
/// # Panics
/// When no ancestor provided one: a programming error, not something user input can cause.
pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// Goes to `path` in this document: a new history entry, then the signal.
pub fn navigate(location: Location, path: &str) {
    if location.path.with_untracked(|p| p == path) {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(path));
    }
    location.path.try_set(path.to_owned());
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// The path a click should navigate to inside the app, or `None` when the browser should
/// handle it: a modified or non-primary click, a link to another origin, a download, a new
/// window, or a link to a place on the same page.
fn internal_link(ev: &MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let anchor = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??
        .dyn_into::<HtmlAnchorElement>()
        .ok()?;
    if anchor.has_attribute("download") || !anchor.target().is_empty() {
        return None;
    }
    let raw = anchor.get_attribute("href")?;
    if raw.starts_with('#') {
        return None;
    }
    let here = web_sys::window()?.location();
    if anchor.origin() != here.origin().ok()? {
        return None;
    }
    Some(anchor.pathname())
}
