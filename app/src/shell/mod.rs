//! The shell: what the first visit downloads. The header with the navigation and the
//! selection (score to predict, and the switch that leaves gender and race/ethnicity out),
//! the Predict page, and a container the pages module draws every other page into.
//!
//! It is written against the DOM directly (web-sys), without Leptos: the first load must stay
//! within 150 KB gzip (e2e/budget.test.mjs), and a UI framework's runtime alone took most of
//! that. Markup is written as escaped text ([`html::Html`]) once per page; after that, one
//! listener on the app's root hears every change and brings the page in step with the
//! [`Shell`]'s state: the form's text per field, shared by every model, and the selection.
//! The richer pages (Models, Insights, Fairness, Batch, About) stay Leptos components in the
//! pages module (src/bin/pages.rs), fetched on their first visit and told the selection
//! through [`crate::loader`].

mod html;
pub mod predict;
mod waterfall;

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement, MouseEvent};

use self::html::Html;
use self::predict::Values;
use crate::catalog::{remember_selection, remembered_selection, Catalog};
use crate::{loader, router, Route, APP_NAME};

/// The app's state, as the shell keeps it.
struct Shell {
    root: HtmlElement,
    models: Result<Catalog, String>,
    /// The score to predict.
    target: String,
    /// Whether gender and race/ethnicity are left out.
    unaware: bool,
    /// Every field's text, shared by every model's form: a score typed for one target is still
    /// there after switching to another.
    values: Values,
    /// The path on screen.
    path: String,
    /// The Predict page on screen.
    predicting: Option<predict::Screen>,
    /// Whether the pages module draws the page on screen.
    hosted: bool,
}

/// Starts the app in the document's body with the models built into it.
pub fn start() {
    let body = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body());
    if let Some(body) = body {
        mount(&body, crate::embedded_models());
    }
}

/// Draws the app at the end of `root` for `models` (or, when they are unusable, with an
/// error card where predictions would be) and the page in the address bar, then follows the
/// visitor: the form, the selection, links and the back and forward buttons. It runs as long
/// as the page.
pub fn mount(root: &HtmlElement, models: Result<Catalog, String>) {
    let default_target = models
        .as_ref()
        .map(|m| m.default_target().to_owned())
        .unwrap_or_default();
    let (target, unaware) = remembered_selection(models.as_ref().ok(), default_target);
    let values = models
        .as_ref()
        .map(Catalog::initial_values)
        .unwrap_or_default();
    let _ = root.insert_adjacent_html("beforeend", &chrome(models.as_ref().ok(), &target));
    let mut shell = Shell {
        root: root.clone(),
        models,
        target,
        unaware,
        values,
        path: router::current_path(),
        predicting: None,
        hosted: false,
    };
    shell.show_selection();
    shell.show_route();
    let shared = Rc::new(RefCell::new(shell));

    let on_event = {
        let shared = Rc::clone(&shared);
        // A handler that finds the shell busy drops the event: re-writing a page can fire a
        // `change` from the control it removes, whose text the shell already has.
        Closure::<dyn Fn(Event)>::new(move |ev: Event| {
            if let Ok(mut shell) = shared.try_borrow_mut() {
                shell.handle(&ev);
            }
        })
    };
    for kind in ["input", "change", "click", "submit"] {
        let _ = root.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
    }
    on_event.forget();
    let on_pop = Closure::<dyn Fn()>::new(move || {
        if let Ok(mut shell) = shared.try_borrow_mut() {
            shell.arrive(router::current_path());
        }
    });
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    }
    on_pop.forget();
}

/// The skip link, the header (name, privacy note, navigation, selection) and an empty main.
fn chrome(models: Option<&Catalog>, target: &str) -> String {
    let mut out = Html::new();
    out.raw("<a class=\"skip-link\" href=\"#main\">Skip to content</a>")
        .raw("<header class=\"site-header\"><div class=\"wrap header-row\"><div>")
        .element("h1", &[], APP_NAME)
        .raw("<p class=\"privacy\">")
        // A small padlock drawn inline (no icon font, no extra request).
        .raw(concat!(
            "<svg class=\"icon\" viewBox=\"0 0 16 16\" width=\"14\" height=\"14\" aria-hidden=\"true\">",
            "<path fill=\"currentColor\" d=\"M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z\"></path></svg>"
        ))
        .text("Runs entirely in your browser — nothing you enter leaves this device.")
        .raw("</p></div><nav class=\"site-nav\" aria-label=\"Pages\"><ul>");
    for route in Route::ALL {
        out.raw("<li>")
            .element("a", &[("href", Some(route.path()))], route.label())
            .raw("</li>");
    }
    out.raw("</ul></nav></div><div class=\"wrap\">");
    if let Some(models) = models {
        selection_bar(&mut out, models, target);
    }
    out.raw("</div></header><main id=\"main\" class=\"wrap\" tabindex=\"-1\"></main>");
    out.into_string()
}

