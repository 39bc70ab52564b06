//! The Predict page: the form built from the model's features, the live prediction with its
//! interval, why the model predicts it, and what-if controls over the actionable features.
//!
//! Each field's text is one signal of the app's [`crate::FormValues`]: the form's control, the
//! what-if slider, the chips and the goal box's Apply are all bound to it, so they never
//! disagree, and the text outlives a change of page or score. Everything the page shows is one
//! memo of the student, [`Outputs`], computed in [`logic`] apart from the views and tested
//! natively there.

use std::sync::Arc;

use leptos::prelude::*;
use model::{Feature, Interval, Missing, Predictor, Student};
use wasm_bindgen::JsCast;

use crate::charts::{signed, Curve, Waterfall};
use crate::glossary::{Explain, Term};
use crate::state::FieldValue;
use crate::{
    format_percent, format_score, served_summary, use_app_state, FormValues, ModelError, PageTitle,
    Route,
};

pub mod logic;

use logic::{
    actionable_words, category_text, field_keys, form_groups, goal_answer, number_hint,
    slider_curve, slider_shown, target_scale, target_unit, why_rows, GoalAnswer, Reason,
};
pub use logic::{describe_reference, slider_position, Outputs};

/// The 0–100 range of the default dataset's scores, for the pages that do not read their
/// target's range yet (the Predict page reads it from the model).
pub const TARGET_RANGE: (f64, f64) = (0.0, 100.0);

/// One form field: a model feature, the suffix of its elements' ids, and its value.
#[derive(Clone)]
struct Field {
    feature: Feature,
    key: String,
    value: FieldValue,
}

impl Field {
    fn name(&self) -> &str {
        self.feature.name()
    }

    /// The id of this field's element of a kind: `field`, `hint`, `error`, `slider`, …
    fn id(&self, kind: &str) -> String {
        format!("{kind}-{}", self.key)
    }

