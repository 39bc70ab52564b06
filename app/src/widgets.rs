//! Small components the pages share: the model's error card, a reachable table scroll, the
//! served model's line, the padlock.

use leptos::prelude::*;

use crate::{family_label, format_percent, use_app_state};

/// A small padlock drawn inline (no icon font, no extra request).
#[component]
pub(crate) fn LockIcon() -> impl IntoView {
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

/// The model that predicts for the selection, as every page names it: "Lasso regression ·
/// test R² 0.880 · 90 % interval ± 9.1 points". Its figures are the bundle's own (model.json),
/// so the Predict page, the report pages and the model card cannot disagree. "test R²" and the
/// interval link to their glossary entries (`/about#r2`, `/about#interval`).
pub fn served_summary(bundle: &model::ModelBundle) -> impl IntoView {
    use crate::glossary::Term;
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
