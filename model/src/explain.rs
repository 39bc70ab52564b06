//! "Why this score": per-feature contributions that add up exactly to the prediction minus a
//! baseline.
//!
//! The method is *baseline Shapley* (Sundararajan & Najmi, "The many Shapley values for model
//! explanation", 2020): the exact Shapley values of the game `v(S) = f(x_S, r_rest)`, where a
//! coalition `S` of the original features takes the student's values and every other feature
//! takes the reference student's. The reference `r` is the model's own typical student: the
//! training median of each score and the most frequent training category of each categorical
//! field (the preprocessor's imputation values), and the baseline is its prediction `f(r)`.
//!
//! - Exact additivity for every model kind: `Σ φᵢ = f(x) − f(r)` (up to float rounding).
//! - For linear models it is exactly `φᵢ = Σ_{j ∈ columns of i} wⱼ · (xⱼ − rⱼ)`.
//! - For trees, k-NN and boosted ensembles with at most [`EXACT_FEATURES`] features it is the
//!   exact Shapley value of that game (no sampling, no path approximation): all `2^F`
//!   coalitions are evaluated, one prediction each (the default dataset's models have `F` = 7
//!   features, so 128 predictions per explanation).
//! - A linear model with more features gets the closed form above (exact), and any other model
//!   with more features (a school's table of 30 columns) the average over
//!   [`SAMPLED_PERMUTATIONS`] seeded random orders, each with its reverse (antithetic
//!   sampling), of each feature's marginal contribution when it joins: every order's
//!   contributions add up exactly to `f(x) − f(r)`, so additivity still holds exactly (up to
//!   float rounding) while each share is an unbiased estimate of its Shapley value. The orders
//!   come from a fixed seed, so one student always gets the same explanation.
//!
//! One-hot columns of a feature always move together, so contributions are per original
//! feature.
//!
//! Explanations take apart the model's *raw* estimate ([`crate::Estimate::raw`]), before it is
//! limited to the target's range: `baseline + Σ contributions = raw`, and `baseline` is the raw
//! estimate for the reference student. When the raw estimate is beyond the range
//! ([`crate::Estimate::beyond_range`]), the shown score is the range's limit and the
//! contributions explain how far beyond it the model went; within the range the two agree.

use crate::error::InputError;
use crate::format::Step;
use crate::predict::{Missing, Predictor};
use crate::student::Student;

/// The most features an explanation enumerates every coalition for (`2^16` predictions); with
/// more, see the module docs.
pub const EXACT_FEATURES: usize = 16;

/// How many random feature orders (each used with its reverse) estimate the contributions of
/// a non-linear model with more than [`EXACT_FEATURES`] features: `2 × 64 × F` predictions.
pub const SAMPLED_PERMUTATIONS: usize = 64;

/// One feature's share of the difference from the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The column name, e.g. `"reading_score"`.
    pub feature: String,
    pub value: f64,
}

/// A raw estimate taken apart: `baseline + Σ contributions = prediction` (both raw, not
/// limited to the target's range; see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    /// The raw estimate for the reference student.
    pub baseline: f64,
    /// The raw estimate for the student ([`crate::Estimate::raw`]).
    pub prediction: f64,
    /// One per model feature, in feature order.
    pub contributions: Vec<Contribution>,
}

impl Predictor {
    /// The reference student explanations compare with: every field at its imputation value
    /// (training median score, most frequent training category).
    pub fn reference_student(&self) -> Student {
        self.features()
            .iter()
            .zip(&self.bundle().preprocessor.steps)
            .map(|(feature, step)| {
                let value = match step {
                    Step::Standardize { impute, .. } => impute.to_string(),
                    Step::OneHot { impute } => impute.clone(),
                };
                (feature.name().to_owned(), value)
            })
            .collect()
    }

    /// Baseline-Shapley contributions of each feature for `student` (see the module docs).
    pub fn explain(&self, student: &Student, missing: Missing) -> Result<Explanation, InputError> {
        let x = self.encode(student, missing)?;
        let r = self
            .encode(&self.reference_student(), Missing::Impute)
            .expect("the reference student is valid by construction");
        Ok(self.explain_encoded(&x, &r))
    }

