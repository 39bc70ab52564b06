//! The Predict page: the form, the live prediction with its interval, why the model predicts
//! it, and what-if controls.
//!
//! [`Screen::show`] writes the page for a model once; after every change to the form the shell
//! calls [`Screen::refresh`], which brings every control in step with the form's text (the text
//! field, the what-if slider and chips of a field show one value) and shows the [`Outputs`]
//! computed from it. Computing ([`Outputs::new`]) is separate from showing, so the native tests check it.

use std::collections::BTreeMap;
use std::sync::Arc;

use model::{fields, Explanation, Feature, Interval, Missing, Predictor, Student};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

use super::html::Html;
use super::waterfall::waterfall_svg;
use crate::charts::signed;
use crate::{category_label, dom_id, family_label, format_percent, format_score, scale_percent};

/// The range every score (and so the target) lies in.
pub const TARGET_RANGE: (f64, f64) = (0.0, 100.0);

/// The form's text per field name, shared by every model's form.
pub type Values = BTreeMap<String, String>;

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

/// The student the form describes, for the model's fields only: with the switch on, gender
/// and race/ethnicity are not among them, so they are never read.
pub fn student(predictor: &Predictor, values: &Values) -> Student {
    predictor
        .features()
        .iter()
        .map(|f| {
            let text = values.get(f.name()).cloned().unwrap_or_default();
            (f.name().to_owned(), text)
        })
        .collect()
}

/// The model's name and test R² as the result card shows them.
fn model_info(predictor: &Predictor) -> String {
    let metrics = &predictor.bundle().metrics;
    format!(
        "{} · test R² {:.2}",
        family_label(&metrics.family),
        metrics.test_r2
    )
}

fn target_label(predictor: &Predictor) -> String {
    fields::label(&predictor.bundle().target).to_ascii_lowercase()
}

/// Everything on the page that follows the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Outputs {
    /// The prediction, when every field is valid (never a number that is not finite).
    pub prediction: Option<f64>,
    /// Each invalid field's name and what is wrong with it.
    pub errors: Vec<(String, String)>,
    /// The interval's bounds, limited to the score range, and whether they were limited.
    pub bounds: Option<(f64, f64, bool)>,
    /// The "why this score" chart (or why there is none), as markup.
    pub why: String,
    /// For each category of each field (form order): how far the prediction would move with
    /// it instead (`None` for the current one, or while there is no prediction).
    pub deltas: Vec<Option<String>>,
}

impl Outputs {
    pub fn new(predictor: &Predictor, values: &Values) -> Self {
        let student = student(predictor, values);
        let result = predictor.predict_with(&student, Missing::Reject);
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
        let prediction = result.ok().filter(|v| v.is_finite());
        let bounds = match (prediction, &predictor.bundle().interval) {
            (Some(v), Some(i)) => Some(interval_bounds(v, i.half_width, TARGET_RANGE)),
            _ => None,
        };
        let explainable = predictor.features().len() <= model::MAX_EXPLAINED_FEATURES;
        let explanation = prediction
            .filter(|_| explainable)
            .and_then(|_| predictor.explain(&student, Missing::Reject).ok());
        let why = why_markup(predictor, values, explanation.as_ref());
        let deltas = predictor
            .features()
            .iter()
            .filter_map(|f| match f {
                Feature::Categorical { categories, .. } => Some((f.name(), categories)),
                Feature::Numeric { .. } => None,
            })
            .flat_map(|(name, categories)| {
                let current = student.get(name).unwrap_or_default();
                categories.iter().map(move |c| (name, c, c == current))
            })
            .map(|(name, category, current)| {
                let now = prediction.filter(|_| !current)?;
                let mut other = student.clone();
                other.set(name, category.as_str());
                let then = predictor
                    .predict_with(&other, Missing::Reject)
                    .ok()
                    .filter(|v| v.is_finite())?;
                Some(signed(then - now, 1))
            })
            .collect();
        Self {
            prediction,
            errors,
            bounds,
            why,
            deltas,
        }
    }

    fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.as_str())
    }
}

