//! Our own regression-tree builder, shared by the boosting families: exact greedy splits,
//! depth-first, per-row weights and a pluggable leaf/gain [`Rule`]. It writes [`model::Tree`]
//! node arrays directly, so what the trainer predicts and what it exports are the same arrays
//! walked by the same rule.
//!
//! Exact, yet histogram-shaped: [`Binned::new`] sorts every column once per fit and gives each
//! distinct value its own bin, so a node's histogram holds every candidate split of the exact
//! greedy algorithm, the midpoints between consecutive distinct values the node's rows take
//! (scikit-learn's thresholds). A tree then costs one pass over its rows per level (the
//! smaller child's histogram is summed; the larger one is the parent's minus it) instead of a
//! sort per node, and the binning is reused by every tree of the fit.

use ndarray::Array2;

/// A node's sums: `count` rows (with multiplicity) and the rule's two moments, `a` and `b`.
/// Squared error: `a = Σ w·y`, `b = Σ w`. Second order: `a = Σ g`, `b = Σ h`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Stats {
    pub count: f64,
    pub a: f64,
    pub b: f64,
}

impl Stats {
    fn add(&mut self, s: &Stats) {
        self.count += s.count;
        self.a += s.a;
        self.b += s.b;
    }

    fn minus(&self, s: &Stats) -> Stats {
        Stats {
            count: self.count - s.count,
            a: self.a - s.a,
            b: self.b - s.b,
        }
    }
}

/// How a node's output and a split's gain follow from the sums.
pub(crate) trait Rule {
    /// The node's output: a leaf's prediction, an inner node's before the split.
    fn value(&self, node: &Stats) -> f64;
    /// The gain of splitting `node` into `left` and `right`, or `None` when the split is not
    /// allowed or gains nothing.
    fn gain(&self, node: &Stats, left: &Stats, right: &Stats) -> Option<f64>;
}

/// Weighted squared error, split by Friedman's improvement `w_L·w_R·(ȳ_L − ȳ_R)² / (w_L + w_R)`
/// (scikit-learn's `friedman_mse`, as gradient boosting uses it). For squared error this is
/// exactly the decrease of the weighted sum of squares, so it picks the splits
/// [`SquaredError`] picks; it is written the way scikit-learn computes it.
pub(crate) struct FriedmanMse;

/// Weighted squared error, split by the decrease of the weighted sum of squares
/// `Σ_L²/w_L + Σ_R²/w_R − Σ²/w` (scikit-learn's `squared_error`, as AdaBoost's trees use it).
pub(crate) struct SquaredError;

/// A split must gain more than this share of the node's weight: a node whose targets are all
/// equal gains only rounding noise and stays a leaf (scikit-learn: impurity ≤ ε).
const MIN_GAIN_PER_WEIGHT: f64 = f64::EPSILON;

fn weighted_mean(s: &Stats) -> f64 {
    if s.b > 0.0 {
        s.a / s.b
    } else {
        0.0
    }
}

impl Rule for FriedmanMse {
    fn value(&self, node: &Stats) -> f64 {
        weighted_mean(node)
    }

    fn gain(&self, node: &Stats, left: &Stats, right: &Stats) -> Option<f64> {
        if left.b <= 0.0 || right.b <= 0.0 {
            return None;
        }
        let diff = right.b * left.a - left.b * right.a;
        let gain = diff * diff / (left.b * right.b * (left.b + right.b));
        (gain > MIN_GAIN_PER_WEIGHT * node.b).then_some(gain)
    }
}

impl Rule for SquaredError {
    fn value(&self, node: &Stats) -> f64 {
        weighted_mean(node)
    }

    fn gain(&self, node: &Stats, left: &Stats, right: &Stats) -> Option<f64> {
        if left.b <= 0.0 || right.b <= 0.0 || node.b <= 0.0 {
            return None;
        }
        let gain =
            left.a * left.a / left.b + right.a * right.a / right.b - node.a * node.a / node.b;
        (gain > MIN_GAIN_PER_WEIGHT * node.b).then_some(gain)
    }
}

