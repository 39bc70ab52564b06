//! Client-side navigation for six fixed pages, without a framework: the shell listens for
//! clicks on same-origin links inside the app (the navigation, and links inside pages,
//! including those the pages module renders) and turns them into a `history.pushState`
//! instead of a page load; the browser's back and forward buttons fire `popstate`, after which
//! the shell reads the path from the address bar again.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlAnchorElement, MouseEvent};

/// The address bar's path now (`/` outside a browser).
pub fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".to_owned())
}

/// A new history entry for `path` (same document), scrolled to the top.
pub fn push(path: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(path));
    }
    window.scroll_to_with_x_and_y(0.0, 0.0);
}

/// The path a click should navigate to inside the app, or `None` when the browser should
/// handle it: a modified or non-primary click, a link to another origin, a download, a new
/// window, or a link to a place on the same page.
pub fn internal_link(ev: &MouseEvent) -> Option<String> {
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
