//! Seeded k-fold grid search on the training split. Every candidate sees the same folds; the
//! preprocessing is refitted inside each fold so no validation row informs its own encoding.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::Context;
use ndarray::{Array1, Array2};
use web_time::Instant;

use crate::data::Row;
use crate::families::{Family, Params};
use crate::metrics::{mean_std, Metric, Scores};
use crate::par::{self, Threads};
use crate::prep;
use crate::progress::{Cancelled, Progress, SearchEvent};
use model::report::SkippedPoint;

/// One grid point's cross-validated scores.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub params: Params,
    /// One score per fold of every run, in fold order.
    pub fold_r2: Vec<f64>,
    pub fold_rmse: Vec<f64>,
    pub fold_mae: Vec<f64>,
    pub cv_r2_mean: f64,
    pub cv_r2_std: f64,
    pub cv_rmse_mean: f64,
    pub cv_rmse_std: f64,
    pub cv_mae_mean: f64,
    pub cv_mae_std: f64,
    /// Out-of-fold predictions of the first run: for each training row (in training-split
    /// order), the prediction of the first run's fold model that did not see it. Calibrates
    /// the prediction interval (each row has exactly one per run; the first run's are the
    /// folds a single k-fold would use).
    pub oof: Vec<f64>,
}

impl Candidate {
    /// The mean over all folds of `metric`.
    pub fn cv_mean(&self, metric: Metric) -> f64 {
        match metric {
            Metric::R2 => self.cv_r2_mean,
            Metric::Rmse => self.cv_rmse_mean,
            Metric::Mae => self.cv_mae_mean,
        }
    }
}

/// A family's grid, scored; `best` indexes the best mean CV score by the search's metric (the
/// first on a tie).
#[derive(Debug, Clone)]
pub struct FamilySearch {
    pub family: &'static str,
    /// The scored grid points, in grid order.
    pub candidates: Vec<Candidate>,
    pub best: usize,
    /// Seconds spent fitting and predicting in the search, summed over all its fits (on both
    /// cores this is about twice the wall time it took).
    pub search_seconds: f64,
    /// How many model fits the search made (grouped grid points share one).
    pub fits: usize,
    /// Grid points that do not suit the data or could not be scored, in grid order, each with
    /// the reason.
    pub skipped: Vec<SkippedPoint>,
}

impl FamilySearch {
    pub fn best(&self) -> &Candidate {
        &self.candidates[self.best]
    }
}

/// A fold's encoded fit and validation data.
struct Fold {
    x_fit: Array2<f64>,
    y_fit: Array1<f64>,
    x_val: Array2<f64>,
    y_val: Vec<f64>,
}

fn encode_folds(
    train: &[&Row],
    features: &[model::Feature],
    target: &str,
    folds: &[(Vec<usize>, Vec<usize>)],
) -> anyhow::Result<Vec<Fold>> {
    folds
        .iter()
        .map(|(fit, val)| {
            let fit_rows: Vec<&Row> = fit.iter().map(|&i| train[i]).collect();
            let val_rows: Vec<&Row> = val.iter().map(|&i| train[i]).collect();
            let preprocessor = prep::fit_preprocessor(features, &fit_rows);
            let encoder = model::Encoder::new(features, &preprocessor)?;
            Ok(Fold {
                x_fit: prep::encode(&encoder, &fit_rows)?,
                y_fit: prep::target(&fit_rows, target),
                x_val: prep::encode(&encoder, &val_rows)?,
                y_val: prep::target(&val_rows, target).to_vec(),
            })
        })
        .collect()
}

/// One (family, group, fold) job: its key, each grid point's validation predictions and the
/// seconds it took.
type JobResult = ((usize, usize, usize), Vec<Vec<f64>>, f64);

/// A job's key and either its predictions and seconds, or why the fit failed.
type JobOutcome = ((usize, usize, usize), anyhow::Result<(Vec<Vec<f64>>, f64)>);