    /// Contributions for the encoded vector `x` against the encoded reference `r`.
    pub fn explain_encoded(&self, x: &[f64], r: &[f64]) -> Explanation {
        let features = self.features();
        let f = features.len();
        // Column ranges of each feature in the encoded vector.
        let mut ranges = Vec::with_capacity(f);
        let mut start = 0;
        for feature in features {
            ranges.push(start..start + feature.width());
            start += feature.width();
        }
        if f > EXACT_FEATURES {
            return self.explain_many(x, r, &ranges);
        }
        // v[S] for every coalition S (bit i set: feature i takes the student's value).
        let mut z = r.to_vec();
        let v: Vec<f64> = (0..1usize << f)
            .map(|s| {
                for (i, range) in ranges.iter().enumerate() {
                    let source = if s & (1 << i) != 0 { x } else { r };
                    z[range.clone()].copy_from_slice(&source[range.clone()]);
                }
                self.predict_encoded(&z)
            })
            .collect();
        // Shapley weights |S|! (F − |S| − 1)! / F!, by coalition size.
        let weight: Vec<f64> = (0..f)
            .map(|size| factorial(size) * factorial(f - size - 1) / factorial(f))
            .collect();
        let contributions = features
            .iter()
            .enumerate()
            .map(|(i, feature)| {
                let bit = 1usize << i;
                let value = (0..1usize << f)
                    .filter(|s| s & bit == 0)
                    .map(|s| weight[s.count_ones() as usize] * (v[s | bit] - v[s]))
                    .sum();
                Contribution {
                    feature: feature.name().to_owned(),
                    value,
                }
            })
            .collect();
        Explanation {
            baseline: v[0],
            prediction: v[(1 << f) - 1],
            contributions,
        }
    }
}