/// XGBoost's second-order rule: leaf weight `−G/(H+λ)`, split gain
/// `½[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)] − γ`, kept only when positive and when both
/// children hold a hessian sum of at least `min_child_weight`. (XGBoost's own code compares
/// the gain without the ½ against γ, so its `gamma` is twice this one; with γ = 0, the
/// default, both agree.)
pub(crate) struct Newton {
    pub lambda: f64,
    pub gamma: f64,
    pub min_child_weight: f64,
}

impl Newton {
    fn score(&self, s: &Stats) -> f64 {
        let d = s.b + self.lambda;
        if d > 0.0 {
            s.a * s.a / d
        } else {
            0.0
        }
    }
}

impl Rule for Newton {
    fn value(&self, node: &Stats) -> f64 {
        let d = node.b + self.lambda;
        if d > 0.0 {
            -node.a / d
        } else {
            0.0
        }
    }

    fn gain(&self, node: &Stats, left: &Stats, right: &Stats) -> Option<f64> {
        if left.b < self.min_child_weight || right.b < self.min_child_weight {
            return None;
        }
        let gain = 0.5 * (self.score(left) + self.score(right) - self.score(node)) - self.gamma;
        (gain > 0.0).then_some(gain)
    }
}

/// The shape limits of one tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shape {
    pub max_depth: usize,
    /// Each child keeps at least this many rows (counted with multiplicity).
    pub min_samples_leaf: usize,
}

/// A design matrix sorted once per fit: each column's distinct values in ascending order, and
/// each row's bin (the rank of its value) in every column.
pub(crate) struct Binned {
    n_rows: usize,
    n_features: usize,
    /// `values[f]`: the distinct values of column `f`, ascending.
    values: Vec<Vec<f64>>,
    /// `offset[f]`: where column `f`'s bins start in a histogram; `offset[n_features]` is the
    /// histogram's length.
    offset: Vec<usize>,
    /// Row-major: `bin[r * n_features + f]` is row `r`'s histogram slot in column `f`.
    bin: Vec<u32>,
    /// `common[f]`: the slot of column `f`'s most frequent value. Histograms skip it while
    /// summing rows and fill it in from the node's total afterwards (LightGBM's trick): a
    /// one-hot row then touches one slot per categorical feature instead of one per column.
    common: Vec<usize>,
    /// Row `r`'s slots other than the common ones: `rare[rare_start[r]..rare_start[r + 1]]`.
    rare: Vec<u32>,
    rare_start: Vec<usize>,
    /// The matrix itself, row-major, to walk the trees.
    x: Vec<f64>,
}