/// What to search: each family with its grid, and what picks the best grid point.
pub struct Plan<'a> {
    pub families: Vec<(&'a dyn Family, Vec<Params>)>,
    pub metric: Metric,
}

/// The cross-validation folds: every run's folds concatenated ([`crate::split::repeated_folds`]),
/// `per_run` of them per run.
pub struct Folds<'a> {
    pub folds: &'a [(Vec<usize>, Vec<usize>)],
    pub per_run: usize,
}

impl Plan<'_> {
    /// The search's events ([`SearchEvent`]) on `folds` folds: every grid point of every
    /// family on every fold.
    pub fn total(&self, folds: usize) -> usize {
        self.families
            .iter()
            .map(|(_, grid)| grid.len() * folds)
            .sum()
    }
}

/// Who a search is for and how it runs.
pub struct Settings<'a> {
    /// The target and the variant, as the progress events name them.
    pub target: &'a str,
    pub variant: &'a str,
    /// Drives every random choice of every fit.
    pub seed: u64,
    pub threads: Threads,
    /// Told of every (grid point, fold); may cancel the search.
    pub progress: &'a dyn Progress,
}

/// The families that were scored, and those that could not be fitted on this data.
#[derive(Debug, Clone)]
pub struct Searched {
    /// In plan order, without the skipped ones.
    pub families: Vec<FamilySearch>,
    /// In plan order: families none of whose grid points could be scored.
    pub skipped: Vec<model::report::Skipped>,
}

