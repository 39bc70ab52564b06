//! The Predict page's logic, apart from its views and tested natively: what the page shows for
//! one student ([`Outputs`]), how a feature is shown (its groups, its value in words, its number
//! hint), the reasons in rows, the slider's state and curve, and the goal box's answer in words.
//! Everything comes from the model's features and target: no column is named here.

use model::whatif::{self, Change, Goal, Suggestion};
use model::{Explanation, Feature, Missing, Predictor, Student};

use crate::charts::signed;
use crate::format_score;
use crate::state::{join_words, lower_first};

/// The most rows "Why this score" draws one by one; beyond it the smallest are one row.
pub const WHY_ROWS: usize = 8;

/// How people read a category of `feature`: its label from the model, else the category.
pub fn category_text(feature: &Feature, category: &str) -> String {
    if let Feature::Categorical {
        categories, info, ..
    } = feature
    {
        if let Some(i) = categories.iter().position(|c| c == category) {
            if let Some(label) = info.category_labels.get(i) {
                return label.clone();
            }
        }
    }
    crate::category_label(category)
}

/// How people read the value `text` of `feature`: a category's label, a coded level's label
/// ("4 — higher education"), or the text itself.
pub fn value_text(feature: &Feature, text: &str) -> String {
    let text = text.trim();
    match feature {
        Feature::Categorical { .. } => category_text(feature, text),
        Feature::Numeric { info, .. } => model::text::read_number(text)
            .and_then(|v| info.levels.iter().find(|l| l.value == v))
            .map_or_else(|| text.to_owned(), |l| l.label.clone()),
    }
}

/// The hint beside a number: its range, step and unit ("0 to 100 points", "1 to 4, whole
/// numbers"); none for a coded number, whose list shows its levels.
pub fn number_hint(feature: &Feature) -> Option<String> {
    let Feature::Numeric { min, max, info, .. } = feature else {
        return None;
    };
    if !info.levels.is_empty() {
        return None;
    }
    let n = model::text::number;
    let mut hint = format!("{} to {}", n(*min), n(*max));
    if let Some(unit) = &info.unit {
        hint = format!("{hint} {unit}");
    }
    match info.step {
        Some(step) if step != 1.0 => hint.push_str(&format!(", in steps of {}", n(step))),
        _ => {}
    }
    Some(hint)
}

/// The form's sections: each group the features name, in the order they first appear, with
/// the indices of its features; features without a group are gathered under "Other fields".
pub fn form_groups(features: &[Feature]) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let name = f
            .info()
            .group
            .clone()
            .unwrap_or_else(|| "Other fields".to_owned());
        match groups.iter_mut().find(|(g, _)| *g == name) {
            Some((_, members)) => members.push(i),
            None => groups.push((name, vec![i])),
        }
    }
    groups
}

/// The scale a prediction is read on: "out of 100 points", "out of 20 points", or "on a 1–5
/// scale"; `None` for a model without a target range.
pub fn target_scale(predictor: &Predictor) -> Option<String> {
    let (min, max) = predictor.target_range()?;
    let unit = predictor
        .bundle()
        .target_info
        .as_ref()
        .and_then(|t| t.unit.as_deref())
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let n = model::text::number;
    Some(if min == 0.0 {
        format!("out of {}{unit}", n(max))
    } else {
        format!("on a {}–{} scale", n(min), n(max))
    })
}

/// The unit the target's points are counted in ("points" when the model does not say).
pub fn target_unit(predictor: &Predictor) -> String {
    predictor
        .bundle()
        .target_info
        .as_ref()
        .and_then(|t| t.unit.clone())
        .unwrap_or_else(|| "points".to_owned())
}

