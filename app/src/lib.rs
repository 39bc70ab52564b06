//! The browser app: a form built from the embedded model's features and a live prediction.
//!
//! The model is parsed once, in [`App`], and handed to the components through context
//! ([`provide_predictor`] / [`use_predictor`]). Every field's raw text is a signal; the student
//! and the prediction are memos derived from them, so nothing is ever synchronised by hand.

use std::sync::Arc;

use leptos::prelude::*;
use model::{fields, Feature, Missing, Predictor, Step, Student};

/// The model the trainer wrote, embedded at build time.
pub const MODEL_JSON: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/model.json"));

/// The app's name, shown in the header.
pub const APP_NAME: &str = "Student Performance Predictor";

/// The parsed model, shared by every component.
#[derive(Clone)]
struct PredictorContext(Arc<Predictor>);

/// Makes `predictor` available to every component below the current one.
pub fn provide_predictor(predictor: Predictor) {
    provide_context(PredictorContext(Arc::new(predictor)));
}

/// The predictor provided by an ancestor with [`provide_predictor`].
///
/// # Panics
/// When no ancestor provided one: a programming error, not something user input can cause.
pub fn use_predictor() -> Arc<Predictor> {
    expect_context::<PredictorContext>().0
}

/// The root component, running the embedded model.
#[component]
pub fn App() -> impl IntoView {
    view! { <AppWithModel model_json=MODEL_JSON /> }
}

/// The page for the model document `model_json`: the header, then the predictor, or an error
/// card when the document cannot be read. The model is parsed here, once.
#[component]
pub fn AppWithModel(model_json: &'static str) -> impl IntoView {
    let body = match Predictor::from_json(model_json) {
        Ok(predictor) => {
            provide_predictor(predictor);
            view! { <PredictorPage /> }.into_any()
        }
        Err(error) => view! { <ModelError message=error.to_string() /> }.into_any(),
    };
    view! {
        <header class="site-header">
            <div class="wrap">
                <h1>{APP_NAME}</h1>
                <p class="privacy">
                    <LockIcon />
                    "Runs entirely in your browser — nothing you enter leaves this device."
                </p>
            </div>
        </header>
        <main class="wrap">{body}</main>
    }
}

/// A small padlock drawn inline (no icon font, no extra request).
#[component]
fn LockIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path
                fill="currentColor"
                d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z"
            />
        </svg>
    }
}

/// Shown instead of the form when the embedded model is unusable.
#[component]
fn ModelError(message: String) -> impl IntoView {
    view! {
        <section class="card error-card" role="alert">
            <h2>"The prediction model could not be loaded"</h2>
            <p>"This build of the app carries a model it cannot read, so it cannot predict."</p>
            <p class="error-detail">
                <code>{message}</code>
            </p>
        </section>
    }
}

/// One form field: a model feature and the text currently entered for it.
#[derive(Clone)]
struct FieldState {
    feature: Feature,
    value: RwSignal<String>,
}

impl FieldState {
    fn name(&self) -> &str {
        self.feature.name()
    }
}

/// The value a field starts with: the model's own imputation value (the most frequent training
/// category, the training median), so a prediction shows at once.
fn initial_value(feature: &Feature, step: Option<&Step>) -> String {
    match (feature, step) {
        (_, Some(Step::OneHot { impute })) => impute.clone(),
        (_, Some(Step::Standardize { impute, .. })) => impute.to_string(),
        (Feature::Categorical { categories, .. }, None) => {
            categories.first().cloned().unwrap_or_default()
        }
        (Feature::Numeric { min, max, .. }, None) => ((min + max) / 2.0).to_string(),
    }
}

/// The form and the result card.
#[component]
fn PredictorPage() -> impl IntoView {
    let predictor = use_predictor();
    let steps = &predictor.bundle().preprocessor.steps;
    let fields: Vec<FieldState> = predictor
        .features()
        .iter()
        .enumerate()
        .map(|(i, feature)| FieldState {
            value: RwSignal::new(initial_value(feature, steps.get(i))),
            feature: feature.clone(),
        })
        .collect();

    let student = {
        let fields = fields.clone();
        Memo::new(move |_| {
            fields
                .iter()
                .map(|f| (f.name().to_owned(), f.value.get()))
                .collect::<Student>()
        })
    };
    let prediction = {
        let predictor = Arc::clone(&predictor);
        Memo::new(move |_| student.with(|s| predictor.predict_with(s, Missing::Reject)))
    };

    let (categorical, numeric): (Vec<FieldState>, Vec<FieldState>) = fields
        .into_iter()
        .partition(|f| matches!(f.feature, Feature::Categorical { .. }));
    let target = fields::label(&predictor.bundle().target).to_ascii_lowercase();

    view! {
        <p class="intro">
            "Describe a student and their known scores to predict their " {target.clone()} "."
        </p>
        <div class="layout">
            <form class="card form" novalidate on:submit=|ev| ev.prevent_default()>
                <FieldGroup legend="Background" fields=categorical prediction />
                <FieldGroup legend="Known scores" fields=numeric prediction />
            </form>
            <ResultCard target prediction />
        </div>
    }
}

