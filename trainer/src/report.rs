//! `report.json`: how every family did, which one won and how to reproduce the figures.

use serde::Serialize;

use crate::families::Params;

#[derive(Debug, Serialize)]
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
    pub interval: model::Interval,
    pub families: Vec<FamilyReport>,
}

#[derive(Debug, Serialize)]
pub struct DataInfo {
    pub rows: usize,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct SplitInfo {
    pub seed: u64,
    pub test_fraction: f64,
    pub n_train: usize,
    pub n_test: usize,
    /// 0-based data-row numbers (line − 2) of the held-out test split, ascending.
    pub test_rows: Vec<usize>,
}

#[derive(Debug, Serialize)]
pub struct CvInfo {
    pub folds: usize,
    pub seed: u64,
    pub metric: &'static str,
}

#[derive(Debug, Serialize)]
pub struct FamilyReport {
    pub family: String,
    pub best_params: Params,
    pub cv_r2_mean: f64,
    pub cv_r2_std: f64,
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
    pub grid: Vec<GridPoint>,
}

/// The fields of a report that are measured times, not results: everything else is the same
/// for the same seed and data.
pub const TIMING_FIELDS: [&str; 2] = ["fit_seconds", "search_seconds"];

/// A report.json with its measured timings removed, for comparing two runs.
pub fn without_timings(report_json: &str) -> anyhow::Result<serde_json::Value> {
    let mut value: serde_json::Value = serde_json::from_str(report_json)?;
    if let Some(families) = value.get_mut("families").and_then(|f| f.as_array_mut()) {
        for family in families {
            if let Some(obj) = family.as_object_mut() {
                for field in TIMING_FIELDS {
                    obj.remove(field);
                }
            }
        }
    }
    Ok(value)
}

#[derive(Debug, Serialize)]
pub struct GridPoint {
    pub params: Params,
    pub cv_r2_mean: f64,
    pub cv_r2_std: f64,
}
