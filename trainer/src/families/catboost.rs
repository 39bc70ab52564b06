//! CatBoost-style gradient boosting of oblivious (symmetric) trees for squared error (CatBoost's
//! `RMSE` loss, plain boosting, `L2` score function), written out here so the exported model is
//! exactly the fitted one.
//!
//! With `r_i = y_i - F(x_i)` the residual (CatBoost's first derivative of RMSE, signed for
//! ascent; the second derivative is -1 so every row weighs 1) and `λ = l2_leaf_reg`:
//!
//! - **Baseline** `F₀ = mean(y)` (CatBoost's `boost_from_average` for RMSE).
//! - **Quantization** once per fit: each encoded column gets at most `border_count` borders
//!   (see [`quantize`]); one-hot columns get the single border 0.5.
//! - **Structure**: level by level, the one (feature, border) used by every node of the level is
//!   the one maximising CatBoost's `L2` score over all leaves the level creates,
//!   `Σ_leaves G²/(n + λ)` with `G = Σ r_i` and `n` the rows in the leaf — that is, minimising
//!   the regularised squared-error loss `−Σ G²/(n + λ)`. Histograms of `(G, n)` per
//!   (leaf, feature, bin) make each level one pass over the rows. The first best candidate wins
//!   ties (lowest feature, then lowest border); a level without any border to use ends the tree.
//! - **Leaves**: `v = G/(n + λ)` (CatBoost's Newton step for RMSE, `Σ der1 / (Σ −der2 + λ)`,
//!   equal to its gradient step since every weight is 1; with the loss gradient
//!   `g_i = F − y_i` this is the familiar `−Σ g/(n + λ)`). An empty leaf gets 0.
//! - **Update**: `F ← F + learning_rate · v[leaf(x)]`; the model predicts
//!   `F₀ + learning_rate · Σ_trees v_t[leaf_t(x)]`, exactly as the exported
//!   `Aggregation::Sum { base: F₀, scale: learning_rate }` does.
//!
//! Nothing is random: no random strength, no bagging, so `seed` is not used.

use anyhow::ensure;
use ndarray::{Array1, Array2, ArrayView1};

use serde::Deserialize;

use super::{
    non_negative, number, share, whole, BadValue, Fitted, HyperParams, Staged, StagedModel,
    StagedParams,
};

mod quantize;

/// Gradient boosting of oblivious trees, as CatBoost grows them (see the module docs).
pub(crate) const CATBOOST: Staged<Checked, Booster> = Staged {
    name: "catboost",
    fit,
};

/// Deterministic: ordered boosting here draws nothing at random, so `seed` is unused.
fn fit(c: &Checked, x: &Array2<f64>, y: &Array1<f64>, _seed: u64) -> anyhow::Result<Booster> {
    Booster::fit(c, x, y)
}

/// A grid point (CatBoost's defaults).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Checked {
    depth: usize,
    learning_rate: f64,
    iterations: usize,
    l2_leaf_reg: f64,
    border_count: usize,
}

impl Default for Checked {
    fn default() -> Self {
        Self {
            depth: 6,
            learning_rate: 0.03,
            iterations: 1000,
            l2_leaf_reg: 3.0,
            border_count: 254,
        }
    }
}

impl HyperParams for Checked {
    fn check(&self) -> Result<(), BadValue> {
        whole("depth", self.depth, 1..=10)?;
        number(
            "learning_rate",
            self.learning_rate,
            share,
            "a number in (0, 1]",
        )?;
        whole("iterations", self.iterations, 1..=100_000)?;
        number(
            "l2_leaf_reg",
            self.l2_leaf_reg,
            non_negative,
            "a finite number ≥ 0",
        )?;
        whole("border_count", self.border_count, 1..=65_535)
    }
}

impl StagedParams for Checked {
    const STAGES: &'static str = "iterations";

    fn stages(&self) -> usize {
        self.iterations
    }

    fn with_stages(&self, iterations: usize) -> Self {
        Self {
            iterations,
            ..*self
        }
    }
}

