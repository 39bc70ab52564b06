//! The Predict page: the form, the live prediction with its interval, why the model predicts
//! it, and what-if controls.
//!
//! One signal per field holds the text typed, chosen or dragged: the form's text input, the
//! what-if slider and the what-if chips are all bound to it, so they never disagree. The
//! student, the prediction and the explanation are memos derived from those signals.

use std::sync::Arc;

use leptos::prelude::*;
use model::{
    fields, Explanation, Feature, Interval, Missing, Predictor, Student, MAX_EXPLAINED_FEATURES,
};

use crate::charts::{signed, WaterfallChart};
use crate::{
    category_label, dom_id, family_label, format_percent, format_score, scale_percent, use_state,
    FormValues, ModelError,
};

/// The range every score (and so the target) lies in.
pub const TARGET_RANGE: (f64, f64) = (0.0, 100.0);

type PredictionMemo = Memo<Result<f64, model::InputError>>;

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

/// Where a slider stands for the text of its field: the number clamped to `[min, max]`, or
/// the middle of the range while the text is not a number.
pub fn slider_position(text: &str, min: f64, max: f64) -> f64 {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => v.clamp(min, max),
        _ => (min + max) / 2.0,
    }
}

/// The interval `value ± half_width` limited to `range`, and whether a bound was limited.
pub fn interval_bounds(value: f64, half_width: f64, range: (f64, f64)) -> (f64, f64, bool) {
    let (low, high) = (value - half_width, value + half_width);
    let clamped = low < range.0 || high > range.1;
    (low.max(range.0), high.min(range.1), clamped)
}

