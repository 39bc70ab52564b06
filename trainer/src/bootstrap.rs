//! Seeded bootstrap percentile intervals for the fairness audit's per-group figures (the method
//! [`model::report::Bootstrap`] documents).

use crate::split::Mt19937;

/// Resamples per group.
pub const RESAMPLES: u32 = 2000;

/// The intervals' nominal level.
pub const LEVEL: f64 = 0.95;

/// The report's description of [`mean_interval`] with these settings.
pub fn describe(seed: u64) -> model::report::Bootstrap {
    model::report::Bootstrap {
        method: "percentile".into(),
        resamples: RESAMPLES,
        level: LEVEL,
        seed,
    }
}

/// The `level` percentile bootstrap interval `[low, high]` of the mean of `values`: `resamples`
/// resamples of `values.len()` draws with replacement, each index `interval(n − 1)` of one
/// fresh MT19937 seeded with `seed`, then [`percentile`] `(1 ∓ level) / 2` of the resampled
/// means. With a mean of absolute errors it is the interval of a group's MAE.
pub fn mean_interval(values: &[f64], resamples: u32, level: f64, seed: u64) -> [f64; 2] {
    assert!(!values.is_empty(), "no values to resample");
    assert!(resamples > 0, "no resamples");
    assert!(level > 0.0 && level < 1.0, "level {level} is not in (0, 1)");
    let n = values.len();
    let mut rng = Mt19937::new(seed as u32);
    let mut means: Vec<f64> = (0..resamples)
        .map(|_| {
            let sum: f64 = (0..n)
                .map(|_| values[rng.interval((n - 1) as u32) as usize])
                .sum();
            sum / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    [
        percentile(&means, (1.0 - level) / 2.0),
        percentile(&means, (1.0 + level) / 2.0),
    ]
}

/// The `q` quantile (0 ≤ q ≤ 1) of ascending `sorted`, linearly interpolated at position
/// `q · (len − 1)`: numpy's default `percentile(…, 100 · q)`.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    assert!(!sorted.is_empty(), "no values");
    assert!((0.0..=1.0).contains(&q), "quantile {q} is not in [0, 1]");
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    let weight = position - below as f64;
    sorted[below] + weight * (sorted[above] - sorted[below])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_linearly_like_numpy() {
        // np.percentile([1, 2, 3, 4], [0, 25, 50, 97.5, 100]) = 1, 1.75, 2.5, 3.925, 4
        let v = [1.0, 2.0, 3.0, 4.0];
        let got: Vec<f64> = [0.0, 0.25, 0.5, 0.975, 1.0]
            .iter()
            .map(|&q| percentile(&v, q))
            .collect();
        let expected = [1.0, 1.75, 2.5, 3.925, 4.0];
        for (g, e) in got.iter().zip(expected) {
            assert!((g - e).abs() < 1e-12, "{got:?}");
        }
        assert_eq!(percentile(&[7.0], 0.025), 7.0);
    }

    #[test]
    fn the_interval_is_seeded_and_brackets_the_mean() {
        let values: Vec<f64> = (0..50).map(|i| f64::from(i % 7) * 1.5).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let a = mean_interval(&values, 500, 0.95, 42);
        assert_eq!(a, mean_interval(&values, 500, 0.95, 42));
        assert_ne!(a, mean_interval(&values, 500, 0.95, 43));
        assert!(a[0] < mean && mean < a[1], "{a:?} {mean}");
        // Every resample of a constant is the constant; of one value, that value.
        assert_eq!(mean_interval(&[3.0; 10], 100, 0.95, 1), [3.0, 3.0]);
        assert_eq!(mean_interval(&[2.5], 100, 0.95, 1), [2.5, 2.5]);
    }
}
