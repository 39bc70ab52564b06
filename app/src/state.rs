//! What the app knows and what the visitor chose, provided once through context.
//!
//! - [`Catalog`]: the embedded model set, read once at start-up by the model crate's reader
//!   (the same validation the trainer runs before writing it), or why it is unusable.
//! - [`Selection`]: the score to predict and whether the sensitive features are left out.
//!   Remembered on the device by one effect (local storage through gloo-storage).
//! - [`FormValues`]: the form's text per field, one signal each, shared by every model's form,
//!   so a score typed for one target is still there after switching to another.
//!
//! [`provide_app_state`] makes them available and [`use_app_state`] reads them; every value a
//! page shows is derived from them (memos or reactive closures), never copied by hand.

use std::collections::BTreeMap;
use std::sync::Arc;

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use model::{Feature, Predictor, Predictors, Step};
use serde::{Deserialize, Serialize};

/// Something the app loaded, or the reason it could not.
pub type Loaded<T> = Result<Arc<T>, String>;

/// Where the selection is remembered between visits (a local storage key).
const SELECTION_KEY: &str = "student-predictor.selection";

/// One model the app offers: a target's, with or without the sensitive fields.
#[derive(Debug)]
struct Offered {
    target: String,
    /// Trained without the sensitive fields (what the switch selects).
    unaware: bool,
    predictor: Arc<Predictor>,
}

/// Every model of the set the app offers.
#[derive(Debug)]
pub struct Catalog {
    default_target: String,
    targets: Vec<String>,
    models: Vec<Offered>,
    /// The label of every column a model names, as a feature or as its target.
    labels: BTreeMap<String, String>,
    /// The labels of the sensitive features of the default target's full model, in feature
    /// order: what the switch leaves out.
    sensitive: Vec<String>,
    /// What the data and its models are for, and not for (the dataset card's intended use).
    intended_use: Option<String>,
}

impl Catalog {
    /// The models of a set: the full model of each target and, where the trainer made one, the
    /// variant without exactly the full model's sensitive features. Other variants are not
    /// offered.
    pub fn new(set: &Predictors) -> Self {
        let targets: Vec<String> = set.targets().into_iter().map(str::to_owned).collect();
        let models: Vec<Offered> = targets
            .iter()
            .flat_map(|t| {
                let full = set.full(t).cloned();
                let sensitive: Vec<&str> = full
                    .iter()
                    .flat_map(|p| p.features())
                    .filter(|f| f.info().sensitive)
                    .map(Feature::name)
                    .collect();
                let unaware = (!sensitive.is_empty())
                    .then(|| set.get(t, &sensitive))
                    .flatten()
                    .cloned();
                [(false, full), (true, unaware)]
                    .into_iter()
                    .filter_map(|(unaware, p)| {
                        Some(Offered {
                            target: t.clone(),
                            unaware,
                            predictor: Arc::new(p?),
                        })
                    })
            })
            .collect();
        let mut labels = BTreeMap::new();
        for Offered { predictor, .. } in &models {
            for f in predictor.features() {
                labels
                    .entry(f.name().to_owned())
                    .or_insert_with(|| f.label().to_owned());
            }
        }
        for Offered {
            target, predictor, ..
        } in &models
        {
            labels
                .entry(target.clone())
                .or_insert_with(|| predictor.target_label().to_owned());
        }
        let sensitive = set
            .full(set.default_target())
            .into_iter()
            .flat_map(|p| p.features())
            .filter(|f| f.info().sensitive)
            .map(|f| f.label().to_owned())
            .collect();
        Self {
            default_target: set.default_target().to_owned(),
            targets,
            models,
            labels,
            sensitive,
            intended_use: set.dataset().and_then(|c| c.intended_use.clone()),
        }
    }

    /// What the switch leaves out, in words: "age or home town" (`joiner` "or"), or
    /// `None` when no feature is sensitive (and there is no switch).
    pub fn left_out(&self, joiner: &str) -> Option<String> {
        let words: Vec<String> = self.sensitive.iter().map(|l| lower_first(l)).collect();
        (!words.is_empty()).then(|| join_words(&words, joiner))
    }

    /// The dataset card's intended use, when the set carries one.
    pub fn intended_use(&self) -> Option<&str> {
        self.intended_use.as_deref()
    }

    /// The label people read for the column `name`, from the models' features and targets
    /// ("Hours of sleep"); the name itself for a column no model names.
    pub fn label(&self, name: &str) -> String {
        self.labels
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    }

    pub fn default_target(&self) -> &str {
        &self.default_target
    }

    /// The targets with a model, in the set's order.
    pub fn targets(&self) -> &[String] {
        &self.targets
    }

