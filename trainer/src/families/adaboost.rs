//! ADABOOST.R2 (Drucker, 1997) as scikit-learn's `AdaBoostRegressor` runs it around
//! `DecisionTreeRegressor(max_depth=3)`: each stage draws a weighted bootstrap sample of the
//! rows, fits a tree to it, scores the tree's loss on every row, weights the tree by
//! `learning_rate · ln(1/β)` and shifts the row weights towards the rows it got wrong. The
//! prediction is the weighted median of the tree outputs ([`model::weighted_median`]).

use ndarray::{Array1, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::cart::{self, Binned, Builder, Shape, SquaredError, Stats};
use serde::Deserialize;

use super::{
    number, positive, whole, BadValue, Fitted, HyperParams, Staged, StagedModel, StagedParams,
};

/// ADABOOST.R2 over depth-limited trees.
pub(crate) const ADABOOST: Staged<Checked, Trees> = Staged {
    name: "adaboost",
    fit: boost,
};

/// How a row's error, scaled to `[0, 1]` by the largest, becomes its loss.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Loss {
    Linear,
    Square,
    Exponential,
}

impl Loss {
    fn of(self, scaled_error: f64) -> f64 {
        match self {
            Loss::Linear => scaled_error,
            Loss::Square => scaled_error * scaled_error,
            Loss::Exponential => 1.0 - (-scaled_error).exp(),
        }
    }
}

/// A grid point (scikit-learn's defaults, over depth-3 trees).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Checked {
    n_estimators: usize,
    learning_rate: f64,
    loss: Loss,
    max_depth: usize,
    min_samples_leaf: usize,
}

impl Default for Checked {
    fn default() -> Self {
        Self {
            n_estimators: 50,
            learning_rate: 1.0,
            loss: Loss::Linear,
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

impl Checked {
    fn shape(&self) -> Shape {
        Shape {
            max_depth: self.max_depth,
            min_samples_leaf: self.min_samples_leaf,
        }
    }
}

/// `n` row indices drawn with replacement, row `i` with probability `weight[i] / Σ weight`
/// (numpy's `choice(p=…)`: a uniform number looked up in the cumulative weights), as counts.
fn weighted_bootstrap(rng: &mut impl Rng, weight: &[f64], counts: &mut [u32]) {
    let mut cdf = Vec::with_capacity(weight.len());
    let mut total = 0.0;
    for w in weight {
        total += w;
        cdf.push(total);
    }
    counts.iter_mut().for_each(|c| *c = 0);
    let last = weight.len() - 1;
    for _ in 0..weight.len() {
        let u = rng.random::<f64>() * total;
        let i = cdf.partition_point(|&c| c <= u).min(last);
        counts[i] += 1;
    }
}

fn boost(c: &Checked, x: &Array2<f64>, y: &Array1<f64>, seed: u64) -> anyhow::Result<Trees> {
    let data = Binned::new(x)?;
    let n = data.n_rows();
    let y: Vec<f64> = y.iter().copied().collect();
    cart::checked_mean(&y, n)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut weight = vec![1.0 / n as f64; n];
    let mut counts = vec![0u32; n];
    let mut rows: Vec<u32> = Vec::with_capacity(n);
    let mut stats = vec![Stats::default(); n];
    let mut loss = vec![0.0; n];
    let mut builder = Builder::new(&data);
    let mut trees = Vec::new();
    let mut weights = Vec::new();
    for stage in 0..c.n_estimators {
        weighted_bootstrap(&mut rng, &weight, &mut counts);
        rows.clear();
        for (r, (&k, s)) in counts.iter().zip(stats.iter_mut()).enumerate() {
            let k = f64::from(k);
            *s = Stats {
                count: k,
                a: k * y[r],
                b: k,
            };
            if k > 0.0 {
                rows.push(r as u32);
            }
        }
        let tree = builder.fit(&SquaredError, c.shape(), &rows, &stats);
        builder.outputs(&tree, &mut loss);

        // Errors on every row, scaled by the largest among rows that still carry weight.
        let mut max_error = 0.0f64;
        for (r, l) in loss.iter_mut().enumerate() {
            *l = (*l - y[r]).abs();
            if weight[r] > 0.0 {
                max_error = max_error.max(*l);
            }
        }
        for l in &mut loss {
            if max_error != 0.0 {
                *l /= max_error;
            }
            *l = c.loss.of(*l);
        }
        let error: f64 = weight
            .iter()
            .zip(&loss)
            .filter(|(w, _)| **w > 0.0)
            .map(|(w, l)| w * l)
            .sum();

        if error <= 0.0 {
            // A perfect tree ends the boosting with weight 1 (scikit-learn's choice).
            trees.push(tree);
            weights.push(1.0);
            break;
        }
        if error >= 0.5 {
            // Worse than chance: dropped, unless it is the only tree (then it alone predicts;
            // scikit-learn keeps it with weight 0, which means the same for a single tree).
            if trees.is_empty() {
                trees.push(tree);
                weights.push(1.0);
            }
            break;
        }
        let beta = error / (1.0 - error);
        trees.push(tree);
        weights.push(c.learning_rate * (1.0 / beta).ln());
        if stage + 1 == c.n_estimators {
            break;
        }
        for (w, l) in weight.iter_mut().zip(&loss) {
            if *w > 0.0 {
                *w *= beta.powf((1.0 - l) * c.learning_rate);
            }
        }
        let sum: f64 = weight.iter().sum();
        if !sum.is_finite() || sum <= 0.0 {
            break;
        }
        weight.iter_mut().for_each(|w| *w /= sum);
    }
    Ok(Trees {
        trees,
        weights,
        width: x.ncols(),
    })
}

/// Trees combined by their weighted median ([`model::Aggregation::WeightedMedian`]).
pub(crate) struct Trees {
    trees: Vec<model::Tree>,
    weights: Vec<f64>,
    width: usize,
}

impl Trees {
    /// Predictions of the first `n` trees for every requested `n` in `stages`; when boosting
    /// stopped early, later stages predict as the last tree left them.
    fn staged(&self, x: &Array2<f64>, stages: &[usize]) -> anyhow::Result<Vec<Vec<f64>>> {
        let flat = cart::row_major(x, self.width)?;
        let mut out = vec![Vec::with_capacity(x.nrows()); stages.len()];
        for row in flat.chunks_exact(self.width) {
            let outputs: Vec<f64> = self.trees.iter().map(|t| cart::output(t, row)).collect();
            for (o, &n) in out.iter_mut().zip(stages) {
                let n = n.min(outputs.len());
                o.push(model::weighted_median(
                    outputs[..n].to_vec(),
                    &self.weights[..n],
                ));
            }
        }
        Ok(out)
    }
}

impl StagedModel for Trees {
    fn predict_stages(&self, x: &Array2<f64>, stages: &[usize]) -> anyhow::Result<Vec<Vec<f64>>> {
        self.staged(x, stages)
    }
}

impl Fitted for Trees {
    fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<f64>> {
        Ok(self
            .staged(x, &[self.trees.len()])?
            .pop()
            .expect("one stage"))
    }

    fn export(&self) -> anyhow::Result<model::Model> {
        Ok(model::Model::TreeEnsemble {
            trees: self.trees.clone(),
            aggregation: model::Aggregation::WeightedMedian {
                weights: self.weights.clone(),
            },
        })
    }
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
            ("learning_rate", serde_json::json!(-0.1)),
            ("loss", serde_json::json!("huber")),
            ("n_estimators", serde_json::json!(1.5)),
            ("base_estimator", serde_json::json!("tree")),
        ] {
            let err = ADABOOST.check(&params(&[(name, bad)])).unwrap_err();
            assert_eq!(err.param, name);
        }
        assert!(ADABOOST
            .check(&params(&[("loss", "square".into())]))
            .is_ok());
    }

    #[test]
    fn the_bootstrap_follows_the_weights() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = vec![0; 4];
        weighted_bootstrap(&mut rng, &[0.0, 0.5, 0.0, 0.5], &mut counts);
        assert_eq!(counts[0] + counts[2], 0);
        assert_eq!(counts.iter().sum::<u32>(), 4);
        let mut counts = vec![0; 10_000];
        let mut weight = vec![1.0; 10_000];
        weight[7] = 1000.0;
        weighted_bootstrap(&mut rng, &weight, &mut counts);
        // Row 7 holds about 9 % of the weight.
        assert!((800..1000).contains(&counts[7]), "{}", counts[7]);
    }

