//! What the app knows and what the visitor chose, provided once through context.
//!
//! - [`Catalog`]: the embedded model set, read once at start-up by the model crate's reader
//!   (the same validation the trainer runs before writing it), or why it is unusable.
//! - [`Selection`]: the score to predict and whether gender and race/ethnicity are left out.
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

/// Every model of the set the app offers.
#[derive(Debug)]
pub struct Catalog {
    default_target: String,
    targets: Vec<String>,
    /// (target, trained without the sensitive fields, model)
    models: Vec<(String, bool, Arc<Predictor>)>,
    /// The label of every column a model names, as a feature or as its target.
    labels: BTreeMap<String, String>,
}

impl Catalog {
    /// The models of a set: the full model of each target and, where the trainer made one, the
    /// variant without exactly the full model's sensitive features. Other variants are not
    /// offered.
    pub fn new(set: &Predictors) -> Self {
        let targets: Vec<String> = set.targets().into_iter().map(str::to_owned).collect();
        let models: Vec<(String, bool, Arc<Predictor>)> = targets
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
                    .filter_map(|(u, p)| Some((t.clone(), u, Arc::new(p?))))
            })
            .collect();
        let mut labels = BTreeMap::new();
        for (_, _, p) in &models {
            for f in p.features() {
                labels
                    .entry(f.name().to_owned())
                    .or_insert_with(|| f.label().to_owned());
            }
        }
        for (t, _, p) in &models {
            labels
                .entry(t.clone())
                .or_insert_with(|| p.target_label().to_owned());
        }
        Self {
            default_target: set.default_target().to_owned(),
            targets,
            models,
            labels,
        }
    }

    /// The label people read for the column `name`, from the models' features and targets
    /// ("Reading score"); the name itself for a column no model names.
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
            .find(|(t, u, _)| t == target && *u == unaware)
            .map(|(_, _, p)| p)
    }

    /// The model for the selection, or why this build has none (for an error card).
    pub fn predictor(&self, target: &str, unaware: bool) -> Loaded<Predictor> {
        self.get(target, unaware).cloned().ok_or_else(|| {
            if unaware {
                format!(
                    "this build has no {} model trained without gender and race/ethnicity",
                    self.label(target).to_ascii_lowercase()
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
        self.models.iter().map(|(_, _, p)| p.as_ref())
    }

    /// The text every field of every model starts with: the model's own imputation value (the
    /// most frequent training category, the training median), so a prediction shows at once.
    /// The first model naming a field decides.
    pub fn initial_values(&self) -> BTreeMap<String, String> {
        let mut values = BTreeMap::new();
        for predictor in self.all() {
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

/// The visitor's choice: which score to predict, and whether to leave out gender and
/// race/ethnicity.
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

/// The form's text per field name, one signal per field of every model.
#[derive(Debug, Clone, Copy)]
pub struct FormValues(StoredValue<BTreeMap<String, RwSignal<String>>>);

impl FormValues {
    fn new(catalog: Option<&Catalog>) -> Self {
        let values = catalog
            .map(Catalog::initial_values)
            .unwrap_or_default()
            .into_iter()
            .map(|(name, text)| (name, RwSignal::new(text)))
            .collect();
        Self(StoredValue::new(values))
    }

    /// The signal holding `name`'s text. Every feature of every model has one; an unknown
    /// name gets a new, empty one (which the model then reports as missing).
    pub fn field(&self, name: &str) -> RwSignal<String> {
        if let Some(signal) = self.0.with_value(|v| v.get(name).copied()) {
            return signal;
        }
        let signal = RwSignal::new(String::new());
        self.0.update_value(|v| {
            v.insert(name.to_owned(), signal);
        });
        signal
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
        form: FormValues::new(models.as_ref().ok().map(Arc::as_ref)),
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

/// The label of the column `name` ("Reading score"), from the models of the state provided
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
    fn every_model_predicts_a_finite_score_from_the_starting_values() {
        let catalog = parse_models(MODEL_JSON).unwrap();
        let values = catalog.initial_values();
        for predictor in catalog.all() {
            let student: model::Student = predictor
                .features()
                .iter()
                .map(|f| (f.name().to_owned(), values[f.name()].clone()))
                .collect();
            let score = predictor
                .predict_with(&student, model::Missing::Reject)
                .expect("the starting values are valid");
            assert!(score.is_finite(), "{}", predictor.bundle().target);
        }
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