/// The score to predict and the switch (its state is set by [`Shell::show_selection`]).
fn selection_bar(out: &mut Html, models: &Catalog, target: &str) {
    out.raw("<div class=\"selection\" data-testid=\"selection\"><div class=\"selection-target\">")
        .raw("<label for=\"target-select\">Score to predict</label><select id=\"target-select\">");
    for t in models.targets() {
        let selected = (t == target).then_some("");
        out.element(
            "option",
            &[("value", Some(t)), ("selected", selected)],
            model::fields::label(t),
        );
    }
    out.raw("</select></div><div class=\"selection-switch\">")
        .raw("<input id=\"unaware-switch\" type=\"checkbox\" role=\"switch\" aria-describedby=\"unaware-hint\">")
        .raw("<label for=\"unaware-switch\">Don't use gender or race/ethnicity</label>")
        .raw("<span id=\"unaware-hint\" class=\"hint\"></span></div></div>");
}

/// An error card: a heading, what it means for the visitor (markup written in this crate),
/// and the technical detail.
fn error_card(heading: &str, explanation: &str, detail: &str) -> String {
    let mut out = Html::new();
    out.raw("<section class=\"card error-card\" role=\"alert\">")
        .element("h2", &[], heading)
        .raw(explanation)
        .raw("<p class=\"error-detail\">")
        .element("code", &[], detail)
        .raw("</p></section>");
    out.into_string()
}

fn find<T: JsCast>(root: &Element, selector: &str) -> Option<T> {
    root.query_selector(selector).ok()??.dyn_into().ok()
}

impl Shell {
    fn main(&self) -> Option<HtmlElement> {
        find(&self.root, "main")
    }

