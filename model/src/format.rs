//! The model format: one versioned JSON document holding the features, the preprocessing and the
//! fitted model. `FORMAT.md` beside this crate describes it for readers of the JSON; the types
//! here are the single source of truth and `schema/model.schema.json` is generated from them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The value of the `format` header field.
pub const FORMAT_NAME: &str = "student-score-model";

/// The version this code writes. Readers accept any minor of the same major.
pub const FORMAT_VERSION: FormatVersion = FormatVersion { major: 1, minor: 5 };

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FormatVersion {
    pub major: u32,
    pub minor: u32,
}

/// A complete, self-contained model: everything needed to go from a student's raw fields to a
/// predicted score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ModelBundle {
    /// Always `"student-score-model"`.
    pub format: String,
    pub format_version: FormatVersion,
    /// The predicted column, e.g. `"math_score"`.
    pub target: String,
    /// The raw input fields, in the order the preprocessor encodes them.
    pub features: Vec<Feature>,
    pub preprocessor: Preprocessor,
    pub model: Model,
    pub metrics: Metrics,
    /// A prediction interval (since 1.2; absent in older documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// Dataset columns this model was trained without on purpose (since 1.3), e.g.
    /// `["gender", "race_ethnicity"]` for the variant that must not use them. None of them is
    /// among `features`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<String>,
    /// How people read the target (since 1.4): its label, unit and range. Predictions and
    /// intervals are limited to `[min, max]`; a document without it (before 1.4) is not limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_info: Option<TargetInfo>,
}

/// The predicted column as people read it (since 1.4).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TargetInfo {
    /// The column's title, e.g. `"Final grade"`; the name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// One sentence on what the column is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The unit, e.g. `"points"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The smallest and largest value the target can take; predictions are limited to them.
    pub min: f64,
    pub max: f64,
    /// The step between values people write (1 for whole grades).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
}

/// How people read a feature (since 1.4): every field optional, so a document before 1.4 reads
/// with none of them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FieldInfo {
    /// The column's title, e.g. `"Mother's education"`; the name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// One sentence on what the column is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The unit of a number, e.g. `"days"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The step between values people write (1 for a count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    /// The form section the field belongs to, e.g. `"Family"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Numeric features only: the meaning of coded values (`0` "none" … `4` "higher
    /// education"); the model still reads the number. Each value lies in `[min, max]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
    /// Categorical features only: a label per category, in `categories` order (empty: the
    /// categories are their own labels).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category_labels: Vec<String>,
    /// Other header wordings that name this column in a CSV file (beyond its name and label).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Whether a what-if may change it; every other field stays as entered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub actionable: bool,
    /// Whether it is a sensitive attribute (the fairness variant leaves such features out).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// Whether an audit groups by it beside the sensitive features (since 1.5), e.g. a column
    /// that stands for family income; it stays a feature.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub audited: bool,
}

/// The meaning of one coded value of a numeric feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Level {
    pub value: f64,
    pub label: String,
}

/// A symmetric prediction interval `prediction ± half_width`, from split-conformal calibration
/// on the trainer's out-of-fold residuals: `half_width` is the `⌈(n + 1) · level⌉`-th smallest
/// of the `n` absolute out-of-fold residuals of the served configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Interval {
    /// The intended coverage, e.g. 0.9.
    pub level: f64,
    pub half_width: f64,
    /// How many out-of-fold residuals calibrated it.
    pub n_calibration: u32,
    /// The share of held-out test students whose score fell inside their interval.
    pub test_coverage: f64,
}

/// One raw input field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Feature {
    /// A field with a closed set of values (`"female"`, `"male"`).
    Categorical {
        name: String,
        /// Every value the model knows, in one-hot column order.
        categories: Vec<String>,
        /// How people read it (since 1.4).
        #[serde(flatten)]
        info: FieldInfo,
    },
    /// A number in `[min, max]` (test scores: 0 to 100).
    Numeric {
        name: String,
        min: f64,
        max: f64,
        /// How people read it (since 1.4).
        #[serde(flatten)]
        info: FieldInfo,
    },
}

impl Feature {
    /// A categorical feature with no reading information.
    pub fn categorical(name: impl Into<String>, categories: Vec<String>) -> Self {
        Feature::Categorical {
            name: name.into(),
            categories,
            info: FieldInfo::default(),
        }
    }

    /// A numeric feature with no reading information.
    pub fn numeric(name: impl Into<String>, min: f64, max: f64) -> Self {
        Feature::Numeric {
            name: name.into(),
            min,
            max,
            info: FieldInfo::default(),
        }
    }

    /// The same feature with `info`.
    pub fn with_info(mut self, info: FieldInfo) -> Self {
        match &mut self {
            Feature::Categorical { info: i, .. } | Feature::Numeric { info: i, .. } => *i = info,
        }
        self
    }

    pub fn name(&self) -> &str {
        match self {
            Feature::Categorical { name, .. } | Feature::Numeric { name, .. } => name,
        }
    }

    pub fn info(&self) -> &FieldInfo {
        match self {
            Feature::Categorical { info, .. } | Feature::Numeric { info, .. } => info,
        }
    }

    /// The label people read: the info's label, else the name.
    pub fn label(&self) -> &str {
        self.info().label.as_deref().unwrap_or(self.name())
    }

