//! CART regression tree (smartcore, squared error).

use anyhow::Context;
use ndarray::{Array1, Array2};
use smartcore::tree::decision_tree_regressor::{
    DecisionTreeRegressor, DecisionTreeRegressorParameters,
};

use super::{Family, Fitted, ParamError, Params, Reader};
use crate::export::smartcore_trees;

pub struct DecisionTree;

struct Checked {
    max_depth: Option<usize>,
    min_samples_leaf: usize,
    min_samples_split: usize,
}

impl DecisionTree {
    fn read(&self, p: &Params) -> Result<Checked, ParamError> {
        let r = Reader {
            family: self.name(),
            params: p,
        };
        r.only(&["max_depth", "min_samples_leaf", "min_samples_split"])?;
        Ok(Checked {
            max_depth: r.opt_usize("max_depth", 1..=64)?,
            min_samples_leaf: r.usize_or("min_samples_leaf", 1, 1..=100_000)?,
            min_samples_split: r.usize_or("min_samples_split", 2, 2..=100_000)?,
        })
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