/// The chart of the reasons, or a sentence saying why there is none.
fn why_markup(predictor: &Predictor, values: &Values, explanation: Option<&Explanation>) -> String {
    let mut out = Html::new();
    let empty = |out: &mut Html, text: &str| {
        out.element(
            "p",
            &[("class", Some("muted")), ("data-testid", Some("why-empty"))],
            text,
        );
    };
    let Some(e) = explanation else {
        let text = if predictor.features().len() > model::MAX_EXPLAINED_FEATURES {
            "This model has too many fields to explain each one."
        } else {
            "Fix the highlighted fields to see the reasons."
        };
        empty(&mut out, text);
        return out.into_string();
    };
    let values_of: Vec<f64> = e.contributions.iter().map(|c| c.value).collect();
    if values_of.iter().all(|v| v.abs() < 0.05) {
        empty(
            &mut out,
            "This student is the typical student, so nothing moves the score. \
             Change a field or drag a score to see what does.",
        );
        return out.into_string();
    }
    let total: f64 = values_of.iter().sum();
    let labels: Vec<String> = e
        .contributions
        .iter()
        .map(|c| {
            let text = values.get(&c.feature).map_or("", String::as_str);
            format!("{}: {}", fields::label(&c.feature), text.trim())
        })
        .collect();
    let aria = format!(
        "Bars from the typical student's {:.1} to this student's {:.1}, one per field, largest first",
        e.baseline, e.prediction
    );
    out.raw("<figure class=\"chart-figure\">");
    waterfall_svg(&mut out, &aria, e.baseline, &labels, &values_of);
    out.open(
        "figcaption",
        &[("class", Some("sum")), ("data-testid", Some("why-sum"))],
    )
    .text(&format!("{:.1}", e.baseline))
    .text(" (typical) ")
    .element("strong", &[], &signed(total, 1))
    .text(" (this student's differences) = ")
    .element("strong", &[], &format!("{:.1}", e.prediction))
    .close("figcaption");
    out.raw("<div class=\"visually-hidden\"><table><caption>")
        .text("Contribution of each field, in points of ")
        .text(&target_label(predictor))
        .raw("</caption><tbody>");
    let largest_first: Vec<f64> = values_of.iter().map(|v| -v.abs()).collect();
    for i in model::order_by(&largest_first) {
        out.raw("<tr>")
            .element("th", &[("scope", Some("row"))], &labels[i])
            .element("td", &[], &signed(values_of[i], 1))
            .raw("</tr>");
    }
    out.raw("</tbody></table></div></figure>");
    out.into_string()
}

/// The page for `predictor`, its controls showing `values` (the outputs are filled in by
/// [`Screen::refresh`]).
pub fn page(predictor: &Predictor, values: &Values) -> String {
    let target = target_label(predictor);
    let text = |name: &str| text_of(values, name);
    let fields = fields_of(predictor);
    let (categorical, numeric): (Vec<&Field>, Vec<&Field>) = fields
        .iter()
        .partition(|f| matches!(f.feature, Feature::Categorical { .. }));

    let mut out = Html::new();
    out.raw("<h2 class=\"page-title\">Predict a score</h2><p class=\"intro\">")
        .text("Describe a student and their known scores to predict their ")
        .text(&target)
        .raw(".</p><div class=\"layout\"><div class=\"inputs\">")
        .raw("<form class=\"card form\" novalidate>");
    for (legend, group) in [("Background", &categorical), ("Known scores", &numeric)] {
        if group.is_empty() {
            continue;
        }
        out.raw("<fieldset>")
            .element("legend", &[], legend)
            .raw("<div class=\"fields\">");
        for f in group {
            field(&mut out, f, text(f.name()));
        }
        out.raw("</div></fieldset>");
    }
    out.raw("</form>");
    what_if(&mut out, &categorical, &numeric, values);
    out.raw("</div><div class=\"outputs\">");
    result_card(&mut out, predictor, &target);
    why_card(&mut out, predictor);
    out.raw("</div></div>");
    out.into_string()
}

/// A field of the model and the suffix of its elements' ids.
struct Field<'a> {
    feature: &'a Feature,
    key: String,
}

