//! `report.json`: how every family did, which one won, how to reproduce the figures, and
//! aggregate insights about the training data (never raw rows). The trainer writes it; the
//! app's Models and Insights pages read it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::format::Interval;

/// Hyper-parameters by name.
pub type Params = BTreeMap<String, serde_json::Value>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub report_version: u32,
    pub target: String,
    pub data: DataInfo,
    pub split: SplitInfo,
    pub cv: CvInfo,
    /// The family with the best mean CV R² (chosen on cross-validation only).
    pub winner: String,
    /// The family exported to model.json (the winner unless `--family` forced another).
    pub served: String,
    /// The served model's prediction interval and its measured test coverage.
    pub interval: Interval,
    pub families: Vec<FamilyReport>,
    #[serde(default)]
    pub insights: Insights,
    /// Per-group test errors of the full model and of the variant without the sensitive
    /// columns (empty when the trainer was not asked for the audit).
    #[serde(default)]
    pub fairness: Vec<FairnessAudit>,
    /// Families of the grid that could not be fitted on this data (too few rows for their
    /// grid or folds, say) and were left out of the search, each with the reason. Absent when
    /// every family was fitted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
}

/// A family left out of the search, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    pub family: String,
    /// The first failure, e.g. `fold 0: Number of rows in X should be >= number of columns in X`.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataInfo {
    pub rows: usize,
    pub sha256: String,
    /// The dataset file's `name` (absent when it has none, and in older reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitInfo {
    pub seed: u64,
    pub test_fraction: f64,
    pub n_train: usize,
    pub n_test: usize,
    /// 0-based data-row numbers (line − 2) of the held-out test split, ascending.
    pub test_rows: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvInfo {
    pub folds: usize,
    pub seed: u64,
    /// What chose each family's best grid point and the winner: `"r2"` (highest mean),
    /// `"rmse"` or `"mae"` (lowest mean).
    pub metric: String,
    /// Runs of `folds` folds (repeated k-fold, scikit-learn's `RepeatedKFold`); every mean and
    /// standard deviation is over all folds of all runs (1 in older reports).
    #[serde(default = "one")]
    pub repeats: usize,
}

fn one() -> usize {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyReport {
    pub family: String,
    pub best_params: Params,
    pub cv_r2_mean: f64,
    pub cv_r2_std: f64,
    /// The best grid point's cross-validated RMSE and MAE, mean and population standard
    /// deviation over all folds (0 in older reports).
    #[serde(default)]
    pub cv_rmse_mean: f64,
    #[serde(default)]
    pub cv_rmse_std: f64,
    #[serde(default)]
    pub cv_mae_mean: f64,
    #[serde(default)]
    pub cv_mae_std: f64,
    /// The best grid point refitted on the whole training split, scored on the test split.
    pub test_r2: f64,
    pub test_mae: f64,
    pub test_rmse: f64,
    /// Wall seconds of the final refit on the whole training split (measured: varies by run).
    pub fit_seconds: f64,
    /// Seconds of all the search's fits, summed over both cores (measured: varies by run).
    pub search_seconds: f64,
    /// Model fits the search made; grid points that differ only in their number of stages
    /// share one fit per fold.
    pub search_fits: usize,
    /// The scored grid points.
    pub grid: Vec<GridPoint>,
    /// Grid points left out because they do not suit the data (k-NN's `k` above the rows a
    /// fold fits on, say) or could not be scored, each with the reason (absent when none was).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridPoint {
    pub params: Params,
    pub cv_r2_mean: f64,
    pub cv_r2_std: f64,
    /// Cross-validated RMSE and MAE, as [`FamilyReport::cv_rmse_mean`] (0 in older reports).
    #[serde(default)]
    pub cv_rmse_mean: f64,
    #[serde(default)]
    pub cv_rmse_std: f64,
    #[serde(default)]
    pub cv_mae_mean: f64,
    #[serde(default)]
    pub cv_mae_std: f64,
}

/// A grid point left out of a family's search, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedPoint {
    pub params: Params,
    pub reason: String,
}

/// Aggregates over the training split, for charts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    /// Which rows the aggregates cover, e.g. "training split (800 students)".
    pub rows: String,
    /// One histogram per score column (all three scores).
    pub histograms: Vec<Histogram>,
    /// Mean target by category, one entry per categorical feature.
    pub by_category: Vec<CategoryMeans>,
    /// How each other score relates to the target.
    pub relations: Vec<ScoreRelation>,
    /// Mean absolute contribution of each feature to the served model's test-split
    /// predictions (the explanation method of the app's "Why this score"), largest first.
    pub importance: Vec<Importance>,
}

/// Counts of a score in equal-width bins from `edges[i]` to `edges[i + 1]` (the last bin
/// includes its upper edge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub column: String,
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
    pub mean: f64,
    pub std: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryMeans {
    pub feature: String,
    pub groups: Vec<GroupMean>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupMean {
    pub category: String,
    pub n: usize,
    pub mean: f64,
}

/// Pearson correlation of a score with the target, and the target's mean per score bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRelation {
    pub column: String,
    pub correlation: f64,
    pub edges: Vec<f64>,
    /// Mean target per bin (`None` for an empty bin).
    pub target_means: Vec<Option<f64>>,
    pub counts: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Importance {
    pub feature: String,
    pub mean_abs_contribution: f64,
}

/// The fields of a report that are measured times, not results: everything else is the same
/// for the same seed and data.
pub const TIMING_FIELDS: [&str; 2] = ["fit_seconds", "search_seconds"];

/// A report.json (a [`ReportSet`]) with its measured timings removed, for comparing runs.
pub fn without_timings(report_json: &str) -> Result<serde_json::Value, serde_json::Error> {
    let mut value: serde_json::Value = serde_json::from_str(report_json)?;
    let reports = value.get_mut("reports").and_then(|r| r.as_array_mut());
    for report in reports.into_iter().flatten() {
        let families = report.get_mut("families").and_then(|f| f.as_array_mut());
        for family in families.into_iter().flatten() {
            if let Some(obj) = family.as_object_mut() {
                for field in TIMING_FIELDS {
                    obj.remove(field);
                }
            }
        }
    }
    Ok(value)
}

/// `report.json`: one report per target, the default target's first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSet {
    pub report_version: u32,
    pub default_target: String,
    pub reports: Vec<Report>,
}