/// Each stage count predicts with the booster's first trees.
impl StagedModel for Booster {
    fn predict_stages(&self, x: &Array2<f64>, stages: &[usize]) -> anyhow::Result<Vec<Vec<f64>>> {
        self.predict_staged(x, stages)
    }
}

/// One symmetric tree: level `d` tests `x[features[d]] > thresholds[d]` and sets bit `d` of the
/// leaf index, as the model format reads it.
#[derive(Debug, Clone, PartialEq)]
struct Oblivious {
    features: Vec<usize>,
    thresholds: Vec<f64>,
    values: Vec<f64>,
}

impl Oblivious {
    fn leaf(&self, x: ArrayView1<'_, f64>) -> usize {
        self.features
            .iter()
            .zip(&self.thresholds)
            .enumerate()
            .map(|(d, (&f, &t))| usize::from(x[f] > t) << d)
            .sum()
    }
}

/// The fitted ensemble: `base + learning_rate · Σ tree outputs`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Booster {
    width: usize,
    base: f64,
    learning_rate: f64,
    trees: Vec<Oblivious>,
}

/// The gradient sum and row count of rows: one (leaf, bin) histogram cell, or a whole leaf.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Cell {
    g: f64,
    n: u32,
}

impl Cell {
    fn add(&mut self, g: f64) {
        self.g += g;
        self.n += 1;
    }
}

/// One column of the design matrix, quantized once per fit.
struct Column {
    /// Ascending; the column's bins are `0..=borders.len()`.
    borders: Vec<f64>,
    /// Every row's bin.
    bins: Vec<u16>,
    /// The most frequent bin. Its histogram cell is never accumulated but derived as the leaf
    /// total minus the other bins, so a one-hot column only visits the rows holding its rarer
    /// value.
    common: u16,
    /// The rows outside `common`, ascending, and their bins.
    rare_rows: Vec<u32>,
    rare_bins: Vec<u16>,
}

impl Column {
    fn new(values: impl Iterator<Item = f64> + Clone, border_count: usize) -> Self {
        let borders = quantize::borders(values.clone(), border_count);
        let bins = quantize::bins(values, &borders);
        let mut counts = vec![0usize; borders.len() + 1];
        for &b in &bins {
            counts[b as usize] += 1;
        }
        // The first of the most frequent bins.
        let common = (0..counts.len())
            .rev()
            .max_by_key(|&b| counts[b])
            .expect("a column has at least one bin") as u16;
        let (rare_rows, rare_bins) = bins
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b != common)
            .map(|(i, &b)| (i as u32, b))
            .unzip();
        Self {
            borders,
            bins,
            common,
            rare_rows,
            rare_bins,
        }
    }

    fn n_bins(&self) -> usize {
        self.borders.len() + 1
    }
}

/// The design matrix quantized once per fit, and the fit's constants.
struct Quantized {
    columns: Vec<Column>,
    /// Per column: where its bins start among all columns' bins.
    offsets: Vec<usize>,
    total_bins: usize,
    /// `1/(n + λ)` for every row count `n` a leaf can hold; 0 for an empty leaf.
    inverse: Vec<f64>,
}

impl Quantized {
    fn new(x: &Array2<f64>, border_count: usize, lambda: f64) -> Self {
        let columns: Vec<Column> = x
            .columns()
            .into_iter()
            .map(|col| Column::new(col.into_iter().copied(), border_count))
            .collect();
        let mut offsets = Vec::with_capacity(columns.len());
        let mut total_bins = 0;
        for c in &columns {
            offsets.push(total_bins);
            total_bins += c.n_bins();
        }
        let inverse = (0..=x.nrows())
            .map(|n| {
                if n == 0 {
                    0.0
                } else {
                    1.0 / (n as f64 + lambda)
                }
            })
            .collect();
        Self {
            columns,
            offsets,
            total_bins,
            inverse,
        }
    }