impl Field<'_> {
    fn name(&self) -> &str {
        self.feature.name()
    }

    /// The id of this field's element of a kind: `field`, `hint`, `error`, `slider`, …
    fn id(&self, kind: &str) -> String {
        format!("{kind}-{}", self.key)
    }
}

/// The model's fields in order, each with an id suffix: its name with every character an id
/// cannot hold as `-` ([`dom_id`]), and its position added when two names would read the same
/// ("a b" and "a_b"), so the page never finds one field's element for another's.
fn fields_of(predictor: &Predictor) -> Vec<Field<'_>> {
    let mut out: Vec<Field<'_>> = Vec::new();
    for (i, feature) in predictor.features().iter().enumerate() {
        let base = dom_id("", feature.name())[1..].to_owned();
        let mut key = base.clone();
        let mut n = i;
        while out.iter().any(|f| f.key == key) {
            key = format!("{base}-{n}");
            n += 1;
        }
        out.push(Field { feature, key });
    }
    out
}

/// A field's text in the form ("" when it has none).
fn text_of<'a>(values: &'a Values, name: &str) -> &'a str {
    values.get(name).map_or("", String::as_str)
}

/// One labelled control with its hint and (hidden while the field is valid) inline error.
fn field(out: &mut Html, field: &Field, value: &str) {
    let (feature, name) = (field.feature, field.name());
    let id = field.id("field");
    out.raw("<div class=\"field\"><div class=\"field-head\">")
        .element("label", &[("for", Some(&id))], fields::label(name));
    match feature {
        Feature::Categorical { categories, .. } => {
            out.raw("</div>").open(
                "select",
                &[
                    ("id", Some(&id)),
                    ("name", Some(name)),
                    ("data-field", Some(name)),
                ],
            );
            for c in categories {
                let selected = (c == value).then_some("");
                out.element(
                    "option",
                    &[("value", Some(c)), ("selected", selected)],
                    &category_label(c),
                );
            }
            out.close("select");
        }
        Feature::Numeric { min, max, .. } => {
            // Numbers carry their range as a hint; a list shows its choices itself.
            let hint_id = field.id("hint");
            out.element(
                "span",
                &[("class", Some("hint")), ("id", Some(&hint_id))],
                &format!("{min} to {max}"),
            )
            .raw("</div>")
            // Text, not type="number": a number input hides what was typed when it is not
            // a number, and the model's own checks should name the problem.
            .open(
                "input",
                &[
                    ("id", Some(&id)),
                    ("name", Some(name)),
                    ("data-field", Some(name)),
                    ("type", Some("text")),
                    ("inputmode", Some("decimal")),
                    ("autocomplete", Some("off")),
                    ("spellcheck", Some("false")),
                    ("aria-describedby", Some(&hint_id)),
                    ("value", Some(value)),
                ],
            );
        }
    }
    out.open(
        "p",
        &[
            ("class", Some("field-error")),
            ("id", Some(&field.id("error"))),
            ("hidden", Some("")),
        ],
    )
    .raw("</p></div>");
}

