//! Preprocessing and inference: the one code path the trainer's `predict`, the tests and the
//! browser all use.

use crate::error::{FieldError, FormatError, InputError, Problem};
use crate::fields::category_index;
use crate::format::{
    Aggregation, Feature, KnnWeighting, Model, ModelBundle, ObliviousTree, Preprocessor, Step, Tree,
};
use crate::student::Student;
use crate::text::{number, read_number};
use crate::validate::{validate, validate_features, validate_steps};

/// One prediction as every surface shows it: the model's raw estimate limited to the target's
/// range, and the interval around that value limited the same way.
///
/// `low ≤ value ≤ high` always holds. The interval is `value ± half_width` cut to the range, so
/// it contains the in-range part of `raw ± half_width`, the interval the trainer calibrated:
/// its coverage is never lower than the calibrated one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The prediction, within the target's range.
    pub value: f64,
    /// The interval's bounds (when the model has an interval), within the target's range.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The model's own output before the limit (what explanations explain).
    pub raw: f64,
}

impl Estimate {
    /// Whether the raw estimate fell outside the target's range (and `value` is its limit).
    pub fn beyond_range(&self) -> bool {
        self.raw != self.value
    }
}

/// Where a filled-in value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// A score: the training median.
    Median,
    /// A category: the most frequent training category.
    MostFrequent,
}

/// A field that was empty and that the model's preprocessing filled in ([`Missing::Impute`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Filled {
    /// The column name, e.g. `"reading_score"`.
    pub field: String,
    /// The column's label, e.g. `"Reading score"`.
    pub label: String,
    /// The value used, as text (`"70"`, `"standard"`).
    pub value: String,
    pub from: Fill,
}

impl std::fmt::Display for Filled {
    /// `Reading score empty: used 70, the training median`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let from = match self.from {
            Fill::Median => "the training median",
            Fill::MostFrequent => "the most frequent value",
        };
        write!(f, "{} empty: used {}, {from}", self.label, self.value)
    }
}

/// What to do with a missing field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Use the training median / most frequent category (batch files, the CLI).
    Impute,
    /// Report it as a field error (the form, where every field is asked for).
    Reject,
}

/// A score's encoded value under its standardize step: `(v − mean) / scale`. The encoder and the
/// what-if search (which rewrites single columns) both write scores through it.
pub(crate) fn standardized(v: f64, mean: f64, scale: f64) -> f64 {
    (v - mean) / scale
}

/// Writes category `k`'s one-hot columns into `out` (one column per category): 1.0 at `k`, 0.0
/// elsewhere. The encoder and the what-if search both write categories through it.
pub(crate) fn write_one_hot(out: &mut [f64], k: usize) {
    for (j, column) in out.iter_mut().enumerate() {
        *column = if j == k { 1.0 } else { 0.0 };
    }
}

/// The preprocessing alone: checked features and steps that turn a student's raw fields into
/// the model's input vector. The trainer encodes its training data with this very code.
#[derive(Debug, Clone, Copy)]
pub struct Encoder<'a> {
    features: &'a [Feature],
    steps: &'a [Step],
    width: usize,
}

impl<'a> Encoder<'a> {
    /// Checks that the steps fit the features.
    pub fn new(
        features: &'a [Feature],
        preprocessor: &'a Preprocessor,
    ) -> Result<Self, FormatError> {
        validate_features(features, None)?;
        validate_steps(features, &preprocessor.steps)?;
        Ok(Self::new_unchecked(features, &preprocessor.steps))
    }

    fn new_unchecked(features: &'a [Feature], steps: &'a [Step]) -> Self {
        let width = features.iter().map(Feature::width).sum();
        Self {
            features,
            steps,
            width,
        }
    }

    /// The length of the encoded vector.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Checks every field and encodes the student; all field problems are reported together.
    pub fn encode(&self, student: &Student, missing: Missing) -> Result<Vec<f64>, InputError> {
        let mut x = Vec::with_capacity(self.width);
        let mut errors = Vec::new();
        for (feature, step) in self.features.iter().zip(self.steps) {
            let text = student.get(feature.name());
            if text.is_none() && missing == Missing::Reject {
                errors.push(FieldError::new(feature, Problem::Missing));
                continue;
            }
            match (feature, step) {
                (
                    Feature::Numeric { min, max, .. },
                    Step::Standardize {
                        impute,
                        mean,
                        scale,
                    },
                ) => {
                    let value = match text {
                        None => Ok(*impute),
                        Some(t) => parse_number(t, *min, *max),
                    };
                    match value {
                        Ok(v) => x.push(standardized(v, *mean, *scale)),
                        Err(problem) => errors.push(FieldError::new(feature, problem)),
                    }
                }
                (Feature::Categorical { categories, .. }, Step::OneHot { impute }) => {
                    let chosen = text.unwrap_or(impute);
                    match category_index(chosen, categories) {
                        Some(k) => {
                            let start = x.len();
                            x.resize(start + categories.len(), 0.0);
                            write_one_hot(&mut x[start..], k);
                        }
                        None => errors.push(FieldError::new(
                            feature,
                            Problem::UnknownCategory {
                                text: chosen.to_owned(),
                                allowed: categories.clone(),
                            },
                        )),
                    }
                }
                // `validate_steps` pairs every feature with a step of its kind.
                _ => unreachable!("validated preprocessing pairs feature and step kinds"),
            }
        }
        if errors.is_empty() {
            Ok(x)
        } else {
            Err(InputError { errors })
        }
    }
}

