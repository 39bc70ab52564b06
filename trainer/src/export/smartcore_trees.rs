//! The one place that knows smartcore's private tree layout. smartcore 0.7 keeps its tree nodes
//! private; its `serde` feature is the only way to read them. This module serializes a fitted
//! tree and reads the nodes back from the JSON value. If smartcore changes that layout, the
//! parity tests (exported JSON must predict what smartcore predicts) fail here first.
//!
//! smartcore's layout (0.7): `{"tree_regressor": {"nodes": [{"output", "split_feature",
//! "split_value", "true_child", "false_child", ..}]}}` for a tree and
//! `{"forest_regressor": {"trees": [{"nodes": [..]}, ..]}}` for a random forest; a row goes to
//! `true_child` when `x[split_feature] <= split_value`, and a node without children is a leaf.

use anyhow::{anyhow, bail, Context};
use serde::Deserialize;
use smartcore::ensemble::random_forest_regressor::RandomForestRegressor;
use smartcore::linalg::basic::arrays::{Array1, Array2};
use smartcore::numbers::basenum::Number;
use smartcore::numbers::floatnum::FloatNumber;
use smartcore::tree::decision_tree_regressor::DecisionTreeRegressor;

#[derive(Deserialize)]
struct Node {
    output: f64,
    split_feature: usize,
    split_value: Option<f64>,
    true_child: Option<usize>,
    false_child: Option<usize>,
}

/// Every tree of a fitted smartcore random forest, as flat node arrays, in forest order.
pub fn forest_trees<TX, X, Y>(
    forest: &RandomForestRegressor<TX, f64, X, Y>,
) -> anyhow::Result<Vec<model::Tree>>
where
    TX: Number + FloatNumber + PartialOrd,
    X: Array2<TX>,
    Y: Array1<f64>,
    RandomForestRegressor<TX, f64, X, Y>: serde::Serialize,
{
    let value = serde_json::to_value(forest).context("serializing a smartcore forest")?;
    let trees = value
        .pointer("/forest_regressor/trees")
        .and_then(|t| t.as_array())
        .ok_or_else(|| anyhow!("smartcore forest layout changed: no forest_regressor.trees"))?;
    trees
        .iter()
        .enumerate()
        .map(|(i, tree)| {
            let nodes = tree
                .get("nodes")
                .ok_or_else(|| anyhow!("smartcore forest layout changed: tree {i} has no nodes"))?;
            let nodes: Vec<Node> = serde_json::from_value(nodes.clone())
                .with_context(|| format!("smartcore forest layout changed: tree {i}"))?;
            nodes_to_tree(&nodes)
        })
        .collect()
}

/// A fitted smartcore regression tree as flat node arrays.
pub fn regressor_tree<TX, X, Y>(
    tree: &DecisionTreeRegressor<TX, f64, X, Y>,
) -> anyhow::Result<model::Tree>
where
    TX: Number + PartialOrd,
    X: Array2<TX>,
    Y: Array1<f64>,
    DecisionTreeRegressor<TX, f64, X, Y>: serde::Serialize,
{
    let value = serde_json::to_value(tree).context("serializing a smartcore tree")?;
    let nodes = value
        .pointer("/tree_regressor/nodes")
        .ok_or_else(|| anyhow!("smartcore tree layout changed: no tree_regressor.nodes"))?;
    let nodes: Vec<Node> = serde_json::from_value(nodes.clone())
        .context("smartcore tree layout changed: nodes do not parse")?;
    nodes_to_tree(&nodes)
}

fn nodes_to_tree(nodes: &[Node]) -> anyhow::Result<model::Tree> {
    let n = nodes.len();
    let mut t = model::Tree {
        feature: Vec::with_capacity(n),
        threshold: Vec::with_capacity(n),
        left: Vec::with_capacity(n),
        right: Vec::with_capacity(n),
        value: Vec::with_capacity(n),
    };
    for (i, node) in nodes.iter().enumerate() {
        t.value.push(node.output);
        match (node.true_child, node.false_child, node.split_value) {
            (Some(l), Some(r), Some(threshold)) => {
                t.feature.push(i32::try_from(node.split_feature)?);
                t.threshold.push(threshold);
                t.left.push(i32::try_from(l)?);
                t.right.push(i32::try_from(r)?);
            }
            (None, None, _) => {
                t.feature.push(-1);
                t.threshold.push(0.0);
                t.left.push(-1);
                t.right.push(-1);
            }
            _ => bail!("smartcore node {i} has one child or no split value"),
        }
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array1, Array2};
    use smartcore::tree::decision_tree_regressor::DecisionTreeRegressorParameters;

    #[test]
    fn the_root_split_and_node_values_read_back_as_smartcore_fitted_them() {
        let x: Array2<f64> = array![[1.0, 5.0], [1.0, 6.0], [2.0, 5.0], [2.0, 6.0]];
        let y: Array1<f64> = array![0.0, 0.0, 10.0, 10.0];
        let fitted = DecisionTreeRegressor::fit(
            &x,
            &y,
            DecisionTreeRegressorParameters::default().with_max_depth(3),
        )
        .unwrap();
        let t = regressor_tree(&fitted).unwrap();
        // The informative split comes first: feature 0 between 1 and 2, root value the mean.
        assert_eq!(t.feature[0], 0);
        assert!(t.threshold[0] >= 1.0 && t.threshold[0] < 2.0);
        assert_eq!(t.value[0], 5.0);
        assert_eq!(t.value[t.left[0] as usize], 0.0);
        assert_eq!(t.value[t.right[0] as usize], 10.0);
        // Leaves have no children and no feature; inner nodes point forward.
        for i in 0..t.value.len() {
            if t.left[i] == -1 {
                assert_eq!((t.right[i], t.feature[i]), (-1, -1));
            } else {
                assert!(t.left[i] > i as i32 && t.right[i] > i as i32);
            }
        }
    }

    #[test]
    fn deeper_trees_predict_what_smartcore_predicts() {
        let n = 200;
        let x = Array2::from_shape_fn((n, 3), |(i, j)| ((i * 37 + j * 11) % 17) as f64);
        let y: Array1<f64> = x
            .rows()
            .into_iter()
            .map(|r| r[0] * 2.0 - r[1] + (r[2] % 3.0))
            .collect();
        let fitted = DecisionTreeRegressor::fit(
            &x,
            &y,
            DecisionTreeRegressorParameters::default().with_max_depth(6),
        )
        .unwrap();
        let t = regressor_tree(&fitted).unwrap();
        assert!(t.value.len() > 15);
        let expected = fitted.predict(&x).unwrap();
        for (i, row) in x.rows().into_iter().enumerate() {
            let mut node = 0usize;
            while t.left[node] >= 0 {
                node = if row[t.feature[node] as usize] <= t.threshold[node] {
                    t.left[node] as usize
                } else {
                    t.right[node] as usize
                };
            }
            assert_eq!(t.value[node], expected[i], "row {i}");
        }
    }
}