/// Sliders for the scores and chips for the categories, each showing its field's value; every
/// chip shows how the prediction would move with it.
fn what_if(out: &mut Html, categorical: &[&Field], numeric: &[&Field], values: &Values) {
    let text = |name: &str| text_of(values, name);
    out.raw("<section class=\"card whatif\" aria-labelledby=\"whatif-title\">")
        .raw("<h2 id=\"whatif-title\">What if…</h2><p class=\"muted\">")
        .text(
            "Drag a score or pick another option: the prediction and its reasons follow. \
             The small numbers show how much each option would move the prediction.",
        )
        .raw("</p><div class=\"sliders\">");
    for field in numeric {
        let Feature::Numeric { name, min, max } = field.feature else {
            continue;
        };
        let label = fields::label(name);
        // The slider itself tells assistive technology its name and value.
        out.raw("<div class=\"slider-field\"><div class=\"slider-head\" aria-hidden=\"true\">")
            .element("span", &[], label)
            .element(
                "span",
                &[
                    ("class", Some("slider-value")),
                    ("id", Some(&field.id("shown"))),
                ],
                "",
            )
            .raw("</div>")
            .open(
                "input",
                &[
                    ("id", Some(&field.id("slider"))),
                    ("data-field", Some(name)),
                    ("type", Some("range")),
                    ("min", Some(&min.to_string())),
                    ("max", Some(&max.to_string())),
                    ("step", Some("1")),
                    ("aria-label", Some(&format!("{label} slider"))),
                    (
                        "value",
                        Some(&slider_position(text(name), *min, *max).to_string()),
                    ),
                ],
            )
            .raw("</div>");
    }
    out.raw("</div><div class=\"chip-groups\">");
    let mut chip = 0;
    for field in categorical {
        let Feature::Categorical { name, categories } = field.feature else {
            continue;
        };
        let group = field.id("whatif");
        out.raw("<fieldset class=\"chips-field\">")
            .element(
                "legend",
                &[("class", Some("chips-legend"))],
                fields::label(name),
            )
            .raw("<div class=\"chips\">");
        for category in categories {
            out.raw("<label class=\"chip\">")
                .open(
                    "input",
                    &[
                        ("type", Some("radio")),
                        ("name", Some(&group)),
                        ("value", Some(category)),
                        ("data-field", Some(name)),
                        ("checked", (text(name) == category).then_some("")),
                    ],
                )
                .element(
                    "span",
                    &[("class", Some("chip-text"))],
                    &category_label(category),
                )
                .open(
                    "span",
                    &[
                        ("class", Some("chip-delta")),
                        ("id", Some(&format!("delta-{chip}"))),
                        ("hidden", Some("")),
                    ],
                )
                .raw("</span></label>");
            chip += 1;
        }
        out.raw("</div></fieldset>");
    }
    out.raw("</div></section>");
}

/// The live result: the predicted score and its interval, a bar on the 0–100 scale, and what
/// model made it.
fn result_card(out: &mut Html, predictor: &Predictor, target: &str) {
    out.raw("<aside class=\"card result\" aria-label=\"Prediction\">")
        .raw("<div class=\"status\" role=\"status\" aria-live=\"polite\" aria-atomic=\"true\">")
        .open("span", &[("class", Some("status-label"))])
        .text("Predicted ")
        .text(target)
        .raw("</span><span class=\"prediction empty\" data-testid=\"prediction\">—</span>")
        .raw("<span class=\"status-note\"></span></div><div class=\"scale\" aria-hidden=\"true\">");
    let interval = predictor.bundle().interval.as_ref();
    if interval.is_some() {
        out.raw("<div class=\"scale-band\"></div>");
    }
    out.raw("<div class=\"scale-fill\"></div></div>");
    if let Some(interval) = interval {
        interval_text(out, interval);
    }
    out.element(
        "p",
        &[
            ("class", Some("model-info")),
            ("data-testid", Some("model-info")),
        ],
        &model_info(predictor),
    )
    .raw("</aside>");
}

/// "90 % interval: 62.1 – 80.4" (filled in by [`Screen::refresh`]) and how often such intervals held
/// on the test split.
fn interval_text(out: &mut Html, interval: &Interval) {
    let Interval {
        level,
        half_width,
        test_coverage,
        ..
    } = interval;
    let (lo, hi) = TARGET_RANGE;
    let title = format!(
        "The prediction ± {half_width:.1} points, with the bounds limited to the {lo}–{hi} score range"
    );
    out.open(
        "p",
        &[
            ("class", Some("interval")),
            ("data-testid", Some("interval")),
            ("title", Some(&title)),
        ],
    )
    .open("span", &[("class", Some("interval-label"))])
    .text(&format_percent(*level))
    .text(" interval: ")
    .raw("</span><strong class=\"interval-range\">—</strong>")
    .raw("<span class=\"visually-hidden interval-limited\"></span></p>")
    .element(
        "p",
        &[("class", Some("coverage"))],
        &format!(
            "± {half_width:.1} points · covered {} of held-out students",
            format_percent(*test_coverage)
        ),
    );
}