/// One field of the reference student in a few words ("standard lunch", "reading score 70").
fn describe_value(feature: &Feature, value: &str) -> String {
    let name = feature.name();
    match (feature, name) {
        (Feature::Numeric { .. }, _) => {
            format!("{} {value}", fields::label(name).to_ascii_lowercase())
        }
        (_, "gender" | "race_ethnicity") => value.to_owned(),
        (_, "lunch") => format!("{value} lunch"),
        (_, "parental_level_of_education") => format!("parents with {value}"),
        (_, "test_preparation_course") if value == "none" => "no test preparation".to_owned(),
        (_, "test_preparation_course") => format!("test preparation {value}"),
        _ => format!("{}: {value}", fields::label(name)),
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

/// The Predict page, or the model's error card.
#[component]
pub fn PredictPage() -> impl IntoView {
    let state = use_state();
    move || match state.predictor() {
        Ok(predictor) => view! { <PredictorView predictor form=state.form /> }.into_any(),
        Err(message) => view! { <ModelError message /> }.into_any(),
    }
}

/// The form, the result, the reasons and the what-if controls.
#[component]
fn PredictorView(predictor: Arc<Predictor>, form: FormValues) -> impl IntoView {
    // The model's fields only: with the switch on, gender and race/ethnicity are not among
    // them, so they are neither shown nor read.
    let fields: Vec<FieldState> = predictor
        .features()
        .iter()
        .map(|feature| FieldState {
            value: form.get(feature.name()),
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
    let explanation = {
        let predictor = Arc::clone(&predictor);
        let explainable = predictor.features().len() <= MAX_EXPLAINED_FEATURES;
        Memo::new(move |_| {
            if !explainable || prediction.with(Result::is_err) {
                return None;
            }
            student.with(|s| predictor.explain(s, Missing::Reject).ok())
        })
    };

    let (categorical, numeric): (Vec<FieldState>, Vec<FieldState>) = fields
        .iter()
        .cloned()
        .partition(|f| matches!(f.feature, Feature::Categorical { .. }));
    let target = fields::label(&predictor.bundle().target).to_ascii_lowercase();

    view! {
        <h2 class="page-title">"Predict a score"</h2>
        <p class="intro">
            "Describe a student and their known scores to predict their " {target.clone()} "."
        </p>
        <div class="layout">
            <div class="inputs">
                <form class="card form" novalidate on:submit=|ev| ev.prevent_default()>
                    <FieldGroup legend="Background" fields=categorical.clone() prediction />
                    <FieldGroup legend="Known scores" fields=numeric.clone() prediction />
                </form>
                <WhatIf
                    predictor=Arc::clone(&predictor)
                    categorical
                    numeric
                    student
                    prediction
                />
            </div>
            <div class="outputs">
                <ResultCard predictor=Arc::clone(&predictor) target prediction />
                <WhyCard predictor fields explanation />
            </div>
        </div>
    }
}

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

/// The live result: the predicted score and its interval, a bar on the 0–100 scale, and what
/// model made it.
#[component]
fn ResultCard(
    predictor: Arc<Predictor>,
    target: String,
    prediction: PredictionMemo,
) -> impl IntoView {
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
    let (lo, hi) = TARGET_RANGE;
    let bar_width = move || {
        let percent = shown.get().map_or(0.0, |v| scale_percent(v, lo, hi));
        format!("{percent:.1}%")
    };
    let interval = predictor.bundle().interval.clone();
    let half_width = interval.as_ref().map(|i| i.half_width);
    let bounds = Memo::new(move |_| Some(interval_bounds(shown.get()?, half_width?, TARGET_RANGE)));
    let band = interval.is_some().then(|| {
        let left = move || {
            let low = bounds.get().map_or(0.0, |b| scale_percent(b.0, lo, hi));
            format!("{low:.1}%")
        };
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
                <div class="scale-fill" style:width=bar_width></div>
            </div>
            {interval.map(|interval| view! { <IntervalText interval bounds /> })}
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
    let clamped = move || bounds.get().is_some_and(|b| b.2);
    let title = format!(
        "The prediction ± {half_width:.1} points, with the bounds limited to the {lo}–{hi} score range"
    );
    view! {
        <p class="interval" data-testid="interval" title=title>
            <span class="interval-label">{format_percent(level)} " interval: "</span>
            <strong class="interval-range">{range}</strong>
            {move || {
                clamped()
                    .then(|| {
                        view! {
                            <span class="visually-hidden">
                                {format!(" (limited to the {lo}–{hi} score range)")}
                            </span>
                        }
                    })
            }}
        </p>
        <p class="coverage">
            {format!(
                "± {half_width:.1} points · covered {} of held-out students",
                format_percent(test_coverage),
            )}
        </p>
    }
}

/// "Why this score": the baseline, then one bar per feature adding up to the prediction.
#[component]
fn WhyCard(
    predictor: Arc<Predictor>,
    fields: Vec<FieldState>,
    explanation: Memo<Option<Explanation>>,
) -> impl IntoView {
    let baseline = predictor
        .predict_with(&predictor.reference_student(), Missing::Impute)
        .ok()
        .and_then(format_score)
        .unwrap_or_else(|| "—".to_owned());
    let reference = describe_reference(&predictor);
    let target = fields::label(&predictor.bundle().target).to_ascii_lowercase();

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
        let total: f64 = values.iter().sum();
        if values.iter().all(|v| v.abs() < 0.05) {
            return view! {
                <p class="muted" data-testid="why-empty">
                    "This student is the typical student, so nothing moves the score. "
                    "Change a field or drag a score to see what does."
                </p>
            }
            .into_any();
        }
        let current = |name: &str| {
            fields
                .iter()
                .find(|f| f.name() == name)
                .map(|f| f.value.get())
                .unwrap_or_default()
        };
        let labels: Vec<String> = e
            .contributions
            .iter()
            .map(|c| {
                format!(
                    "{}: {}",
                    fields::label(&c.feature),
                    current(&c.feature).trim()
                )
            })
            .collect();
        let aria = format!(
            "Bars from the typical student's {:.1} to this student's {:.1}, one per field, largest first",
            e.baseline, e.prediction
        );
        let rows = {
            let largest_first: Vec<f64> = values.iter().map(|v| -v.abs()).collect();
            model::order_by(&largest_first)
                .into_iter()
                .map(|i| {
                    view! {
                        <tr>
                            <th scope="row">{labels[i].clone()}</th>
                            <td>{signed(values[i], 1)}</td>
                        </tr>
                    }
                })
                .collect_view()
        };
        view! {
            <figure class="chart-figure">
                <WaterfallChart aria_label=aria baseline=e.baseline labels values />
                <figcaption class="sum" data-testid="why-sum">
                    {format!("{:.1}", e.baseline)}
                    " (typical) "
                    <strong>{signed(total, 1)}</strong>
                    " (this student's differences) = "
                    <strong>{format!("{:.1}", e.prediction)}</strong>
                </figcaption>
                <div class="visually-hidden">
                    <table>
                        <caption>"Contribution of each field, in points of " {target.clone()}</caption>
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
            {chart}
        </section>
    }
}

/// Sliders for the scores and chips for the categories, each bound to its field's signal; every
/// chip shows how the prediction would move.
#[component]
fn WhatIf(
    predictor: Arc<Predictor>,
    categorical: Vec<FieldState>,
    numeric: Vec<FieldState>,
    student: Memo<Student>,
    prediction: PredictionMemo,
) -> impl IntoView {
    let sliders = numeric
        .into_iter()
        .filter_map(|field| match field.feature {
            Feature::Numeric { min, max, .. } => Some((field, min, max)),
            Feature::Categorical { .. } => None,
        })
        .map(|(field, min, max)| {
            let name = field.name().to_owned();
            let label = fields::label(&name).to_owned();
            let id = dom_id("slider", &name);
            let value = field.value;
            let position = move || slider_position(&value.get(), min, max).to_string();
            let shown = move || {
                let text = value.get();
                match text.trim().parse::<f64>() {
                    Ok(v) if v.is_finite() => text.trim().to_owned(),
                    _ => "—".to_owned(),
                }
            };
            view! {
                <div class="slider-field">
                    // The slider itself tells assistive technology its name and value.
                    <div class="slider-head" aria-hidden="true">
                        <span>{label.clone()}</span>
                        <span class="slider-value">{shown}</span>
                    </div>
                    <input
                        id=id
                        type="range"
                        min=min
                        max=max
                        step="1"
                        aria-label=format!("{label} slider")
                        prop:value=position
                        on:input:target=move |ev| value.set(ev.target().value())
                    />
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
            let group = dom_id("whatif", &name);
            let value = field.value;
            let options = categories
                .into_iter()
                .map(|category| {
                    let predictor = Arc::clone(&predictor);
                    let name = name.clone();
                    let checked = {
                        let category = category.clone();
                        move || value.with(|v| *v == category)
                    };
                    // How far the prediction would move with this category instead.
                    let delta = {
                        let category = category.clone();
                        move || {
                            if value.with(|v| *v == category) {
                                return None;
                            }
                            let now = prediction.get().ok()?;
                            let mut other = student.get();
                            other.set(name.clone(), category.clone());
                            let then = predictor.predict_with(&other, Missing::Reject).ok()?;
                            Some(signed(then - now, 1))
                        }
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
                    <legend class="chips-legend">{fields::label(&name).to_owned()}</legend>
                    <div class="chips">{options}</div>
                </fieldset>
            }
        })
        .collect_view();

    view! {
        <section class="card whatif" aria-labelledby="whatif-title">
            <h2 id="whatif-title">"What if…"</h2>
            <p class="muted">
                "Drag a score or pick another option: the prediction and its reasons follow. "
                "The small numbers show how much each option would move the prediction."
            </p>
            <div class="sliders">{sliders}</div>
            <div class="chip-groups">{chips}</div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MODEL_JSON;

    fn predictor() -> Predictor {
        crate::parse_model(MODEL_JSON).expect("assets/model.json parses")
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
    }

    #[test]
    fn intervals_are_limited_to_the_score_range() {
        assert_eq!(
            interval_bounds(70.0, 9.0, TARGET_RANGE),
            (61.0, 79.0, false)
        );
        assert_eq!(
            interval_bounds(95.0, 9.0, TARGET_RANGE),
            (86.0, 100.0, true)
        );
        assert_eq!(interval_bounds(4.0, 9.0, TARGET_RANGE), (0.0, 13.0, true));
    }

    #[test]
    fn the_reference_student_is_described_briefly() {
        let text = describe_reference(&predictor());
        assert!(text.contains("reading score"), "{text}");
        assert!(text.contains("lunch"), "{text}");
        assert!(!text.contains('_'), "{text}");
    }

    #[test]
    fn the_default_explanation_adds_up() {
        let predictor = predictor();
        let student = predictor.reference_student().with("writing_score", "90");
        let e = predictor.explain(&student, Missing::Reject).expect("valid");
        let total: f64 = e.contributions.iter().map(|c| c.value).sum();
        assert!((e.baseline + total - e.prediction).abs() < 1e-9);
        assert_eq!(e.contributions.len(), predictor.features().len());
    }
}
