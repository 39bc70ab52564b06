//! Seeded train/test split and cross-validation folds.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Row indices of the training and test splits, each sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// Shuffles `0..n` with `seed` and holds out `round(n * test_fraction)` rows (at least one, and
/// at least one left to train on).
pub fn train_test(n: usize, test_fraction: f64, seed: u64) -> Split {
    assert!(n >= 2, "need at least two rows to split");
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let n_test = ((n as f64 * test_fraction).round() as usize).clamp(1, n - 1);
    let mut test = order[..n_test].to_vec();
    let mut train = order[n_test..].to_vec();
    test.sort_unstable();
    train.sort_unstable();
    Split { train, test }
}

/// `k` folds over `0..n` (positions into the training split), shuffled with `seed` through
/// smartcore's `KFold` (which shuffles unseeded unless given one). Each element is
/// (fit positions, validation positions), both sorted; every position validates exactly once.
pub fn folds(n: usize, k: usize, seed: u64) -> Vec<(Vec<usize>, Vec<usize>)> {
    use smartcore::model_selection::{BaseKFold, KFold};
    // KFold only reads the row count of its argument.
    let shape = ndarray::Array2::<f64>::zeros((n, 1));
    let kfold = KFold::default()
        .with_n_splits(k)
        .with_shuffle(true)
        .with_seed(Some(seed));
    kfold.split(&shape).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_seeded_disjoint_and_complete() {
        let a = train_test(1000, 0.2, 42);
        assert_eq!(a, train_test(1000, 0.2, 42));
        assert_ne!(a, train_test(1000, 0.2, 43));
        assert_eq!((a.train.len(), a.test.len()), (800, 200));
        let mut all: Vec<usize> = a.train.iter().chain(&a.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..1000).collect::<Vec<_>>());
        assert_eq!(train_test(3, 0.01, 1).test.len(), 1);
        assert_eq!(train_test(3, 0.99, 1).train.len(), 1);
    }

    #[test]
    fn folds_are_seeded_and_validate_every_position_once() {
        let f = folds(23, 5, 7);
        assert_eq!(f, folds(23, 5, 7));
        assert_ne!(f, folds(23, 5, 8));
        assert_eq!(f.len(), 5);
        let mut seen = [0; 23];
        for (fit, val) in &f {
            assert_eq!(fit.len() + val.len(), 23);
            assert!(val.len() == 4 || val.len() == 5);
            for &i in val {
                seen[i] += 1;
                assert!(!fit.contains(&i));
            }
        }
        assert!(seen.iter().all(|&c| c == 1));
    }
}