/// A validated model, ready to predict. Build it once and reuse it.
#[derive(Debug, Clone)]
pub struct Predictor {
    bundle: ModelBundle,
    width: usize,
}

impl Predictor {
    /// Parses and validates a model document.
    pub fn from_json(json: &str) -> Result<Self, FormatError> {
        let bundle: ModelBundle = serde_json::from_str(json)?;
        Self::new(bundle)
    }

    /// Validates a bundle (the trainer calls this before it writes one).
    pub fn new(bundle: ModelBundle) -> Result<Self, FormatError> {
        validate(&bundle)?;
        let width = bundle.features.iter().map(Feature::width).sum();
        Ok(Self { bundle, width })
    }

    pub fn bundle(&self) -> &ModelBundle {
        &self.bundle
    }

    pub fn features(&self) -> &[Feature] {
        &self.bundle.features
    }

    /// The length of the encoded vector.
    pub fn width(&self) -> usize {
        self.width
    }

    pub fn encoder(&self) -> Encoder<'_> {
        Encoder::new_unchecked(&self.bundle.features, &self.bundle.preprocessor.steps)
    }

    /// Checks every field and encodes the student into the model's input vector.
    pub fn encode(&self, student: &Student, missing: Missing) -> Result<Vec<f64>, InputError> {
        self.encoder().encode(student, missing)
    }

    /// The predicted target for one student, missing fields imputed, within the target's
    /// range (see [`Predictor::estimate`]).
    pub fn predict(&self, student: &Student) -> Result<f64, InputError> {
        self.predict_with(student, Missing::Impute)
    }

    /// The predicted target within the target's range; `missing` says what an empty field
    /// does.
    pub fn predict_with(&self, student: &Student, missing: Missing) -> Result<f64, InputError> {
        Ok(self.estimate(student, missing)?.value)
    }

    /// The prediction, its interval and the raw estimate: the three numbers every surface
    /// (form, batch table and download, `trainer predict`) shows for a student.
    pub fn estimate(&self, student: &Student, missing: Missing) -> Result<Estimate, InputError> {
        let x = self.encode(student, missing)?;
        Ok(self.estimate_encoded(&x))
    }

    /// [`Predictor::estimate`] for an encoded vector of length [`Self::width`].
    pub fn estimate_encoded(&self, x: &[f64]) -> Estimate {
        let raw = self.predict_encoded(x);
        let value = self.limit(raw);
        let half_width = self.bundle.interval.as_ref().map(|i| i.half_width);
        Estimate {
            value,
            low: half_width.map(|h| self.limit(value - h)),
            high: half_width.map(|h| self.limit(value + h)),
            raw,
        }
    }

    /// The range every prediction of this model lies in: the bundle's
    /// [`crate::TargetInfo`] `[min, max]`. `None` for a bundle without target info (every
    /// document before format 1.4); then nothing is limited.
    pub fn target_range(&self) -> Option<(f64, f64)> {
        self.bundle.target_info.as_ref().map(|t| (t.min, t.max))
    }

    /// The target's label: its [`crate::TargetInfo::label`], else its name.
    pub fn target_label(&self) -> &str {
        self.bundle
            .target_info
            .as_ref()
            .and_then(|t| t.label.as_deref())
            .unwrap_or(&self.bundle.target)
    }

    /// The feature named `name`, if the model has one.
    pub fn feature(&self, name: &str) -> Option<&Feature> {
        self.bundle.features.iter().find(|f| f.name() == name)
    }

    /// `value` limited to [`Predictor::target_range`].
    pub fn limit(&self, value: f64) -> f64 {
        match self.target_range() {
            Some((min, max)) => value.clamp(min, max),
            None => value,
        }
    }

    /// The fields of `student` that are empty and what [`Missing::Impute`] fills them with, in
    /// feature order.
    pub fn filled(&self, student: &Student) -> Vec<Filled> {
        self.bundle
            .features
            .iter()
            .zip(&self.bundle.preprocessor.steps)
            .filter(|(feature, _)| student.get(feature.name()).is_none())
            .map(|(feature, step)| {
                let (value, from) = match step {
                    Step::Standardize { impute, .. } => (number(*impute), Fill::Median),
                    Step::OneHot { impute } => (impute.clone(), Fill::MostFrequent),
                };
                Filled {
                    field: feature.name().to_owned(),
                    label: feature.label().to_owned(),
                    value,
                    from,
                }
            })
            .collect()
    }

    /// The model's raw output for an encoded vector of length [`Self::width`], not limited to
    /// the target's range (explanations and the trainer's parity checks use it; people see
    /// [`Predictor::estimate_encoded`]).
    pub fn predict_encoded(&self, x: &[f64]) -> f64 {
        assert_eq!(x.len(), self.width, "encoded vector has the wrong length");
        match &self.bundle.model {
            Model::Linear {
                intercept,
                coefficients,
            } => intercept + coefficients.iter().zip(x).map(|(c, v)| c * v).sum::<f64>(),
            Model::TreeEnsemble { trees, aggregation } => {
                let outputs = trees.iter().map(|t| tree_output(t, x));
                aggregate(aggregation, outputs, trees.len())
            }
            Model::ObliviousEnsemble { trees, aggregation } => {
                let outputs = trees.iter().map(|t| t.values[oblivious_leaf(t, x)]);
                aggregate(aggregation, outputs, trees.len())
            }
            Model::Knn {
                k,
                weighting,
                points,
                targets,
            } => knn_predict(*k as usize, *weighting, points, targets, x),
        }
    }
}

