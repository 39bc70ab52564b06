//! Feature quantization, done once per fit as CatBoost does: each column of the design matrix
//! gets at most `border_count` borders, and every value becomes the index of its bin.
//!
//! A value `x` falls in bin `#{b in borders : x > b}`, so "bin > k" holds exactly when
//! `x > borders[k]`: the real-valued border is the exported threshold and the model format's
//! `x > threshold` rule sends every training row where the binned fit sent it.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The borders of one column, ascending and distinct, at most `max` of them; each lies between
/// two neighbouring distinct values of the column (their midpoint).
///
/// With at most `max + 1` distinct values every gap gets a border, so a one-hot column gets
/// the single border 0.5 and a constant column none. With more, borders are chosen greedily in
/// the spirit of CatBoost's default `GreedyLogSum`: starting from one bin, repeatedly cut the
/// bin whose most even cut most increases `Σ_bins ln(rows in bin)`, keeping the bins' row
/// counts even.
pub(super) fn borders(column: impl Iterator<Item = f64>, max: usize) -> Vec<f64> {
    let mut values: Vec<f64> = column.collect();
    values.sort_by(f64::total_cmp);
    // The distinct values and `before[j]`: how many values are smaller than `distinct[j]`
    // (with a final entry for the total).
    let mut distinct: Vec<f64> = Vec::new();
    let mut before: Vec<usize> = Vec::new();
    for (i, &v) in values.iter().enumerate() {
        if distinct.last() != Some(&v) {
            distinct.push(v);
            before.push(i);
        }
    }
    before.push(values.len());
    let gaps = distinct.len().saturating_sub(1);
    let cuts: Vec<usize> = if gaps <= max {
        (1..distinct.len()).collect()
    } else {
        greedy_log_sum(&before, max)
    };
    cuts.into_iter()
        .map(|j| midpoint(distinct[j - 1], distinct[j]))
        .collect()
}

/// The bin of each value of a column: how many borders it exceeds.
pub(super) fn bins(column: impl Iterator<Item = f64>, borders: &[f64]) -> Vec<u16> {
    column
        .map(|x| {
            let bin = borders.partition_point(|&b| x > b);
            u16::try_from(bin).expect("at most 65535 borders")
        })
        .collect()
}

/// Halfway from `lo` to `hi` (`lo < hi`), never reaching `hi`, so `hi > border` always holds.
fn midpoint(lo: f64, hi: f64) -> f64 {
    let m = lo + (hi - lo) / 2.0;
    if m < hi {
        m
    } else {
        lo
    }
}

/// A bin of distinct values `a..b` with its best cut `j` (values `a..j` | `j..b`) and the gain
/// in `Σ ln(count)` the cut brings.
struct Split {
    gain: f64,
    a: usize,
    b: usize,
    j: usize,
}

impl PartialEq for Split {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Split {}

impl PartialOrd for Split {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Split {
    /// The larger gain first, then the lower bin, so the order never depends on the heap.
    fn cmp(&self, other: &Self) -> Ordering {
        self.gain
            .total_cmp(&other.gain)
            .then_with(|| other.a.cmp(&self.a))
    }
}

/// The best cut of the bin of distinct values `a..b` (at least two of them): the one leaving
/// the row counts on both sides most even (the lower cut on a tie).
fn best_cut(before: &[usize], a: usize, b: usize) -> Split {
    let total = before[b] - before[a];
    let half = before[a] + total / 2;
    // The first cut with at least half the rows on its left, and the one before it.
    let first = (a + 1 + before[a + 1..b].partition_point(|&c| c < half)).min(b - 1);
    let product = |j: usize| (before[j] - before[a]) as f64 * (before[b] - before[j]) as f64;
    let j = if first > a + 1 && product(first - 1) >= product(first) {
        first - 1
    } else {
        first
    };
    let (left, right) = (
        (before[j] - before[a]) as f64,
        (before[b] - before[j]) as f64,
    );
    Split {
        gain: left.ln() + right.ln() - (total as f64).ln(),
        a,
        b,
        j,
    }
}

/// `max` cuts (indices into the distinct values, ascending) chosen greedily by log-sum gain.
fn greedy_log_sum(before: &[usize], max: usize) -> Vec<usize> {
    let distinct = before.len() - 1;
    let mut heap = BinaryHeap::from([best_cut(before, 0, distinct)]);
    let mut cuts = Vec::with_capacity(max);
    while cuts.len() < max {
        let Some(Split { a, b, j, .. }) = heap.pop() else {
            break;
        };
        cuts.push(j);
        for (lo, hi) in [(a, j), (j, b)] {
            if hi - lo >= 2 {
                heap.push(best_cut(before, lo, hi));
            }
        }
    }
    cuts.sort_unstable();
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hot_columns_get_the_border_one_half_and_constant_columns_none() {
        assert_eq!(borders([0.0, 1.0, 1.0, 0.0].into_iter(), 254), [0.5]);
        assert_eq!(borders([1.0, 1.0].into_iter(), 254), [] as [f64; 0]);
        assert_eq!(borders([0.0, 1.0].into_iter(), 1), [0.5]);
    }

    #[test]
    fn few_distinct_values_get_a_border_in_every_gap() {
        let b = borders([3.0, -1.0, 2.0, 3.0, 2.0].into_iter(), 254);
        assert_eq!(b, [0.5, 2.5]);
        assert_eq!(
            bins([3.0, -1.0, 2.0, 0.5, 2.5].into_iter(), &b),
            [2, 0, 1, 0, 1]
        );
    }

    #[test]
    fn many_distinct_values_get_at_most_max_even_borders() {
        let column: Vec<f64> = (0..1000).map(|i| f64::from(i % 100) * 0.37 - 5.0).collect();
        let b = borders(column.iter().copied(), 9);
        assert_eq!(b.len(), 9);
        assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
        // A uniform column: greedy halving leaves bins of 60 to 130 rows, never lopsided.
        let mut counts = [0usize; 10];
        for bin in bins(column.iter().copied(), &b) {
            counts[bin as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (50..=150).contains(&c)),
            "{counts:?}"
        );
        // A power of two splits evenly.
        let b = borders(column.iter().copied(), 3);
        let mut counts = [0usize; 4];
        for bin in bins(column.iter().copied(), &b) {
            counts[bin as usize] += 1;
        }
        assert_eq!(counts, [250; 4]);
    }

    #[test]
    fn a_heavy_value_gets_a_bin_of_its_own() {
        // 0 is half the column: the first cut isolates it.
        let column: Vec<f64> = (0..200)
            .map(|i| if i < 100 { 0.0 } else { f64::from(i) })
            .collect();
        let b = borders(column.iter().copied(), 1);
        assert_eq!(b, [50.0]);
    }

    #[test]
    fn bins_follow_the_greater_than_rule_at_the_borders() {
        let b = [0.5, 2.0];
        assert_eq!(
            bins([0.5, 0.500001, 2.0, 2.1].into_iter(), &b),
            [0, 1, 1, 2]
        );
    }

    #[test]
    fn midpoints_of_neighbouring_floats_stay_below_the_upper_value() {
        let lo = 1.0_f64;
        let hi = f64::from_bits(lo.to_bits() + 1);
        let m = midpoint(lo, hi);
        assert!(hi > m && lo <= m);
    }
}