    /// `G²/(n + λ)`: one leaf's contribution to the `L2` score (0 when it is empty).
    fn term(&self, c: Cell) -> f64 {
        c.g * c.g * self.inverse[c.n as usize]
    }
}

/// Scratch space one fit reuses for every level of every tree.
struct Scratch {
    /// Every row's current leaf (the bits the levels chosen so far set).
    leaf: Vec<usize>,
    /// Every current leaf's total.
    totals: Vec<Cell>,
    /// (column, leaf, bin) cells: column `f`'s block starts at `offsets[f] · leaves`, then
    /// `leaf · bins_f + bin`. All zero between levels: scoring clears what it read.
    hist: Vec<Cell>,
    /// The score of each border of the column being scored.
    scores: Vec<f64>,
}

/// The (column, border index) whose split of every current leaf scores best, if any column has
/// a border: the largest `Σ_leaves G_left²/(n_left + λ) + G_right²/(n_right + λ)`, the first
/// on a tie.
fn best_split(
    q: &Quantized,
    residual: &[f64],
    leaves: usize,
    s: &mut Scratch,
) -> Option<(usize, usize)> {
    s.totals.clear();
    s.totals.resize(leaves, Cell::default());
    for (&leaf, &r) in s.leaf.iter().zip(residual) {
        s.totals[leaf].add(r);
    }
    let mut best: Option<(f64, usize, usize)> = None;
    for (f, col) in q.columns.iter().enumerate() {
        let bins_f = col.n_bins();
        if bins_f < 2 {
            continue;
        }
        let block = &mut s.hist[q.offsets[f] * leaves..][..bins_f * leaves];
        for (&row, &bin) in col.rare_rows.iter().zip(&col.rare_bins) {
            let row = row as usize;
            block[s.leaf[row] * bins_f + bin as usize].add(residual[row]);
        }
        s.scores.clear();
        s.scores.resize(bins_f - 1, 0.0);
        for (cells, &total) in block.chunks_exact_mut(bins_f).zip(&s.totals) {
            if total.n == 0 {
                continue;
            }
            let rare = cells.iter().fold(Cell::default(), |a, c| Cell {
                g: a.g + c.g,
                n: a.n + c.n,
            });
            cells[col.common as usize] = Cell {
                g: total.g - rare.g,
                n: total.n - rare.n,
            };
            let mut left = Cell::default();
            for (score, c) in s.scores.iter_mut().zip(cells.iter()) {
                left.g += c.g;
                left.n += c.n;
                let right = Cell {
                    g: total.g - left.g,
                    n: total.n - left.n,
                };
                *score += q.term(left) + q.term(right);
            }
            cells.fill(Cell::default());
        }
        for (k, &score) in s.scores.iter().enumerate() {
            if best.is_none_or(|(b, _, _)| score > b) {
                best = Some((score, f, k));
            }
        }
    }
    best.map(|(_, f, k)| (f, k))
}

/// Grows one tree of at most `depth` levels on the residuals; leaves `s.leaf` holding each
/// row's leaf.
fn grow(q: &Quantized, residual: &[f64], depth: usize, lambda: f64, s: &mut Scratch) -> Oblivious {
    s.leaf.fill(0);
    let mut features = Vec::with_capacity(depth);
    let mut thresholds = Vec::with_capacity(depth);
    for d in 0..depth {
        let Some((f, k)) = best_split(q, residual, 1 << d, s) else {
            break;
        };
        let col = &q.columns[f];
        for (leaf, &bin) in s.leaf.iter_mut().zip(&col.bins) {
            *leaf |= usize::from(bin as usize > k) << d;
        }
        features.push(f);
        thresholds.push(col.borders[k]);
    }
    let mut sums = vec![Cell::default(); 1 << features.len()];
    for (&leaf, &r) in s.leaf.iter().zip(residual) {
        sums[leaf].add(r);
    }
    let values = sums
        .into_iter()
        .map(|c| {
            if c.n == 0 {
                0.0
            } else {
                c.g / (f64::from(c.n) + lambda)
            }
        })
        .collect();
    Oblivious {
        features,
        thresholds,
        values,
    }
}