impl Binned {
    /// Sorts the columns of `x`; refuses a non-finite value or a matrix without columns.
    pub fn new(x: &Array2<f64>) -> anyhow::Result<Self> {
        let (n_rows, n_features) = x.dim();
        anyhow::ensure!(n_features > 0, "the design matrix has no columns");
        anyhow::ensure!(n_rows > 0, "the design matrix has no rows");
        let flat = x.as_standard_layout().iter().copied().collect::<Vec<f64>>();
        if let Some(i) = flat.iter().position(|v| !v.is_finite()) {
            anyhow::bail!(
                "row {} column {} of the design matrix is {}",
                i / n_features,
                i % n_features,
                flat[i]
            );
        }
        let mut values = Vec::with_capacity(n_features);
        let mut offset = Vec::with_capacity(n_features + 1);
        let mut bin = vec![0u32; n_rows * n_features];
        let mut total = 0usize;
        let mut common = Vec::with_capacity(n_features);
        for f in 0..n_features {
            let mut column: Vec<(f64, u32)> = (0..n_rows)
                .map(|r| (flat[r * n_features + f], r as u32))
                .collect();
            column.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut distinct: Vec<f64> = Vec::new();
            let mut rows_per_value: Vec<usize> = Vec::new();
            for &(v, r) in &column {
                if distinct.last() != Some(&v) {
                    distinct.push(v);
                    rows_per_value.push(0);
                }
                *rows_per_value.last_mut().expect("just pushed") += 1;
                bin[r as usize * n_features + f] = (total + distinct.len() - 1) as u32;
            }
            // The first of the most frequent values.
            let most = (0..distinct.len())
                .max_by_key(|&j| (rows_per_value[j], std::cmp::Reverse(j)))
                .expect("the column has rows");
            common.push(total + most);
            offset.push(total);
            total += distinct.len();
            values.push(distinct);
        }
        offset.push(total);
        let mut rare = Vec::new();
        let mut rare_start = Vec::with_capacity(n_rows + 1);
        for r in 0..n_rows {
            rare_start.push(rare.len());
            let slots = &bin[r * n_features..(r + 1) * n_features];
            rare.extend(
                slots
                    .iter()
                    .zip(&common)
                    .filter(|(&b, &c)| b as usize != c)
                    .map(|(&b, _)| b),
            );
        }
        rare_start.push(rare.len());
        Ok(Self {
            n_rows,
            n_features,
            values,
            offset,
            bin,
            common,
            rare,
            rare_start,
            x: flat,
        })
    }

    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Row `r` of the matrix.
    pub fn row(&self, r: usize) -> &[f64] {
        &self.x[r * self.n_features..(r + 1) * self.n_features]
    }
}

/// A threshold strictly between two consecutive distinct values, scikit-learn's way: their
/// midpoint, or the lower value when rounding puts the midpoint on the upper one.
fn midpoint(lo: f64, hi: f64) -> f64 {
    let t = lo / 2.0 + hi / 2.0;
    if t >= hi || !t.is_finite() {
        lo
    } else {
        t
    }
}

/// A candidate must beat the best split so far by this factor. Gains carry rounding noise from
/// the sums (and second-order gains from subtracting the parent's score), so exact ties, such as
/// the two one-hot columns of a two-category feature, go to the first column whatever the
/// order of summation.
const TIE: f64 = 1.0 + 1e-9;

/// The best split found for a node.
struct Split {
    feature: usize,
    /// The last histogram slot (of `feature`) that goes left.
    last_left_bin: usize,
    threshold: f64,
    gain: f64,
}

/// Builds trees over one [`Binned`] matrix, reusing its buffers from tree to tree.
pub(crate) struct Builder<'a> {
    data: &'a Binned,
    /// The rows of the tree being built; every node owns a contiguous range of it.
    rows: Vec<u32>,
    scratch: Vec<u32>,
    /// Histograms no node holds at the moment.
    pool: Vec<Vec<Stats>>,
    /// `leaf[r]`: the leaf row `r` reached while the last tree grew (`NOT_GROWN_ON` if the
    /// tree was not grown on it).
    leaf: Vec<u32>,
}

const NOT_GROWN_ON: u32 = u32::MAX;

/// A node about to be appended: its rows `rows[start..end]`, their sums and histogram.
struct Pending {
    start: usize,
    end: usize,
    depth: usize,
    sums: Stats,
    hist: Vec<Stats>,
}

impl<'a> Builder<'a> {
    pub fn new(data: &'a Binned) -> Self {
        Self {
            data,
            rows: Vec::with_capacity(data.n_rows),
            scratch: Vec::with_capacity(data.n_rows),
            pool: Vec::new(),
            leaf: vec![NOT_GROWN_ON; data.n_rows],
        }
    }

