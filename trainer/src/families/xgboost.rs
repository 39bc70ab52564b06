//! XGBoost-style gradient boosting (objective `reg:squarederror`, exact greedy splits): every
//! stage computes each row's gradient `g = prediction − y` and hessian `h = 1`, grows a tree by
//! the second-order gain with L2 penalty `reg_lambda` and minimum split loss `gamma`, and adds
//! its leaf weights `−G/(H+λ)` times `learning_rate`.

use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::cart::{self, Additive, Binned, Builder, Newton, Shape, Stats};
use serde::Deserialize;

use super::{non_negative, number, share, whole, BadValue, HyperParams, Staged, StagedParams};

/// XGBoost-style second-order boosting of squared error.
pub(crate) const XGBOOST: Staged<Checked, Additive> = Staged {
    name: "xgboost",
    fit: boost,
};

/// A grid point (XGBoost's defaults).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Checked {
    n_estimators: usize,
    learning_rate: f64,
    max_depth: usize,
    min_child_weight: f64,
    reg_lambda: f64,
    gamma: f64,
    subsample: f64,
}

impl Default for Checked {
    fn default() -> Self {
        Self {
            n_estimators: 100,
            learning_rate: 0.3,
            max_depth: 6,
            min_child_weight: 1.0,
            reg_lambda: 1.0,
            gamma: 0.0,
            subsample: 1.0,
        }
    }
}

impl HyperParams for Checked {
    fn check(&self) -> Result<(), BadValue> {
        let number_of_at_least_0 = "a finite number of at least 0";
        whole("n_estimators", self.n_estimators, 1..=100_000)?;
        number(
            "learning_rate",
            self.learning_rate,
            share,
            "a number above 0 and at most 1",
        )?;
        whole("max_depth", self.max_depth, 1..=32)?;
        number(
            "min_child_weight",
            self.min_child_weight,
            non_negative,
            number_of_at_least_0,
        )?;
        number(
            "reg_lambda",
            self.reg_lambda,
            non_negative,
            number_of_at_least_0,
        )?;
        number("gamma", self.gamma, non_negative, number_of_at_least_0)?;
        number(
            "subsample",
            self.subsample,
            share,
            "a share above 0 and at most 1",
        )
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
    // The starting margin is the mean of y: xgboost ≥ 2.0 estimates `base_score` from the data,
    // which for squared error is the mean too (older versions used 0.5).
    let base = cart::checked_mean(&y, n)?;
    let rule = Newton {
        lambda: c.reg_lambda,
        gamma: c.gamma,
        min_child_weight: c.min_child_weight,
    };
    let shape = Shape {
        max_depth: c.max_depth,
        min_samples_leaf: 1,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let all: Vec<u32> = (0..n as u32).collect();
    let mut sampled: Vec<u32> = Vec::with_capacity(n);
    let mut margin = vec![base; n];
    let mut out = vec![0.0; n];
    let mut stats = vec![Stats::default(); n];
    let mut builder = Builder::new(&data);
    let mut trees = Vec::with_capacity(c.n_estimators);
    for _ in 0..c.n_estimators {
        // Like xgboost, each row joins a stage's sample on its own coin flip.
        let rows = if c.subsample < 1.0 {
            sampled.clear();
            sampled.extend(all.iter().copied().filter(|_| rng.random_bool(c.subsample)));
            &sampled
        } else {
            &all
        };
        for (s, (yi, mi)) in stats.iter_mut().zip(y.iter().zip(&margin)) {
            *s = Stats {
                count: 1.0,
                a: mi - yi,
                b: 1.0,
            };
        }
        let tree = builder.fit(&rule, shape, rows, &stats);
        builder.outputs(&tree, &mut out);
        for (m, o) in margin.iter_mut().zip(&out) {
            *m += c.learning_rate * o;
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
        for (name, bad) in [
            ("learning_rate", serde_json::json!(1.5)),
            ("reg_lambda", serde_json::json!(-1.0)),
            ("gamma", serde_json::json!("big")),
            ("max_depth", serde_json::json!(0)),
            ("eta", serde_json::json!(0.3)),
        ] {
            let err = XGBOOST.check(&params(&[(name, bad)])).unwrap_err();
            assert_eq!(err.param, name);
            assert!(err.to_string().contains("xgboost"), "{err}");
        }
        assert!(XGBOOST.check(&Params::new()).is_ok());
    }

    #[test]
    fn one_stage_has_newton_leaf_weights() {
        // One split column; the residuals from the mean 5 are −3, −3, +3, +3.
        let x = Array2::from_shape_vec((4, 1), vec![0.0, 0.0, 1.0, 1.0]).unwrap();
        let y = Array1::from(vec![2.0, 2.0, 8.0, 8.0]);
        let p = params(&[("n_estimators", 1.into()), ("learning_rate", 0.5.into())]);
        let fitted = XGBOOST.fit(&p, &x, &y, 0).unwrap();
        let model::Model::TreeEnsemble { trees, aggregation } = fitted.export().unwrap() else {
            panic!("not a tree ensemble");
        };
        assert_eq!(
            aggregation,
            model::Aggregation::Sum {
                base: 5.0,
                scale: 0.5
            }
        );
        // g = −3 twice: weight −G/(H+λ) = 6/3 = 2 on the right, −2 on the left.
        assert_eq!(trees[0].value, [0.0, -2.0, 2.0]);
        assert_eq!(fitted.predict(&x).unwrap(), [4.0, 4.0, 6.0, 6.0]);
    }

    #[test]
    fn staged_predictions_equal_separate_fits() {
        let (x, y) = data(300);
        let x_fit = x.slice(ndarray::s![..240, ..]).to_owned();
        let x_val = x.slice(ndarray::s![240.., ..]).to_owned();
        let y_fit = y.slice(ndarray::s![..240]).to_owned();
        let point = |n: usize| {
            params(&[
                ("n_estimators", n.into()),
                ("learning_rate", 0.1.into()),
                ("subsample", 0.8.into()),
            ])
        };
        let grid = [point(30), point(3)];
        let group: Vec<&Params> = grid.iter().collect();
        let staged = XGBOOST
            .fit_predict_group(&group, &x_fit, &y_fit, &x_val, 4)
            .unwrap();
        for (p, s) in grid.iter().zip(&staged) {
            let alone = XGBOOST.fit(p, &x_fit, &y_fit, 4).unwrap();
            assert_eq!(&alone.predict(&x_val).unwrap(), s);
        }
        let y_val = y.slice(ndarray::s![240..]).to_vec();
        assert!(Scores::of(&y_val, &staged[0]).r2 > 0.9);
        assert_ne!(
            XGBOOST
                .fit_predict_group(&group, &x_fit, &y_fit, &x_val, 5)
                .unwrap(),
            staged
        );
    }
}
