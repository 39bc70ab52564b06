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
//! - For trees, k-NN and boosted ensembles it is the exact Shapley value of that game (no
//!   sampling, no path approximation): all `2^F` coalitions are evaluated, one prediction each
//!   (`F` = 7 features here, so 128 predictions per explanation). One-hot columns of a feature
//!   always move together, so contributions are per original feature.
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

/// The most features an explanation enumerates coalitions for (`2^16` predictions).
pub const MAX_EXPLAINED_FEATURES: usize = 16;

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
        assert!(
            f <= MAX_EXPLAINED_FEATURES,
            "explanations enumerate at most {MAX_EXPLAINED_FEATURES} features"
        );
        // Column ranges of each feature in the encoded vector.
        let mut ranges = Vec::with_capacity(f);
        let mut start = 0;
        for feature in features {
            ranges.push(start..start + feature.width());
            start += feature.width();
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