    /// The model for `target`, without the sensitive fields when `unaware`.
    pub fn get(&self, target: &str, unaware: bool) -> Option<&Arc<Predictor>> {
        self.models
            .iter()
            .find(|m| m.target == target && m.unaware == unaware)
            .map(|m| &m.predictor)
    }

    /// The model for the selection, or why this build has none (for an error card).
    pub fn predictor(&self, target: &str, unaware: bool) -> Loaded<Predictor> {
        self.get(target, unaware).cloned().ok_or_else(|| {
            if unaware {
                format!(
                    "this build has no {} model trained without {}",
                    self.label(target).to_ascii_lowercase(),
                    self.left_out("and")
                        .unwrap_or_else(|| "its sensitive fields".to_owned())
                )
            } else {
                format!("this build has no model for {target}")
            }
        })
    }

    /// Whether `target` has a model without the sensitive fields.
    pub fn has_unaware(&self, target: &str) -> bool {
        self.get(target, true).is_some()
    }

    /// Every model offered.
    pub fn all(&self) -> impl Iterator<Item = &Predictor> {
        self.models.iter().map(|m| m.predictor.as_ref())
    }

    /// The text the fields of `target`'s full model start with: the model's own imputation
    /// value (the most frequent training category, the training median), so a prediction shows
    /// at once. A field of another model only starts empty: no value is invented for it when
    /// the visitor switches to that model.
    pub fn initial_values(&self, target: &str) -> BTreeMap<String, String> {
        let mut values = BTreeMap::new();
        if let Some(predictor) = self.get(target, false) {
            let steps = &predictor.bundle().preprocessor.steps;
            for (i, feature) in predictor.features().iter().enumerate() {
                values
                    .entry(feature.name().to_owned())
                    .or_insert_with(|| initial_value(feature, steps.get(i)));
            }
        }
        values
    }
}

/// Reads the model document (a set of bundles, one per target and variant) with the model
/// crate's reader: parsed and validated, or the reason it is unusable.
pub fn parse_models(json: &str) -> Result<Catalog, String> {
    let set = Predictors::from_json(json).map_err(|e| error_chain(&e))?;
    Ok(Catalog::new(&set))
}

/// `a`, `a or b`, `a, b or c`.
pub fn join_words(words: &[String], joiner: &str) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {joiner} {last}", rest.join(", ")),
    }
}

/// A label inside a sentence: its first letter lowered unless the label is an abbreviation
/// ("Home town" → "home town", "ID" stays).
pub fn lower_first(label: &str) -> String {
    let mut text = label.to_owned();
    let keep = label
        .chars()
        .nth(1)
        .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if let Some(first) = text.get_mut(0..1).filter(|_| !keep) {
        first.make_ascii_lowercase();
    }
    text
}

/// An error and each of its causes, as one line: "the model is not valid JSON for this format:
/// expected value at line 1 column 1".
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let more = e.to_string();
        if !text.ends_with(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = e.source();
    }
    text
}

/// The value a field starts with: the model's own imputation value, or for a model without
/// one the first category or the middle of the range.
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

/// The visitor's choice: which score to predict, and whether to leave out the sensitive
/// features.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub target: RwSignal<String>,
    pub unaware: RwSignal<bool>,
}

/// The selection as local storage keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remembered {
    pub target: String,
    pub unaware: bool,
}

impl Remembered {
    /// The selection the last visit left, if storage has one.
    pub fn load() -> Option<Self> {
        LocalStorage::get(SELECTION_KEY).ok()
    }

    /// Keeps the selection for the next visit (best effort: storage may be off or full).
    pub fn save(&self) {
        let _ = LocalStorage::set(SELECTION_KEY, self);
    }

    /// The selection to start with: the remembered one, when these models still have its
    /// target, else the default target with the switch off.
    pub fn restore(remembered: Option<Self>, models: Option<&Catalog>) -> Self {
        let default = models.map(|m| m.default_target().to_owned());
        match (remembered, models) {
            (Some(r), Some(m)) if m.targets().contains(&r.target) => r,
            (r, _) => Self {
                target: default.unwrap_or_default(),
                unaware: r.is_some_and(|r| r.unaware),
            },
        }
    }
}

/// One field's text and whether it holds a value the visitor saw or gave (the starting
/// model's own values, or anything typed, picked or applied since). A field first shown by
/// another model starts empty and not given: the page marks it and waits for a value.
#[derive(Debug, Clone, Copy)]
pub struct FieldValue {
    pub text: RwSignal<String>,
    pub given: RwSignal<bool>,
}