impl Booster {
    fn fit(c: &Checked, x: &Array2<f64>, y: &Array1<f64>) -> anyhow::Result<Self> {
        let (n, width) = x.dim();
        ensure!(n > 0, "catboost: no rows to fit");
        ensure!(y.len() == n, "catboost: {} targets for {n} rows", y.len());
        ensure!(u32::try_from(n).is_ok(), "catboost: {n} rows are too many");
        ensure!(
            x.iter().chain(y).all(|v| v.is_finite()),
            "catboost: the design matrix or the target holds a non-finite number"
        );
        let q = Quantized::new(x, c.border_count, c.l2_leaf_reg);
        let mut s = Scratch {
            leaf: vec![0; n],
            totals: Vec::new(),
            hist: vec![Cell::default(); q.total_bins << (c.depth - 1)],
            scores: Vec::new(),
        };
        let base = y.sum() / n as f64;
        let mut approx = vec![base; n];
        let mut residual = vec![0.0; n];
        let mut trees = Vec::with_capacity(c.iterations);
        for _ in 0..c.iterations {
            for ((r, &t), &f) in residual.iter_mut().zip(y).zip(&approx) {
                *r = t - f;
            }
            let tree = grow(&q, &residual, c.depth, c.l2_leaf_reg, &mut s);
            for (f, &leaf) in approx.iter_mut().zip(&s.leaf) {
                *f += c.learning_rate * tree.values[leaf];
            }
            trees.push(tree);
        }
        Ok(Self {
            width,
            base,
            learning_rate: c.learning_rate,
            trees,
        })
    }

    /// Predictions of the first `stages[i]` trees, for each `i`: summed tree by tree, then
    /// `base + learning_rate · sum`, the order the model format's `Sum` aggregation uses.
    fn predict_staged(&self, x: &Array2<f64>, stages: &[usize]) -> anyhow::Result<Vec<Vec<f64>>> {
        ensure!(
            x.ncols() == self.width,
            "catboost: {} columns, the model was fitted on {}",
            x.ncols(),
            self.width
        );
        if let Some(&k) = stages.iter().find(|&&k| k > self.trees.len()) {
            anyhow::bail!(
                "catboost: {k} trees asked of a model of {}",
                self.trees.len()
            );
        }
        let mut out = vec![Vec::with_capacity(x.nrows()); stages.len()];
        let mut partial = vec![0.0; self.trees.len() + 1];
        for row in x.rows() {
            let mut sum = 0.0;
            for (t, tree) in self.trees.iter().enumerate() {
                sum += tree.values[tree.leaf(row)];
                partial[t + 1] = sum;
            }
            for (o, &k) in out.iter_mut().zip(stages) {
                o.push(self.base + self.learning_rate * partial[k]);
            }
        }
        Ok(out)
    }
}

impl Fitted for Booster {
    fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<f64>> {
        let mut staged = self.predict_staged(x, &[self.trees.len()])?;
        Ok(staged.pop().expect("one stage asked, one returned"))
    }