/// "Why this score": the typical student, then the chart [`Screen::refresh`] draws.
fn why_card(out: &mut Html, predictor: &Predictor) {
    let baseline = predictor
        .predict_with(&predictor.reference_student(), Missing::Impute)
        .ok()
        .and_then(format_score)
        .unwrap_or_else(|| "—".to_owned());
    out.raw("<section class=\"card why\" aria-labelledby=\"why-title\">")
        .raw("<h2 id=\"why-title\">Why this score</h2><p class=\"baseline\">")
        .text("A typical student — ")
        .text(&describe_reference(predictor))
        .text(" — scores ")
        .element("strong", &[], &baseline)
        .text(". Each bar is what one field of this student adds or takes away.")
        .raw("</p><div class=\"why-chart\"></div></section>");
}

/// The element in `root` matching `selector`, as `T`.
fn find<T: JsCast>(root: &Element, selector: &str) -> Option<T> {
    root.query_selector(selector).ok()??.dyn_into().ok()
}

fn set_text(root: &Element, selector: &str, text: &str) {
    if let Some(e) = find::<Element>(root, selector) {
        if e.text_content().as_deref() != Some(text) {
            e.set_text_content(Some(text));
        }
    }
}

fn set_style(root: &Element, selector: &str, property: &str, value: &str) {
    if let Some(e) = find::<HtmlElement>(root, selector) {
        let _ = e.style().set_property(property, value);
    }
}

/// The Predict page on screen: its model, and the reasons last drawn (drawn again only when
/// they change, so a screen reader reading them keeps its place).
pub struct Screen {
    predictor: Arc<Predictor>,
    why: String,
}

impl Screen {
    /// Writes the page for `predictor` into `main`, showing `values`.
    pub fn show(main: &Element, predictor: Arc<Predictor>, values: &Values) -> Self {
        main.set_inner_html(&page(&predictor, values));
        let mut screen = Self {
            predictor,
            why: String::new(),
        };
        screen.refresh(main, values);
        screen
    }

    /// Brings the page in `root` in step with `values`: every control shows its field's text
    /// (a control already showing it is left alone, so typing is never disturbed), then the
    /// prediction, interval, errors, reasons and what-if deltas show.
    pub fn refresh(&mut self, root: &Element, values: &Values) {
        let predictor = Arc::clone(&self.predictor);
        let outputs = Outputs::new(&predictor, values);
        let mut chip = 0;
        for field in fields_of(&predictor) {
            let value = text_of(values, field.name());
            let control = format!("#{}", field.id("field"));
            match field.feature {
                Feature::Categorical { categories, .. } => {
                    if let Some(select) = find::<HtmlSelectElement>(root, &control) {
                        if select.value() != value {
                            select.set_value(value);
                        }
                    }
                    for (category, delta) in categories.iter().zip(&outputs.deltas[chip..]) {
                        show_chip(root, chip, category == value, delta.as_deref());
                        chip += 1;
                    }
                }
                Feature::Numeric { min, max, .. } => {
                    if let Some(input) = find::<HtmlInputElement>(root, &control) {
                        if input.value() != value {
                            input.set_value(value);
                        }
                    }
                    let slider = format!("#{}", field.id("slider"));
                    if let Some(slider) = find::<HtmlInputElement>(root, &slider) {
                        let position = slider_position(value, *min, *max).to_string();
                        if slider.value() != position {
                            slider.set_value(&position);
                        }
                    }
                    let shown = match value.trim().parse::<f64>() {
                        Ok(v) if v.is_finite() => value.trim(),
                        _ => "—",
                    };
                    set_text(root, &format!("#{}", field.id("shown")), shown);
                }
            }
            show_error(root, &field, outputs.error(field.name()));
        }
        show_result(root, &outputs);
        if outputs.why != self.why {
            if let Some(chart) = find::<Element>(root, ".why-chart") {
                chart.set_inner_html(&outputs.why);
            }
            self.why = outputs.why;
        }
    }
}