    /// Whether the field waits for a value nobody gave (tracked).
    fn waiting(&self) -> bool {
        !self.value.given.get() && self.value.text.with(|t| t.trim().is_empty())
    }
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

/// The range of a number, or `None` for a category.
fn range_of(feature: &Feature) -> Option<(f64, f64)> {
    match feature {
        Feature::Numeric { min, max, .. } => Some((*min, *max)),
        Feature::Categorical { .. } => None,
    }
}

/// The Predict page for the selected model, or the model's error card.
#[component]
pub fn PredictPage() -> impl IntoView {
    let state = use_app_state();
    let form = state.form;
    let honest = state.models.as_ref().ok().map(|m| {
        let use_ = m
            .intended_use()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        format!("What the model learned are associations in its training data, not causes.{use_}")
    });
    move || match state.predictor() {
        Ok(predictor) => {
            view! { <PredictorView predictor form honest=honest.clone() /> }.into_any()
        }
        Err(message) => view! { <ModelError message /> }.into_any(),
    }
}

/// The form, the result, the reasons and the what-if controls for one model.
#[component]
fn PredictorView(
    predictor: Arc<Predictor>,
    form: FormValues,
    honest: Option<String>,
) -> impl IntoView {
    // The model's fields only: with the switch on, the sensitive ones are not among them, so
    // they are neither shown nor read.
    let fields = fields_of(&predictor, form);
    let student = {
        let fields = fields.clone();
        Memo::new(move |_| {
            fields
                .iter()
                .map(|f| (f.name().to_owned(), f.value.text.get()))
                .collect::<Student>()
        })
    };
    let outputs = {
        let predictor = Arc::clone(&predictor);
        Memo::new(move |_| student.with(|s| Outputs::new(&predictor, s)))
    };
    let groups = form_groups(predictor.features())
        .into_iter()
        .map(|(legend, members)| {
            let fields: Vec<Field> = members.iter().map(|&i| fields[i].clone()).collect();
            view! { <FieldGroup legend fields outputs /> }
        })
        .collect_view();
    let target = predictor.target_label().to_ascii_lowercase();

    view! {
        <PageTitle route=Route::Predict>"Predict a score"</PageTitle>
        <p class="intro">
            "Describe a student to see how a model trained on other students would predict their "
            {target.clone()} "."
        </p>
        <div class="layout">
            <div class="inputs">
                <form class="card form" novalidate on:submit=|ev| ev.prevent_default()>
                    {groups}
                </form>
                <WhatIf predictor=Arc::clone(&predictor) fields=fields.clone() student outputs />
            </div>
            <div class="outputs">
                <ResultCard predictor=Arc::clone(&predictor) target outputs fields=fields.clone() />
                {honest.map(|text| view! { <p class="honest" data-testid="honest">{text}</p> })}
                // Beside the result, not in it: on a phone the result sticks to the screen's
                // foot and must stay small.
                <Explain terms=&[Term::Interval, Term::Coverage, Term::R2, Term::Test] />
                <WhyCard predictor fields outputs />
            </div>
        </div>
    }
}

/// A fieldset of one group's fields.
#[component]
fn FieldGroup(legend: String, fields: Vec<Field>, outputs: Memo<Outputs>) -> impl IntoView {
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
}

/// The choices of a list: a category's or a coded level's value and label. A value that is
/// none of them (nothing given yet) shows first as "Choose…".
fn choices(feature: &Feature, current: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = match feature {
        Feature::Categorical { categories, .. } => categories
            .iter()
            .map(|c| (c.clone(), category_text(feature, c)))
            .collect(),
        Feature::Numeric { info, .. } => info
            .levels
            .iter()
            .map(|l| (model::text::number(l.value), l.label.clone()))
            .collect(),
    };
    if !out.iter().any(|(v, _)| v == current.trim()) {
        let label = if current.trim().is_empty() {
            "Choose…".to_owned()
        } else {
            current.to_owned()
        };
        out.insert(0, (current.to_owned(), label));
    }
    out
}

/// One labelled control with its hint and inline error: a list for a category or a coded
/// number, else a text field (and, when no what-if slider shows it, a slider).
#[component]
fn FieldControl(field: Field, outputs: Memo<Outputs>) -> impl IntoView {
    let name = field.name().to_owned();
    let label = field.feature.label().to_owned();
    let (id, hint_id, error_id) = (field.id("field"), field.id("hint"), field.id("error"));
    let waiting = {
        let field = field.clone();
        Memo::new(move |_| field.waiting())
    };
    let error = Memo::new({
        let (name, label) = (name.clone(), label.clone());
        move |_| {
            if waiting.get() {
                return Some(format!(
                    "{label}: no value yet — the prediction waits for one."
                ));
            }
            outputs.with(|o| o.error(&name))
        }
    });
    let invalid = move || error.with(Option::is_some).then_some("true");
    let hint = number_hint(&field.feature);
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
    let listed = matches!(&field.feature, Feature::Categorical { .. })
        || !field.feature.info().levels.is_empty();
    let control = if listed {
        let initial = value.text.get_untracked();
        let options = choices(&field.feature, &initial)
            .into_iter()
            .map(|(v, text)| {
                let selected = v == initial;
                view! { <option value=v selected=selected>{text}</option> }
            })
            .collect_view();
        view! {
            <select
                id=id.clone()
                name=name.clone()
                aria-describedby=described_by
                aria-invalid=invalid
                prop:value=move || value.text.get()
                on:change:target=move |ev| value.set(ev.target().value())
            >
                {options}
            </select>
        }
        .into_any()
    } else {
        view! {
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
                prop:value=move || value.text.get()
                on:input:target=move |ev| value.set(ev.target().value())
            />
        }
        .into_any()
    };
    view! {
        <div class=move || match (waiting.get(), error.with(Option::is_some)) {
            (true, _) => "field waiting",
            (false, true) => "field has-error",
            (false, false) => "field",
        }>
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

/// The live result: the predicted value and its interval, a bar on the target's scale, and
/// what model made it. On a phone it is a compact bar at the screen's foot that expands.
#[component]
fn ResultCard(
    predictor: Arc<Predictor>,
    target: String,
    outputs: Memo<Outputs>,
    /// The form's fields: the note names those that wait for a value.
    fields: Vec<Field>,
) -> impl IntoView {
    let model_info = served_summary(predictor.bundle());
    let shown = Memo::new(move |_| outputs.with(|o| o.prediction));
    let text = move || {
        shown
            .get()
            .and_then(format_score)
            .unwrap_or_else(|| "—".to_owned())
    };
    let scale = target_scale(&predictor).unwrap_or_default();
    let note = move || match shown.get() {
        Some(_) => scale.clone(),
        None => {
            let waiting: Vec<&Field> = fields.iter().filter(|f| f.waiting()).collect();
            let other = outputs.with(|o| {
                o.errors
                    .iter()
                    .any(|p| !waiting.iter().any(|f| f.name() == p.field))
            });
            if waiting.is_empty() || other {
                "Fix the highlighted fields".to_owned()
            } else {
                let labels: Vec<String> = waiting
                    .iter()
                    .map(|f| f.feature.label().to_owned())
                    .collect();
                format!(
                    "Waiting for a value of {}",
                    crate::state::join_words(&labels, "and")
                )
            }
        }
    };
    let (lo, hi) = predictor.target_range().unwrap_or(TARGET_RANGE);
    let interval = predictor.bundle().interval.clone();
    let unit = target_unit(&predictor);
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
                <span class="status-note" data-testid="status-note">{note}</span>
            </div>
            // A phone shows the details on demand (CSS reads the box; wider screens always
            // show them and hide the box).
            <label class="result-toggle">
                <input type="checkbox" />
                "Details"
            </label>
            {interval
                .map(|interval| view! { <IntervalText interval outputs range=(lo, hi) unit=unit.clone() /> })}
            <p class="model-info" data-testid="model-info">
                {model_info}
            </p>
        </aside>
    }
}

/// "90 % interval: 62.1 – 80.4" (with, when the range cut it, where and why, for everyone)
/// and how often such intervals held on the test split.
#[component]
fn IntervalText(
    interval: Interval,
    outputs: Memo<Outputs>,
    range: (f64, f64),
    unit: String,
) -> impl IntoView {
    let Interval {
        level,
        half_width,
        test_coverage,
        ..
    } = interval;
    let (lo, hi) = range;
    let bounds = Memo::new(move |_| outputs.with(|o| o.bounds));
    let text = move || match bounds.get() {
        Some(b) => format!("{:.1} – {:.1}", b.low, b.high),
        None => "—".to_owned(),
    };
    // Said to everyone when the range cut the interval, with the model's own estimate when
    // that lay beyond the range too.
    let cut = move || {
        let beyond = outputs.with(|o| o.beyond).and_then(format_score);
        bounds.get().filter(|b| b.cut || beyond.is_some()).map(|_| {
            let beyond = beyond.map(|raw| {
                view! {
                    <span data-testid="beyond-range">
                        {format!("; the model's own estimate was {raw}; the prediction shows the nearest value")}
                    </span>
                }
            });
            view! {
                <span class="interval-limited" data-testid="interval-cut">
                    {format!(" (cut at the {lo}–{hi} range")}
                    {beyond}
                    ")"
                </span>
            }
        })
    };
    let title = format!(
        "The prediction ± {half_width:.1} {unit}, with the bounds limited to the {lo}–{hi} score range"
    );
    view! {
        <p class="interval" data-testid="interval" title=title>
            <span class="interval-label">{format_percent(level)} " interval: "</span>
            <strong class="interval-range">{text}</strong>
            {cut}
        </p>
        <p class="coverage result-details">
            {format!(
                "± {half_width:.1} {unit} for every student · covered {} of held-out students",
                format_percent(test_coverage),
            )}
        </p>
    }
}

/// "Why this score": the typical student, then one bar per field (the largest, and the rest
/// as one row when there are many) adding up to the prediction.
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
        if e.contributions.iter().all(|c| c.value.abs() < 0.05) {
            return view! {
                <p class="muted" data-testid="why-empty">
                    "This student is the typical student, so nothing moves the prediction. "
                    "Change a field to see what does."
                </p>
            }
            .into_any();
        }
        let labels: Vec<String> = e
            .contributions
            .iter()
            .map(|c| {
                let field = fields.iter().find(|f| f.name() == c.feature);
                let text = field
                    .map(|f| f.value.text.get_untracked())
                    .unwrap_or_default();
                match field {
                    Some(f) => format!(
                        "{}: {}",
                        f.feature.label(),
                        logic::value_text(&f.feature, &text)
                    ),
                    None => c.feature.clone(),
                }
            })
            .collect();
        let (shown, rest) = why_rows(&e, &labels);
        let total: f64 = e.contributions.iter().map(|c| c.value).sum();
        let aria = format!(
            "Bars from the typical student's {:.1} to this student's {:.1}, one per field, largest first",
            e.baseline, e.prediction
        );
        let rows = |reasons: &[Reason]| {
            reasons
                .iter()
                .map(|r| {
                    view! {
                        <tr>
                            <th scope="row">{r.label.clone()}</th>
                            <td>{signed(r.points, 1)}</td>
                        </tr>
                    }
                })
                .collect_view()
        };
        let table = rows(&shown);
        let others = (!rest.is_empty()).then(|| {
            view! {
                <details class="why-rest" data-testid="why-rest">
                    <summary>{format!("The other {} fields", rest.len())}</summary>
                    <table class="why-rest-table">
                        <tbody>{rows(&rest)}</tbody>
                    </table>
                </details>
            }
        });
        let (labels, values): (Vec<String>, Vec<f64>) =
            shown.into_iter().map(|r| (r.label, r.points)).unzip();
        view! {
            <figure class="chart-figure">
                <Waterfall aria_label=aria baseline=e.baseline labels values />
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
                        <tbody>{table}</tbody>
                    </table>
                </div>
                {others}
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

/// Sliders for the actionable numbers, each with its curve, chips for the actionable
/// categories, and the goal box; without actionable fields, why there is none.
#[component]
fn WhatIf(
    predictor: Arc<Predictor>,
    fields: Vec<Field>,
    student: Memo<Student>,
    outputs: Memo<Outputs>,
) -> impl IntoView {
    let actionable: Vec<Field> = fields
        .into_iter()
        .filter(|f| f.feature.info().actionable)
        .collect();
    let (sliders, chips): (Vec<Field>, Vec<Field>) = actionable.iter().cloned().partition(|f| {
        matches!(f.feature, Feature::Numeric { .. }) && f.feature.info().levels.is_empty()
    });
    let sliders = sliders
        .into_iter()
        .map(|field| view! { <CurveSlider predictor=Arc::clone(&predictor) field student outputs /> })
        .collect_view();
    let chips = chips
        .into_iter()
        .map(|field| view! { <Chips field outputs /> })
        .collect_view();
    let changeable = actionable_words(&predictor, "and");
    // Without actionable fields there is nothing to vary: the section says why, and has no
    // goal box.
    let intro = if actionable.is_empty() {
        "This model's dataset marks no field as one a student can change, so there is nothing to vary and no goal to look for.".to_owned()
    } else {
        format!("Vary {changeable}, the fields the dataset marks as ones a student can change: the prediction and its reasons follow. Under each number, the prediction and its interval for every value of it, the dot where this student stands. The small numbers show how much each option would move the prediction, with the other fields as entered.")
    };
    let goal = (!actionable.is_empty()).then(|| view! { <GoalBox predictor actionable student /> });
    view! {
        <section class="card whatif" aria-labelledby="whatif-title">
            <h2 id="whatif-title">"What if…"</h2>
            <p class="muted" data-testid="whatif-intro">{intro}</p>
            <div class="sliders">{sliders}</div>
            <div class="chip-groups">{chips}</div>
            {goal}
        </section>
    }
}

/// A number's slider with its head (the value, or why the slider is not at it) and its curve.
#[component]
fn CurveSlider(
    predictor: Arc<Predictor>,
    field: Field,
    student: Memo<Student>,
    outputs: Memo<Outputs>,
) -> impl IntoView {
    let (min, max) = range_of(&field.feature).unwrap_or(TARGET_RANGE);
    let y_domain = predictor.target_range().unwrap_or(TARGET_RANGE);
    let step = field.feature.info().step.unwrap_or(1.0);
    let label = field.feature.label().to_owned();
    let value = field.value;
    // The slider stands at the typed value clamped to the range; its head says when the text
    // is outside it or not a number.
    let shown = move || value.text.with(|t| slider_shown(t, min, max));
    let position = move || slider_position(&value.text.get(), min, max).to_string();
    let points = {
        let (predictor, name) = (Arc::clone(&predictor), field.name().to_owned());
        Memo::new(move |_| student.with(|s| slider_curve(&predictor, s, &name)))
    };
    let target = predictor.target_label().to_ascii_lowercase();
    let chart = {
        let label = label.to_ascii_lowercase();
        move || {
            let points = points.get()?;
            let here = outputs
                .with(|o| o.prediction)
                .zip(model::text::read_number(&value.text.get()))
                .map(|(p, v)| (v.clamp(min, max), p));
            let (first, last) = (points[0], points[points.len() - 1]);
            let mut aria = format!(
                "Predicted {target} as the {label} goes from {min} to {max}, the other fields as entered: {:.1} at {min}, {:.1} at {max}",
                first.1, last.1,
            );
            if let Some((v, p)) = here {
                aria.push_str(&format!("; {p:.1} at {}", model::text::number(v)));
            }
            Some(
                view! { <Curve aria_label=aria points marker=here x_domain=(min, max) y_domain /> },
            )
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
                step=step
                aria-label=format!("{label} slider")
                prop:value=position
                on:input:target=move |ev| value.set(ev.target().value())
            />
            <div class="curve-box" id=field.id("curve")>
                {chart}
            </div>
        </div>
    }
}

/// A chip per category (or coded level) of a field, bound to its signal; every other chip
/// says how far the prediction would move with it.
#[component]
fn Chips(field: Field, outputs: Memo<Outputs>) -> impl IntoView {
    let name = field.name().to_owned();
    let group = field.id("whatif");
    let value = field.value;
    let options = choices(&field.feature, "")
        .into_iter()
        .filter(|(v, _)| !v.is_empty())
        .map(|(category, text)| {
            let checked = {
                let category = category.clone();
                move || value.text.with(|v| *v == category)
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
                        value=category
                        prop:checked=checked
                        on:change=move |_| value.set(pick.clone())
                    />
                    <span class="chip-text">{text}</span>
                    {move || delta().map(|d| view! { <span class="chip-delta">{d}</span> })}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="chips-field">
            <legend class="chips-legend">{field.feature.label().to_owned()}</legend>
            <div class="chips">{options}</div>
        </fieldset>
    }
}

/// "What would it take": the smallest differences in the actionable fields for which students
/// like this one were predicted at least a goal, each with an Apply button that keeps focus in
/// the box.
#[component]
fn GoalBox(
    predictor: Arc<Predictor>,
    actionable: Vec<Field>,
    student: Memo<Student>,
) -> impl IntoView {
    let target = predictor.target_label().to_ascii_lowercase();
    let goal = RwSignal::new(String::new());
    let answer = {
        let predictor = Arc::clone(&predictor);
        Memo::new(move |_| goal.with(|g| student.with(|s| goal_answer(&predictor, s, g))))
    };
    let summary = move || answer.with(|a| a.as_ref().map(|a| a.summary.clone()));
    let list = move || {
        let suggestions =
            answer.with(|a| a.as_ref().map(|a: &GoalAnswer| a.suggestions.clone()))?;
        (!suggestions.is_empty()).then(|| {
            let items = suggestions
                .into_iter()
                .map(|s| {
                    let fields = actionable.clone();
                    let changes = s.changes;
                    let apply = move |_| {
                        // Focus first, so it stays in the box when this button goes away.
                        let input = document().get_element_by_id("goal-input");
                        if let Some(el) =
                            input.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                        {
                            let _ = el.focus();
                        }
                        for (name, to) in &changes {
                            if let Some(f) = fields.iter().find(|f| f.name() == name) {
                                f.value.set(to.clone());
                            }
                        }
                    };
                    view! {
                        <li>
                            <span class="suggestion-text">{s.text.clone()}</span>
                            <button
                                type="button"
                                class="button"
                                aria-label=format!("Apply: {}", s.text)
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
    let changeable = actionable_words(&predictor, "and");
    view! {
        <div class="goal">
            <h3 id="goal-title">"What would it take"</h3>
            <p class="muted" id="goal-hint">
                "The smallest differences in " {changeable}
                " for which students like this one were predicted at least a goal: what the model associates with the goal, not advice."
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
    }
}