/// Parses a score typed by a person ([`read_number`]: `85.5`, `85,5`, `８５`) within
/// `[min, max]`.
fn parse_number(text: &str, min: f64, max: f64) -> Result<f64, Problem> {
    let value = read_number(text).ok_or_else(|| Problem::NotANumber {
        text: text.to_owned(),
    })?;
    if value < min || value > max {
        return Err(Problem::OutOfRange { value, min, max });
    }
    Ok(value)
}

/// The index of the leaf `x` falls into.
pub(crate) fn leaf_of(tree: &Tree, x: &[f64]) -> usize {
    let mut i = 0usize;
    while tree.left[i] >= 0 {
        i = if x[tree.feature[i] as usize] <= tree.threshold[i] {
            tree.left[i] as usize
        } else {
            tree.right[i] as usize
        };
    }
    i
}

/// The leaf index of an oblivious tree: bit `d` is set when level `d` goes right.
pub(crate) fn oblivious_leaf(tree: &ObliviousTree, x: &[f64]) -> usize {
    tree.features
        .iter()
        .zip(&tree.thresholds)
        .enumerate()
        .map(|(d, (&f, &t))| usize::from(x[f as usize] > t) << d)
        .sum()
}

/// The indices of the `k` points nearest to `x` (squared Euclidean distance, ties to the lower
/// index), nearest first, with their squared distances.
pub fn nearest(k: usize, points: &[Vec<f64>], x: &[f64]) -> Vec<(usize, f64)> {
    let mut d: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| (i, p.iter().zip(x).map(|(a, b)| (a - b) * (a - b)).sum()))
        .collect();
    if k < d.len() {
        let by_distance =
            |a: &(usize, f64), b: &(usize, f64)| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0));
        d.select_nth_unstable_by(k - 1, by_distance);
        d.truncate(k);
        // Back in index order, so [`order_by`] breaks distance ties by the lower index (by
        // [`order_by`] too: one sort routine in the wasm).
        let indices: Vec<f64> = d.iter().map(|&(i, _)| i as f64).collect();
        d = order_by(&indices).into_iter().map(|j| d[j]).collect();
    }
    let distances: Vec<f64> = d.iter().map(|&(_, d2)| d2).collect();
    order_by(&distances).into_iter().map(|i| d[i]).collect()
}

/// The positions of `keys` from the smallest key to the largest, equal keys in position order.
/// Every ordering of this crate (and of the app's charts) goes through it, so the wasm carries
/// one sort routine instead of one per call site.
pub fn order_by(keys: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]).then(a.cmp(&b)));
    order
}

/// k-NN regression over `points`, as [`KnnWeighting`] defines it.
pub fn knn_predict(
    k: usize,
    weighting: KnnWeighting,
    points: &[Vec<f64>],
    targets: &[f64],
    x: &[f64],
) -> f64 {
    knn_average(weighting, &nearest(k, points, x), targets)
}