impl FieldValue {
    /// The visitor's value: the text, and the field counts as given from now on.
    pub fn set(&self, text: String) {
        self.text.set(text);
        if !self.given.get_untracked() {
            self.given.set(true);
        }
    }
}

/// The form's text per field name, one signal per field of every model.
#[derive(Debug, Clone, Copy)]
pub struct FormValues(StoredValue<BTreeMap<String, FieldValue>>);

impl FormValues {
    /// One value per field of every model, made here, with the app, so that a page showing
    /// one model never owns (and, when it goes, disposes of) another's. The starting model's
    /// fields hold its starting text; every other field starts empty and not given.
    fn new(catalog: Option<&Catalog>, target: &str) -> Self {
        let initial = catalog
            .map(|c| c.initial_values(target))
            .unwrap_or_default();
        let mut values = BTreeMap::new();
        for feature in catalog
            .into_iter()
            .flat_map(|c| c.all())
            .flat_map(|p| p.features())
        {
            let name = feature.name();
            values.entry(name.to_owned()).or_insert_with(|| {
                let text = initial.get(name).cloned();
                FieldValue {
                    given: RwSignal::new(text.is_some()),
                    text: RwSignal::new(text.unwrap_or_default()),
                }
            });
        }
        Self(StoredValue::new(values))
    }

    /// The value of the field `name` (every model's field has one; a name no model has gets a
    /// new, empty one, not given, which the model reports as missing).
    pub fn field(&self, name: &str) -> FieldValue {
        if let Some(value) = self.0.with_value(|v| v.get(name).copied()) {
            return value;
        }
        let value = FieldValue {
            text: RwSignal::new(String::new()),
            given: RwSignal::new(false),
        };
        self.0.update_value(|v| {
            v.insert(name.to_owned(), value);
        });
        value
    }
}

/// Everything the pages share.
#[derive(Clone)]
pub struct AppState {
    pub models: Loaded<Catalog>,
    pub selection: Selection,
    pub form: FormValues,
}

impl AppState {
    /// The label of the column `name` ([`Catalog::label`]; the name while no model loaded).
    pub fn label(&self, name: &str) -> String {
        match &self.models {
            Ok(models) => models.label(name),
            Err(_) => name.to_owned(),
        }
    }

    /// The model for the selection (tracked: a reactive reader re-runs when it changes).
    pub fn predictor(&self) -> Loaded<Predictor> {
        let models = self.models.as_ref().map_err(Clone::clone)?;
        let target = self.selection.target.get();
        models.predictor(&target, self.selection.unaware.get())
    }
}

/// Makes the models, the selection (restored from the last visit) and the form available to
/// every component below, and remembers every change of the selection.
pub fn provide_app_state(models: Result<Catalog, String>) -> AppState {
    let models = models.map(Arc::new);
    let start = Remembered::restore(Remembered::load(), models.as_ref().ok().map(Arc::as_ref));
    let state = AppState {
        form: FormValues::new(models.as_ref().ok().map(Arc::as_ref), &start.target),
        selection: Selection {
            target: RwSignal::new(start.target),
            unaware: RwSignal::new(start.unaware),
        },
        models,
    };
    let Selection { target, unaware } = state.selection;
    // The outside world: local storage follows the selection.
    Effect::new(move |_| {
        Remembered {
            target: target.get(),
            unaware: unaware.get(),
        }
        .save();
    });
    provide_context(state.clone());
    state
}

/// The label of the column `name` ("Hours of sleep"), from the models of the state provided
/// above this component ([`AppState::label`]).
pub fn column_label(name: &str) -> String {
    use_app_state().label(name)
}