/// Chip number `index`: picked or not, and how far it would move the prediction.
fn show_chip(root: &Element, index: usize, picked: bool, delta: Option<&str>) {
    let Some(span) = find::<HtmlElement>(root, &format!("#delta-{index}")) else {
        return;
    };
    span.set_hidden(delta.is_none());
    span.set_text_content(delta);
    let radio = span
        .parent_element()
        .and_then(|label| find::<HtmlInputElement>(&label, "input"));
    if let Some(radio) = radio {
        radio.set_checked(picked);
    }
}

/// The prediction (or a dash and why), its bar and interval band on the score scale, and the
/// interval's bounds.
fn show_result(root: &Element, outputs: &Outputs) {
    let shown = outputs.prediction;
    if let Some(e) = find::<Element>(root, "[data-testid=prediction]") {
        e.set_class_name(if shown.is_some() {
            "prediction"
        } else {
            "prediction empty"
        });
    }
    let text = shown
        .and_then(format_score)
        .unwrap_or_else(|| "—".to_owned());
    set_text(root, "[data-testid=prediction]", &text);
    let note = if shown.is_some() {
        "out of 100"
    } else {
        "Fix the highlighted fields"
    };
    set_text(root, ".status-note", note);
    let (lo, hi) = TARGET_RANGE;
    let percent = |v: f64| format!("{:.1}%", scale_percent(v, lo, hi));
    set_style(root, ".scale-fill", "width", &percent(shown.unwrap_or(0.0)));
    let (left, right) = outputs.bounds.map_or((0.0, 0.0), |b| (b.0, b.1));
    set_style(root, ".scale-band", "left", &percent(left));
    let width = scale_percent(right, lo, hi) - scale_percent(left, lo, hi);
    set_style(root, ".scale-band", "width", &format!("{width:.1}%"));
    let range = outputs
        .bounds
        .map_or_else(|| "—".to_owned(), |(l, h, _)| format!("{l:.1} – {h:.1}"));
    set_text(root, ".interval-range", &range);
    let limited = match outputs.bounds {
        Some((_, _, true)) => format!(" (limited to the {lo}–{hi} score range)"),
        _ => String::new(),
    };
    set_text(root, ".interval-limited", &limited);
}

