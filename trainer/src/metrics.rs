//! Regression metrics, as scikit-learn defines them.

use serde::Serialize;

/// R², MAE and RMSE of predictions against the truth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scores {
    pub r2: f64,
    pub mae: f64,
    pub rmse: f64,
}

impl Scores {
    pub fn of(truth: &[f64], predicted: &[f64]) -> Self {
        assert_eq!(truth.len(), predicted.len());
        assert!(!truth.is_empty());
        let n = truth.len() as f64;
        let mean = truth.iter().sum::<f64>() / n;
        let sse: f64 = truth
            .iter()
            .zip(predicted)
            .map(|(t, p)| (t - p).powi(2))
            .sum();
        let sst: f64 = truth.iter().map(|t| (t - mean).powi(2)).sum();
        let mae = truth
            .iter()
            .zip(predicted)
            .map(|(t, p)| (t - p).abs())
            .sum::<f64>()
            / n;
        Self {
            // scikit-learn's convention for a constant truth: 1 if perfect, else 0.
            r2: if sst > 0.0 {
                1.0 - sse / sst
            } else if sse == 0.0 {
                1.0
            } else {
                0.0
            },
            mae,
            rmse: (sse / n).sqrt(),
        }
    }
}

/// What chooses each family's best grid point and the winner among families: the mean over
/// every cross-validation fold of R² (highest wins), RMSE or MAE (lowest wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Metric {
    #[default]
    R2,
    Rmse,
    Mae,
}

impl Metric {
    /// The name in `--metric` and in the report's `cv.metric`.
    pub fn name(self) -> &'static str {
        match self {
            Metric::R2 => "r2",
            Metric::Rmse => "rmse",
            Metric::Mae => "mae",
        }
    }

    /// Whether a larger value is better (R²) or a smaller one (RMSE, MAE).
    pub fn higher_is_better(self) -> bool {
        self == Metric::R2
    }

    /// The value as a "larger is better" score, for picking the best.
    pub fn goodness(self, value: f64) -> f64 {
        if self.higher_is_better() {
            value
        } else {
            -value
        }
    }
}

impl std::str::FromStr for Metric {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "r2" => Ok(Metric::R2),
            "rmse" => Ok(Metric::Rmse),
            "mae" => Ok(Metric::Mae),
            other => Err(format!("{other:?} is not one of: r2, rmse, mae")),
        }
    }
}

/// Mean and population standard deviation (numpy's default, as in scikit-learn's cv_results_).
pub fn mean_std(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_hand_computed_values() {
        let s = Scores::of(&[1.0, 2.0, 3.0], &[1.0, 2.0, 5.0]);
        assert!((s.r2 - (1.0 - 4.0 / 2.0)).abs() < 1e-12);
        assert!((s.mae - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.rmse - (4.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(Scores::of(&[2.0, 2.0], &[2.0, 2.0]).r2, 1.0);
        assert_eq!(Scores::of(&[2.0, 2.0], &[2.0, 3.0]).r2, 0.0);
    }

    #[test]
    fn mean_std_is_the_population_std() {
        assert_eq!(mean_std(&[1.0, 3.0]), (2.0, 1.0));
    }
}