impl ReportSet {
    pub fn get(&self, target: &str) -> Option<&Report> {
        self.reports.iter().find(|r| r.target == target)
    }
}

/// How one served model errs for each group of the sensitive columns, on the test split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FairnessAudit {
    /// `"full"`, or the variant trained without some columns.
    pub variant: String,
    /// The columns this variant was trained without.
    pub excluded: Vec<String>,
    /// The served family of this variant and its scores.
    pub family: String,
    pub cv_r2_mean: f64,
    pub test_r2: f64,
    pub test_mae: f64,
    pub test_rmse: f64,
    /// Test R² lost against the full model (0 for the full model itself).
    pub r2_cost: f64,
    pub groups: Vec<GroupErrors>,
    /// This variant's feature importance on the test split, measured as
    /// [`Insights::importance`] is for the full model, largest first: what the app shows as
    /// "what the served model relies on" when this variant predicts (absent in reports older
    /// than it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub importance: Vec<Importance>,
    /// Families this variant's search skipped, with the reason (absent when none was).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
    /// This variant's served prediction interval (the one in model.json), whose coverage
    /// [`GroupErrors::coverage`] measures per group (absent in reports older than it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// How [`GroupErrors::mae_ci`] was computed (absent in reports older than it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<Bootstrap>,
    /// A group-conditional (Mondrian) split-conformal interval by one grouping, calibrated on
    /// the same out-of-fold residuals as [`FairnessAudit::interval`], with its per-group test
    /// coverage next to the global interval's. Reported only: model.json serves the global
    /// interval (absent in reports older than it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mondrian: Option<MondrianInterval>,
}

/// Test-split errors of one group: `mean_signed_error` is mean(prediction − actual), so a
/// positive value means the group is over-predicted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupErrors {
    pub feature: String,
    pub category: String,
    /// The group's test students.
    pub n: usize,
    pub mae: f64,
    pub mean_signed_error: f64,
    /// The share of the group's test students whose actual score lies within the served
    /// interval ([`FairnessAudit::interval`]) exactly as the app shows it: prediction ±
    /// half-width, the prediction and both bounds limited to 0–100, a bound counting as
    /// inside. Over all groups of one feature it recombines (weighted by `n`) to the
    /// interval's `test_coverage`. Absent in reports older than it and for a model without an
    /// interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<f64>,
    /// `[low, high]`: the bootstrap percentile interval of `mae` described by
    /// [`FairnessAudit::bootstrap`] (95 %: the group's test rows resampled with replacement).
    /// Absent in reports older than it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mae_ci: Option<[f64; 2]>,
}

/// A seeded bootstrap of a per-group statistic: `resamples` times, draw the group's `n` test
/// rows with replacement, each row index `MT19937(seed).interval(n − 1)` (numpy's
/// `RandomState(seed)` generator and its masked rejection sampling; one fresh generator per
/// group, so each group's interval is reproducible on its own), and compute the statistic
/// on the resample. The interval is the `(1 − level) / 2` and `(1 + level) / 2` percentiles of
/// the `resamples` values, each the linear interpolation at position `q · (resamples − 1)` of
/// the sorted values (numpy's default `percentile` method).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bootstrap {
    /// `"percentile"`.
    pub method: String,
    /// How many resamples per group, e.g. 2000.
    pub resamples: u32,
    /// The interval's nominal level, e.g. 0.95.
    pub level: f64,
    /// The seed of every group's generator (the training run's seed).
    pub seed: u64,
}

/// A split-conformal interval with one half-width per category of `feature`: each category's
/// half-width is the `⌈(n + 1) · level⌉`-th smallest of the `n` absolute out-of-fold residuals
/// of that category's training students (the largest when that rank exceeds `n`), the global
/// interval's rule applied to the category alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MondrianInterval {
    /// The grouping, `"lunch"`: the one audited grouping that is not a protected attribute.
    pub feature: String,
    /// The intended coverage, the global interval's, e.g. 0.9.
    pub level: f64,
    /// The global interval's half-width, for comparison.
    pub global_half_width: f64,
    /// One entry per category with calibration residuals and test students, in category order.
    pub groups: Vec<MondrianGroup>,
}

/// One category of a [`MondrianInterval`], its coverage measured on the test split as
/// [`GroupErrors::coverage`] is (the prediction and both bounds limited to 0–100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MondrianGroup {
    pub category: String,
    /// This category's own half-width.
    pub half_width: f64,
    /// How many out-of-fold residuals (training students of this category) calibrated it.
    pub n_calibration: usize,
    /// The category's test students.
    pub n_test: usize,
    /// The share of them within prediction ± `half_width` (the global interval's share for the
    /// same students is the category's [`GroupErrors::coverage`]).
    pub test_coverage: f64,
}