/// Scores every grid point of every family on the same folds, on every core or on one thread
/// (`settings.threads`, with the same result). Grid points a family can score from one fit (see
/// [`Family::groups`]) share it. `settings.progress` hears of every (grid point, fold) as it is
/// scored or left out; when it answers `Break`, no further fit starts and the search fails with
/// [`Cancelled`].
///
/// A grid point that does not suit the data ([`Family::unsuited`]: k-NN's `k` above the rows
/// a fold fits on, say), whose fit fails on some fold (smartcore refuses fewer rows than
/// columns, say), or whose cross-validated R² is not a number, is skipped with the reason (the
/// first failing fold's) and the search goes on with the others; a family with no grid point
/// left is skipped with the reason of its first point.
pub fn run(
    plan: &Plan<'_>,
    train: &[&Row],
    features: &[model::Feature],
    folds: &Folds<'_>,
    settings: &Settings<'_>,
) -> anyhow::Result<Searched> {
    let (seed, target) = (settings.seed, settings.target);
    let metric = plan.metric;
    let per_run = folds.per_run;
    let folds = folds.folds;
    for (family, grid) in &plan.families {
        anyhow::ensure!(
            !grid.is_empty(),
            crate::BadInput(format!("grid: {}: the grid is empty", family.name()))
        );
        for p in grid {
            family.check(p)?;
        }
    }
    let fit_rows = folds.iter().map(|f| f.0.len()).min().unwrap_or(0);
    // Each family's reason per grid point for leaving it out (None: scored so far).
    let mut left_out: Vec<Vec<Option<String>>> = plan
        .families
        .iter()
        .map(|(family, grid)| {
            grid.iter()
                .map(|p| family.unsuited(p, fit_rows, features.len()))
                .collect()
        })
        .collect();
    let total = plan.total(folds.len());
    let done = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // Tells the callback of grid point `point` of family `f` on fold `fold`; false once the
    // search is cancelled (and then it tells nothing more).
    let tell = |f: usize, point: usize, fold: usize, skipped: bool| -> bool {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        let (family, grid) = &plan.families[f];
        let event = SearchEvent {
            target: settings.target,
            variant: settings.variant,
            family: family.name(),
            point,
            points: grid.len(),
            fold,
            folds: folds.len(),
            skipped,
            done: done.fetch_add(1, Ordering::Relaxed) + 1,
            total,
        };
        if settings.progress.step(&event) == ControlFlow::Break(()) {
            stop.store(true, Ordering::Relaxed);
            return false;
        }
        true
    };
    for (f, reasons) in left_out.iter().enumerate() {
        for (point, _) in reasons.iter().enumerate().filter(|(_, r)| r.is_some()) {
            for fold in 0..folds.len() {
                if !tell(f, point, fold, true) {
                    return Err(Cancelled.into());
                }
            }
        }
    }
    let data = encode_folds(train, features, target, folds)?;
    // Groups over the suited points, as indices into the family's whole grid.
    let groups: Vec<Vec<Vec<usize>>> = plan
        .families
        .iter()
        .zip(&left_out)
        .map(|((family, grid), reasons)| {
            let suited: Vec<usize> = (0..grid.len()).filter(|&i| reasons[i].is_none()).collect();
            if suited.is_empty() {
                return Vec::new();
            }
            let sub: Vec<Params> = suited.iter().map(|&i| grid[i].clone()).collect();
            family
                .groups(&sub)
                .into_iter()
                .map(|g| g.into_iter().map(|i| suited[i]).collect())
                .collect()
        })
        .collect();
    // Largest groups first so the long fits do not end up last on one core.
    let mut jobs: Vec<(usize, usize, usize)> = groups
        .iter()
        .enumerate()
        .flat_map(|(f, gs)| {
            (0..gs.len()).flat_map(move |g| (0..folds.len()).map(move |k| (f, g, k)))
        })
        .collect();
    jobs.sort_by_key(|&(f, g, _)| std::cmp::Reverse(groups[f][g].len()));
    let results: Vec<JobOutcome> = par::map(settings.threads, &jobs, |&(f, g, k)| {
        if stop.load(Ordering::Relaxed) {
            return ((f, g, k), Err(Cancelled.into()));
        }
        let (family, grid) = &plan.families[f];
        let members: Vec<&Params> = groups[f][g].iter().map(|&i| &grid[i]).collect();
        let fold = &data[k];
        let started = Instant::now();
        let outcome = family
            .fit_predict_group(&members, &fold.x_fit, &fold.y_fit, &fold.x_val, seed)
            .with_context(|| format!("fold {k}"))
            .and_then(|predictions| {
                anyhow::ensure!(
                    predictions.len() == members.len(),
                    "{} predictions for {} grid points",
                    predictions.len(),
                    members.len()
                );
                Ok(predictions)
            });
        let seconds = started.elapsed().as_secs_f64();
        for &point in &groups[f][g] {
            if !tell(f, point, k, false) {
                break;
            }
        }
        ((f, g, k), outcome.map(|p| (p, seconds)))
    });
    if stop.load(Ordering::Relaxed) {
        return Err(Cancelled.into());
    }
    let mut ok: Vec<JobResult> = Vec::new();
    // The first failure of each group, by fold.
    let mut failed: Vec<Vec<Option<(usize, String)>>> =
        groups.iter().map(|gs| vec![None; gs.len()]).collect();
    for ((f, g, k), outcome) in results {
        match outcome {
            Ok((predictions, seconds)) => ok.push(((f, g, k), predictions, seconds)),
            Err(e) => {
                if failed[f][g].as_ref().is_none_or(|(at, _)| k < *at) {
                    failed[f][g] = Some((k, format!("{e:#}")));
                }
            }
        }
    }
    for (f, gs) in groups.iter().enumerate() {
        for (g, members) in gs.iter().enumerate() {
            if let Some((_, reason)) = &failed[f][g] {
                for &i in members {
                    left_out[f][i] = Some(reason.clone());
                }
            }
        }
    }

    let mut out = Searched {
        families: Vec::new(),
        skipped: Vec::new(),
    };
    for (f, (family, grid)) in plan.families.iter().enumerate() {
        let n = grid.len();
        let mut fold_scores = vec![vec![None; folds.len()]; n];
        let mut oof = vec![vec![f64::NAN; train.len()]; n];
        let mut search_seconds = 0.0;
        let mut fits = 0;
        for ((rf, g, k), predictions, seconds) in &ok {
            if *rf != f || failed[f][*g].is_some() {
                continue;
            }
            for (&i, p) in groups[f][*g].iter().zip(predictions) {
                fold_scores[i][*k] = Some(Scores::of(&data[*k].y_val, p));
                if *k < per_run {
                    for (&position, v) in folds[*k].1.iter().zip(p) {
                        oof[i][position] = *v;
                    }
                }
            }
            search_seconds += seconds;
            fits += 1;
        }
        let mut candidates = Vec::new();
        for (i, (params, (scores, oof))) in grid
            .iter()
            .zip(fold_scores.into_iter().zip(oof))
            .enumerate()
        {
            if left_out[f][i].is_some() {
                continue;
            }
            let scores: Vec<Scores> = scores
                .into_iter()
                .map(|s| s.expect("every fold of a scored grid point"))
                .collect();
            let of = |get: fn(&Scores) -> f64| scores.iter().map(get).collect::<Vec<f64>>();
            let (fold_r2, fold_rmse, fold_mae) = (of(|s| s.r2), of(|s| s.rmse), of(|s| s.mae));
            let (cv_r2_mean, cv_r2_std) = mean_std(&fold_r2);
            let (cv_rmse_mean, cv_rmse_std) = mean_std(&fold_rmse);
            let (cv_mae_mean, cv_mae_std) = mean_std(&fold_mae);
            let c = Candidate {
                params: params.clone(),
                fold_r2,
                fold_rmse,
                fold_mae,
                cv_r2_mean,
                cv_r2_std,
                cv_rmse_mean,
                cv_rmse_std,
                cv_mae_mean,
                cv_mae_std,
                oof,
            };
            if ![
                cv_r2_mean,
                cv_r2_std,
                cv_rmse_mean,
                cv_rmse_std,
                cv_mae_mean,
                cv_mae_std,
            ]
            .iter()
            .all(|v| v.is_finite())
            {
                left_out[f][i] = Some(
                    "the cross-validated R² is not a finite number (a fold's target values are \
                     all the same, or its predictions are not finite)"
                        .into(),
                );
                continue;
            }
            candidates.push(c);
        }
        let skipped: Vec<SkippedPoint> = grid
            .iter()
            .zip(&left_out[f])
            .filter_map(|(params, reason)| {
                Some(SkippedPoint {
                    params: params.clone(),
                    reason: reason.clone()?,
                })
            })
            .collect();
        if candidates.is_empty() {
            let first = &skipped[0];
            out.skipped.push(model::report::Skipped {
                family: family.name().into(),
                reason: if n == 1 || skipped.iter().all(|s| s.reason == first.reason) {
                    first.reason.clone()
                } else {
                    format!(
                        "every grid point was skipped; the first, {}: {}",
                        serde_json::to_string(&first.params).unwrap_or_default(),
                        first.reason
                    )
                },
            });
            continue;
        }
        let best = best_index(
            candidates
                .iter()
                .map(|c| metric.goodness(c.cv_mean(metric))),
        );
        out.families.push(FamilySearch {
            family: family.name(),
            candidates,
            best,
            search_seconds,
            fits,
            skipped,
        });
    }
    Ok(out)
}

/// The index of the largest value, the first on a tie; NaN never wins.
pub fn best_index(values: impl Iterator<Item = f64>) -> usize {
    let mut best: Option<(usize, f64)> = None;
    for (i, v) in values.enumerate() {
        if !v.is_nan() && best.is_none_or(|(_, b)| v > b) {
            best = Some((i, v));
        }
    }
    best.map_or(0, |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_index_takes_the_first_maximum_and_ignores_nan() {
        assert_eq!(best_index([0.1, 0.5, 0.5, 0.2].into_iter()), 1);
        assert_eq!(best_index([f64::NAN, 0.3].into_iter()), 1);
        assert_eq!(best_index([-2.0, -1.0].into_iter()), 1);
    }
}
