//! Seeded k-fold grid search on the training split. Every candidate sees the same folds; the
//! preprocessing is refitted inside each fold so no validation row informs its own encoding.

use std::time::Instant;

use anyhow::Context;
use ndarray::{Array1, Array2};
use rayon::prelude::*;

use crate::data::Row;
use crate::families::{Family, Params};
use crate::metrics::{mean_std, Scores};
use crate::prep;

/// One grid point's cross-validated R².
#[derive(Debug, Clone)]
pub struct Candidate {
    pub params: Params,
    pub fold_r2: Vec<f64>,
    pub cv_r2_mean: f64,
    pub cv_r2_std: f64,
    /// Out-of-fold predictions: for each training row (in training-split order), the
    /// prediction of the fold model that did not see it. Calibrates the prediction interval.
    pub oof: Vec<f64>,
}

/// A family's grid, scored; `best` indexes the highest mean CV R² (the first on a tie).
#[derive(Debug, Clone)]
pub struct FamilySearch {
    pub family: &'static str,
    pub candidates: Vec<Candidate>,
    pub best: usize,
    /// Seconds spent fitting and predicting in the search, summed over all its fits (on both
    /// cores this is about twice the wall time it took).
    pub search_seconds: f64,
    /// How many model fits the search made (grouped grid points share one).
    pub fits: usize,
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

/// What to search: each family with its grid.
pub struct Plan<'a> {
    pub families: Vec<(&'a dyn Family, Vec<Params>)>,
}

/// The families that were scored, and those that could not be fitted on this data.
#[derive(Debug, Clone)]
pub struct Searched {
    /// In plan order, without the skipped ones.
    pub families: Vec<FamilySearch>,
    /// In plan order.
    pub skipped: Vec<model::report::Skipped>,
}

/// Scores every grid point of every family on the same folds, in parallel on all cores. Grid
/// points a family can score from one fit (see [`Family::groups`]) share it. `tick` is called
/// with the family's index and the number of grid points a finished fit scored.
///
/// A family that fails to fit on some fold (smartcore refuses fewer rows than columns, say),
/// or whose cross-validated R² is not a number, is skipped with the reason of its first
/// failure (in group, then fold order) and the search goes on with the others.
pub fn run(
    plan: &Plan<'_>,
    train: &[&Row],
    features: &[model::Feature],
    target: &str,
    folds: &[(Vec<usize>, Vec<usize>)],
    seed: u64,
    tick: &(dyn Fn(usize, usize) + Sync),
) -> anyhow::Result<Searched> {
    for (family, grid) in &plan.families {
        anyhow::ensure!(
            !grid.is_empty(),
            crate::BadInput(format!("grid: {}: the grid is empty", family.name()))
        );
        for p in grid {
            family.check(p)?;
        }
    }
    let data = encode_folds(train, features, target, folds)?;
    let groups: Vec<Vec<Vec<usize>>> = plan
        .families
        .iter()
        .map(|(family, grid)| family.groups(grid))
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
    let results: Vec<JobOutcome> = jobs
        .par_iter()
        .map(|&(f, g, k)| {
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
            tick(f, members.len());
            ((f, g, k), outcome.map(|p| (p, seconds)))
        })
        .collect();
    let mut ok: Vec<JobResult> = Vec::new();
    // The first failure of each family, by (group, fold).
    let mut failed: Vec<Option<((usize, usize), String)>> = vec![None; plan.families.len()];
    for ((f, g, k), outcome) in results {
        match outcome {
            Ok((predictions, seconds)) => ok.push(((f, g, k), predictions, seconds)),
            Err(e) => {
                if failed[f].as_ref().is_none_or(|(at, _)| (g, k) < *at) {
                    failed[f] = Some(((g, k), format!("{e:#}")));
                }
            }
        }
    }

    let mut out = Searched {
        families: Vec::new(),
        skipped: Vec::new(),
    };
    for (f, (family, grid)) in plan.families.iter().enumerate() {
        if let Some((_, reason)) = &failed[f] {
            out.skipped.push(model::report::Skipped {
                family: family.name().into(),
                reason: reason.clone(),
            });
            continue;
        }
        let mut fold_r2 = vec![vec![f64::NAN; folds.len()]; grid.len()];
        let mut oof = vec![vec![f64::NAN; train.len()]; grid.len()];
        let mut search_seconds = 0.0;
        let mut fits = 0;
        for ((rf, g, k), predictions, seconds) in &ok {
            if *rf != f {
                continue;
            }
            for (&i, p) in groups[f][*g].iter().zip(predictions) {
                fold_r2[i][*k] = Scores::of(&data[*k].y_val, p).r2;
                for (&position, v) in folds[*k].1.iter().zip(p) {
                    oof[i][position] = *v;
                }
            }
            search_seconds += seconds;
            fits += 1;
        }
        let candidates: Vec<Candidate> = grid
            .iter()
            .zip(fold_r2)
            .zip(oof)
            .map(|((params, fold_r2), oof)| {
                let (cv_r2_mean, cv_r2_std) = mean_std(&fold_r2);
                Candidate {
                    params: params.clone(),
                    fold_r2,
                    cv_r2_mean,
                    cv_r2_std,
                    oof,
                }
            })
            .collect();
        if let Some(c) = candidates
            .iter()
            .find(|c| !(c.cv_r2_mean.is_finite() && c.cv_r2_std.is_finite()))
        {
            out.skipped.push(model::report::Skipped {
                family: family.name().into(),
                reason: format!(
                    "grid point {}: the cross-validated R² is not a finite number (a fold's \
                     target values are all the same, or its predictions are not finite)",
                    serde_json::to_string(&c.params).unwrap_or_default()
                ),
            });
            continue;
        }
        let best = best_index(candidates.iter().map(|c| c.cv_r2_mean));
        out.families.push(FamilySearch {
            family: family.name(),
            candidates,
            best,
            search_seconds,
            fits,
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
