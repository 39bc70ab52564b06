//! Gradient boosting like scikit-learn's `GradientBoostingRegressor` (loss `squared_error`,
//! criterion `friedman_mse`): start from the mean of `y`, then each stage fits a tree of depth
//! `max_depth` to the residuals of a random `subsample` of the rows (drawn without replacement)
//! and adds its output times `learning_rate` to every row's prediction.

use ndarray::{Array1, Array2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::cart::{self, Additive, Binned, Builder, FriedmanMse, Shape, Stats};
use serde::Deserialize;

use super::{number, positive, share, whole, BadValue, HyperParams, Staged, StagedParams};

/// scikit-learn's gradient boosting of squared error.
pub(crate) const GRADIENT_BOOSTING: Staged<Checked, Additive> = Staged {
    name: "gradient_boosting",
    fit: boost,
};

/// A grid point (scikit-learn's defaults).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Checked {
    n_estimators: usize,
    learning_rate: f64,
    subsample: f64,
    max_depth: usize,
    min_samples_leaf: usize,
}

impl Default for Checked {
    fn default() -> Self {
        Self {
            n_estimators: 100,
            learning_rate: 0.1,
            subsample: 1.0,
            max_depth: 3,
            min_samples_leaf: 1,
        }
    }
}

impl HyperParams for Checked {
    fn check(&self) -> Result<(), BadValue> {
        whole("n_estimators", self.n_estimators, 1..=100_000)?;
        number(
            "learning_rate",
            self.learning_rate,
            positive,
            "a finite number above 0",
        )?;
        number(
            "subsample",
            self.subsample,
            share,
            "a share above 0 and at most 1",
        )?;
        whole("max_depth", self.max_depth, 1..=32)?;
        whole("min_samples_leaf", self.min_samples_leaf, 1..=100_000)
    }
}

impl StagedParams for Checked {
    const STAGES: &'static str = "n_estimators";

    fn stages(&self) -> usize {
        self.n_estimators
    }

    fn with_stages(&self, n_estimators: usize) -> Self {
        Self {
            n_estimators,
            ..self.clone()
        }
    }
}

