//! What the app loaded and what the visitor chose.
//!
//! [`AppState`] holds the parsed model set and report set (or why either is unusable), the
//! visitor's [`Selection`] — the score to predict and whether gender and race/ethnicity are
//! left out — and the form's [`FormValues`]. Every page reads the selected model and report
//! through it, so switching the target or the switch re-renders whichever page is open.
//! The selection outlives a reload (local storage); the form's values outlive a change of page
//! or target, so a visitor never types a student twice.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use model::fields::{self, SENSITIVE_FIELDS};
use model::report::{Report, ReportSet};
use model::{Feature, Predictor, Predictors, Step};

/// Something the app loaded at start, or the reason it could not.
pub type Loaded<T> = Result<Arc<T>, String>;

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

    /// Whether `target` has a model without the sensitive fields.
    pub fn has_unaware(&self, target: &str) -> bool {
        self.get(target, true).is_some()
    }

    fn all(&self) -> impl Iterator<Item = &Predictor> {
        self.models.iter().map(|(_, _, p)| p.as_ref())
    }
}

/// Reads the model document (a set of bundles, one per target and variant).
pub fn parse_models(json: &str) -> Result<Catalog, String> {
    let set = Predictors::from_json(json).map_err(|e| e.to_string())?;
    Ok(Catalog::new(&set))
}

/// Reads a report document (a report per target).
pub fn parse_reports(json: &str) -> Result<ReportSet, String> {
    let set: ReportSet = serde_json::from_str(json)
        .map_err(|e| format!("the report is not valid JSON for this app: {e}"))?;
    if set.get(&set.default_target).is_none() {
        return Err(format!("the report has no {} section", set.default_target));
    }
    Ok(set)
}

/// The visitor's choice: which score to predict, and whether to leave out gender and
/// race/ethnicity. Copyable signals, so any component can read or change it.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub target: RwSignal<String>,
    pub unaware: RwSignal<bool>,
}

/// The form's text per field name, shared by every target's form: a score typed for one
/// target is still there after switching to another.
#[derive(Debug, Clone, Copy)]
pub struct FormValues(StoredValue<BTreeMap<String, RwSignal<String>>>);

impl FormValues {
    /// One signal per field of every model, starting at the model's own imputation value (the
    /// most frequent training category, the training median), so a prediction shows at once.
    fn new(catalog: Option<&Catalog>) -> Self {
        let mut values = BTreeMap::new();
        for predictor in catalog.into_iter().flat_map(Catalog::all) {
            let steps = &predictor.bundle().preprocessor.steps;
            for (i, feature) in predictor.features().iter().enumerate() {
                values
                    .entry(feature.name().to_owned())
                    .or_insert_with(|| RwSignal::new(initial_value(feature, steps.get(i))));
            }
        }
        Self(StoredValue::new(values))
    }

    /// The signal holding `name`'s text. Every feature of every model has one; an unknown
    /// name gets a new, empty one (which the model then reports as missing).
    pub fn get(&self, name: &str) -> RwSignal<String> {
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

/// Everything the pages share.
#[derive(Clone)]
pub struct AppState {
    pub models: Loaded<Catalog>,
    /// One report per target, each shared, not copied, by the pages that show it.
    pub reports: Result<Arc<[Arc<Report>]>, String>,
    pub selection: Selection,
    pub form: FormValues,
}

impl AppState {
    /// The state for these documents, the selection restored from the last visit when it
    /// still names a target of this model set.
    pub fn new(models: Result<Catalog, String>, reports: Result<ReportSet, String>) -> Self {
        let models = models.map(Arc::new);
        let form = FormValues::new(models.as_ref().ok().map(Arc::as_ref));
        let default_target = match (&models, &reports) {
            (Ok(m), _) => m.default_target().to_owned(),
            (Err(_), Ok(r)) => r.default_target.clone(),
            (Err(_), Err(_)) => String::new(),
        };
        let reports = reports.map(|set| set.reports.into_iter().map(Arc::new).collect());
        let target = stored(TARGET_KEY)
            .filter(|t| match &models {
                Ok(m) => m.targets().contains(t),
                Err(_) => false,
            })
            .unwrap_or(default_target);
        let unaware = stored(UNAWARE_KEY).as_deref() == Some("true");
        Self {
            models,
            reports,
            selection: Selection {
                target: RwSignal::new(target),
                unaware: RwSignal::new(unaware),
            },
            form,
        }
    }

    /// The model for the selection (tracked: a reactive reader re-runs when it changes).
    pub fn predictor(&self) -> Loaded<Predictor> {
        let models = self.models.as_ref().map_err(Clone::clone)?;
        let target = self.selection.target.get();
        let unaware = self.selection.unaware.get();
        models.get(&target, unaware).cloned().ok_or_else(|| {
            if unaware {
                format!(
                    "this build has no {} model trained without gender and race/ethnicity",
                    fields::label(&target).to_ascii_lowercase()
                )
            } else {
                format!("this build has no model for {target}")
            }
        })
    }

    /// The report for the selected target (tracked).
    pub fn report(&self) -> Loaded<Report> {
        let reports = self.reports.as_ref().map_err(Clone::clone)?;
        let target = self.selection.target.get();
        reports
            .iter()
            .find(|r| r.target == target)
            .cloned()
            .ok_or_else(|| format!("the report has no {target} section"))
    }

    /// Remembers the selection for the next visit (best effort: storage may be off).
    pub fn remember(&self) {
        let selection = self.selection;
        Effect::new(move |_| {
            let target = selection.target.get();
            let unaware = selection.unaware.get();
            store(TARGET_KEY, &target);
            store(UNAWARE_KEY, if unaware { "true" } else { "false" });
        });
    }
}

fn local_storage() -> Option<leptos::web_sys::Storage> {
    leptos::web_sys::window()?.local_storage().ok().flatten()
}

fn stored(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

fn store(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// Makes `state` available to every component below this one.
pub fn provide_state(state: AppState) {
    provide_context(state);
}

/// The state provided by an ancestor with [`provide_state`].
///
/// # Panics
/// When no ancestor provided one: a programming error, not something user input can cause.
pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MODEL_JSON, REPORT_JSON};

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
    }

    #[test]
    fn every_model_predicts_a_finite_score_from_the_starting_values() {
        let catalog = parse_models(MODEL_JSON).unwrap();
        for predictor in catalog.all() {
            let steps = &predictor.bundle().preprocessor.steps;
            let student: model::Student = predictor
                .features()
                .iter()
                .enumerate()
                .map(|(i, f)| (f.name().to_owned(), initial_value(f, steps.get(i))))
                .collect();
            let score = predictor
                .predict_with(&student, model::Missing::Reject)
                .expect("the starting values are valid");
            assert!(score.is_finite(), "{}", predictor.bundle().target);
        }
    }

    #[test]
    fn reports_need_their_default_target() {
        let set = parse_reports(REPORT_JSON).unwrap();
        assert_eq!(set.reports.len(), 3);
        let error =
            parse_reports(r#"{"report_version":2,"default_target":"x","reports":[]}"#).unwrap_err();
        assert!(error.contains("no x section"), "{error}");
        let error = parse_reports("{ nope").unwrap_err();
        assert!(error.starts_with("the report is not valid JSON"), "{error}");
    }
}
