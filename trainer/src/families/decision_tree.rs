//! CART regression tree (smartcore, squared error).

use anyhow::Context;
use ndarray::{Array1, Array2};
use smartcore::tree::decision_tree_regressor::{
    DecisionTreeRegressor, DecisionTreeRegressorParameters,
};

use serde::Deserialize;

use super::{
    depth_or_none, read, whole, BadValue, Family, Fitted, HyperParams, ParamError, Params,
};
use crate::export::smartcore_trees;

pub struct DecisionTree;

/// A grid point (scikit-learn's defaults: no depth limit).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Checked {
    #[serde(deserialize_with = "depth_or_none")]
    max_depth: Option<usize>,
    min_samples_leaf: usize,
    min_samples_split: usize,
}

impl Default for Checked {
    fn default() -> Self {
        Self {
            max_depth: None,
            min_samples_leaf: 1,
            min_samples_split: 2,
        }
    }
}

impl HyperParams for Checked {
    fn check(&self) -> Result<(), BadValue> {
        if let Some(d) = self.max_depth {
            whole("max_depth", d, 1..=64)?;
        }
        whole("min_samples_leaf", self.min_samples_leaf, 1..=100_000)?;
        whole("min_samples_split", self.min_samples_split, 2..=100_000)
    }
}

impl DecisionTree {
    fn read(&self, p: &Params) -> Result<Checked, ParamError> {
        read(self.name(), p)
    }
}

impl Family for DecisionTree {
    fn name(&self) -> &'static str {
        "decision_tree"
    }

    fn check(&self, params: &Params) -> Result<(), ParamError> {
        self.read(params).map(|_| ())
    }

    fn fit(
        &self,
        params: &Params,
        x: &Array2<f64>,
        y: &Array1<f64>,
        seed: u64,
    ) -> anyhow::Result<Box<dyn Fitted>> {
        let c = self.read(params)?;
        let mut p = DecisionTreeRegressorParameters::default()
            .with_min_samples_leaf(c.min_samples_leaf)
            .with_min_samples_split(c.min_samples_split);
        if let Some(d) = c.max_depth {
            p = p.with_max_depth(d as u16);
        }
        p.seed = Some(seed);
        let tree = DecisionTreeRegressor::fit(x, y, p).context("fitting decision tree")?;
        Ok(Box::new(Tree(tree)))
    }
}

struct Tree(DecisionTreeRegressor<f64, f64, Array2<f64>, Array1<f64>>);

impl Fitted for Tree {
    fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<f64>> {
        Ok(self.0.predict(x).context("decision tree predict")?.to_vec())
    }

    fn export(&self) -> anyhow::Result<model::Model> {
        Ok(model::Model::TreeEnsemble {
            trees: vec![smartcore_trees::regressor_tree(&self.0)?],
            aggregation: model::Aggregation::Mean,
        })
    }
}
