//! The pages module as the shell sees it: fetched once, on the first visit to a page it
//! draws, through `window.loadPages` (assets/boot.js, which imports the module's JS and
//! starts its wasm), then asked to draw a page into a container or to remove it.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

use crate::{js_message, Route};

thread_local! {
    /// The started module's exports, once loaded.
    static MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// The module's exports, loading it the first time.
async fn module() -> Result<JsValue, String> {
    if let Some(module) = MODULE.with(|m| m.borrow().clone()) {
        return Ok(module);
    }
    let window = web_sys::window().ok_or("there is no window")?;
    let load = Reflect::get(&window, &JsValue::from_str("loadPages"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or("this build has no pages module (window.loadPages is missing)")?;
    let promise: Promise = load
        .call0(&window)
        .map_err(|e| js_message(&e))?
        .dyn_into()
        .map_err(|_| "window.loadPages did not return a promise")?;
    let module = JsFuture::from(promise)
        .await
        .map_err(|e| format!("the pages module could not be loaded: {}", js_message(&e)))?;
    MODULE.with(|m| *m.borrow_mut() = Some(module.clone()));
    Ok(module)
}

/// The module's exported function `name`.
fn export(module: &JsValue, name: &str) -> Result<Function, String> {
    Reflect::get(module, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| format!("the pages module has no {name} function"))
}

/// Draws `route` for the selection into `host` (loading the module first if needed); nothing
/// when `host` left the document meanwhile.
pub async fn show(
    host: &HtmlElement,
    route: Route,
    target: &str,
    unaware: bool,
) -> Result<(), String> {
    let module = module().await?;
    if !host.is_connected() {
        return Ok(());
    }
    let args = Array::of4(
        host,
        &JsValue::from_str(route.path()),
        &JsValue::from_str(target),
        &JsValue::from_bool(unaware),
    );
    export(&module, "mount")?
        .apply(&JsValue::NULL, &args)
        .map_err(|e| js_message(&e))?;
    Ok(())
}

/// Removes the page the module drew, if it is loaded.
pub fn hide() {
    if let Some(module) = MODULE.with(|m| m.borrow().clone()) {
        if let Ok(unmount) = export(&module, "unmount") {
            let _ = unmount.call0(&JsValue::NULL);
        }
    }
}