/// The model's typical student (every field at its imputation value) in one line:
/// "tutoring: No, …, hours of sleep 7".
pub fn describe_reference(predictor: &Predictor) -> String {
    let reference = predictor.reference_student();
    predictor
        .features()
        .iter()
        .filter_map(|f| {
            let value = reference.get(f.name())?;
            let label = lower_first(f.label());
            Some(match f {
                Feature::Numeric { info, .. } if info.levels.is_empty() => {
                    format!("{label} {value}")
                }
                _ => format!("{label}: {}", value_text(f, value)),
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a slider stands for the text of its field: the number clamped to `[min, max]`, or
/// the middle of the range while the text is not a number.
pub fn slider_position(text: &str, min: f64, max: f64) -> f64 {
    // The form's own reading of a number ("85,5" and "８５" too): the slider and the prediction
    // never disagree about what was typed.
    model::text::read_number(text).map_or((min + max) / 2.0, |v| v.clamp(min, max))
}

/// What a slider's head shows for the text of its field: the number when it is one within
/// `[min, max]`, else why the slider is not at it ("105 is above 100", "not a number").
pub fn slider_shown(text: &str, min: f64, max: f64) -> String {
    let n = model::text::number;
    match model::text::read_number(text) {
        Some(v) if v > max => format!("{} is above {}", n(v), n(max)),
        Some(v) if v < min => format!("{} is below {}", n(v), n(min)),
        Some(_) => text.trim().to_owned(),
        None if text.trim().is_empty() => "no value".to_owned(),
        None => "not a number".to_owned(),
    }
}

/// The id suffix of each field: its name with every character an id cannot hold as `-`
/// ([`crate::dom_id`]), and a number added when two names would read the same ("a b" and
/// "a_b"), so no element of one field is ever taken for another's.
pub fn field_keys(names: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let base = crate::dom_id("", name)[1..].to_owned();
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

/// How far one option of a categorical field would move the prediction.
#[derive(Debug, Clone, PartialEq)]
pub struct Delta {
    pub field: String,
    pub category: String,
    /// Signed, one decimal: "+3.2", "−1.0".
    pub text: String,
}

/// The interval's bounds as shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub low: f64,
    pub high: f64,
    /// Whether the target's range cut the interval.
    pub cut: bool,
}

/// Everything on the page that follows the form, for one student.
#[derive(Debug, Clone, PartialEq)]
pub struct Outputs {
    /// The prediction, when every field is valid (never a number that is not finite).
    pub prediction: Option<f64>,
    /// Each invalid field's name and what is wrong with it, in form order.
    pub errors: Vec<FieldProblem>,
    /// The interval's bounds, limited to the target's range.
    pub bounds: Option<Bounds>,
    /// The model's own estimate, when it lay beyond the target's range (and the prediction is
    /// that range's limit).
    pub beyond: Option<f64>,
    /// The reasons, when there is a prediction.
    pub explanation: Option<Explanation>,
    /// For each other category of each actionable categorical field, how far the prediction
    /// would move with it, while there is a prediction.
    pub deltas: Vec<Delta>,
}

/// An invalid field of the form: its name and what is wrong, for the person ("Writing score:
/// 150 is not between 0 and 100").
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl Outputs {
    pub fn new(predictor: &Predictor, student: &Student) -> Self {
        // The model crate's one estimate for every surface: the value and both bounds within
        // the target's range, and the raw estimate.
        let result = predictor.estimate(student, Missing::Reject);
        let errors = match &result {
            Ok(_) => Vec::new(),
            Err(e) => predictor
                .features()
                .iter()
                .filter_map(|f| {
                    Some(FieldProblem {
                        field: f.name().to_owned(),
                        message: e.for_field(f.name())?.to_string(),
                    })
                })
                .collect(),
        };
        let estimate = result.ok().filter(|e| e.value.is_finite());
        let prediction = estimate.map(|e| e.value);
        let bounds = match (estimate, &predictor.bundle().interval) {
            (Some(e), Some(i)) => {
                let (low, high) = (e.low.unwrap_or(e.value), e.high.unwrap_or(e.value));
                let cut =
                    low > e.value - i.half_width + 1e-9 || high < e.value + i.half_width - 1e-9;
                Some(Bounds { low, high, cut })
            }
            _ => None,
        };
        let beyond = estimate
            .filter(|e| e.beyond_range() && e.raw.is_finite())
            .map(|e| e.raw);
        let explanation = prediction.and_then(|_| predictor.explain(student, Missing::Reject).ok());
        let mut deltas = Vec::new();
        if let Some(now) = prediction {
            for feature in predictor.features().iter().filter(|f| f.info().actionable) {
                let Feature::Categorical {
                    name, categories, ..
                } = feature
                else {
                    continue;
                };
                let current = student.get(name).unwrap_or_default();
                for category in categories.iter().filter(|c| *c != current) {
                    let other = student.clone().with(name.as_str(), category.as_str());
                    let then = predictor.predict_with(&other, Missing::Reject).ok();
                    if let Some(then) = then.filter(|v| v.is_finite()) {
                        deltas.push(Delta {
                            field: name.clone(),
                            category: category.clone(),
                            text: signed(then - now, 1),
                        });
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
            .find(|p| p.field == name)
            .map(|p| p.message.clone())
    }

    /// How far `category` of `field` would move the prediction (`None` for the current one).
    pub fn delta(&self, field: &str, category: &str) -> Option<String> {
        self.deltas
            .iter()
            .find(|d| d.field == field && d.category == category)
            .map(|d| d.text.clone())
    }
}

/// One row of "Why this score": a field (or the other fields together) and its points.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub label: String,
    pub points: f64,
}

/// The reasons as rows, largest first: every field when there are at most [`WHY_ROWS`],
/// else the largest `WHY_ROWS − 1` and then "The other N fields" with their sum; the second
/// list holds the fields that row gathers, largest first (empty when there is no such row).
/// `labels` are the rows' texts, one per contribution.
pub fn why_rows(e: &Explanation, labels: &[String]) -> (Vec<Reason>, Vec<Reason>) {
    let values: Vec<f64> = e.contributions.iter().map(|c| c.value).collect();
    let largest_first: Vec<f64> = values.iter().map(|v| -v.abs()).collect();
    let ordered: Vec<Reason> = model::order_by(&largest_first)
        .into_iter()
        .map(|i| Reason {
            label: labels.get(i).cloned().unwrap_or_default(),
            points: values[i],
        })
        .collect();
    if ordered.len() <= WHY_ROWS {
        return (ordered, Vec::new());
    }
    let rest = ordered[WHY_ROWS - 1..].to_vec();
    let mut shown = ordered[..WHY_ROWS - 1].to_vec();
    shown.push(Reason {
        label: format!("The other {} fields", rest.len()),
        points: rest.iter().map(|r| r.points).sum(),
    });
    (shown, rest)
}

/// The curve under a number's slider: the prediction and its interval for each value of the
/// number, the other fields as entered (`None` until every other field is valid).
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
    (!points.is_empty()
        && points
            .iter()
            .all(|p| p.1.is_finite() && p.2.is_finite() && p.3.is_finite()))
    .then_some(points)
}

/// A change as a description of other students, never as advice: `hours of sleep 8 (not
/// 6)`, `tutoring “Yes” (not “No”)`.
pub fn change_words(predictor: &Predictor, change: &Change) -> String {
    let Some(feature) = predictor.feature(&change.field) else {
        return change.phrase.clone();
    };
    let label = lower_first(feature.label());
    let (to, from) = (
        value_text(feature, &change.to),
        value_text(feature, &change.from),
    );
    match feature {
        Feature::Numeric { info, .. } if info.levels.is_empty() => {
            format!("{label} {to} (not {from})")
        }
        _ => format!("{label} “{to}” (not “{from}”)"),
    }
}

/// "students like this who had hours of sleep 8 (not 6)" for a suggestion.
pub fn students_like_this(predictor: &Predictor, s: &Suggestion) -> String {
    let changes: Vec<String> = s
        .changes
        .iter()
        .map(|c| change_words(predictor, c))
        .collect();
    format!("students like this who had {}", join_words(&changes, "and"))
}

/// One line of the goal box: its sentence and its changes (field name → new text).
#[derive(Debug, Clone, PartialEq)]
pub struct GoalSuggestion {
    pub text: String,
    pub changes: Vec<(String, String)>,
}

/// The answer to the goal box, in words: the summary sentence and the suggestions.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalAnswer {
    pub summary: String,
    pub suggestions: Vec<GoalSuggestion>,
}

/// The labels of the actionable features, in a sentence: "tutoring or hours of sleep".
pub fn actionable_words(predictor: &Predictor, joiner: &str) -> String {
    let labels: Vec<String> = predictor
        .features()
        .iter()
        .filter(|f| f.info().actionable)
        .map(|f| lower_first(f.label()))
        .collect();
    join_words(&labels, joiner)
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
    let goal_text = model::text::number(goal);
    Some(match whatif::what_it_takes(predictor, student, goal) {
        Err(whatif::GoalError::OutOfRange { min, max }) => answer(format!(
            "{goal_text} is outside what this model predicts: choose a goal from {} to {}.",
            model::text::number(min),
            model::text::number(max)
        )),
        Err(whatif::GoalError::Input(_)) => {
            answer("Fix the highlighted fields to compare with other students.".to_owned())
        }
        Ok(Goal::Reached { now }) => answer(format!(
            "Already there: the prediction, {}, is at least {goal_text}.",
            score(now.value)
        )),
        Ok(Goal::NothingToChange { now }) => answer(format!(
            "This model has no field marked as one a student can change: the prediction stays {}, short of {goal_text}.",
            score(now.value)
        )),
        Ok(Goal::Unreachable { best, .. }) => answer(format!(
            "No difference in {} reaches {goal_text}: the highest, {}, was predicted for {}.",
            actionable_words(predictor, "or"),
            score(best.estimate.value),
            students_like_this(predictor, &best)
        )),
        Ok(Goal::Reachable { suggestions, .. }) => {
            let first = &suggestions[0];
            let summary = format!(
                "Smallest difference: {} were predicted {}.",
                students_like_this(predictor, first),
                score(first.estimate.value)
            );
            let suggestions = suggestions
                .iter()
                .map(|s| {
                    let words = students_like_this(predictor, s);
                    GoalSuggestion {
                        text: format!(
                            "S{} were predicted {}",
                            &words[1..],
                            score(s.estimate.value)
                        ),
                        changes: s
                            .changes
                            .iter()
                            .map(|c| (c.field.clone(), c.to.clone()))
                            .collect(),
                    }
                })
                .collect();
            GoalAnswer {
                summary,
                suggestions,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::MODEL_JSON;

    fn catalog() -> crate::Catalog {
        crate::parse_models(MODEL_JSON).expect("assets/model.json parses")
    }

    fn predictor() -> Arc<Predictor> {
        let catalog = catalog();
        Arc::clone(catalog.get(catalog.default_target(), false).expect("math"))
    }

    #[test]
    fn sliders_follow_the_text_stay_in_range_and_say_why_they_are_not_at_it() {
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
        // The head never shows a value the slider is not at.
        assert_eq!(slider_shown(" 72 ", 0.0, 100.0), "72");
        assert_eq!(slider_shown("105", 0.0, 100.0), "105 is above 100");
        assert_eq!(slider_shown("-1", 0.0, 100.0), "\u{2212}1 is below 0");
        assert_eq!(slider_shown("abc", 0.0, 100.0), "not a number");
        assert_eq!(slider_shown(" ", 0.0, 100.0), "no value");
    }

    #[test]
    fn the_form_follows_the_dataset_s_groups_and_reads_numbers_with_their_unit() {
        let p = predictor();
        let groups = form_groups(p.features());
        let names: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(g, m)| {
                (
                    g.as_str(),
                    m.iter().map(|&i| p.features()[i].name()).collect(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("Student", vec!["gender", "race_ethnicity"]),
                ("Family", vec!["parental_level_of_education", "lunch"]),
                ("School", vec!["test_preparation_course"]),
                ("Scores", vec!["reading_score", "writing_score"]),
            ]
        );
        let ungrouped = [
            Feature::numeric("x", 0.0, 1.0),
            Feature::numeric("y", 0.0, 1.0),
        ];
        assert_eq!(
            form_groups(&ungrouped),
            [("Other fields".to_owned(), vec![0, 1])]
        );
        assert_eq!(
            number_hint(p.feature("reading_score").unwrap()).as_deref(),
            Some("0 to 100 points")
        );
        assert_eq!(number_hint(p.feature("gender").unwrap()), None);
        let fine = Feature::numeric("h", 0.0, 2.0).with_info(model::FieldInfo {
            step: Some(0.5),
            unit: Some("hours".into()),
            ..Default::default()
        });
        assert_eq!(
            number_hint(&fine).as_deref(),
            Some("0 to 2 hours, in steps of 0.5")
        );
        assert_eq!(target_scale(&p).as_deref(), Some("out of 100 points"));
        assert_eq!(target_unit(&p), "points");
    }

    #[test]
    fn the_reference_student_is_described_briefly() {
        let text = describe_reference(&predictor());
        assert!(text.contains("reading score "), "{text}");
        assert!(text.contains("lunch: Standard"), "{text}");
        assert!(!text.contains('_'), "{text}");
    }

    #[test]
    fn fields_whose_names_read_alike_get_distinct_ids() {
        let keys = field_keys(&["a b", "a_b", "a-b-1", "gender"]);
        assert_eq!(keys, ["a-b", "a-b-1", "a-b-1-2", "gender"]);
    }

    #[test]
    fn the_outputs_follow_the_form_and_only_actionable_options_get_a_delta() {
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
            .filter(|f| f.info().actionable)
            .map(|f| match f {
                Feature::Categorical { categories, .. } => categories.len() - 1,
                Feature::Numeric { .. } => 0,
            })
            .sum();
        assert!(others > 0);
        assert_eq!(typical.deltas.len(), others);
        assert!(typical.deltas.iter().all(|d| predictor
            .feature(&d.field)
            .unwrap()
            .info()
            .actionable));
        assert_eq!(typical.delta("gender", "male"), None, "not actionable");

        student.set("writing_score", "92");
        let better = Outputs::new(&predictor, &student);
        assert!(better.prediction.expect("valid") > score);
        let b = better.bounds.expect("the model has an interval");
        assert!(b.low <= better.prediction.unwrap() && better.prediction.unwrap() <= b.high);
        assert!(!b.cut);

        student.set("writing_score", "150");
        let bad = Outputs::new(&predictor, &student);
        assert_eq!(bad.prediction, None);
        assert_eq!(bad.bounds, None);
        assert_eq!(bad.explanation, None);
        assert_eq!(
            bad.errors,
            [FieldProblem {
                field: "writing_score".to_owned(),
                message: "Writing score: 150 is not between 0 and 100".to_owned()
            }]
        );
        assert!(bad.deltas.is_empty());
    }

    #[test]
    fn an_estimate_beyond_the_range_shows_its_limit_and_a_cut_interval() {
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
        let b = out.bounds.expect("an interval");
        assert!(b.low < 100.0 && b.high == 100.0 && b.cut, "{b:?}");
        let e = out.explanation.expect("explained");
        assert!((e.prediction - raw).abs() < 1e-9);
        assert_eq!(
            Outputs::new(&predictor, &predictor.reference_student()).beyond,
            None
        );
    }

    #[test]
    fn a_slider_curve_is_the_form_s_prediction_for_each_value() {
        let predictor = predictor();
        let student = predictor.reference_student().with("reading_score", "abc");
        let points = slider_curve(&predictor, &student, "reading_score").expect("a curve");
        assert_eq!(points.len(), 101);
        for (v, value, low, high) in points {
            let at = student.clone().with("reading_score", v.to_string());
            let out = Outputs::new(&predictor, &at);
            assert_eq!(Some(value), out.prediction, "{v}");
            let b = out.bounds.expect("an interval");
            assert_eq!((low, high), (b.low, b.high));
        }
        assert_eq!(slider_curve(&predictor, &student, "writing_score"), None);
        assert_eq!(
            slider_curve(&predictor, &predictor.reference_student(), "gender"),
            None
        );
    }

    #[test]
    fn many_reasons_end_with_the_other_fields_as_one_row() {
        let predictor = predictor();
        let student = predictor.reference_student().with("writing_score", "90");
        let e = Outputs::new(&predictor, &student)
            .explanation
            .expect("explained");
        let total: f64 = e.contributions.iter().map(|c| c.value).sum();
        assert!((e.baseline + total - e.prediction).abs() < 1e-9);
        let labels: Vec<String> = e.contributions.iter().map(|c| c.feature.clone()).collect();
        let (shown, rest) = why_rows(&e, &labels);
        assert_eq!(
            shown.len(),
            predictor.features().len(),
            "few fields: one row each"
        );
        assert!(rest.is_empty());
        assert_eq!(shown[0].label, "writing_score");
        // Twelve made-up contributions: seven rows, then the other five together.
        let mut many = e.clone();
        many.contributions = (0..12)
            .map(|i| model::Contribution {
                feature: format!("f{i}"),
                value: f64::from(i) - 5.5,
            })
            .collect();
        let labels: Vec<String> = (0..12).map(|i| format!("f{i}")).collect();
        let (shown, rest) = why_rows(&many, &labels);
        assert_eq!(shown.len(), WHY_ROWS);
        assert_eq!(shown[WHY_ROWS - 1].label, "The other 5 fields");
        assert_eq!(rest.len(), 5);
        let sum = |r: &[Reason]| r.iter().map(|r| r.points).sum::<f64>();
        let all: f64 = many.contributions.iter().map(|c| c.value).sum();
        assert!((sum(&shown) - all).abs() < 1e-9);
        assert!(rest
            .iter()
            .all(|r| r.points.abs() <= shown[WHY_ROWS - 2].points.abs()));
    }

    #[test]
    fn the_goal_box_describes_other_students_and_never_shows_nan() {
        let catalog = catalog();
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
        assert!(
            up.summary
                .starts_with("Smallest difference: students like this who had "),
            "{up:?}"
        );
        assert!(up.summary.contains(" were predicted "), "{up:?}");
        assert!(!up.suggestions.is_empty());
        for s in &up.suggestions {
            assert!(
                s.text.starts_with("Students like this who had "),
                "{}",
                s.text
            );
            assert!(
                !s.text.contains("NaN") && !s.text.contains("raise "),
                "{}",
                s.text
            );
            // Applying the changes reaches the goal, and only actionable fields change.
            let mut at = student.clone();
            for (field, to) in &s.changes {
                assert!(writing.feature(field).unwrap().info().actionable, "{field}");
                at.set(field.as_str(), to.as_str());
            }
            let then = Outputs::new(&writing, &at).prediction.unwrap();
            assert!(then >= goal.parse::<f64>().unwrap(), "{}: {then}", s.text);
        }
        let texts: Vec<&str> = up.suggestions.iter().map(|s| s.text.as_str()).collect();
        assert!(
            texts
                .iter()
                .any(|t| t.contains("test preparation course “Completed” (not “None”)")),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.contains("reading score ") && t.contains(" (not 74)")),
            "{texts:?}"
        );
        // The typical student's math: both scores at 100 give 92.3 at most.
        let math = predictor();
        let none = goal_answer(&math, &math.reference_student(), "100").unwrap();
        assert!(
            none.summary.starts_with(
                "No difference in test preparation course, reading score or writing score reaches 100: the highest, "
            ),
            "{none:?}"
        );
        assert!(say("150").summary.contains("choose a goal from 0 to 100"));
        assert!(say("abc").summary.contains("is not a number"));
        assert!(say("NaN").summary.contains("is not a number"));
        let bad = goal_answer(&writing, &student.clone().with("math_score", "x"), "90").unwrap();
        assert!(bad.summary.starts_with("Fix the highlighted fields"));
        let empty = goal_answer(&writing, &student.clone().with("math_score", ""), "90").unwrap();
        assert!(empty.summary.starts_with("Fix the highlighted fields"));
    }

    /// The UCI Portuguese model set, when `trainer train --data data/student-por.csv --schema
    /// data/uci-student.schema.json --out target/uci` has written it.
    fn uci() -> Option<crate::Catalog> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/uci/model.json");
        match std::fs::read_to_string(path) {
            Ok(json) => Some(crate::parse_models(&json).expect("the UCI model set reads")),
            Err(e) => {
                println!("skipped: {path} is absent ({e}); build it with `target/release/trainer train --data data/student-por.csv --schema data/uci-student.schema.json --out target/uci`");
                None
            }
        }
    }

    #[test]
    fn the_uci_model_set_reads_as_its_dataset_file_describes_it() {
        let Some(catalog) = uci() else { return };
        assert_eq!(catalog.targets(), ["G3", "G2", "G1"]);
        assert_eq!(
            catalog.left_out("or").as_deref(),
            Some("sex, age or home address")
        );
        assert!(catalog.intended_use().unwrap().contains("not causes"));
        let g3 = Arc::clone(catalog.get("G3", false).unwrap());
        assert_eq!(target_scale(&g3).as_deref(), Some("out of 20 points"));
        let groups: Vec<String> = form_groups(g3.features())
            .into_iter()
            .map(|g| g.0)
            .collect();
        assert_eq!(
            groups,
            [
                "School",
                "Student",
                "Family",
                "Study",
                "Social life",
                "Health",
                "Grades"
            ]
        );
        // Coded numbers read as their levels.
        let medu = g3.feature("Medu").unwrap();
        assert_eq!(number_hint(medu), None);
        assert_eq!(
            value_text(medu, "4"),
            medu.info().levels.last().unwrap().label
        );
        assert_eq!(
            number_hint(g3.feature("absences").unwrap()).as_deref(),
            Some("0 to 93 absences")
        );
        // The starting values predict; the other targets' models wait for what is not given.
        let values = catalog.initial_values("G3");
        let student: Student = values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let out = Outputs::new(&g3, &student);
        let value = out.prediction.expect("the starting values predict");
        assert!((0.0..=20.0).contains(&value));
        let g1 = Arc::clone(catalog.get("G1", false).unwrap());
        let waiting = Outputs::new(&g1, &student);
        assert_eq!(waiting.prediction, None);
        let missing: Vec<&str> = waiting.errors.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            missing,
            ["G3"],
            "G3 was never given (G2 was, by the G3 model)"
        );
        // Only actionable options move, and the goal box changes only actionable fields.
        assert!(out
            .deltas
            .iter()
            .all(|d| g3.feature(&d.field).unwrap().info().actionable));
        let goal = format!("{}", (value + 1.0).ceil().min(20.0));
        let answer = goal_answer(&g3, &student, &goal).unwrap();
        assert!(!answer.summary.contains("NaN"), "{answer:?}");
        for s in &answer.suggestions {
            assert!(
                s.text.starts_with("Students like this who had "),
                "{}",
                s.text
            );
            let mut at = student.clone();
            for (field, to) in &s.changes {
                assert!(g3.feature(field).unwrap().info().actionable, "{field}");
                at.set(field.as_str(), to.as_str());
            }
            assert!(Outputs::new(&g3, &at).prediction.unwrap() >= goal.parse::<f64>().unwrap());
        }
        // Many fields: the reasons end with the others as one row.
        let e = out.explanation.expect("explained");
        let labels: Vec<String> = e.contributions.iter().map(|c| c.feature.clone()).collect();
        let (shown, rest) = why_rows(&e, &labels);
        assert_eq!(shown.len(), WHY_ROWS);
        assert_eq!(rest.len(), g3.features().len() - (WHY_ROWS - 1));
    }
}