    fn export(&self) -> anyhow::Result<model::Model> {
        let trees = self
            .trees
            .iter()
            .map(|t| {
                Ok(model::ObliviousTree {
                    features: t
                        .features
                        .iter()
                        .map(|&f| i32::try_from(f))
                        .collect::<Result<_, _>>()?,
                    thresholds: t.thresholds.clone(),
                    values: t.values.clone(),
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(model::Model::ObliviousEnsemble {
            trees,
            aggregation: model::Aggregation::Sum {
                base: self.base,
                scale: self.learning_rate,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::{Family, Params};

    /// A small design: two one-hot groups and two numeric columns, and a target from them.
    fn data(n: usize, seed: u64) -> (Array2<f64>, Array1<f64>) {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut x = Array2::zeros((n, 7));
        let mut y = Array1::zeros(n);
        for i in 0..n {
            let a = usize::from(next() < 0.6);
            let b = (next() * 3.0) as usize;
            let u = (next() * 40.0).round() / 4.0 - 5.0;
            let v = next() * 2.0 - 1.0;
            x[[i, a]] = 1.0;
            x[[i, 2 + b]] = 1.0;
            x[[i, 5]] = u;
            x[[i, 6]] = v;
            y[i] = 3.0 * a as f64 - 2.0 * b as f64 + u * u * 0.3 + 4.0 * v + next();
        }
        (x, y)
    }

    /// The score of splitting every leaf by `x[f] > border`, straight from the rows.
    fn naive_score(
        x: &Array2<f64>,
        r: &[f64],
        leaf: &[usize],
        f: usize,
        t: f64,
        lambda: f64,
    ) -> f64 {
        let leaves = leaf.iter().max().unwrap() + 1;
        let mut sums = vec![(0.0, 0.0); 2 * leaves];
        for i in 0..r.len() {
            let side = usize::from(x[[i, f]] > t);
            sums[2 * leaf[i] + side].0 += r[i];
            sums[2 * leaf[i] + side].1 += 1.0;
        }
        sums.iter()
            .filter(|(_, n)| *n > 0.0)
            .map(|(g, n)| g * g / (n + lambda))
            .sum()
    }

    #[test]
    fn histogram_scores_pick_a_split_the_rows_score_best() {
        let (x, y) = data(300, 1);
        let lambda = 3.0;
        let q = Quantized::new(&x, 254, lambda);
        let mean = y.sum() / y.len() as f64;
        let r: Vec<f64> = y.iter().map(|v| v - mean).collect();
        let mut s = Scratch {
            leaf: vec![0; y.len()],
            totals: Vec::new(),
            hist: vec![Cell::default(); q.total_bins << 3],
            scores: Vec::new(),
        };
        for d in 0..4 {
            let (f, k) = best_split(&q, &r, 1 << d, &mut s).unwrap();
            let t = q.columns[f].borders[k];
            let chosen = naive_score(&x, &r, &s.leaf, f, t, lambda);
            for (g, col) in q.columns.iter().enumerate() {
                for &b in &col.borders {
                    let other = naive_score(&x, &r, &s.leaf, g, b, lambda);
                    assert!(
                        other <= chosen + 1e-9 * chosen.abs(),
                        "level {d}: {g} > {b} scores {other}, chosen {f} > {t} {chosen}"
                    );
                }
            }
            for (i, leaf) in s.leaf.iter_mut().enumerate() {
                *leaf |= usize::from(x[[i, f]] > t) << d;
            }
            assert!(s.hist.iter().all(|c| *c == Cell::default()));
        }
    }

    fn params(json: serde_json::Value) -> Params {
        serde_json::from_value(json).unwrap()
    }

    fn error(json: serde_json::Value) -> String {
        CATBOOST.check(&params(json)).unwrap_err().to_string()
    }

    #[test]
    fn parameters_are_checked_and_named() {
        assert_eq!(
            CATBOOST.checked(&Params::new()).unwrap(),
            Checked {
                depth: 6,
                learning_rate: 0.03,
                iterations: 1000,
                l2_leaf_reg: 3.0,
                border_count: 254,
            }
        );
        CATBOOST
            .check(&params(serde_json::json!({
                "depth": 10, "learning_rate": 1, "iterations": 1, "l2_leaf_reg": 0,
                "border_count": 1
            })))
            .unwrap();
        for (bad, name) in [
            (serde_json::json!({"max_depth": 3}), "max_depth"),
            (serde_json::json!({"depth": 0}), "depth"),
            (serde_json::json!({"depth": 11}), "depth"),
            (serde_json::json!({"depth": 6.5}), "depth"),
            (serde_json::json!({"learning_rate": 0.0}), "learning_rate"),
            (serde_json::json!({"learning_rate": 1.5}), "learning_rate"),
            (
                serde_json::json!({"learning_rate": "fast"}),
                "learning_rate",
            ),
            (serde_json::json!({"iterations": 0}), "iterations"),
            (serde_json::json!({"l2_leaf_reg": -1.0}), "l2_leaf_reg"),
            (serde_json::json!({"border_count": 0}), "border_count"),
            (serde_json::json!({"border_count": 65536}), "border_count"),
        ] {
            let message = error(bad.clone());
            assert!(
                message.starts_with(&format!("[catboost] {name}: ")),
                "{bad}: {message}"
            );
        }
    }

    fn fit(x: &Array2<f64>, y: &Array1<f64>, json: serde_json::Value) -> Booster {
        Booster::fit(&CATBOOST.checked(&params(json)).unwrap(), x, y).unwrap()
    }

    #[test]
    fn one_stump_has_the_documented_baseline_and_leaf_values() {
        // x > 1.5 splits the rows {0, 1} | {2, 3}; the baseline is the mean, 4.
        let x = Array2::from_shape_vec((4, 1), vec![1.0, 1.0, 2.0, 2.0]).unwrap();
        let y = Array1::from(vec![1.0, 3.0, 5.0, 7.0]);
        let b = fit(
            &x,
            &y,
            serde_json::json!({"depth": 1, "iterations": 1, "learning_rate": 0.5, "l2_leaf_reg": 2.0}),
        );
        assert_eq!(b.base, 4.0);
        assert_eq!(b.trees.len(), 1);
        let tree = &b.trees[0];
        assert_eq!(
            (tree.features.as_slice(), tree.thresholds.as_slice()),
            (&[0][..], &[1.5][..])
        );
        // Residuals -3, -1 | 1, 3: v = G/(n + λ) = -4/4 | 4/4.
        assert_eq!(tree.values, [-1.0, 1.0]);
        assert_eq!(b.predict(&x).unwrap(), [3.5, 3.5, 4.5, 4.5]);
    }

    #[test]
    fn without_regularisation_a_deep_enough_tree_fits_the_cell_means() {
        let (x, y) = data(200, 3);
        let b = fit(
            &x,
            &y,
            serde_json::json!({"depth": 10, "iterations": 200, "learning_rate": 1.0, "l2_leaf_reg": 0.0}),
        );
        let predicted = b.predict(&x).unwrap();
        let mse = predicted
            .iter()
            .zip(&y)
            .map(|(p, t)| (p - t).powi(2))
            .sum::<f64>()
            / y.len() as f64;
        assert!(mse < 0.05, "training MSE {mse}");
    }

    #[test]
    fn boosting_lowers_the_validation_error_of_the_mean() {
        let (x, y) = data(400, 4);
        let (xv, yv) = data(200, 5);
        let b = fit(
            &x,
            &y,
            serde_json::json!({"iterations": 100, "learning_rate": 0.1}),
        );
        let mse = |p: &[f64]| {
            p.iter().zip(&yv).map(|(p, t)| (p - t).powi(2)).sum::<f64>() / yv.len() as f64
        };
        let baseline = mse(&vec![b.base; yv.len()]);
        let boosted = mse(&b.predict(&xv).unwrap());
        assert!(boosted < 0.1 * baseline, "{boosted} vs {baseline}");
    }

    #[test]
    fn a_group_fit_predicts_each_iteration_count_as_its_own_fit_does() {
        let (x, y) = data(150, 6);
        let (xv, _) = data(40, 7);
        let grid: Vec<Params> = [30, 5, 12]
            .iter()
            .map(|&it| {
                params(serde_json::json!({"depth": 4, "learning_rate": 0.2, "iterations": it}))
            })
            .collect();
        assert_eq!(CATBOOST.groups(&grid), [vec![0, 1, 2]]);
        let members: Vec<&Params> = grid.iter().collect();
        let staged = CATBOOST
            .fit_predict_group(&members, &x, &y, &xv, 0)
            .unwrap();
        for (p, s) in grid.iter().zip(&staged) {
            assert_eq!(
                &CATBOOST.fit(p, &x, &y, 0).unwrap().predict(&xv).unwrap(),
                s
            );
        }
        // Points differing in more than iterations are never fitted together.
        let other = params(serde_json::json!({"depth": 5, "learning_rate": 0.2, "iterations": 3}));
        assert!(CATBOOST
            .fit_predict_group(&[&grid[0], &other], &x, &y, &xv, 0)
            .is_err());
    }

    /// The model format's rule, written out again: bit `d` when `x[features[d]] > thresholds[d]`,
    /// then `base + scale · Σ values[leaf]`.
    fn exported_predict(model: &model::Model, x: &[f64]) -> f64 {
        let model::Model::ObliviousEnsemble {
            trees,
            aggregation: model::Aggregation::Sum { base, scale },
        } = model
        else {
            panic!("not an oblivious ensemble with a sum: {model:?}");
        };
        let outputs = trees.iter().map(|t| {
            let mut leaf = 0;
            for (d, (&f, &th)) in t.features.iter().zip(&t.thresholds).enumerate() {
                if x[f as usize] > th {
                    leaf |= 1 << d;
                }
            }
            t.values[leaf]
        });
        base + scale * outputs.sum::<f64>()
    }

    #[test]
    fn the_export_predicts_exactly_what_the_fit_does_even_on_the_thresholds() {
        let (x, y) = data(300, 8);
        let b = fit(
            &x,
            &y,
            serde_json::json!({"depth": 6, "iterations": 40, "learning_rate": 0.1}),
        );
        let exported = b.export().unwrap();
        // Also rows sitting exactly on every threshold a tree uses.
        let mut rows: Vec<Vec<f64>> = x.rows().into_iter().map(|r| r.to_vec()).collect();
        for t in &b.trees {
            for (&f, &th) in t.features.iter().zip(&t.thresholds) {
                let mut row = rows[0].clone();
                row[f] = th;
                rows.push(row);
            }
        }
        let all = Array2::from_shape_vec(
            (rows.len(), x.ncols()),
            rows.iter().flatten().copied().collect(),
        )
        .unwrap();
        let in_memory = b.predict(&all).unwrap();
        for (row, p) in rows.iter().zip(&in_memory) {
            assert_eq!(exported_predict(&exported, row), *p);
        }
        // Survives JSON unchanged (thresholds included).
        let text = serde_json::to_string(&exported).unwrap();
        assert_eq!(
            serde_json::from_str::<model::Model>(&text).unwrap(),
            exported
        );
    }

    #[test]
    fn fits_are_deterministic_and_constant_columns_grow_no_levels() {
        let (x, y) = data(120, 9);
        let json = serde_json::json!({"depth": 5, "iterations": 20, "learning_rate": 0.3});
        assert_eq!(fit(&x, &y, json.clone()), fit(&x, &y, json.clone()));
        let constant = Array2::from_elem((10, 3), 2.0);
        let y = Array1::from_iter((0..10).map(f64::from));
        let b = fit(&constant, &y, json);
        assert!(b
            .trees
            .iter()
            .all(|t| t.features.is_empty() && t.values == [0.0]));
        assert_eq!(b.predict(&constant).unwrap(), [4.5; 10]);
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let (x, y) = data(20, 10);
        let c = CATBOOST.checked(&Params::new()).unwrap();
        let mut nan = x.clone();
        nan[[3, 5]] = f64::NAN;
        assert!(Booster::fit(&c, &nan, &y).is_err());
        assert!(Booster::fit(&c, &x, &y.slice(ndarray::s![..10]).to_owned()).is_err());
        assert!(Booster::fit(&c, &Array2::zeros((0, 7)), &Array1::zeros(0)).is_err());
        let b = fit(&x, &y, serde_json::json!({"iterations": 3}));
        assert!(b.predict(&Array2::zeros((2, 6))).is_err());
    }
}