/// The state provided by [`provide_app_state`] above this component.
///
/// # Panics
/// When no ancestor provided one: a programming error, not something input can cause.
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MODEL_JSON;

    #[test]
    fn the_catalog_offers_every_target_with_and_without_the_sensitive_fields() {
        let catalog = parse_models(MODEL_JSON).unwrap();
        assert_eq!(catalog.default_target(), "math_score");
        assert_eq!(
            catalog.targets(),
            ["math_score", "reading_score", "writing_score"]
        );
        for target in catalog.targets() {
            let full = catalog.get(target, false).unwrap();
            let unaware = catalog.get(target, true).unwrap();
            assert!(full.bundle().excluded.is_empty());
            let names: Vec<&str> = unaware.features().iter().map(|f| f.name()).collect();
            for sensitive in ["gender", "race_ethnicity"] {
                assert!(!names.contains(&sensitive), "{target}: {names:?}");
            }
            assert!(!names.contains(&target.as_str()));
        }
        assert_eq!(catalog.label("race_ethnicity"), "Race/ethnicity");
        assert_eq!(catalog.label("math_score"), "Math score");
        assert_eq!(catalog.label("shoe_size"), "shoe_size");
        let error = catalog.predictor("nope", true).unwrap_err();
        assert!(error.contains("no nope model trained without"), "{error}");
    }

    #[test]
    fn only_the_starting_model_s_fields_start_with_a_value() {
        let catalog = parse_models(MODEL_JSON).unwrap();
        let start = catalog.default_target().to_owned();
        let values = catalog.initial_values(&start);
        let predictor = catalog.get(&start, false).unwrap();
        let names: Vec<&str> = predictor.features().iter().map(|f| f.name()).collect();
        assert_eq!(
            values.keys().map(String::as_str).collect::<Vec<_>>().len(),
            names.len()
        );
        let student: model::Student = names
            .iter()
            .map(|n| (n.to_string(), values[*n].clone()))
            .collect();
        let score = predictor
            .predict_with(&student, model::Missing::Reject)
            .expect("the starting values are valid");
        assert!(score.is_finite());
        // The starting target is never given a value, so another target's model lacks it.
        assert!(!values.contains_key(&start));
        let other = catalog.targets().iter().find(|t| **t != start).unwrap();
        let other_model = catalog.get(other, false).unwrap();
        assert!(other_model.features().iter().any(|f| f.name() == start));
        assert_eq!(catalog.initial_values("no_such_target"), BTreeMap::new());
    }

    #[test]
    fn the_switch_and_the_honest_line_come_from_the_dataset() {
        let catalog = parse_models(MODEL_JSON).unwrap();
        assert_eq!(
            catalog.left_out("or").as_deref(),
            Some("gender or race/ethnicity")
        );
        assert_eq!(
            catalog.left_out("and").as_deref(),
            Some("gender and race/ethnicity")
        );
        let use_ = catalog.intended_use().expect("the default set has a card");
        assert!(
            use_.contains("generated") && use_.contains("not causes"),
            "{use_}"
        );
        // A set without sensitive features or card: no switch, no card text.
        let mut doc: serde_json::Value = serde_json::from_str(MODEL_JSON).unwrap();
        doc.as_object_mut().unwrap().remove("dataset");
        let bundles = doc["bundles"].as_array_mut().unwrap();
        bundles.retain(|b| b["excluded"].is_null());
        for b in bundles.iter_mut() {
            for f in b["features"].as_array_mut().unwrap() {
                f.as_object_mut().unwrap().remove("sensitive");
            }
        }
        let bare = parse_models(&doc.to_string()).unwrap();
        assert_eq!(bare.left_out("or"), None);
        assert_eq!(bare.intended_use(), None);
        assert!(!bare.has_unaware(bare.default_target()));
    }

    #[test]
    fn words_are_joined_and_labels_lowered_as_in_a_sentence() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_words(&words(&[]), "or"), "");
        assert_eq!(join_words(&words(&["sex"]), "or"), "sex");
        assert_eq!(
            join_words(&words(&["sex", "age", "home address"]), "or"),
            "sex, age or home address"
        );
        assert_eq!(lower_first("Home address"), "home address");
        assert_eq!(lower_first("G3"), "G3");
        assert_eq!(lower_first("ID number"), "ID number");
        assert_eq!(lower_first(""), "");
    }

    #[test]
    fn a_remembered_selection_is_kept_only_for_a_target_the_models_have() {
        let catalog = parse_models(MODEL_JSON).unwrap();
        let kept = Remembered {
            target: "writing_score".into(),
            unaware: true,
        };
        assert_eq!(
            Remembered::restore(Some(kept.clone()), Some(&catalog)),
            kept
        );
        let gone = Remembered {
            target: "art_score".into(),
            unaware: true,
        };
        assert_eq!(
            Remembered::restore(Some(gone), Some(&catalog)),
            Remembered {
                target: "math_score".into(),
                unaware: true
            }
        );
        assert_eq!(
            Remembered::restore(None, Some(&catalog)),
            Remembered {
                target: "math_score".into(),
                unaware: false
            }
        );
    }

    #[test]
    fn a_broken_model_document_is_an_error_naming_the_problem() {
        let error = parse_models("{ nope").unwrap_err();
        assert!(error.contains("not valid JSON"), "{error}");
        let wrong = MODEL_JSON.replacen("{\"major\":1,", "{\"major\":9,", 1);
        assert_ne!(wrong, MODEL_JSON, "the fixture names its major version");
        let error = parse_models(&wrong).unwrap_err();
        assert!(error.contains("version 9."), "{error}");
    }
}
