//! The models the app offers and the visitor's remembered choice among them, without any UI
//! framework: both the shell (plain DOM) and the pages module (Leptos) read them.

use std::collections::BTreeMap;
use std::sync::Arc;

use model::fields::{self, SENSITIVE_FIELDS};
use model::{Feature, Predictor, Predictors, Step};

/// Where the selection is remembered between visits (local storage keys).
const TARGET_KEY: &str = "student-predictor.target";
const UNAWARE_KEY: &str = "student-predictor.without-sensitive";

/// Every model of the set, ready to share between pages.
#[derive(Debug)]
pub struct Catalog {
    default_target: String,
    targets: Vec<String>,
    /// (target, trained without the sensitive fields, model)
    models: Vec<(String, bool, Arc<Predictor>)>,
}

impl Catalog {
    /// The models of a set: the full model of each target and, where the trainer made one,
    /// the variant without exactly [`SENSITIVE_FIELDS`] (found by [`Predictors::get`]). Other
    /// variants are not offered.
    pub fn new(set: &Predictors) -> Self {
        let targets: Vec<String> = set.targets().into_iter().map(str::to_owned).collect();
        let models = targets
            .iter()
            .flat_map(|t| {
                let full = set.full(t).map(|p| (t.clone(), false, Arc::new(p.clone())));
                let unaware = set
                    .get(t, &SENSITIVE_FIELDS)
                    .map(|p| (t.clone(), true, Arc::new(p.clone())));
                [full, unaware].into_iter().flatten()
            })
            .collect();
        Self {
            default_target: set.default_target().to_owned(),
            targets,
            models,
        }
    }

    pub fn default_target(&self) -> &str {
        &self.default_target
    }

    /// The targets with a model, the set's order.
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
    pub fn predictor(&self, target: &str, unaware: bool) -> Result<Arc<Predictor>, String> {
        self.get(target, unaware).cloned().ok_or_else(|| {
            if unaware {
                format!(
                    "this build has no {} model trained without gender and race/ethnicity",
                    fields::label(target).to_ascii_lowercase()
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

/// Reads the model document (a set of bundles, one per target and variant).
pub fn parse_models(json: &str) -> Result<Catalog, String> {
    let set = Predictors::from_json(json).map_err(|e| e.to_string())?;
    Ok(Catalog::new(&set))
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

/// The selection remembered from the last visit: the target, when this catalog still has it
/// (else `default`), and whether the switch was on.
pub fn remembered_selection(models: Option<&Catalog>, default: String) -> (String, bool) {
    let target = stored(TARGET_KEY)
        .filter(|t| models.is_some_and(|m| m.targets().contains(t)))
        .unwrap_or(default);
    (target, stored(UNAWARE_KEY).as_deref() == Some("true"))
}

/// Remembers the selection for the next visit (best effort: storage may be off).
pub fn remember_selection(target: &str, unaware: bool) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(TARGET_KEY, target);
        let _ = storage.set_item(UNAWARE_KEY, if unaware { "true" } else { "false" });
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
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
            for sensitive in SENSITIVE_FIELDS {
                assert!(!names.contains(&sensitive), "{target}: {names:?}");
            }
            assert!(!names.contains(&target.as_str()));
        }
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
}