    /// How many encoded columns this feature becomes.
    pub fn width(&self) -> usize {
        match self {
            Feature::Categorical { categories, .. } => categories.len(),
            Feature::Numeric { .. } => 1,
        }
    }
}

/// How raw fields become the model's input vector. `steps[i]` transforms `features[i]`; the
/// encoded vector is the concatenation of every step's output, in feature order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Preprocessor {
    pub steps: Vec<Step>,
}

/// The transform of one feature, fitted on the training split only.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// Missing → `impute` (the training median); then `(x - mean) / scale`.
    Standardize { impute: f64, mean: f64, scale: f64 },
    /// Missing → `impute` (the most frequent training category); then one column per known
    /// category: 1.0 for the student's category, 0.0 for the others.
    OneHot { impute: String },
}

/// The fitted model, applied to the encoded vector `x`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Model {
    /// `intercept + Σ coefficients[j] * x[j]`.
    Linear {
        intercept: f64,
        coefficients: Vec<f64>,
    },
    /// Trees combined by `aggregation`.
    TreeEnsemble {
        trees: Vec<Tree>,
        aggregation: Aggregation,
    },
    /// Oblivious (symmetric) trees, as CatBoost grows them, combined by `aggregation`
    /// (since 1.1).
    ObliviousEnsemble {
        trees: Vec<ObliviousTree>,
        aggregation: Aggregation,
    },
    /// k-nearest neighbours by Euclidean distance over the encoded vectors (since 1.1).
    Knn {
        k: u32,
        weighting: KnnWeighting,
        /// The encoded training rows, each of the model's width.
        points: Vec<Vec<f64>>,
        /// The target of each point.
        targets: Vec<f64>,
    },
}

/// A tree whose every level tests one feature against one threshold for all its nodes. Level
/// `d` sets bit `d` of the leaf index when `x[features[d]] > thresholds[d]`; the output is
/// `values[leaf]`, with `values.len() == 2^depth`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ObliviousTree {
    pub features: Vec<i32>,
    pub thresholds: Vec<f64>,
    pub values: Vec<f64>,
}

/// How the k nearest targets are averaged. Neighbours are the `k` smallest distances, ties
/// broken by the lower point index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum KnnWeighting {
    /// The plain mean.
    Uniform,
    /// Weights `1 / distance`; when some neighbours are at distance 0, the mean of those alone.
    Distance,
}

/// A binary regression tree as parallel arrays; node 0 is the root. `left[i] == -1` marks a leaf
/// (then `right[i] == -1` too). At an inner node, `x[feature[i]] <= threshold[i]` goes to
/// `left[i]`, otherwise to `right[i]`. Children always have a larger index than their parent.
/// `value[i]` is the node's output (for inner nodes: the mean target of the training rows that
/// reached it, used by explanations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Tree {
    pub feature: Vec<i32>,
    pub threshold: Vec<f64>,
    pub left: Vec<i32>,
    pub right: Vec<i32>,
    pub value: Vec<f64>,
}

/// How the outputs of an ensemble's trees become one prediction.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Aggregation {
    /// The mean of the tree outputs (a single tree, a random forest).
    Mean,
    /// `base + scale * Σ tree outputs` (gradient boosting).
    Sum { base: f64, scale: f64 },
    /// The weighted median of the tree outputs, one weight per tree (AdaBoost.R2).
    WeightedMedian { weights: Vec<f64> },
}

/// How the served model was chosen and how well it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Metrics {
    /// The model family, e.g. `"linear_regression"`.
    pub family: String,
    /// The chosen hyper-parameters.
    pub params: BTreeMap<String, serde_json::Value>,
    /// Number of cross-validation folds on the training split.
    pub cv_folds: u32,
    pub cv_r2_mean: f64,
    pub cv_r2_std: f64,
    /// Scores on the held-out test split (reported, never used to choose).
    pub test_r2: f64,
    pub test_mae: f64,
    pub test_rmse: f64,
    pub n_train: u32,
    pub n_test: u32,
}

#[cfg(test)]
mod tests {
    use crate::Predictor;

    const V1_4: &str = include_str!("../tests/fixtures/linear.v1_4.json");

    fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut doc: serde_json::Value = serde_json::from_str(V1_4).unwrap();
        edit(&mut doc);
        doc.to_string()
    }

    #[test]
    fn a_1_4_document_reads_with_nothing_audited_and_1_5_marks_audited_categories() {
        let old = Predictor::from_json(V1_4).unwrap();
        assert!(old.features().iter().all(|f| !f.info().audited));
        let new = Predictor::from_json(&edited(|d| {
            d["format_version"]["minor"] = 5.into();
            d["features"][0]["audited"] = true.into();
        }))
        .unwrap();
        assert!(new.features()[0].info().audited);
        assert!(!new.features()[1].info().audited);
        // Written back only where true, so a 1.4 reader sees nothing new elsewhere.
        let json = serde_json::to_string(new.bundle()).unwrap();
        assert_eq!(json.matches("\"audited\":true").count(), 1, "{json}");
        assert!(!json.contains("\"audited\":false"), "{json}");
    }

    #[test]
    fn an_audited_number_is_refused_with_its_path() {
        let error = Predictor::from_json(&edited(|d| d["features"][1]["audited"] = true.into()))
            .unwrap_err();
        let text = format!("{error:?}");
        assert!(text.contains("features[1].audited"), "{text}");
        assert!(text.contains("categorical"), "{text}");
    }
}