    /// Grows one tree on `rows` (ascending, distinct; a row drawn k times has `count = k`
    /// in its stats) whose per-row sums are `stats[row]`.
    pub fn fit<R: Rule>(
        &mut self,
        rule: &R,
        shape: Shape,
        rows: &[u32],
        stats: &[Stats],
    ) -> model::Tree {
        debug_assert_eq!(stats.len(), self.data.n_rows);
        self.rows.clear();
        self.rows.extend_from_slice(rows);
        self.leaf.iter_mut().for_each(|l| *l = NOT_GROWN_ON);
        let mut tree = model::Tree {
            feature: Vec::new(),
            threshold: Vec::new(),
            left: Vec::new(),
            right: Vec::new(),
            value: Vec::new(),
        };
        let mut sums = Stats::default();
        for &r in rows {
            sums.add(&stats[r as usize]);
        }
        let mut hist = self.take_hist();
        self.fill_hist(&mut hist, 0, rows.len(), &sums, stats);
        let root = Pending {
            start: 0,
            end: rows.len(),
            depth: 0,
            sums,
            hist,
        };
        self.grow(rule, shape, stats, &mut tree, root);
        tree
    }

    /// The last grown tree's output for every row of the matrix: the rows it was grown on from
    /// the leaf they reached while it grew, the others by walking it (the same leaves: a
    /// threshold lies between the two values that the bins separate).
    pub fn outputs(&self, tree: &model::Tree, out: &mut [f64]) {
        for (r, o) in out.iter_mut().enumerate() {
            *o = match self.leaf[r] {
                NOT_GROWN_ON => output(tree, self.data.row(r)),
                leaf => tree.value[leaf as usize],
            };
        }
    }

    fn take_hist(&mut self) -> Vec<Stats> {
        let len = self.data.offset[self.data.n_features];
        let mut h = self.pool.pop().unwrap_or_default();
        h.clear();
        h.resize(len, Stats::default());
        h
    }

    /// Sums `rows[start..end]`, whose total is `total`, into the zeroed `hist`.
    fn fill_hist(
        &self,
        hist: &mut [Stats],
        start: usize,
        end: usize,
        total: &Stats,
        stats: &[Stats],
    ) {
        let d = self.data;
        for &r in &self.rows[start..end] {
            let r = r as usize;
            let s = &stats[r];
            for &b in &d.rare[d.rare_start[r]..d.rare_start[r + 1]] {
                hist[b as usize].add(s);
            }
        }
        for f in 0..d.n_features {
            let mut rest = *total;
            for (j, s) in hist[d.offset[f]..d.offset[f + 1]].iter().enumerate() {
                if d.offset[f] + j != d.common[f] {
                    rest = rest.minus(s);
                }
            }
            hist[d.common[f]] = rest;
        }
    }

