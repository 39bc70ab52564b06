//! The header's selection: the score to predict and the switch that leaves the sensitive
//! features out.

use leptos::prelude::*;

use crate::{use_app_state, Catalog, Selection};

/// The score to predict and the switch that leaves the sensitive features out: every page
/// follows them. Absent when the model set is unreadable (the pages say why).
#[component]
pub(crate) fn SelectionBar() -> impl IntoView {
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
                    aria-describedby="unaware-hint selection-cost"
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
                <span id="selection-cost" class="hint" data-testid="selection-cost">
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