    #[test]
    fn staged_predictions_equal_separate_fits() {
        let (x, y) = data(300);
        let x_fit = x.slice(ndarray::s![..240, ..]).to_owned();
        let x_val = x.slice(ndarray::s![240.., ..]).to_owned();
        let y_fit = y.slice(ndarray::s![..240]).to_owned();
        let point = |n: usize| params(&[("n_estimators", n.into()), ("learning_rate", 0.5.into())]);
        let grid = [point(2), point(25), point(7)];
        let group: Vec<&Params> = grid.iter().collect();
        let staged = ADABOOST
            .fit_predict_group(&group, &x_fit, &y_fit, &x_val, 3)
            .unwrap();
        for (p, s) in grid.iter().zip(&staged) {
            let alone = ADABOOST.fit(p, &x_fit, &y_fit, 3).unwrap();
            assert_eq!(&alone.predict(&x_val).unwrap(), s);
        }
        let y_val = y.slice(ndarray::s![240..]).to_vec();
        assert!(Scores::of(&y_val, &staged[1]).r2 > 0.8);
    }

    #[test]
    fn a_perfect_first_tree_stops_the_boosting() {
        // A target one split explains: the first tree is exact, error 0.
        let x = Array2::from_shape_fn((40, 1), |(i, _)| (i % 2) as f64);
        let y: Array1<f64> = x.column(0).mapv(|v| 10.0 + 5.0 * v);
        let p = params(&[("n_estimators", 10.into())]);
        let fitted = ADABOOST.fit(&p, &x, &y, 0).unwrap();
        let model::Model::TreeEnsemble { trees, aggregation } = fitted.export().unwrap() else {
            panic!("not a tree ensemble");
        };
        assert_eq!(trees.len(), 1);
        assert_eq!(
            aggregation,
            model::Aggregation::WeightedMedian { weights: vec![1.0] }
        );
        assert_eq!(fitted.predict(&x).unwrap(), y.to_vec());
        // Stages past the stop predict like the last tree.
        let group = [&p, &params(&[("n_estimators", 3.into())])];
        let staged = ADABOOST.fit_predict_group(&group, &x, &y, &x, 0).unwrap();
        assert_eq!(staged[0], staged[1]);
    }
}
