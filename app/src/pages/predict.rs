//! The Predict page: the form, the live prediction with its interval, why the model predicts
//! it, and what-if controls.
//!
//! Each field's text is one signal of the app's [`crate::FormValues`]: the form's control, the
//! what-if slider and the what-if chips are all bound to it, so they never disagree, and the
//! text outlives a change of page or score. The student is a memo of those signals, and
//! everything the page shows is one memo of the student, [`Outputs`] — computed apart from the
//! views, so the native tests check it.

use std::sync::Arc;

use leptos::prelude::*;
use model::whatif::{self, Goal};
use model::{Explanation, Feature, Interval, Missing, Predictor, Student};

use crate::charts::{signed, Curve, Waterfall};
use crate::glossary::{Explain, Term};
use crate::{
    category_label, dom_id, format_percent, format_score, scale_percent, served_summary,
    use_app_state, FormValues, ModelError, PageTitle, Route,
};

/// The range every score (and so the target) lies in.
pub const TARGET_RANGE: (f64, f64) = (0.0, 100.0);

/// Where a slider stands for the text of its field: the number clamped to `[min, max]`, or
/// the middle of the range while the text is not a number.
pub fn slider_position(text: &str, min: f64, max: f64) -> f64 {
    // The form's own reading of a number ("85,5" and "８５" too): the slider and the prediction
    // never disagree about what was typed.
    model::text::read_number(text).map_or((min + max) / 2.0, |v| v.clamp(min, max))
}

/// One field of the reference student in a few words ("standard lunch", "reading score 70").
fn describe_value(feature: &Feature, value: &str) -> String {
    let name = feature.name();
    match (feature, name) {
        (Feature::Numeric { .. }, _) => {
            format!("{} {value}", feature.label().to_ascii_lowercase())
        }
        (_, "gender" | "race_ethnicity") => value.to_owned(),
        (_, "lunch") => format!("{value} lunch"),
        (_, "parental_level_of_education") => format!("parents with {value}"),
        (_, "test_preparation_course") if value == "none" => "no test preparation".to_owned(),
        (_, "test_preparation_course") => format!("test preparation {value}"),
        _ => format!("{}: {value}", feature.label()),
    }
}