/// A field's error next to it: the message, the red outline, `aria-invalid`, and the message
/// among what the control's description reads.
fn show_error(root: &Element, field: &Field, error: Option<&str>) {
    let error_id = field.id("error");
    if let Some(p) = find::<HtmlElement>(root, &format!("#{error_id}")) {
        p.set_hidden(error.is_none());
        p.set_text_content(error);
        if let Some(wrapper) = p.parent_element() {
            let _ = wrapper
                .class_list()
                .toggle_with_force("has-error", error.is_some());
        }
    }
    let Some(control) = find::<Element>(root, &format!("#{}", field.id("field"))) else {
        return;
    };
    match error {
        Some(_) => {
            let _ = control.set_attribute("aria-invalid", "true");
        }
        None => {
            let _ = control.remove_attribute("aria-invalid");
        }
    }
    let hint_id = field.id("hint");
    let hint = matches!(field.feature, Feature::Numeric { .. }).then_some(hint_id.as_str());
    let ids: Vec<&str> = [hint, error.map(|_| error_id.as_str())]
        .into_iter()
        .flatten()
        .collect();
    if ids.is_empty() {
        let _ = control.remove_attribute("aria-describedby");
    } else {
        let _ = control.set_attribute("aria-describedby", &ids.join(" "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MODEL_JSON;

    fn predictor() -> Predictor {
        crate::parse_model(MODEL_JSON).expect("assets/model.json parses")
    }

    fn values(predictor: &Predictor) -> Values {
        predictor
            .reference_student()
            .fields()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect()
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
    fn the_page_has_a_labelled_control_per_field_and_a_slider_or_chips() {
        let predictor = predictor();
        let html = page(&predictor, &values(&predictor));
        for feature in predictor.features() {
            let id = dom_id("field", feature.name());
            assert_eq!(html.matches(&format!("for=\"{id}\"")).count(), 1, "{id}");
            assert_eq!(html.matches(&format!("id=\"{id}\"")).count(), 1, "{id}");
            match feature {
                Feature::Numeric { .. } => {
                    assert!(html.contains(&format!("id=\"{}\"", dom_id("slider", feature.name()))))
                }
                Feature::Categorical { categories, .. } => {
                    let group = format!("name=\"{}\"", dom_id("whatif", feature.name()));
                    assert_eq!(html.matches(&group).count(), categories.len());
                }
            }
        }
        // Each field's current value is selected in its list and checked among its chips.
        assert_eq!(
            html.matches(" selected=\"\"").count(),
            html.matches(" checked=\"\"").count()
        );
        assert!(!html.contains("style="), "no inline styles under the CSP");
    }

    #[test]
    fn fields_whose_names_read_alike_get_distinct_ids() {
        let mut bundle = predictor().bundle().clone();
        let names = ["a b", "a_b", "a-b-1", "gender"];
        for (feature, name) in bundle.features.iter_mut().zip(names) {
            match feature {
                Feature::Categorical { name: n, .. } | Feature::Numeric { name: n, .. } => {
                    *n = name.to_owned()
                }
            }
        }
        let predictor = Predictor::new(bundle).expect("still a valid model");
        let keys: Vec<String> = fields_of(&predictor).into_iter().map(|f| f.key).collect();
        assert_eq!(keys[..4], ["a-b", "a-b-1", "a-b-1-2", "gender"]);
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "{keys:?}");
    }

    #[test]
    fn the_outputs_follow_the_form() {
        let predictor = predictor();
        let mut values = values(&predictor);
        let typical = Outputs::new(&predictor, &values);
        let score = typical.prediction.expect("the typical student is valid");
        assert!(typical.errors.is_empty());
        assert!(
            typical.why.contains("the typical student"),
            "{}",
            typical.why
        );
        let chips: usize = predictor
            .features()
            .iter()
            .map(|f| match f {
                Feature::Categorical { categories, .. } => categories.len(),
                Feature::Numeric { .. } => 0,
            })
            .sum();
        assert_eq!(typical.deltas.len(), chips);
        let categorical = predictor
            .features()
            .iter()
            .filter(|f| matches!(f, Feature::Categorical { .. }))
            .count();
        // One current category per field has no delta; every other one has a signed one.
        assert_eq!(
            typical.deltas.iter().filter(|d| d.is_none()).count(),
            categorical
        );

        values.insert("writing_score".into(), "92".into());
        let better = Outputs::new(&predictor, &values);
        assert!(better.prediction.expect("valid") > score);
        assert!(better.why.contains("Writing score: 92"), "{}", better.why);
        assert!(better.why.contains("data-testid=\"why-sum\""));
        let (low, high, _) = better.bounds.expect("the model has an interval");
        assert!(low <= better.prediction.unwrap() && better.prediction.unwrap() <= high);

        values.insert("writing_score".into(), "150".into());
        let bad = Outputs::new(&predictor, &values);
        assert_eq!(bad.prediction, None);
        assert_eq!(bad.bounds, None);
        assert_eq!(
            bad.errors,
            [(
                "writing_score".to_owned(),
                "Writing score: 150 is not between 0 and 100".to_owned()
            )]
        );
        assert!(bad.deltas.iter().all(Option::is_none));
        assert!(bad.why.contains("Fix the highlighted fields"));
    }

    #[test]
    fn the_reasons_add_up_in_the_caption() {
        let predictor = predictor();
        let student = predictor.reference_student().with("writing_score", "90");
        let e = predictor.explain(&student, Missing::Reject).expect("valid");
        let total: f64 = e.contributions.iter().map(|c| c.value).sum();
        assert!((e.baseline + total - e.prediction).abs() < 1e-9);
        assert_eq!(e.contributions.len(), predictor.features().len());
        let values = student
            .fields()
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        let why = why_markup(&predictor, &values, Some(&e));
        let caption = format!(
            "{:.1} (typical) <strong>{}</strong> (this student&#39;s differences) = <strong>{:.1}</strong>",
            e.baseline,
            signed(total, 1),
            e.prediction
        );
        assert!(why.contains(&caption), "{why}");
        assert_eq!(why.matches("<tr>").count(), predictor.features().len());
    }
}