    /// Appends `node` and its subtree; returns the node's index.
    fn grow<R: Rule>(
        &mut self,
        rule: &R,
        shape: Shape,
        stats: &[Stats],
        tree: &mut model::Tree,
        node: Pending,
    ) -> usize {
        let Pending {
            start,
            end,
            depth,
            sums,
            mut hist,
        } = node;
        let id = tree.value.len();
        tree.feature.push(-1);
        tree.threshold.push(0.0);
        tree.left.push(-1);
        tree.right.push(-1);
        tree.value.push(rule.value(&sums));

        let min_leaf = shape.min_samples_leaf.max(1) as f64;
        let split = if depth < shape.max_depth && end - start >= 2 && sums.count >= 2.0 * min_leaf {
            self.best_split(rule, &sums, &hist, min_leaf)
        } else {
            None
        };
        let Some(split) = split else {
            for &r in &self.rows[start..end] {
                self.leaf[r as usize] = id as u32;
            }
            self.pool.push(hist);
            return id;
        };

        // Stable partition: left rows keep their order, then the right rows keep theirs. The
        // children's sums come straight from their rows, in the order their own pass would
        // take them, so no node value carries subtraction error.
        let d = self.data;
        let column = &d.bin[split.feature..];
        let slot_end = (d.offset[split.feature] + split.last_left_bin) as u32;
        let (rows, scratch) = (&mut self.rows[start..end], &mut self.scratch);
        scratch.clear();
        let (mut left_sums, mut right_sums) = (Stats::default(), Stats::default());
        let mut n_left = 0;
        for i in 0..rows.len() {
            let r = rows[i];
            if column[r as usize * d.n_features] <= slot_end {
                rows[n_left] = r;
                n_left += 1;
                left_sums.add(&stats[r as usize]);
            } else {
                scratch.push(r);
                right_sums.add(&stats[r as usize]);
            }
        }
        rows[n_left..].copy_from_slice(scratch);
        let mid = start + n_left;

        // The smaller child's histogram is summed; the parent's becomes the larger child's.
        let mut small = self.take_hist();
        let left_is_small = n_left <= end - mid;
        if left_is_small {
            self.fill_hist(&mut small, start, mid, &left_sums, stats);
        } else {
            self.fill_hist(&mut small, mid, end, &right_sums, stats);
        }
        for (h, s) in hist.iter_mut().zip(&small) {
            *h = h.minus(s);
        }
        let (left_hist, right_hist) = if left_is_small {
            (small, hist)
        } else {
            (hist, small)
        };

        tree.feature[id] = split.feature as i32;
        tree.threshold[id] = split.threshold;
        let left = Pending {
            start,
            end: mid,
            depth: depth + 1,
            sums: left_sums,
            hist: left_hist,
        };
        let left = self.grow(rule, shape, stats, tree, left);
        let right = Pending {
            start: mid,
            end,
            depth: depth + 1,
            sums: right_sums,
            hist: right_hist,
        };
        let right = self.grow(rule, shape, stats, tree, right);
        tree.left[id] = left as i32;
        tree.right[id] = right as i32;
        id
    }

    /// The split with the largest gain over every column and every boundary between two
    /// consecutive distinct values present in the node; the first one found wins a tie
    /// (see [`TIE`]).
    fn best_split<R: Rule>(
        &self,
        rule: &R,
        node: &Stats,
        hist: &[Stats],
        min_leaf: f64,
    ) -> Option<Split> {
        let mut best: Option<Split> = None;
        for f in 0..self.data.n_features {
            let bins = &hist[self.data.offset[f]..self.data.offset[f + 1]];
            let mut left = Stats::default();
            let mut previous: Option<usize> = None;
            for (j, s) in bins.iter().enumerate() {
                // Counts are whole numbers, exact even after subtraction.
                if s.count == 0.0 {
                    continue;
                }
                if let Some(pj) = previous {
                    let right = node.minus(&left);
                    if left.count >= min_leaf && right.count >= min_leaf {
                        if let Some(gain) = rule.gain(node, &left, &right) {
                            if best.as_ref().is_none_or(|b| gain > b.gain * TIE) {
                                let v = &self.data.values[f];
                                best = Some(Split {
                                    feature: f,
                                    last_left_bin: pj,
                                    threshold: midpoint(v[pj], v[j]),
                                    gain,
                                });
                            }
                        }
                    }
                }
                left.add(s);
                previous = Some(j);
            }
        }
        best
    }
}

/// The output of `tree` for `x`, by the format's rule (`x[feature] <= threshold` goes left);
/// the same walk as `model::Predictor`'s, so in-memory and exported predictions agree exactly.
pub(crate) fn output(tree: &model::Tree, x: &[f64]) -> f64 {
    let mut i = 0usize;
    while tree.left[i] >= 0 {
        i = if x[tree.feature[i] as usize] <= tree.threshold[i] {
            tree.left[i] as usize
        } else {
            tree.right[i] as usize
        };
    }
    tree.value[i]
}

/// The rows of `x`, row-major, as one slice per row (`x` has at least one column).
pub(crate) fn row_major(x: &Array2<f64>, width: usize) -> anyhow::Result<Vec<f64>> {
    anyhow::ensure!(
        x.ncols() == width,
        "the matrix has {} columns, the model {width}",
        x.ncols()
    );
    Ok(x.as_standard_layout().iter().copied().collect())
}

