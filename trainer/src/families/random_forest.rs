//! Random forest (smartcore): bootstrap samples, `max_features` split candidates per node, the
//! mean of the trees.

use anyhow::Context;
use ndarray::{Array1, Array2};
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};

use serde::Deserialize;

use super::{
    depth_or_none, number, share, whole, BadValue, Fitted, HyperParams, Staged, StagedModel,
    StagedParams,
};
use crate::export::smartcore_trees;

/// smartcore's random forest regressor.
pub(crate) const RANDOM_FOREST: Staged<Checked, Forest> = Staged {
    name: "random_forest",
    fit: fit_forest,
};

/// A grid point (scikit-learn's regressor defaults).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Checked {
    n_estimators: usize,
    #[serde(deserialize_with = "depth_or_none")]
    max_depth: Option<usize>,
    min_samples_leaf: usize,
    /// Share of the columns tried at each split (scikit-learn's regressor default: all).
    max_features: f64,
}

impl Default for Checked {
    fn default() -> Self {
        Self {
            n_estimators: 100,
            max_depth: None,
            min_samples_leaf: 1,
            max_features: 1.0,
        }
    }
}

impl HyperParams for Checked {
    fn check(&self) -> Result<(), BadValue> {
        whole("n_estimators", self.n_estimators, 1..=5000)?;
        if let Some(d) = self.max_depth {
            whole("max_depth", d, 1..=64)?;
        }
        whole("min_samples_leaf", self.min_samples_leaf, 1..=100_000)?;
        number(
            "max_features",
            self.max_features,
            share,
            "a share of the columns in (0, 1]",
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

fn fit_forest(c: &Checked, x: &Array2<f64>, y: &Array1<f64>, seed: u64) -> anyhow::Result<Forest> {
    let columns = x.ncols();
    let m = ((columns as f64 * c.max_features).round() as usize).clamp(1, columns);
    let mut p = RandomForestRegressorParameters::default()
        .with_n_trees(c.n_estimators)
        .with_min_samples_leaf(c.min_samples_leaf)
        .with_m(m)
        .with_seed(seed);
    if let Some(d) = c.max_depth {
        p = p.with_max_depth(d as u16);
    }
    let fitted: RandomForestRegressor<f64, f64, Array2<f64>, Array1<f64>> =
        RandomForestRegressor::fit(x, y, p).context("fitting random forest")?;
    let trees = smartcore_trees::forest_trees(&fitted)?;
    Ok(Forest { fitted, trees })
}

/// Forests that differ only in size share one fit: smartcore draws each tree's bootstrap
/// sample from one seeded stream, so the first n trees of a larger forest are the n-tree
/// forest: the mean of the first n trees is its prediction.
impl StagedModel for Forest {
    fn predict_stages(&self, x: &Array2<f64>, stages: &[usize]) -> anyhow::Result<Vec<Vec<f64>>> {
        let outputs: Vec<Vec<f64>> = self
            .trees
            .iter()
            .map(|t| x.rows().into_iter().map(|r| leaf_value(t, r)).collect())
            .collect();
        Ok(stages
            .iter()
            .map(|&n| {
                (0..x.nrows())
                    .map(|i| outputs[..n].iter().map(|o| o[i]).sum::<f64>() / n as f64)
                    .collect()
            })
            .collect())
    }
}

fn leaf_value(tree: &model::Tree, row: ndarray::ArrayView1<f64>) -> f64 {
    let mut i = 0usize;
    while tree.left[i] >= 0 {
        i = if row[tree.feature[i] as usize] <= tree.threshold[i] {
            tree.left[i] as usize
        } else {
            tree.right[i] as usize
        };
    }
    tree.value[i]
}

pub(crate) struct Forest {
    fitted: RandomForestRegressor<f64, f64, Array2<f64>, Array1<f64>>,
    trees: Vec<model::Tree>,
}

impl Fitted for Forest {
    fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<f64>> {
        Ok(self
            .fitted
            .predict(x)
            .context("random forest predict")?
            .to_vec())
    }

    fn export(&self) -> anyhow::Result<model::Model> {
        Ok(model::Model::TreeEnsemble {
            trees: self.trees.clone(),
            aggregation: model::Aggregation::Mean,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::{Family, Params};
    use serde_json::json;

    fn data() -> (Array2<f64>, Array1<f64>) {
        let x = Array2::from_shape_fn((120, 3), |(i, j)| ((i * 31 + j * 7) % 13) as f64);
        let y = x
            .rows()
            .into_iter()
            .map(|r| r[0] * 3.0 - r[1] + (r[2] % 2.0) * 5.0)
            .collect();
        (x, y)
    }

    #[test]
    fn smaller_forests_are_prefixes_of_larger_ones() {
        let (x, y) = data();
        let p = |n: u64| -> Params { [("n_estimators".to_owned(), json!(n))].into() };
        let (small, large) = (p(4), p(16));
        let grouped = RANDOM_FOREST
            .fit_predict_group(&[&small, &large], &x, &y, &x, 3)
            .unwrap();
        for (params, staged) in [(&small, &grouped[0]), (&large, &grouped[1])] {
            let alone = RANDOM_FOREST
                .fit(params, &x, &y, 3)
                .unwrap()
                .predict(&x)
                .unwrap();
            for (a, b) in alone.iter().zip(staged) {
                assert!((a - b).abs() < 1e-9, "{a} vs {b}");
            }
        }
        assert_eq!(RANDOM_FOREST.groups(&[small, large, p(8)]), [vec![0, 1, 2]]);
    }

    #[test]
    fn the_exported_trees_predict_the_forest_mean() {
        let (x, y) = data();
        let p: Params = [("n_estimators".to_owned(), json!(8))].into();
        let fitted = RANDOM_FOREST.fit(&p, &x, &y, 5).unwrap();
        let model::Model::TreeEnsemble { trees, aggregation } = fitted.export().unwrap() else {
            panic!("not a tree ensemble")
        };
        assert_eq!((trees.len(), aggregation), (8, model::Aggregation::Mean));
        let expected = fitted.predict(&x).unwrap();
        for (i, row) in x.rows().into_iter().enumerate() {
            let mean = trees.iter().map(|t| leaf_value(t, row)).sum::<f64>() / 8.0;
            assert!((mean - expected[i]).abs() < 1e-9);
        }
    }
}
