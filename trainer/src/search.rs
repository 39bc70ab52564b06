//! Seeded k-fold grid search on the training split. Every candidate sees the same folds; the
//! preprocessing is refitted inside each fold so no validation row informs its own encoding.

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
}

/// A family's grid, scored; `best` indexes the highest mean CV R² (the first on a tie).
#[derive(Debug, Clone)]
pub struct FamilySearch {
    pub family: &'static str,
    pub candidates: Vec<Candidate>,
    pub best: usize,
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

/// What to search: each family with its grid.
pub struct Plan<'a> {
    pub families: Vec<(&'a dyn Family, Vec<Params>)>,
}

/// Scores every grid point of every family on the same folds, in parallel on all cores.
/// `tick` is called once per finished (candidate, fold) fit with the family's index.
pub fn run(
    plan: &Plan<'_>,
    train: &[&Row],
    features: &[model::Feature],
    target: &str,
    folds: &[(Vec<usize>, Vec<usize>)],
    seed: u64,
    tick: &(dyn Fn(usize) + Sync),
) -> anyhow::Result<Vec<FamilySearch>> {
    for (family, grid) in &plan.families {
        anyhow::ensure!(!grid.is_empty(), "{}: the grid is empty", family.name());
        for p in grid {
            family.check(p)?;
        }
    }
    let data = encode_folds(train, features, target, folds)?;
    let jobs: Vec<(usize, usize, usize)> = plan
        .families
        .iter()
        .enumerate()
        .flat_map(|(f, (_, grid))| {
            (0..grid.len()).flat_map(move |g| (0..folds.len()).map(move |k| (f, g, k)))
        })
        .collect();
    let r2: Vec<f64> = jobs
        .par_iter()
        .map(|&(f, g, k)| {
            let (family, grid) = &plan.families[f];
            let fold = &data[k];
            let fitted = family.fit(&grid[g], &fold.x_fit, &fold.y_fit, seed)?;
            let predicted = fitted.predict(&fold.x_val)?;
            tick(f);
            Ok(Scores::of(&fold.y_val, &predicted).r2)
        })
        .collect::<anyhow::Result<_>>()
        .context("cross-validation")?;

    let mut at = 0;
    let mut out = Vec::new();
    for (family, grid) in &plan.families {
        let candidates: Vec<Candidate> = grid
            .iter()
            .map(|params| {
                let fold_r2 = r2[at..at + folds.len()].to_vec();
                at += folds.len();
                let (cv_r2_mean, cv_r2_std) = mean_std(&fold_r2);
                Candidate {
                    params: params.clone(),
                    fold_r2,
                    cv_r2_mean,
                    cv_r2_std,
                }
            })
            .collect();
        let best = best_index(candidates.iter().map(|c| c.cv_r2_mean));
        out.push(FamilySearch {
            family: family.name(),
            candidates,
            best,
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