/// The model's typical student (every field at its imputation value) in one line:
/// "female, group C, parents with some college, …, reading score 70, writing score 69".
pub fn describe_reference(predictor: &Predictor) -> String {
    let reference = predictor.reference_student();
    predictor
        .features()
        .iter()
        .filter_map(|f| reference.get(f.name()).map(|v| describe_value(f, v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Everything on the page that follows the form, for one student.
#[derive(Debug, Clone, PartialEq)]
pub struct Outputs {
    /// The prediction, when every field is valid (never a number that is not finite).
    pub prediction: Option<f64>,
    /// Each invalid field's name and what is wrong with it, in form order.
    pub errors: Vec<(String, String)>,
    /// The interval's bounds, limited to the score range, and whether they were limited.
    pub bounds: Option<(f64, f64, bool)>,
    /// The model's own estimate, when it lay beyond the score range (and the prediction is
    /// that range's limit).
    pub beyond: Option<f64>,
    /// The reasons, when there is a prediction and the model is small enough to explain.
    pub explanation: Option<Explanation>,
    /// For each category of each field other than the current one: (field, category, how far
    /// the prediction would move with it), while there is a prediction.
    pub deltas: Vec<(String, String, String)>,
}

impl Outputs {
    pub fn new(predictor: &Predictor, student: &Student) -> Self {
        // The model crate's one estimate for every surface: the value and both bounds within
        // the score range, and the raw estimate.
        let result = predictor.estimate(student, Missing::Reject);
        let errors = match &result {
            Ok(_) => Vec::new(),
            Err(e) => predictor
                .features()
                .iter()
                .filter_map(|f| {
                    let error = e.for_field(f.name())?;
                    Some((f.name().to_owned(), error.to_string()))
                })
                .collect(),
        };
        let estimate = result.ok().filter(|e| e.value.is_finite());
        let prediction = estimate.map(|e| e.value);
        let bounds = match (estimate, &predictor.bundle().interval) {
            (Some(e), Some(i)) => {
                let (low, high) = (e.low.unwrap_or(e.value), e.high.unwrap_or(e.value));
                let limited =
                    low > e.value - i.half_width + 1e-9 || high < e.value + i.half_width - 1e-9;
                Some((low, high, limited))
            }
            _ => None,
        };
        let beyond = estimate
            .filter(|e| e.beyond_range() && e.raw.is_finite())
            .map(|e| e.raw);
        let explanation = prediction.and_then(|_| predictor.explain(student, Missing::Reject).ok());
        let mut deltas = Vec::new();
        if let Some(now) = prediction {
            for feature in predictor.features() {
                let Feature::Categorical {
                    name, categories, ..
                } = feature
                else {
                    continue;
                };
                let current = student.get(name).unwrap_or_default();
                for category in categories.iter().filter(|c| *c != current) {
                    let mut other = student.clone();
                    other.set(name.as_str(), category.as_str());
                    let then = predictor.predict_with(&other, Missing::Reject).ok();
                    if let Some(then) = then.filter(|v| v.is_finite()) {
                        deltas.push((name.clone(), category.clone(), signed(then - now, 1)));
                    }
                }
            }
        }
        Self {
            prediction,
            errors,
            bounds,
            beyond,
            explanation,
            deltas,
        }
    }

    /// The message for field `name`, if it is invalid.
    pub fn error(&self, name: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.clone())
    }

    /// How far `category` of `field` would move the prediction (`None` for the current one).
    pub fn delta(&self, field: &str, category: &str) -> Option<String> {
        self.deltas
            .iter()
            .find(|(f, c, _)| f == field && c == category)
            .map(|(_, _, d)| d.clone())
    }
}

/// One form field: a model feature, the suffix of its elements' ids, and its text.
#[derive(Clone)]
struct Field {
    feature: Feature,
    key: String,
    value: RwSignal<String>,
}

impl Field {
    fn name(&self) -> &str {
        self.feature.name()
    }

    /// The id of this field's element of a kind: `field`, `hint`, `error`, `slider`, …
    fn id(&self, kind: &str) -> String {
        format!("{kind}-{}", self.key)
    }
}

/// The id suffix of each field: its name with every character an id cannot hold as `-`
/// ([`dom_id`]), and a number added when two names would read the same ("a b" and "a_b"),
/// so no element of one field is ever taken for another's.
pub fn field_keys(names: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let base = dom_id("", name)[1..].to_owned();
        let mut key = base.clone();
        let mut n = i;
        while keys.contains(&key) {
            key = format!("{base}-{n}");
            n += 1;
        }
        keys.push(key);
    }
    keys
}

/// The model's fields, bound to the form's signals.
fn fields_of(predictor: &Predictor, form: FormValues) -> Vec<Field> {
    let names: Vec<&str> = predictor.features().iter().map(Feature::name).collect();
    predictor
        .features()
        .iter()
        .zip(field_keys(&names))
        .map(|(feature, key)| Field {
            value: form.field(feature.name()),
            feature: feature.clone(),
            key,
        })
        .collect()
}

/// The Predict page for the selected model, or the model's error card.
#[component]
pub fn PredictPage() -> impl IntoView {
    let state = use_app_state();
    let form = state.form;
    move || match state.predictor() {
        Ok(predictor) => view! { <PredictorView predictor form /> }.into_any(),
        Err(message) => view! { <ModelError message /> }.into_any(),
    }
}

/// The form, the result, the reasons and the what-if controls for one model.
#[component]
fn PredictorView(predictor: Arc<Predictor>, form: FormValues) -> impl IntoView {
    // The model's fields only: with the switch on, gender and race/ethnicity are not among
    // them, so they are neither shown nor read.
    let fields = fields_of(&predictor, form);
    let student = {
        let fields = fields.clone();
        Memo::new(move |_| {
            fields
                .iter()
                .map(|f| (f.name().to_owned(), f.value.get()))
                .collect::<Student>()
        })
    };
    let outputs = {
        let predictor = Arc::clone(&predictor);
        Memo::new(move |_| student.with(|s| Outputs::new(&predictor, s)))
    };
    let (categorical, numeric): (Vec<Field>, Vec<Field>) = fields
        .iter()
        .cloned()
        .partition(|f| matches!(f.feature, Feature::Categorical { .. }));
    let target = predictor.target_label().to_ascii_lowercase();

    view! {
        <PageTitle route=Route::Predict>"Predict a score"</PageTitle>
        <p class="intro">
            "Describe a student and their known scores to predict their " {target.clone()} "."
        </p>
        <div class="layout">
            <div class="inputs">
                <form class="card form" novalidate on:submit=|ev| ev.prevent_default()>
                    <FieldGroup legend="Background" fields=categorical.clone() outputs />
                    <FieldGroup legend="Known scores" fields=numeric.clone() outputs />
                </form>
                <WhatIf predictor=Arc::clone(&predictor) fields=fields.clone() student outputs />
            </div>
            <div class="outputs">
                <ResultCard predictor=Arc::clone(&predictor) target=target.clone() outputs />
                // Beside the result, not in it: on a phone the result sticks to the screen's
                // foot and must stay small.
                <Explain terms=&[Term::Interval, Term::Coverage, Term::R2, Term::Test] />
                <WhyCard predictor fields outputs />
            </div>
        </div>
    }
}

/// A fieldset of fields (omitted when there are none, e.g. a model without categories).
#[component]
fn FieldGroup(legend: &'static str, fields: Vec<Field>, outputs: Memo<Outputs>) -> impl IntoView {
    (!fields.is_empty()).then(|| {
        view! {
            <fieldset>
                <legend>{legend}</legend>
                <div class="fields">
                    {fields
                        .into_iter()
                        .map(|field| view! { <FieldControl field outputs /> })
                        .collect_view()}
                </div>
            </fieldset>
        }
    })
}

/// One labelled control with its hint and inline error.
#[component]
fn FieldControl(field: Field, outputs: Memo<Outputs>) -> impl IntoView {
    let name = field.name().to_owned();
    let label = field.feature.label().to_owned();
    let (id, hint_id, error_id) = (field.id("field"), field.id("hint"), field.id("error"));
    let error = Memo::new({
        let name = name.clone();
        move |_| outputs.with(|o| o.error(&name))
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
                    view! {
                        <option value=c.clone() selected=*c == initial>
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

/// The live result: the predicted score and its interval, a bar on the 0–100 scale, and what
/// model made it.
#[component]
fn ResultCard(predictor: Arc<Predictor>, target: String, outputs: Memo<Outputs>) -> impl IntoView {
    let model_info = served_summary(predictor.bundle());
    let shown = Memo::new(move |_| outputs.with(|o| o.prediction));
    let bounds = Memo::new(move |_| outputs.with(|o| o.bounds));
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
    let (lo, hi) = TARGET_RANGE;
    let percent = move |v: f64| format!("{:.1}%", scale_percent(v, lo, hi));
    let interval = predictor.bundle().interval.clone();
    let band = interval.is_some().then(|| {
        let left = move || percent(bounds.get().map_or(0.0, |b| b.0));
        let width = move || {
            let w = bounds.get().map_or(0.0, |b| {
                scale_percent(b.1, lo, hi) - scale_percent(b.0, lo, hi)
            });
            format!("{w:.1}%")
        };
        view! { <div class="scale-band" style:left=left style:width=width></div> }
    });
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
                {band}
                <div class="scale-fill" style:width=move || percent(shown.get().unwrap_or(0.0))></div>
            </div>
            {interval.map(|interval| view! { <IntervalText interval bounds /> })}
            {move || {
                outputs
                    .with(|o| o.beyond)
                    .and_then(format_score)
                    .map(|raw| {
                        view! {
                            <p class="coverage" data-testid="beyond-range">
                                {format!(
                                    "The model's own estimate was {raw}; scores lie between {lo} and {hi}, so it shows the nearest."
                                )}
                            </p>
                        }
                    })
            }}
            <p class="model-info" data-testid="model-info">
                {model_info}
            </p>
        </aside>
    }
}

/// "90 % interval: 62.1 – 80.4" and how often such intervals held on the test split.
#[component]
fn IntervalText(
    interval: Interval,
    /// The interval's bounds, limited to the score range, and whether they were limited.
    bounds: Memo<Option<(f64, f64, bool)>>,
) -> impl IntoView {
    let Interval {
        level,
        half_width,
        test_coverage,
        ..
    } = interval;
    let (lo, hi) = TARGET_RANGE;
    let range = move || match bounds.get() {
        Some((low, high, _)) => format!("{low:.1} – {high:.1}"),
        None => "—".to_owned(),
    };
    let limited = move || match bounds.get() {
        Some((_, _, true)) => format!(" (limited to the {lo}–{hi} score range)"),
        _ => String::new(),
    };
    let title = format!(
        "The prediction ± {half_width:.1} points, with the bounds limited to the {lo}–{hi} score range"
    );
    view! {
        <p class="interval" data-testid="interval" title=title>
            <span class="interval-label">{format_percent(level)} " interval: "</span>
            <strong class="interval-range">{range}</strong>
            <span class="visually-hidden interval-limited">{limited}</span>
        </p>
        <p class="coverage">
            {format!(
                "± {half_width:.1} points for every student · covered {} of held-out students",
                format_percent(test_coverage),
            )}
        </p>
    }
}

/// "Why this score": the typical student, then one bar per feature adding up to the
/// prediction.
#[component]
fn WhyCard(predictor: Arc<Predictor>, fields: Vec<Field>, outputs: Memo<Outputs>) -> impl IntoView {
    let baseline = predictor
        .predict_with(&predictor.reference_student(), Missing::Impute)
        .ok()
        .and_then(format_score)
        .unwrap_or_else(|| "—".to_owned());
    let reference = describe_reference(&predictor);
    let target = predictor.target_label().to_ascii_lowercase();
    let explanation = Memo::new(move |_| outputs.with(|o| o.explanation.clone()));

    let chart = move || {
        let Some(e) = explanation.get() else {
            return view! {
                <p class="muted" data-testid="why-empty">
                    "Fix the highlighted fields to see the reasons."
                </p>
            }
            .into_any();
        };
        let values: Vec<f64> = e.contributions.iter().map(|c| c.value).collect();
        if values.iter().all(|v| v.abs() < 0.05) {
            return view! {
                <p class="muted" data-testid="why-empty">
                    "This student is the typical student, so nothing moves the score. "
                    "Change a field or drag a score to see what does."
                </p>
            }
            .into_any();
        }
        let total: f64 = values.iter().sum();
        let labels: Vec<String> = e
            .contributions
            .iter()
            .map(|c| {
                let field = fields.iter().find(|f| f.name() == c.feature);
                let text = field.map(|f| f.value.get_untracked()).unwrap_or_default();
                let label = field.map_or(c.feature.as_str(), |f| f.feature.label());
                format!("{label}: {}", text.trim())
            })
            .collect();
        let aria = format!(
            "Bars from the typical student's {:.1} to this student's {:.1}, one per field, largest first",
            e.baseline, e.prediction
        );
        let largest_first: Vec<f64> = values.iter().map(|v| -v.abs()).collect();
        let rows = model::order_by(&largest_first)
            .into_iter()
            .map(|i| {
                view! {
                    <tr>
                        <th scope="row">{labels[i].clone()}</th>
                        <td>{signed(values[i], 1)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <figure class="chart-figure">
                <Waterfall aria_label=aria baseline=e.baseline labels=labels.clone() values />
                <figcaption class="sum" data-testid="why-sum">
                    {format!("{:.1}", e.baseline)}
                    " (typical) "
                    <strong>{signed(total, 1)}</strong>
                    " (this student's differences) = "
                    <strong>{format!("{:.1}", e.prediction)}</strong>
                </figcaption>
                <div class="visually-hidden">
                    <table>
                        <caption>
                            "Contribution of each field, in points of " {target.clone()}
                        </caption>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </figure>
        }
        .into_any()
    };

    view! {
        <section class="card why" aria-labelledby="why-title">
            <h2 id="why-title">"Why this score"</h2>
            <p class="baseline">
                "A typical student — " {reference} " — scores " <strong>{baseline}</strong>
                ". Each bar is what one field of this student adds or takes away."
            </p>
            <div class="why-chart">{chart}</div>
        </section>
    }
}

/// The curve under a score's slider: the prediction and its interval for each value of the
/// score, the other fields as entered, and where the student stands (`None` until every other
/// field is valid).
pub fn slider_curve(
    predictor: &Predictor,
    student: &Student,
    field: &str,
) -> Option<Vec<(f64, f64, f64, f64)>> {
    let points = whatif::curve(predictor, student, field).ok()?;
    let points: Vec<_> = points
        .into_iter()
        .map(|(v, e)| {
            (
                v,
                e.value,
                e.low.unwrap_or(e.value),
                e.high.unwrap_or(e.value),
            )
        })
        .collect();
    points
        .iter()
        .all(|p| p.1.is_finite() && p.2.is_finite() && p.3.is_finite())
        .then_some(points)
}

/// A suggestion in the app's words: the seed's wording of a change where it has one
/// ("complete the test preparation course").
fn worded(mut suggestion: whatif::Suggestion) -> whatif::Suggestion {
    for change in &mut suggestion.changes {
        if let Some(phrase) = crate::seed::phrase(change) {
            change.phrase = phrase;
        }
    }
    suggestion
}

/// The answer to the goal box, in words: the summary sentence and the suggestions (each a
/// sentence and its changes, field name → new text).
#[derive(Debug, Clone, PartialEq)]
pub struct GoalAnswer {
    pub summary: String,
    pub suggestions: Vec<(String, Vec<(String, String)>)>,
}

/// What the goal box says for `goal_text` and `student`; `None` while the box is empty.
pub fn goal_answer(
    predictor: &Predictor,
    student: &Student,
    goal_text: &str,
) -> Option<GoalAnswer> {
    if goal_text.trim().is_empty() {
        return None;
    }
    let score = |v: f64| format_score(v).unwrap_or_else(|| "—".to_owned());
    let answer = |summary: String| GoalAnswer {
        summary,
        suggestions: Vec::new(),
    };
    let Some(goal) = model::text::read_number(goal_text) else {
        return Some(answer(format!(
            "{:?} is not a number: write a goal such as 80.",
            goal_text.trim()
        )));
    };
    let answer_of = whatif::what_it_takes(predictor, student, goal).map(|goal| match goal {
        Goal::Reachable { now, suggestions } => Goal::Reachable {
            now,
            suggestions: suggestions.into_iter().map(worded).collect(),
        },
        Goal::Unreachable { now, best } => Goal::Unreachable {
            now,
            best: worded(best),
        },
        other => other,
    });
    Some(match answer_of {
        Err(whatif::GoalError::OutOfRange { min, max }) => answer(format!(
            "{} is outside the scores this model predicts: choose a goal from {min} to {max}.",
            model::text::number(goal)
        )),
        Err(whatif::GoalError::Input(_)) => {
            answer("Fix the highlighted fields to look for changes.".to_owned())
        }
        Ok(Goal::Reached { now }) => answer(format!(
            "Already there: the prediction, {}, is at least {}.",
            score(now.value),
            model::text::number(goal)
        )),
        Ok(Goal::NothingToChange { now }) => answer(format!(
            "This model has no field a student can change: the prediction stays {}, short of {}.",
            score(now.value),
            model::text::number(goal)
        )),
        Ok(Goal::Unreachable { best, .. }) => answer(format!(
            "No change to the test preparation course or the known scores reaches {}: the most this model predicts with them is {} ({best}).",
            model::text::number(goal),
            score(best.estimate.value)
        )),
        Ok(Goal::Reachable { suggestions, .. }) => {
            let first = &suggestions[0];
            let summary = format!(
                "Smallest change: {first}, for a prediction of {}.",
                score(first.estimate.value)
            );
            GoalAnswer {
                summary,
                suggestions: suggestions
                    .iter()
                    .map(|s| {
                        let mut text = s.to_string();
                        if let Some(c) = text.get_mut(0..1) {
                            c.make_ascii_uppercase();
                        }
                        let text = format!("{text}: {}", score(s.estimate.value));
                        let changes = s
                            .changes
                            .iter()
                            .map(|c| (c.field.clone(), c.to.clone()))
                            .collect();
                        (text, changes)
                    })
                    .collect(),
            }
        }
    })
}

/// Sliders for the scores, each with its curve, and chips for the categories, each bound to
/// its field's signal (every chip shows how the prediction would move with it); then the goal
/// box.
#[component]
fn WhatIf(
    predictor: Arc<Predictor>,
    fields: Vec<Field>,
    student: Memo<Student>,
    outputs: Memo<Outputs>,
) -> impl IntoView {
    let target = predictor.target_label().to_ascii_lowercase();
    let (categorical, numeric): (Vec<Field>, Vec<Field>) = fields
        .iter()
        .cloned()
        .partition(|f| matches!(f.feature, Feature::Categorical { .. }));
    let sliders = numeric
        .into_iter()
        .filter_map(|field| match field.feature {
            Feature::Numeric { min, max, .. } => Some((field, min, max)),
            Feature::Categorical { .. } => None,
        })
        .map(|(field, min, max)| {
            let label = field.feature.label().to_owned();
            let value = field.value;
            let position = move || slider_position(&value.get(), min, max).to_string();
            let shown = move || {
                let text = value.get();
                match model::text::read_number(&text) {
                    Some(_) => text.trim().to_owned(),
                    None => "—".to_owned(),
                }
            };
            let points = {
                let (predictor, name) = (Arc::clone(&predictor), field.name().to_owned());
                Memo::new(move |_| student.with(|s| slider_curve(&predictor, s, &name)))
            };
            let chart = {
                let (label, target) = (label.to_ascii_lowercase(), target.clone());
                move || {
                    let points = points.get()?;
                    let here = outputs
                        .with(|o| o.prediction)
                        .zip(model::text::read_number(&value.get()))
                        .map(|(p, v)| (v.clamp(min, max), p));
                    let (first, last) = (points[0], points[points.len() - 1]);
                    let mut aria = format!(
                        "Predicted {target} as the {label} goes from {min} to {max}, the other fields as entered: {:.1} at {min}, {:.1} at {max}",
                        first.1, last.1,
                    );
                    if let Some((v, p)) = here {
                        aria.push_str(&format!("; {p:.1} at {}", model::text::number(v)));
                    }
                    Some(view! {
                        <Curve
                            aria_label=aria
                            points
                            marker=here
                            x_domain=(min, max)
                            y_domain=TARGET_RANGE
                        />
                    })
                }
            };
            view! {
                <div class="slider-field">
                    // The slider itself tells assistive technology its name and value.
                    <div class="slider-head" aria-hidden="true">
                        <span>{label.clone()}</span>
                        <span class="slider-value" id=field.id("shown")>
                            {shown}
                        </span>
                    </div>
                    <input
                        id=field.id("slider")
                        type="range"
                        min=min
                        max=max
                        step="1"
                        aria-label=format!("{label} slider")
                        prop:value=position
                        on:input:target=move |ev| value.set(ev.target().value())
                    />
                    <div class="curve-box" id=field.id("curve")>
                        {chart}
                    </div>
                </div>
            }
        })
        .collect_view();

    let chips = categorical
        .into_iter()
        .filter_map(|field| match &field.feature {
            Feature::Categorical { categories, .. } => Some((categories.clone(), field)),
            Feature::Numeric { .. } => None,
        })
        .map(|(categories, field)| {
            let name = field.name().to_owned();
            let label = field.feature.label().to_owned();
            let group = field.id("whatif");
            let value = field.value;
            let options = categories
                .into_iter()
                .map(|category| {
                    let checked = {
                        let category = category.clone();
                        move || value.with(|v| *v == category)
                    };
                    let delta = {
                        let (name, category) = (name.clone(), category.clone());
                        move || outputs.with(|o| o.delta(&name, &category))
                    };
                    let pick = category.clone();
                    view! {
                        <label class="chip">
                            <input
                                type="radio"
                                name=group.clone()
                                value=category.clone()
                                prop:checked=checked
                                on:change=move |_| value.set(pick.clone())
                            />
                            <span class="chip-text">{category_label(&category)}</span>
                            {move || delta().map(|d| view! { <span class="chip-delta">{d}</span> })}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="chips-field">
                    <legend class="chips-legend">{label}</legend>
                    <div class="chips">{options}</div>
                </fieldset>
            }
        })
        .collect_view();

    let goal = RwSignal::new(String::new());
    let answer = {
        let predictor = Arc::clone(&predictor);
        Memo::new(move |_| goal.with(|g| student.with(|s| goal_answer(&predictor, s, g))))
    };
    let summary = move || answer.with(|a| a.as_ref().map(|a| a.summary.clone()));
    let list = move || {
        let suggestions = answer.with(|a| a.as_ref().map(|a| a.suggestions.clone()))?;
        (!suggestions.is_empty()).then(|| {
            let items = suggestions
                .into_iter()
                .map(|(text, changes)| {
                    let fields = fields.clone();
                    let apply = move |_| {
                        for (name, to) in &changes {
                            if let Some(f) = fields.iter().find(|f| f.name() == name) {
                                f.value.set(to.clone());
                            }
                        }
                    };
                    view! {
                        <li>
                            <span class="suggestion-text">{text.clone()}</span>
                            <button
                                type="button"
                                class="button"
                                aria-label=format!("Apply: {text}")
                                on:click=apply
                            >
                                "Apply"
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! { <ol class="suggestions" data-testid="goal-suggestions">{items}</ol> }
        })
    };

    view! {
        <section class="card whatif" aria-labelledby="whatif-title">
            <h2 id="whatif-title">"What if…"</h2>
            <p class="muted">
                "Drag a score or pick another option: the prediction and its reasons follow. "
                "Under each score, the prediction and its interval for every value of it, the dot where this student stands. "
                "The small numbers show how much each option would move the prediction, with the other fields as entered."
            </p>
            <div class="sliders">{sliders}</div>
            <div class="chip-groups">{chips}</div>
            <div class="goal">
                <h3 id="goal-title">"What would it take"</h3>
                <p class="muted" id="goal-hint">
                    "The smallest changes to what a student can change — completing the test preparation course and raising a known score — that bring the prediction to a goal."
                </p>
                <div class="field">
                    <label for="goal-input">{format!("Goal for the {target}")}</label>
                    <input
                        id="goal-input"
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="goal-hint"
                        prop:value=move || goal.get()
                        on:input:target=move |ev| goal.set(ev.target().value())
                    />
                </div>
                <p class="goal-summary" role="status" aria-live="polite" data-testid="goal-summary">
                    {summary}
                </p>
                {list}
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MODEL_JSON;

    fn predictor() -> Arc<Predictor> {
        let catalog = crate::parse_models(MODEL_JSON).expect("assets/model.json parses");
        Arc::clone(catalog.get(catalog.default_target(), false).expect("math"))
    }

    #[test]
    fn sliders_follow_the_text_and_stay_in_range() {
        assert_eq!(slider_position("72", 0.0, 100.0), 72.0);
        assert_eq!(slider_position(" 72.5 ", 0.0, 100.0), 72.5);
        assert_eq!(slider_position("150", 0.0, 100.0), 100.0);
        assert_eq!(slider_position("-3", 0.0, 100.0), 0.0);
        assert_eq!(slider_position("abc", 0.0, 100.0), 50.0);
        assert_eq!(slider_position("", 0.0, 100.0), 50.0);
        assert_eq!(slider_position("NaN", 0.0, 100.0), 50.0);
        // As the form reads numbers: a decimal comma and full-width digits, never "1e1".
        assert_eq!(slider_position("85,5", 0.0, 100.0), 85.5);
        assert_eq!(slider_position("８５", 0.0, 100.0), 85.0);
        assert_eq!(slider_position("1e1", 0.0, 100.0), 50.0);
    }

    #[test]
    fn the_reference_student_is_described_briefly() {
        let text = describe_reference(&predictor());
        assert!(text.contains("reading score"), "{text}");
        assert!(text.contains("lunch"), "{text}");
        assert!(!text.contains('_'), "{text}");
    }

    #[test]
    fn fields_whose_names_read_alike_get_distinct_ids() {
        let keys = field_keys(&["a b", "a_b", "a-b-1", "gender"]);
        assert_eq!(keys, ["a-b", "a-b-1", "a-b-1-2", "gender"]);
    }

    #[test]
    fn the_outputs_follow_the_form() {
        let predictor = predictor();
        let mut student = predictor.reference_student();
        let typical = Outputs::new(&predictor, &student);
        let score = typical.prediction.expect("the typical student is valid");
        assert!(typical.errors.is_empty());
        let e = typical.explanation.as_ref().expect("explained");
        assert!(e.contributions.iter().all(|c| c.value.abs() < 0.05));
        let others: usize = predictor
            .features()
            .iter()
            .map(|f| match f {
                Feature::Categorical { categories, .. } => categories.len() - 1,
                Feature::Numeric { .. } => 0,
            })
            .sum();
        // Every category but the current one says how far it moves the prediction.
        assert_eq!(typical.deltas.len(), others);
        let current = student.get("gender").unwrap().to_owned();
        assert_eq!(typical.delta("gender", &current), None);

        student.set("writing_score", "92");
        let better = Outputs::new(&predictor, &student);
        assert!(better.prediction.expect("valid") > score);
        let (low, high, _) = better.bounds.expect("the model has an interval");
        assert!(low <= better.prediction.unwrap() && better.prediction.unwrap() <= high);

        student.set("writing_score", "150");
        let bad = Outputs::new(&predictor, &student);
        assert_eq!(bad.prediction, None);
        assert_eq!(bad.bounds, None);
        assert_eq!(bad.explanation, None);
        assert_eq!(
            bad.errors,
            [(
                "writing_score".to_owned(),
                "Writing score: 150 is not between 0 and 100".to_owned()
            )]
        );
        assert!(bad.deltas.is_empty());
    }

    #[test]
    fn an_estimate_beyond_the_range_shows_its_limit_and_says_so() {
        let predictor = predictor();
        // The student: the math model's own estimate is about 109.
        let student = Student::new()
            .with("gender", "male")
            .with("race_ethnicity", "group E")
            .with("parental_level_of_education", "bachelor's degree")
            .with("lunch", "standard")
            .with("test_preparation_course", "none")
            .with("reading_score", "100")
            .with("writing_score", "100");
        let out = Outputs::new(&predictor, &student);
        assert_eq!(out.prediction, Some(100.0));
        let raw = out.beyond.expect("beyond the range");
        assert!(raw > 100.0, "{raw}");
        let (low, high, limited) = out.bounds.expect("an interval");
        assert!(low < 100.0 && high == 100.0 && limited, "{low} {high}");
        // The reasons explain the model's own estimate.
        let e = out.explanation.expect("explained");
        assert!((e.prediction - raw).abs() < 1e-9);
        let typical = Outputs::new(&predictor, &predictor.reference_student());
        assert_eq!(typical.beyond, None);
    }

    #[test]
    fn a_slider_curve_is_the_form_s_prediction_for_each_value() {
        let predictor = predictor();
        let student = predictor.reference_student().with("reading_score", "abc");
        // The slider's own field need not be valid; the others must.
        let points = slider_curve(&predictor, &student, "reading_score").expect("a curve");
        assert_eq!(points.len(), 101);
        for (v, value, low, high) in points {
            let at = student.clone().with("reading_score", v.to_string());
            let out = Outputs::new(&predictor, &at);
            assert_eq!(Some(value), out.prediction, "{v}");
            let (l, h, _) = out.bounds.expect("an interval");
            assert_eq!((low, high), (l, h));
        }
        assert_eq!(slider_curve(&predictor, &student, "writing_score"), None);
    }

    #[test]
    fn the_goal_box_answers_in_words_and_never_shows_nan() {
        let catalog = crate::parse_models(MODEL_JSON).expect("assets/model.json parses");
        let writing = Arc::clone(catalog.get("writing_score", false).expect("writing"));
        let student = writing
            .reference_student()
            .with("test_preparation_course", "none")
            .with("math_score", "72")
            .with("reading_score", "74");
        assert_eq!(goal_answer(&writing, &student, "  "), None);
        let now = Outputs::new(&writing, &student).prediction.unwrap();
        let say = |goal: &str| goal_answer(&writing, &student, goal).expect("an answer");
        let reached = say("10");
        assert!(reached.summary.starts_with("Already there"), "{reached:?}");
        assert!(reached.suggestions.is_empty());
        let goal = format!("{:.0}", now.ceil() + 8.0);
        let up = say(&goal);
        assert!(up.summary.starts_with("Smallest change: "), "{up:?}");
        assert!(!up.suggestions.is_empty());
        for (text, changes) in &up.suggestions {
            assert!(!text.contains("NaN") && text.chars().next().unwrap().is_uppercase());
            // Applying the changes reaches the goal.
            let mut s = student.clone();
            for (field, to) in changes {
                assert!(["test_preparation_course", "math_score", "reading_score"]
                    .contains(&field.as_str()));
                s.set(field.as_str(), to.as_str());
            }
            let then = Outputs::new(&writing, &s).prediction.unwrap();
            assert!(then >= goal.parse::<f64>().unwrap(), "{text}: {then}");
        }
        // The course in the seed's words, the scores in the model's.
        let texts: Vec<&str> = up.suggestions.iter().map(|(t, _)| t.as_str()).collect();
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("Complete the test preparation course and raise ")),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with("Raise reading score by ") && t.contains(" points (74 → ")),
            "{texts:?}"
        );
        // The typical student's math: both scores at 100 give 92.3 at most.
        let math = predictor();
        let none = goal_answer(&math, &math.reference_student(), "100").unwrap();
        assert!(
            none.summary
                .starts_with("No change to the test preparation course"),
            "{none:?}"
        );
        assert!(say("150").summary.contains("choose a goal from 0 to 100"));
        assert!(say("abc").summary.contains("is not a number"));
        assert!(say("NaN").summary.contains("is not a number"));
        let bad = goal_answer(&writing, &student.clone().with("math_score", "x"), "90").unwrap();
        assert!(bad.summary.starts_with("Fix the highlighted fields"));
    }

    #[test]
    fn the_reasons_add_up() {
        let predictor = predictor();
        let student = predictor.reference_student().with("writing_score", "90");
        let e = Outputs::new(&predictor, &student)
            .explanation
            .expect("explained");
        let total: f64 = e.contributions.iter().map(|c| c.value).sum();
        assert!((e.baseline + total - e.prediction).abs() < 1e-9);
        assert_eq!(e.contributions.len(), predictor.features().len());
    }
}
