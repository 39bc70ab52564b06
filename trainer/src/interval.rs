//! Split-conformal prediction intervals from out-of-fold residuals.

/// The half width of a symmetric interval with coverage `level`: the `⌈(n + 1) · level⌉`-th
/// smallest absolute residual (the largest when that rank exceeds `n`). Under exchangeability a
/// new student's score falls within `prediction ± half_width` with probability ≥ `level`.
pub fn conformal_half_width(residuals: &[f64], level: f64) -> f64 {
    assert!(!residuals.is_empty(), "no residuals to calibrate on");
    assert!(level > 0.0 && level < 1.0, "level {level} is not in (0, 1)");
    let mut abs: Vec<f64> = residuals.iter().map(|r| r.abs()).collect();
    abs.sort_by(f64::total_cmp);
    let n = abs.len();
    let rank = ((n as f64 + 1.0) * level).ceil() as usize;
    abs[rank.clamp(1, n) - 1]
}

/// The share of `truth` within `predicted ± half_width`.
pub fn coverage(truth: &[f64], predicted: &[f64], half_width: f64) -> f64 {
    assert_eq!(truth.len(), predicted.len());
    let inside = truth
        .iter()
        .zip(predicted)
        .filter(|(t, p)| (*t - *p).abs() <= half_width)
        .count();
    inside as f64 / truth.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_half_width_is_the_conformal_rank_of_the_absolute_residuals() {
        let residuals: Vec<f64> = (1..=9)
            .map(|i| if i % 2 == 0 { -(i as f64) } else { i as f64 })
            .collect();
        // n = 9, level 0.8: rank ⌈10 · 0.8⌉ = 8 → the 8th smallest |r| = 8.
        assert_eq!(conformal_half_width(&residuals, 0.8), 8.0);
        // level 0.95: rank ⌈9.5⌉ = 10 > n → the largest.
        assert_eq!(conformal_half_width(&residuals, 0.95), 9.0);
        assert_eq!(conformal_half_width(&residuals, 0.05), 1.0);
    }

    #[test]
    fn coverage_counts_the_boundary_as_inside() {
        assert_eq!(
            coverage(&[1.0, 2.0, 5.0, 10.0], &[1.0, 3.0, 3.0, 3.0], 2.0),
            0.75
        );
    }
}