/// The prediction from neighbours found by [`nearest`] (index, squared distance).
pub fn knn_average(weighting: KnnWeighting, near: &[(usize, f64)], targets: &[f64]) -> f64 {
    match weighting {
        KnnWeighting::Uniform => {
            near.iter().map(|&(i, _)| targets[i]).sum::<f64>() / near.len() as f64
        }
        KnnWeighting::Distance => {
            let exact: Vec<f64> = near
                .iter()
                .filter(|n| n.1 == 0.0)
                .map(|&(i, _)| targets[i])
                .collect();
            if !exact.is_empty() {
                return exact.iter().sum::<f64>() / exact.len() as f64;
            }
            let (mut num, mut den) = (0.0, 0.0);
            for &(i, d2) in near {
                let w = 1.0 / d2.sqrt();
                num += w * targets[i];
                den += w;
            }
            num / den
        }
    }
}

fn tree_output(tree: &Tree, x: &[f64]) -> f64 {
    tree.value[leaf_of(tree, x)]
}

fn aggregate(aggregation: &Aggregation, outputs: impl Iterator<Item = f64>, n: usize) -> f64 {
    match aggregation {
        Aggregation::Mean => outputs.sum::<f64>() / n as f64,
        Aggregation::Sum { base, scale } => base + scale * outputs.sum::<f64>(),
        Aggregation::WeightedMedian { weights } => weighted_median(outputs.collect(), weights),
    }
}

/// The smallest output whose cumulative weight (outputs in ascending order) reaches half the
/// total weight, as AdaBoost.R2 (and scikit-learn's `AdaBoostRegressor`) defines its prediction.
pub fn weighted_median(outputs: Vec<f64>, weights: &[f64]) -> f64 {
    let order = order_by(&outputs);
    let half = 0.5 * weights.iter().sum::<f64>();
    let mut cumulative = 0.0;
    for &i in &order {
        cumulative += weights[i];
        if cumulative >= half {
            return outputs[i];
        }
    }
    outputs[*order.last().expect("validated ensembles have trees")]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_median_takes_the_first_output_reaching_half_the_weight() {
        assert_eq!(weighted_median(vec![3.0, 1.0, 2.0], &[1.0, 1.0, 1.0]), 2.0);
        assert_eq!(weighted_median(vec![3.0, 1.0, 2.0], &[5.0, 1.0, 1.0]), 3.0);
        // Exactly half: the lower output.
        assert_eq!(weighted_median(vec![10.0, 20.0], &[1.0, 1.0]), 10.0);
    }

    #[test]
    fn nearest_neighbours_break_distance_ties_by_lower_index() {
        let points = vec![vec![10.0], vec![20.0], vec![30.0], vec![40.0]];
        let targets = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(nearest(2, &points, &[25.0]), [(1, 25.0), (2, 25.0)]);
        assert_eq!(nearest(1, &points, &[15.0]), [(0, 25.0)]);
        assert_eq!(nearest(9, &points, &[0.0]).len(), 4);
        let uniform = |x: f64| knn_predict(2, KnnWeighting::Uniform, &points, &targets, &[x]);
        assert_eq!(uniform(24.0), 2.5);
        assert_eq!(uniform(15.0), 1.5);
        // Exact matches alone decide a distance-weighted prediction.
        let dup = vec![vec![1.0], vec![1.0], vec![2.0]];
        assert_eq!(
            knn_predict(3, KnnWeighting::Distance, &dup, &[4.0, 6.0, 100.0], &[1.0]),
            5.0
        );
    }

    #[test]
    fn numbers_are_parsed_strictly() {
        assert_eq!(parse_number("72", 0.0, 100.0), Ok(72.0));
        assert_eq!(parse_number("72.5", 0.0, 100.0), Ok(72.5));
        assert_eq!(parse_number("72,5", 0.0, 100.0), Ok(72.5));
        assert_eq!(parse_number("\u{ff17}\u{ff12}", 0.0, 100.0), Ok(72.0));
        assert_eq!(parse_number("0", 0.0, 100.0), Ok(0.0));
        assert_eq!(parse_number("100", 0.0, 100.0), Ok(100.0));
        assert!(matches!(
            parse_number("150", 0.0, 100.0),
            Err(Problem::OutOfRange { value, .. }) if value == 150.0
        ));
        assert!(matches!(
            parse_number("-1", 0.0, 100.0),
            Err(Problem::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_number("\u{2212}1", 0.0, 100.0),
            Err(Problem::OutOfRange { value, .. }) if value == -1.0
        ));
        for bad in ["abc", "NaN", "inf", "1e999", "1e1", "7,555", "--3"] {
            assert!(
                matches!(
                    parse_number(bad, 0.0, 100.0),
                    Err(Problem::NotANumber { .. })
                ),
                "{bad}"
            );
        }
    }
}