impl Predictor {
    /// Contributions for a model with more than [`EXACT_FEATURES`] features: the closed form
    /// for a linear model, seeded antithetic permutation sampling otherwise.
    fn explain_many(&self, x: &[f64], r: &[f64], ranges: &[std::ops::Range<usize>]) -> Explanation {
        let features = self.features();
        let baseline = self.predict_encoded(r);
        let prediction = self.predict_encoded(x);
        let mut values = vec![0.0; features.len()];
        if let crate::format::Model::Linear { coefficients, .. } = &self.bundle().model {
            for (value, range) in values.iter_mut().zip(ranges) {
                *value = range.clone().map(|j| coefficients[j] * (x[j] - r[j])).sum();
            }
        } else {
            let mut rng = SplitMix64(0x5EED_5EED_5EED_5EED);
            let mut order: Vec<usize> = (0..features.len()).collect();
            let mut z = r.to_vec();
            for _ in 0..SAMPLED_PERMUTATIONS {
                // Fisher-Yates with the fixed-seed generator.
                for i in (1..order.len()).rev() {
                    let j = (rng.next() % (i as u64 + 1)) as usize;
                    order.swap(i, j);
                }
                for forward in [true, false] {
                    z.copy_from_slice(r);
                    let mut before = baseline;
                    let mut walk = |i: usize, z: &mut Vec<f64>| {
                        z[ranges[i].clone()].copy_from_slice(&x[ranges[i].clone()]);
                        let after = self.predict_encoded(z);
                        values[i] += after - before;
                        before = after;
                    };
                    if forward {
                        order.iter().for_each(|&i| walk(i, &mut z));
                    } else {
                        order.iter().rev().for_each(|&i| walk(i, &mut z));
                    }
                }
            }
            let n = (2 * SAMPLED_PERMUTATIONS) as f64;
            values.iter_mut().for_each(|v| *v /= n);
        }
        Explanation {
            baseline,
            prediction,
            contributions: features
                .iter()
                .zip(values)
                .map(|(feature, value)| Contribution {
                    feature: feature.name().to_owned(),
                    value,
                })
                .collect(),
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator for the sampled orders.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn factorial(n: usize) -> f64 {
    (1..=n).map(|k| k as f64).product()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapley_weights_sum_to_one_over_coalitions_without_the_feature() {
        for f in 1..=7usize {
            let total: f64 = (0..1usize << (f - 1))
                .map(|s| {
                    factorial(s.count_ones() as usize) * factorial(f - s.count_ones() as usize - 1)
                        / factorial(f)
                })
                .sum();
            assert!((total - 1.0).abs() < 1e-12, "{f}: {total}");
        }
    }
}

#[cfg(test)]
mod many_features {
    use crate::format::{
        Aggregation, Feature, Metrics, Model, ModelBundle, Preprocessor, Step, Tree, FORMAT_NAME,
        FORMAT_VERSION,
    };
    use crate::predict::{Missing, Predictor};
    use crate::student::Student;

    /// A bundle of `f` numeric features 0–10 (standardized with mean 0, scale 1), the
    /// reference student at 0, with `model`.
    fn bundle(f: usize, model: Model) -> Predictor {
        Predictor::new(ModelBundle {
            format: FORMAT_NAME.into(),
            format_version: FORMAT_VERSION,
            target: "y".into(),
            features: (0..f)
                .map(|i| Feature::numeric(format!("x{i}"), 0.0, 10.0))
                .collect(),
            preprocessor: Preprocessor {
                steps: (0..f)
                    .map(|_| Step::Standardize {
                        impute: 0.0,
                        mean: 0.0,
                        scale: 1.0,
                    })
                    .collect(),
            },
            model,
            metrics: Metrics {
                family: "test".into(),
                params: Default::default(),
                cv_folds: 5,
                cv_r2_mean: 0.5,
                cv_r2_std: 0.1,
                test_r2: 0.5,
                test_mae: 1.0,
                test_rmse: 1.0,
                n_train: 10,
                n_test: 2,
            },
            interval: None,
            excluded: Vec::new(),
            target_info: None,
        })
        .unwrap()
    }

    /// A stump on column `feature`: `below` when `x <= 0.5`, else `above`.
    fn stump(feature: i32, below: f64, above: f64) -> Tree {
        Tree {
            feature: vec![feature, -1, -1],
            threshold: vec![0.5, 0.0, 0.0],
            left: vec![1, -1, -1],
            right: vec![2, -1, -1],
            value: vec![(below + above) / 2.0, below, above],
        }
    }

    fn student(f: usize) -> Student {
        (0..f).map(|i| (format!("x{i}"), "1".to_owned())).collect()
    }

    #[test]
    fn an_additive_ensemble_of_20_features_gets_each_trees_own_effect() {
        let f = 20;
        let trees = (0..f)
            .map(|i| stump(i as i32, 0.0, i as f64 + 1.0))
            .collect();
        let p = bundle(
            f,
            Model::TreeEnsemble {
                trees,
                aggregation: Aggregation::Sum {
                    base: 10.0,
                    scale: 1.0,
                },
            },
        );
        let e = p.explain(&student(f), Missing::Reject).unwrap();
        assert_eq!(e.baseline, 10.0);
        for (i, c) in e.contributions.iter().enumerate() {
            assert!(
                (c.value - (i as f64 + 1.0)).abs() < 1e-9,
                "{i}: {}",
                c.value
            );
        }
        let total: f64 = e.contributions.iter().map(|c| c.value).sum();
        assert!((e.baseline + total - e.prediction).abs() < 1e-9);
    }

    #[test]
    fn a_pure_interaction_of_two_among_18_features_is_shared_equally() {
        // One tree: 8 only when x0 > 0.5 and x1 > 0.5; every other feature unused.
        let tree = Tree {
            feature: vec![0, -1, 1, -1, -1],
            threshold: vec![0.5, 0.0, 0.5, 0.0, 0.0],
            left: vec![1, -1, 3, -1, -1],
            right: vec![2, -1, 4, -1, -1],
            value: vec![0.0, 0.0, 4.0, 0.0, 8.0],
        };
        let f = 18;
        let p = bundle(
            f,
            Model::TreeEnsemble {
                trees: vec![tree],
                aggregation: Aggregation::Mean,
            },
        );
        let e = p.explain(&student(f), Missing::Reject).unwrap();
        // Antithetic orders: in each pair x0 and x1 come second once each.
        assert!((e.contributions[0].value - 4.0).abs() < 1e-12);
        assert!((e.contributions[1].value - 4.0).abs() < 1e-12);
        assert!(e.contributions[2..].iter().all(|c| c.value == 0.0));
        // Seeded: the same student, the same explanation.
        assert_eq!(e, p.explain(&student(f), Missing::Reject).unwrap());
    }

    #[test]
    fn a_linear_model_of_30_features_gets_the_closed_form() {
        let f = 30;
        let coefficients: Vec<f64> = (0..f).map(|i| i as f64 * 0.5 - 3.0).collect();
        let p = bundle(
            f,
            Model::Linear {
                intercept: 2.0,
                coefficients: coefficients.clone(),
            },
        );
        let e = p.explain(&student(f), Missing::Reject).unwrap();
        for (c, w) in e.contributions.iter().zip(&coefficients) {
            assert!((c.value - w).abs() < 1e-12);
        }
        assert_eq!(e.baseline, 2.0);
    }
}
