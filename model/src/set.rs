//! `model.json`: one document holding a bundle per target (and per variant), as the app embeds
//! it. Each bundle stays a complete, self-contained model in the bundle format; the set only
//! lists them.

use serde::{Deserialize, Serialize};

use crate::error::FormatError;
use crate::format::{FormatVersion, ModelBundle};
use crate::predict::Predictor;

/// The value of the set's `format` header field.
pub const SET_FORMAT_NAME: &str = "student-score-model-set";

/// The set version this code writes; readers accept any minor of the same major.
pub const SET_FORMAT_VERSION: FormatVersion = FormatVersion { major: 1, minor: 1 };

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ModelSet {
    /// Always `"student-score-model-set"`.
    pub format: String,
    pub format_version: FormatVersion,
    /// The target shown first, e.g. `"math_score"`.
    pub default_target: String,
    /// One bundle per (target, excluded columns); unique in that pair.
    pub bundles: Vec<ModelBundle>,
    /// The dataset the set was trained on, as its dataset file describes it (since 1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<DatasetCard>,
}

/// What a dataset is, for the model card (since 1.1): the dataset file's resource-level
/// properties.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DatasetCard {
    /// A short identifier, e.g. `"uci-student-por"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the data comes from (title and path or URL), as the file lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<crate::dataset::Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<crate::dataset::License>,
    /// What the data and the models trained on it are for, and not for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended_use: Option<String>,
    /// Why the roles are what they are (sensitive, actionable), when the file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles_rationale: Option<String>,
}

/// Every bundle of a set, validated and ready to predict.
#[derive(Debug, Clone)]
pub struct Predictors {
    default_target: String,
    predictors: Vec<Predictor>,
    dataset: Option<DatasetCard>,
}

impl Predictors {
    /// Parses and validates a set document (or a single bundle, as a set of one).
    pub fn from_json(json: &str) -> Result<Self, FormatError> {
        // Only the header first (every other field skipped), then the document straight into
        // its types: going through a `serde_json::Value` would double the parsing code in the
        // wasm.
        #[derive(Deserialize)]
        struct Header {
            format: Option<String>,
        }
        let header: Header = serde_json::from_str(json)?;
        if header.format.as_deref() != Some(SET_FORMAT_NAME) {
            let predictor = Predictor::from_json(json)?;
            return Ok(Self {
                default_target: predictor.bundle().target.clone(),
                predictors: vec![predictor],
                dataset: None,
            });
        }
        let set: ModelSet = serde_json::from_str(json)?;
        Self::new(set)
    }

    pub fn new(set: ModelSet) -> Result<Self, FormatError> {
        if set.format_version.major != SET_FORMAT_VERSION.major {
            return Err(FormatError::UnsupportedVersion {
                found_major: set.format_version.major,
                found_minor: set.format_version.minor,
                major: SET_FORMAT_VERSION.major,
            });
        }
        if set.bundles.is_empty() {
            return Err(FormatError::invalid("bundles", "is empty"));
        }
        let mut predictors = Vec::with_capacity(set.bundles.len());
        for (i, bundle) in set.bundles.into_iter().enumerate() {
            let predictor = Predictor::new(bundle).map_err(|e| match e {
                FormatError::Invalid { path, problem } => {
                    FormatError::invalid(format!("bundles[{i}].{path}"), problem)
                }
                other => other,
            })?;
            let b = predictor.bundle();
            if predictors.iter().any(|p: &Predictor| {
                p.bundle().target == b.target && p.bundle().excluded == b.excluded
            }) {
                return Err(FormatError::invalid(
                    format!("bundles[{i}]"),
                    format!("repeats target {:?} without {:?}", b.target, b.excluded),
                ));
            }
            predictors.push(predictor);
        }
        if !predictors
            .iter()
            .any(|p| p.bundle().target == set.default_target && p.bundle().excluded.is_empty())
        {
            return Err(FormatError::invalid(
                "default_target",
                format!("{:?} has no full model in the set", set.default_target),
            ));
        }
        Ok(Self {
            default_target: set.default_target,
            predictors,
            dataset: set.dataset,
        })
    }

    pub fn default_target(&self) -> &str {
        &self.default_target
    }

    /// The dataset card the set carries (set 1.1), if any.
    pub fn dataset(&self) -> Option<&DatasetCard> {
        self.dataset.as_ref()
    }

    /// The targets with a model, in set order, each once.
    pub fn targets(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for p in &self.predictors {
            if !out.contains(&p.bundle().target.as_str()) {
                out.push(&p.bundle().target);
            }
        }
        out
    }

    /// The model for `target` trained without exactly `excluded` (empty: the full model).
    pub fn get(&self, target: &str, excluded: &[&str]) -> Option<&Predictor> {
        self.predictors.iter().find(|p| {
            p.bundle().target == target
                && p.bundle().excluded.len() == excluded.len()
                && excluded
                    .iter()
                    .all(|e| p.bundle().excluded.iter().any(|x| x == e))
        })
    }

    /// The full model for `target`.
    pub fn full(&self, target: &str) -> Option<&Predictor> {
        self.get(target, &[])
    }

    pub fn iter(&self) -> impl Iterator<Item = &Predictor> {
        self.predictors.iter()
    }
}