fn boost(c: &Checked, x: &Array2<f64>, y: &Array1<f64>, seed: u64) -> anyhow::Result<Additive> {
    let data = Binned::new(x)?;
    let n = data.n_rows();
    let y: Vec<f64> = y.iter().copied().collect();
    let base = cart::checked_mean(&y, n)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // scikit-learn's in-bag size: int(subsample · n), at least one row.
    let n_in_bag = ((c.subsample * n as f64) as usize).clamp(1, n);
    let all: Vec<u32> = (0..n as u32).collect();
    let mut in_bag: Vec<u32> = Vec::with_capacity(n);
    let mut drawn = vec![false; n];
    let mut raw = vec![base; n];
    let mut out = vec![0.0; n];
    let mut stats = vec![Stats::default(); n];
    let mut builder = Builder::new(&data);
    let mut trees = Vec::with_capacity(c.n_estimators);
    for _ in 0..c.n_estimators {
        let rows = if c.subsample < 1.0 {
            drawn.iter_mut().for_each(|d| *d = false);
            for i in rand::seq::index::sample(&mut rng, n, n_in_bag) {
                drawn[i] = true;
            }
            in_bag.clear();
            in_bag.extend((0..n as u32).filter(|&r| drawn[r as usize]));
            &in_bag
        } else {
            &all
        };
        for (s, (yi, pi)) in stats.iter_mut().zip(y.iter().zip(&raw)) {
            *s = Stats {
                count: 1.0,
                a: yi - pi,
                b: 1.0,
            };
        }
        let tree = builder.fit(
            &FriedmanMse,
            Shape {
                max_depth: c.max_depth,
                min_samples_leaf: c.min_samples_leaf,
            },
            rows,
            &stats,
        );
        builder.outputs(&tree, &mut out);
        for (p, o) in raw.iter_mut().zip(&out) {
            *p += c.learning_rate * o;
        }
        trees.push(tree);
    }
    Ok(Additive {
        base,
        scale: c.learning_rate,
        trees,
        width: x.ncols(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::cart::testing::{data, params};
    use crate::families::{Family, Params};
    use crate::metrics::Scores;

    #[test]
    fn bad_parameters_are_named() {
        let gb = GRADIENT_BOOSTING;
        let err = gb.check(&params(&[("subsample", 1.5.into())])).unwrap_err();
        assert_eq!(err.param, "subsample");
        let err = gb
            .check(&params(&[("learning_rate", 0.0.into())]))
            .unwrap_err();
        assert_eq!(err.param, "learning_rate");
        let err = gb.check(&params(&[("max_leaves", 3.into())])).unwrap_err();
        assert_eq!(err.param, "max_leaves");
        assert!(gb.check(&params(&[("n_estimators", 0.into())])).is_err());
        assert!(gb.check(&Params::new()).is_ok());
    }

    #[test]
    fn one_tree_without_shrinkage_is_the_mean_plus_a_regression_tree() {
        let (x, y) = data(200);
        let p = params(&[
            ("n_estimators", 1.into()),
            ("learning_rate", 1.0.into()),
            ("max_depth", 1.into()),
        ]);
        let fitted = GRADIENT_BOOSTING.fit(&p, &x, &y, 0).unwrap();
        let model::Model::TreeEnsemble { trees, aggregation } = fitted.export().unwrap() else {
            panic!("not a tree ensemble");
        };
        let mean = y.iter().sum::<f64>() / y.len() as f64;
        assert_eq!(
            aggregation,
            model::Aggregation::Sum {
                base: mean,
                scale: 1.0
            }
        );
        // A stump on the residuals: its root holds their mean, 0.
        assert_eq!(trees.len(), 1);
        assert_eq!(trees[0].left.len(), 3);
        assert!(trees[0].value[0].abs() < 1e-9);
    }

    #[test]
    fn staged_predictions_equal_separate_fits_and_the_seed_decides() {
        let (x, y) = data(300);
        let (x_fit, x_val) = (
            x.slice(ndarray::s![..240, ..]),
            x.slice(ndarray::s![240.., ..]),
        );
        let (x_fit, x_val) = (x_fit.to_owned(), x_val.to_owned());
        let y_fit = y.slice(ndarray::s![..240]).to_owned();
        let point = |n: usize| {
            params(&[
                ("n_estimators", n.into()),
                ("learning_rate", 0.1.into()),
                ("subsample", 0.7.into()),
            ])
        };
        let grid = [point(5), point(40), point(12)];
        let group: Vec<&Params> = grid.iter().collect();
        let staged = GRADIENT_BOOSTING
            .fit_predict_group(&group, &x_fit, &y_fit, &x_val, 9)
            .unwrap();
        for (p, s) in grid.iter().zip(&staged) {
            let alone = GRADIENT_BOOSTING
                .fit(p, &x_fit, &y_fit, 9)
                .unwrap()
                .predict(&x_val)
                .unwrap();
            assert_eq!(&alone, s);
        }
        let again = GRADIENT_BOOSTING
            .fit_predict_group(&group, &x_fit, &y_fit, &x_val, 9)
            .unwrap();
        assert_eq!(again, staged);
        let other = GRADIENT_BOOSTING
            .fit_predict_group(&group, &x_fit, &y_fit, &x_val, 10)
            .unwrap();
        assert_ne!(other, staged);
        // More stages fit the held-out rows better on this smooth target.
        let y_val = y.slice(ndarray::s![240..]).to_vec();
        let r2: Vec<f64> = staged.iter().map(|p| Scores::of(&y_val, p).r2).collect();
        assert!(r2[1] > r2[2] && r2[2] > r2[0] && r2[1] > 0.9, "{r2:?}");
    }

    #[test]
    fn a_mixed_group_is_refused() {
        let (x, y) = data(50);
        let a = params(&[("n_estimators", 5.into()), ("max_depth", 2.into())]);
        let b = params(&[("n_estimators", 8.into()), ("max_depth", 3.into())]);
        assert!(GRADIENT_BOOSTING
            .fit_predict_group(&[&a, &b], &x, &y, &x, 0)
            .is_err());
    }
}
