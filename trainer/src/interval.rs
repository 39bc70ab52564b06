//! Split-conformal prediction intervals from out-of-fold residuals, and their coverage.

use std::collections::BTreeMap;

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

/// A group-conditional (Mondrian) interval: [`conformal_half_width`] of each category's own
/// residuals, `residuals[i]` belonging to `categories[i]`. One `(category, half_width,
/// n_calibration)` per category that has residuals, in category order.
pub fn mondrian_half_widths<'a>(
    residuals: &[f64],
    categories: &[&'a str],
    level: f64,
) -> Vec<(&'a str, f64, usize)> {
    assert_eq!(residuals.len(), categories.len());
    let mut by_category: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (&r, &c) in residuals.iter().zip(categories) {
        by_category.entry(c).or_default().push(r);
    }
    by_category
        .into_iter()
        .map(|(c, rs)| (c, conformal_half_width(&rs, level), rs.len()))
        .collect()
}

/// Whether `truth` lies within `predicted ± half_width` as the app shows that interval: both
/// bounds limited to `range` as [`model::Predictor::estimate`] limits them (`predicted` is
/// already limited), a bound counting as inside.
pub fn covers(truth: f64, predicted: f64, half_width: f64, range: Option<(f64, f64)>) -> bool {
    let limit = |v: f64| match range {
        Some((min, max)) => v.clamp(min, max),
        None => v,
    };
    limit(predicted - half_width) <= truth && truth <= limit(predicted + half_width)
}

/// The share of `truth` that [`covers`] counts inside `predicted ± half_width` (0 for no
/// rows).
pub fn coverage(
    truth: &[f64],
    predicted: &[f64],
    half_width: f64,
    range: Option<(f64, f64)>,
) -> f64 {
    assert_eq!(truth.len(), predicted.len());
    if truth.is_empty() {
        return 0.0;
    }
    let inside = truth
        .iter()
        .zip(predicted)
        .filter(|(&t, &p)| covers(t, p, half_width, range))
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
    fn each_category_gets_the_conformal_rank_of_its_own_residuals() {
        // "a": |r| = 1, 2, …, 9 (signs alternate); "b": |r| = 10, 20, 30, 40. Interleaved, so
        // a category's residuals are picked out by label, not by position.
        let mut residuals = Vec::new();
        let mut categories = Vec::new();
        for i in 1..=9 {
            residuals.push(if i % 2 == 0 {
                -f64::from(i)
            } else {
                f64::from(i)
            });
            categories.push("a");
            if i <= 4 {
                residuals.push(-10.0 * f64::from(i));
                categories.push("b");
            }
        }
        // level 0.8: "a" n = 9, rank ⌈10 · 0.8⌉ = 8 → 8; "b" n = 4, rank ⌈5 · 0.8⌉ = 4 → 40.
        assert_eq!(
            mondrian_half_widths(&residuals, &categories, 0.8),
            [("a", 8.0, 9), ("b", 40.0, 4)]
        );
        // level 0.5: "a" rank ⌈5⌉ = 5 → 5; "b" rank ⌈2.5⌉ = 3 → 30.
        assert_eq!(
            mondrian_half_widths(&residuals, &categories, 0.5),
            [("a", 5.0, 9), ("b", 30.0, 4)]
        );
        // Pooled, the same rule gives one width for both: rank ⌈14 · 0.8⌉ = 12 of 13 → 30.
        assert_eq!(conformal_half_width(&residuals, 0.8), 30.0);
    }

    #[test]
    fn coverage_counts_the_boundary_as_inside() {
        assert_eq!(
            coverage(&[1.0, 2.0, 5.0, 10.0], &[1.0, 3.0, 3.0, 3.0], 2.0, None),
            0.75
        );
        assert_eq!(coverage(&[], &[], 2.0, None), 0.0);
    }

    #[test]
    fn limited_bounds_cover_what_the_unlimited_interval_covers_within_the_range() {
        let range = Some((0.0, 100.0));
        // 99 ± 5 is shown as 94–100; 100 is inside, as it is of 94–104.
        assert!(covers(100.0, 99.0, 5.0, range));
        assert!(covers(0.0, 0.0, 5.0, range));
        assert!(!covers(93.0, 99.0, 5.0, range));
        // Outside the range the limited bound is what counts.
        assert!(!covers(101.0, 99.0, 5.0, range));
        assert!(covers(101.0, 99.0, 5.0, None));
    }
}