    /// What an event in the app asks for.
    fn handle(&mut self, ev: &Event) {
        let Some(element) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        match ev.type_().as_str() {
            "submit" => ev.prevent_default(),
            "click" => {
                let Some(click) = ev.dyn_ref::<MouseEvent>() else {
                    return;
                };
                if element.closest(".skip-link").ok().flatten().is_some() {
                    // Focus moves to the content itself (the router leaves `#` links alone).
                    if let Some(main) = self.main() {
                        ev.prevent_default();
                        let _ = main.focus();
                    }
                } else if let Some(path) = router::internal_link(click) {
                    ev.prevent_default();
                    self.navigate(&path);
                }
            }
            _ => {
                if let Some(field) = element.get_attribute("data-field") {
                    if let Some(value) = control_value(&element) {
                        self.set_field(field, value);
                    }
                } else if element.id() == "target-select" {
                    if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                        self.select(select.value(), self.unaware);
                    }
                } else if element.id() == "unaware-switch" {
                    if let Some(switch) = element.dyn_ref::<HtmlInputElement>() {
                        self.select(self.target.clone(), switch.checked());
                    }
                }
            }
        }
    }

    /// Goes to `path` in this document.
    fn navigate(&mut self, path: &str) {
        if self.path != path {
            router::push(path);
            self.arrive(path.to_owned());
        }
    }

    /// The address bar now says `path`: the page changes only if it is another page, so a
    /// page's state (a batch's results) survives a link to itself or a change of `#place`.
    fn arrive(&mut self, path: String) {
        let same = match (Route::from_path(&path), Route::from_path(&self.path)) {
            (Some(new), Some(old)) => new == old,
            (None, None) => path == self.path,
            _ => false,
        };
        self.path = path;
        if !same {
            self.show_route();
        }
    }

    /// A field's new text: every control of the field and every output follow.
    fn set_field(&mut self, name: String, value: String) {
        if self.values.get(&name) == Some(&value) {
            return;
        }
        self.values.insert(name, value);
        let main = self.main();
        if let (Some(screen), Some(main)) = (self.predicting.as_mut(), main) {
            screen.refresh(&main, &self.values);
        }
    }

    /// A new selection: remembered, shown in the header, and followed by the page on screen.
    fn select(&mut self, target: String, unaware: bool) {
        if target == self.target && unaware == self.unaware {
            return;
        }
        self.target = target;
        self.unaware = unaware;
        remember_selection(&self.target, self.unaware);
        self.show_selection();
        match Route::from_path(&self.path) {
            Some(Route::Predict) => self.show_predict(),
            Some(route) if self.hosted => self.load_page(route),
            _ => {}
        }
    }

    /// The selection bar for the current selection. The switch is never stuck on: a switch
    /// that is on can always be turned off.
    fn show_selection(&self) {
        let Ok(models) = &self.models else {
            return;
        };
        let available = models.has_unaware(&self.target);
        if let Some(select) = find::<HtmlSelectElement>(&self.root, "#target-select") {
            select.set_value(&self.target);
        }
        if let Some(switch) = find::<HtmlInputElement>(&self.root, "#unaware-switch") {
            switch.set_checked(self.unaware);
            switch.set_disabled(!self.unaware && !available);
        }
        if let Some(hint) = find::<Element>(&self.root, "#unaware-hint") {
            hint.set_text_content(Some(if !available {
                "This build has no such model for this score."
            } else if self.unaware {
                "On: predictions and reasons never use them."
            } else {
                "Off: every field is used."
            }));
        }
    }

    /// The page at the current path, its link marked in the navigation and its name in the
    /// browser tab.
    fn show_route(&mut self) {
        let route = Route::from_path(&self.path);
        if let Ok(links) = self.root.query_selector_all(".site-nav a") {
            for i in 0..links.length() {
                let Some(link) = links.item(i).and_then(|l| l.dyn_into::<Element>().ok()) else {
                    continue;
                };
                let current =
                    route.is_some_and(|r| link.get_attribute("href").as_deref() == Some(r.path()));
                let _ = if current {
                    link.set_attribute("aria-current", "page")
                } else {
                    link.remove_attribute("aria-current")
                };
            }
        }
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let title =
                route.map_or_else(|| format!("Not found · {APP_NAME}"), |r| r.document_title());
            document.set_title(&title);
        }
        if self.hosted {
            loader::hide();
            self.hosted = false;
        }
        self.predicting = None;
        let Some(main) = self.main() else {
            return;
        };
        match route {
            Some(Route::Predict) => self.show_predict(),
            Some(route) => {
                main.set_inner_html("<div data-testid=\"page-host\"></div>");
                self.hosted = true;
                self.load_page(route);
            }
            None => {
                let mut out = Html::new();
                out.raw("<section class=\"card page-card\"><h2>Page not found</h2><p>")
                    .text("There is no page at ")
                    .element("code", &[], &self.path)
                    .text(". The pages are listed at the top; ")
                    .element(
                        "a",
                        &[("href", Some(Route::Predict.path()))],
                        "start with a prediction",
                    )
                    .text(".")
                    .raw("</p></section>");
                main.set_inner_html(&out.into_string());
            }
        }
    }

    /// The Predict page for the selection's model, or why there is none.
    fn show_predict(&mut self) {
        let Some(main) = self.main() else {
            return;
        };
        let predictor = match &self.models {
            Ok(models) => models.predictor(&self.target, self.unaware),
            Err(message) => Err(message.clone()),
        };
        match predictor {
            Ok(predictor) => {
                self.predicting = Some(predict::Screen::show(&main, predictor, &self.values));
            }
            Err(message) => {
                self.predicting = None;
                main.set_inner_html(&error_card(
                    "The prediction model could not be loaded",
                    "<p>This build of the app carries a model it cannot read, so it cannot predict.</p>",
                    &message,
                ));
            }
        }
    }

    /// Asks the pages module (loading it on the first visit) to draw `route` for the
    /// selection into the page's container; says so on the page when it cannot.
    fn load_page(&self, route: Route) {
        let Some(host) = self
            .main()
            .and_then(|m| find::<HtmlElement>(&m, "[data-testid=page-host]"))
        else {
            return;
        };
        let (target, unaware) = (self.target.clone(), self.unaware);
        wasm_bindgen_futures::spawn_local(async move {
            let shown = loader::show(&host, route, &target, unaware).await;
            let card = host.next_element_sibling();
            let Err(message) = shown else {
                // Drawn after all (a retry): an earlier failure's card goes.
                if let Some(card) = card {
                    card.remove();
                }
                return;
            };
            if host.is_connected() && card.is_none() {
                let card = error_card(
                    "This page could not be loaded",
                    "<p>Its code is fetched on the first visit to it, and that failed (offline before this page was ever opened?). Predictions still work: <a href=\"/\">make a prediction</a>, or reload when online.</p>",
                    &message,
                );
                let _ = host.insert_adjacent_html("afterend", &card);
            }
        });
    }
}

/// The text a form control holds: a text field's or slider's value, a list's choice, or a
/// chip's category once it is picked (`None` for a chip being unpicked).
fn control_value(element: &Element) -> Option<String> {
    if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
        return Some(select.value());
    }
    let input = element.dyn_ref::<HtmlInputElement>()?;
    if input.type_() == "radio" && !input.checked() {
        return None;
    }
    Some(input.value())
}