/// Trees summed: `base + scale · Σ tree outputs` ([`model::Aggregation::Sum`]), the shape of
/// both gradient boosting families.
pub(crate) struct Additive {
    pub base: f64,
    pub scale: f64,
    pub trees: Vec<model::Tree>,
    /// The number of columns the trees were grown on.
    pub width: usize,
}

impl Additive {
    /// Predictions of the first `n` trees for every requested `n` in `stages` (more than the
    /// trees there are means all of them), each computed as the exported model computes it.
    pub fn staged(&self, x: &Array2<f64>, stages: &[usize]) -> anyhow::Result<Vec<Vec<f64>>> {
        let flat = row_major(x, self.width)?;
        let mut out = vec![Vec::with_capacity(x.nrows()); stages.len()];
        let mut outputs = Vec::with_capacity(self.trees.len());
        for row in flat.chunks_exact(self.width) {
            outputs.clear();
            outputs.extend(self.trees.iter().map(|t| output(t, row)));
            for (o, &n) in out.iter_mut().zip(stages) {
                let n = n.min(outputs.len());
                o.push(self.base + self.scale * outputs[..n].iter().sum::<f64>());
            }
        }
        Ok(out)
    }
}

impl super::StagedModel for Additive {
    fn predict_stages(&self, x: &Array2<f64>, stages: &[usize]) -> anyhow::Result<Vec<Vec<f64>>> {
        self.staged(x, stages)
    }
}

impl super::Fitted for Additive {
    fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<f64>> {
        Ok(self
            .staged(x, &[self.trees.len()])?
            .pop()
            .expect("one stage"))
    }

    fn export(&self) -> anyhow::Result<model::Model> {
        Ok(model::Model::TreeEnsemble {
            trees: self.trees.clone(),
            aggregation: model::Aggregation::Sum {
                base: self.base,
                scale: self.scale,
            },
        })
    }
}

/// The mean of `y`, refusing empty or non-finite targets.
pub(crate) fn checked_mean(y: &[f64], n_rows: usize) -> anyhow::Result<f64> {
    anyhow::ensure!(y.len() == n_rows, "{} targets for {n_rows} rows", y.len());
    anyhow::ensure!(!y.is_empty(), "no training rows");
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        anyhow::bail!("target {i} is {}", y[i]);
    }
    Ok(y.iter().sum::<f64>() / y.len() as f64)
}