type PredictionMemo = Memo<Result<f64, model::InputError>>;

/// A fieldset of fields (omitted when there are none, e.g. a model without categories).
#[component]
fn FieldGroup(
    legend: &'static str,
    fields: Vec<FieldState>,
    prediction: PredictionMemo,
) -> impl IntoView {
    (!fields.is_empty()).then(|| {
        view! {
            <fieldset>
                <legend>{legend}</legend>
                <div class="fields">
                    {fields
                        .into_iter()
                        .map(|field| view! { <Field field prediction /> })
                        .collect_view()}
                </div>
            </fieldset>
        }
    })
}

/// A DOM id for a column name (which may hold any text).
pub fn dom_id(prefix: &str, name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{safe}")
}

/// How a category reads in a list: its first letter capitalised ("group A" → "Group A").
/// ASCII only: Unicode case tables would add some 30 KB to the wasm for no visible gain here.
pub fn category_label(category: &str) -> String {
    let mut chars = category.chars();
    match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

/// One labelled control with its hint and inline error.
#[component]
fn Field(field: FieldState, prediction: PredictionMemo) -> impl IntoView {
    let name = field.name().to_owned();
    let label = fields::label(&name).to_owned();
    let id = dom_id("field", &name);
    let hint_id = dom_id("hint", &name);
    let error_id = dom_id("error", &name);

    let error = Memo::new({
        let name = name.clone();
        move |_| {
            prediction.with(|p| {
                p.as_ref()
                    .err()
                    .and_then(|e| e.for_field(&name))
                    .map(ToString::to_string)
            })
        }
    });
    let invalid = move || error.with(Option::is_some).then_some("true");
    // Numbers carry their range as a hint; a list shows its choices itself.
    let hint = match &field.feature {
        Feature::Categorical { .. } => None,
        Feature::Numeric { min, max, .. } => Some(format!("{min} to {max}")),
    };
    let has_hint = hint.is_some();
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let ids = [
                has_hint.then_some(hint_id.as_str()),
                error.with(Option::is_some).then_some(error_id.as_str()),
            ];
            let ids: Vec<&str> = ids.into_iter().flatten().collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let value = field.value;

    let control = match &field.feature {
        Feature::Categorical { categories, .. } => {
            let initial = value.get_untracked();
            let options = categories
                .iter()
                .map(|c| {
                    let selected = *c == initial;
                    view! {
                        <option value=c.clone() selected=selected>
                            {category_label(c)}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <select
                    id=id.clone()
                    name=name.clone()
                    aria-describedby=described_by
                    aria-invalid=invalid
                    prop:value=move || value.get()
                    on:change:target=move |ev| value.set(ev.target().value())
                >
                    {options}
                </select>
            }
            .into_any()
        }
        Feature::Numeric { .. } => view! {
            // Text, not type="number": a number input hides what was typed when it is not a
            // number, and the model's own checks should name the problem.
            <input
                id=id.clone()
                name=name.clone()
                type="text"
                inputmode="decimal"
                autocomplete="off"
                spellcheck="false"
                aria-describedby=described_by
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            />
        }
        .into_any(),
    };

    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <div class="field-head">
                <label for=id>{label}</label>
                {hint.map(|hint| view! { <span class="hint" id=hint_id>{hint}</span> })}
            </div>
            {control}
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field-error" id=error_id.clone()>
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The prediction as shown: one decimal, as Rust's `{:.1}` formats it; `None` for a value that
/// is not a finite number (never shown as "NaN").
pub fn format_score(value: f64) -> Option<String> {
    value.is_finite().then(|| format!("{value:.1}"))
}

/// A model family as people read it: `"random_forest"` → `"Random forest"`.
pub fn family_label(family: &str) -> String {
    match family {
        "linear_regression" => "Linear regression".to_owned(),
        "ridge_regression" | "ridge" => "Ridge regression".to_owned(),
        "lasso_regression" | "lasso" => "Lasso regression".to_owned(),
        "decision_tree" => "Decision tree".to_owned(),
        "random_forest" => "Random forest".to_owned(),
        "gradient_boosting" => "Gradient boosting".to_owned(),
        "adaboost" | "ada_boost" => "AdaBoost".to_owned(),
        "xgboost" => "XGBoost".to_owned(),
        "catboost" => "CatBoost".to_owned(),
        "knn" | "k_nearest_neighbors" => "k-nearest neighbours".to_owned(),
        other => category_label(&other.replace(['_', '-'], " ")),
    }
}

/// Where a score sits on a `[min, max]` scale, as a percentage clamped to 0–100.
pub fn scale_percent(value: f64, min: f64, max: f64) -> f64 {
    if !(value.is_finite() && min.is_finite() && max.is_finite()) || max <= min {
        return 0.0;
    }
    ((value - min) / (max - min) * 100.0).clamp(0.0, 100.0)
}

/// The live result: the predicted score, a bar on the 0–100 scale, and what model made it.
#[component]
fn ResultCard(target: String, prediction: PredictionMemo) -> impl IntoView {
    let predictor = use_predictor();
    let metrics = &predictor.bundle().metrics;
    let model_info = format!(
        "{} · test R² {:.2}",
        family_label(&metrics.family),
        metrics.test_r2
    );
    let shown =
        Memo::new(move |_| prediction.with(|p| p.as_ref().ok().copied().filter(|v| v.is_finite())));
    let text = move || {
        shown
            .get()
            .and_then(format_score)
            .unwrap_or_else(|| "—".to_owned())
    };
    let note = move || match shown.get() {
        Some(_) => "out of 100",
        None => "Fix the highlighted fields",
    };
    let bar_width = move || {
        let percent = shown.get().map_or(0.0, |v| scale_percent(v, 0.0, 100.0));
        format!("{percent:.1}%")
    };

    view! {
        <aside class="card result" aria-label="Prediction">
            <div class="status" role="status" aria-live="polite" aria-atomic="true">
                <span class="status-label">"Predicted " {target}</span>
                <span
                    class="prediction"
                    class:empty=move || shown.with(Option::is_none)
                    data-testid="prediction"
                >
                    {text}
                </span>
                <span class="status-note">{note}</span>
            </div>
            <div class="scale" aria-hidden="true">
                <div class="scale-fill" style:width=bar_width></div>
            </div>
            <p class="model-info" data-testid="model-info">
                {model_info}
            </p>
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_is_readable() {
        let predictor = Predictor::from_json(MODEL_JSON).expect("assets/model.json parses");
        assert!(!predictor.features().is_empty());
    }

    #[test]
    fn default_values_predict_a_finite_score() {
        let predictor = Predictor::from_json(MODEL_JSON).expect("assets/model.json parses");
        let steps = &predictor.bundle().preprocessor.steps;
        let student: Student = predictor
            .features()
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name().to_owned(), initial_value(f, steps.get(i))))
            .collect();
        let score = predictor
            .predict_with(&student, Missing::Reject)
            .expect("the defaults are valid");
        assert!(score.is_finite());
    }

    #[test]
    fn scores_show_one_decimal_and_never_nan() {
        assert_eq!(format_score(71.25).as_deref(), Some("71.2"));
        assert_eq!(format_score(71.35).as_deref(), Some("71.3"));
        assert_eq!(format_score(70.0).as_deref(), Some("70.0"));
        assert_eq!(format_score(f64::NAN), None);
        assert_eq!(format_score(f64::INFINITY), None);
    }

    #[test]
    fn labels_for_people() {
        assert_eq!(category_label("group A"), "Group A");
        assert_eq!(category_label("free/reduced"), "Free/reduced");
        assert_eq!(category_label(""), "");
        assert_eq!(family_label("linear_regression"), "Linear regression");
        assert_eq!(family_label("extra_trees"), "Extra trees");
        assert_eq!(dom_id("field", "race_ethnicity"), "field-race-ethnicity");
        assert_eq!(dom_id("field", "a b/c"), "field-a-b-c");
    }

    #[test]
    fn the_scale_is_clamped() {
        assert_eq!(scale_percent(50.0, 0.0, 100.0), 50.0);
        assert_eq!(scale_percent(-5.0, 0.0, 100.0), 0.0);
        assert_eq!(scale_percent(105.0, 0.0, 100.0), 100.0);
        assert_eq!(scale_percent(f64::NAN, 0.0, 100.0), 0.0);
        assert_eq!(scale_percent(1.0, 1.0, 1.0), 0.0);
    }
}
