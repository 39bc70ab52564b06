//! The pages module: Models, Insights, Fairness, Batch and About, with the training reports.
//! A second wasm, built by the same Trunk run (index.html) but fetched only when the visitor
//! first opens one of these pages, so the first visit downloads just the shell and the Predict
//! page. The shell (src/main.rs) calls [`mount`] with the page and its selection, and
//! [`unmount`] when the page is left.

use std::any::Any;
use std::cell::RefCell;

use app::{embedded_models, parse_reports, AppState, Route, SecondaryPage, REPORT_JSON};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::web_sys::HtmlElement;
use wasm_bindgen::prelude::wasm_bindgen;

/// A page on screen: its container, its path, and the handle that unmounts it when dropped.
struct Shown {
    host: HtmlElement,
    path: String,
    _handle: Box<dyn Any>,
}

thread_local! {
    /// The models, reports and selection, made once; the shell's selection is copied in.
    static STATE: RefCell<Option<AppState>> = const { RefCell::new(None) };
    /// The page on screen.
    static SHOWN: RefCell<Option<Shown>> = const { RefCell::new(None) };
}

fn main() {
    std::panic::set_hook(Box::new(|info| app::report_panic(&info.to_string())));
}

/// Draws the page at `path` into `host` for the score `target` (without gender and
/// race/ethnicity when `unaware`). The same page in the same container only takes the new
/// selection, and re-renders itself from it.
#[wasm_bindgen]
pub fn mount(host: HtmlElement, path: &str, target: &str, unaware: bool) -> Result<(), String> {
    let route = Route::from_path(path).ok_or_else(|| format!("there is no page at {path}"))?;
    let state = STATE.with(|s| {
        s.borrow_mut()
            .get_or_insert_with(|| AppState::new(embedded_models(), parse_reports(REPORT_JSON)))
            .clone()
    });
    if state.selection.target.with_untracked(|t| t != target) {
        state.selection.target.set(target.to_owned());
    }
    if state.selection.unaware.get_untracked() != unaware {
        state.selection.unaware.set(unaware);
    }
    let same = SHOWN.with(|s| {
        s.borrow()
            .as_ref()
            .is_some_and(|shown| shown.host == host && shown.path == path)
    });
    if same {
        return Ok(());
    }
    unmount();
    let handle = mount_to(
        host.clone(),
        move || view! { <SecondaryPage route state /> },
    );
    let shown = Shown {
        host,
        path: path.to_owned(),
        _handle: Box::new(handle),
    };
    SHOWN.with(|s| *s.borrow_mut() = Some(shown));
    Ok(())
}

/// Removes the page on screen, if any.
#[wasm_bindgen]
pub fn unmount() {
    // Dropping the handle unmounts the page and disposes of its reactive state.
    let shown = SHOWN.with(|s| s.borrow_mut().take());
    drop(shown);
}