/// Small data sets and helpers for the boosting families' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use ndarray::{Array1, Array2};

    use crate::families::Params;

    pub fn params(pairs: &[(&str, serde_json::Value)]) -> Params {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    /// A smooth target of two columns plus a step on a 0/1 column.
    pub fn data(n: usize) -> (Array2<f64>, Array1<f64>) {
        let x = Array2::from_shape_fn((n, 3), |(i, j)| match j {
            0 => ((i * 7919) % 101) as f64 / 10.0,
            1 => ((i * 104_729) % 37) as f64 / 3.0,
            _ => (i % 2) as f64,
        });
        let y = x
            .rows()
            .into_iter()
            .map(|r| 2.0 * r[0] + (r[1] - 6.0).powi(2) / 4.0 + 5.0 * r[2])
            .collect();
        (x, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn ones(y: &[f64]) -> Vec<Stats> {
        y.iter()
            .map(|&v| Stats {
                count: 1.0,
                a: v,
                b: 1.0,
            })
            .collect()
    }

    fn all_rows(n: usize) -> Vec<u32> {
        (0..n as u32).collect()
    }

    fn deep() -> Shape {
        Shape {
            max_depth: 10,
            min_samples_leaf: 1,
        }
    }

    #[test]
    fn binning_ranks_distinct_values_per_column() {
        let x = array![[3.0, 1.0], [1.0, 1.0], [3.0, 0.0], [2.0, 1.0]];
        let b = Binned::new(&x).unwrap();
        assert_eq!(b.values, vec![vec![1.0, 2.0, 3.0], vec![0.0, 1.0]]);
        assert_eq!(b.offset, [0, 3, 5]);
        // The most frequent values (3.0 and 1.0) are left out of each row's rare slots.
        assert_eq!(b.common, [2, 4]);
        assert_eq!(b.rare, [0, 3, 1]);
        assert_eq!(b.rare_start, [0, 0, 1, 2, 3]);
        assert_eq!(b.bin, [2, 4, 0, 4, 2, 3, 1, 4]);
        assert_eq!(b.row(2), [3.0, 0.0]);
        assert!(Binned::new(&array![[1.0], [f64::NAN]]).is_err());
    }

    #[test]
    fn a_step_is_split_at_the_midpoint_and_leaves_hold_the_means() {
        let x = array![[1.0], [2.0], [3.0], [4.0]];
        let y = [10.0, 10.0, 20.0, 30.0];
        let b = Binned::new(&x).unwrap();
        let tree = Builder::new(&b).fit(&SquaredError, deep(), &all_rows(4), &ones(&y));
        assert_eq!(tree.feature[0], 0);
        assert_eq!(tree.threshold[0], 2.5);
        assert_eq!(tree.value[0], 17.5);
        for (xi, yi) in [1.0, 2.0, 3.0, 4.0].iter().zip(y) {
            assert_eq!(output(&tree, &[*xi]), yi);
        }
        // Children always come after their parent.
        for i in 0..tree.left.len() {
            if tree.left[i] >= 0 {
                assert!(tree.left[i] as usize > i && tree.right[i] as usize > i);
            }
        }
    }

    #[test]
    fn friedman_and_squared_error_choose_the_same_tree() {
        let x = array![
            [0.0, 1.5],
            [1.0, -0.3],
            [0.0, 0.7],
            [1.0, 2.2],
            [1.0, 0.1],
            [0.0, -1.0],
            [0.0, 0.4],
            [1.0, 1.1]
        ];
        let y = [3.0, 7.5, 2.0, 9.0, 6.0, 1.0, 2.5, 8.0];
        let b = Binned::new(&x).unwrap();
        let shape = Shape {
            max_depth: 3,
            min_samples_leaf: 1,
        };
        let mut builder = Builder::new(&b);
        let f = builder.fit(&FriedmanMse, shape, &all_rows(8), &ones(&y));
        let s = builder.fit(&SquaredError, shape, &all_rows(8), &ones(&y));
        assert_eq!(f.feature, s.feature);
        assert_eq!(f.threshold, s.threshold);
        assert_eq!(f.left, s.left);
    }

    #[test]
    fn limits_hold_depth_and_leaf_size() {
        let x = Array2::from_shape_fn((50, 1), |(i, _)| i as f64);
        let y: Vec<f64> = (0..50).map(|i| ((i * 37) % 11) as f64).collect();
        let b = Binned::new(&x).unwrap();
        let shape = Shape {
            max_depth: 3,
            min_samples_leaf: 7,
        };
        let tree = Builder::new(&b).fit(&SquaredError, shape, &all_rows(50), &ones(&y));
        assert!(tree.left.len() <= 15);
        let mut per_leaf = std::collections::BTreeMap::new();
        for i in 0..50 {
            let mut n = 0;
            while tree.left[n] >= 0 {
                n = if (i as f64) <= tree.threshold[n] {
                    tree.left[n] as usize
                } else {
                    tree.right[n] as usize
                };
            }
            *per_leaf.entry(n).or_insert(0) += 1;
        }
        assert!(per_leaf.values().all(|&c| c >= 7), "{per_leaf:?}");
    }

    #[test]
    fn outputs_from_the_growth_equal_walking_the_tree() {
        let (x, y) = testing::data(120);
        let b = Binned::new(&x).unwrap();
        let mut builder = Builder::new(&b);
        // Grown on every third row only; the others are walked.
        let rows: Vec<u32> = (0..120).filter(|r| r % 3 != 1).collect();
        let shape = Shape {
            max_depth: 4,
            min_samples_leaf: 2,
        };
        let tree = builder.fit(&FriedmanMse, shape, &rows, &ones(y.as_slice().unwrap()));
        assert!(tree.left.len() > 7);
        let mut out = vec![0.0; 120];
        builder.outputs(&tree, &mut out);
        for (r, o) in out.iter().enumerate() {
            assert_eq!(*o, output(&tree, b.row(r)), "row {r}");
        }
    }

    #[test]
    fn constant_targets_make_a_single_leaf() {
        let x = Array2::from_shape_fn((20, 2), |(i, j)| (i * (j + 1)) as f64);
        let b = Binned::new(&x).unwrap();
        let y = vec![0.1; 20];
        let tree = Builder::new(&b).fit(&FriedmanMse, deep(), &all_rows(20), &ones(&y));
        assert_eq!(tree.left, [-1]);
        let newton = Newton {
            lambda: 1.0,
            gamma: 0.0,
            min_child_weight: 1.0,
        };
        let tree = Builder::new(&b).fit(&newton, deep(), &all_rows(20), &ones(&y));
        assert_eq!(tree.left, [-1]);
        assert!((tree.value[0] - (-2.0 / 21.0)).abs() < 1e-15);
    }

    #[test]
    fn weights_and_multiplicities_count_like_repeated_rows() {
        // Row 1 drawn three times is the same as three copies of it.
        let x = array![[0.0], [1.0], [2.0], [3.0]];
        let y = [4.0, 5.0, 2.0, 8.0];
        let counts = [1.0, 3.0, 0.0, 2.0];
        let stats: Vec<Stats> = y
            .iter()
            .zip(counts)
            .map(|(&v, c)| Stats {
                count: c,
                a: c * v,
                b: c,
            })
            .collect();
        let b = Binned::new(&x).unwrap();
        let shape = Shape {
            max_depth: 1,
            min_samples_leaf: 1,
        };
        let tree = Builder::new(&b).fit(&SquaredError, shape, &[0, 1, 3], &stats);
        let x2 = array![[0.0], [1.0], [1.0], [1.0], [3.0], [3.0]];
        let y2 = [4.0, 5.0, 5.0, 5.0, 8.0, 8.0];
        let b2 = Binned::new(&x2).unwrap();
        let copies = Builder::new(&b2).fit(&SquaredError, shape, &all_rows(6), &ones(&y2));
        assert_eq!(
            tree.threshold[0], 2.0,
            "midpoint of the drawn values 1 and 3"
        );
        assert_eq!(tree.threshold, copies.threshold);
        assert_eq!(tree.value, copies.value);
    }

    #[test]
    fn newton_respects_min_child_weight_and_gamma() {
        let x = array![[0.0], [1.0], [2.0], [3.0]];
        let g = [-4.0, -4.0, 4.0, 4.0];
        let b = Binned::new(&x).unwrap();
        let rule = |gamma, mcw| Newton {
            lambda: 1.0,
            gamma,
            min_child_weight: mcw,
        };
        let mut builder = Builder::new(&b);
        let split = builder.fit(&rule(0.0, 1.0), deep(), &all_rows(4), &ones(&g));
        assert_eq!(split.threshold[0], 1.5);
        // Leaf weights −G/(H+λ): −(−8)/3 and −8/3.
        assert_eq!(split.value[1], 8.0 / 3.0);
        assert_eq!(split.value[2], -8.0 / 3.0);
        // Gain ½(64/3 + 64/3 − 0) = 64/3: a larger γ forbids the split.
        assert_eq!(
            builder
                .fit(&rule(22.0, 1.0), deep(), &all_rows(4), &ones(&g))
                .left,
            [-1]
        );
        assert_eq!(
            builder
                .fit(&rule(0.0, 2.5), deep(), &all_rows(4), &ones(&g))
                .left,
            [-1]
        );
    }
}
