//! Seeded train/test split and cross-validation folds.

/// Row indices of the training and test splits, each sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// Holds out exactly the rows scikit-learn's `train_test_split(test_size=test_fraction,
/// random_state=seed)` holds out: `ceil(n * test_fraction)` rows (at least one, and at least
/// one left to train on) taken from the front of numpy's `RandomState(seed).permutation(n)`.
/// With seed 42 the test split is the original Python project's, so figures compare directly.
pub fn train_test(n: usize, test_fraction: f64, seed: u64) -> Split {
    assert!(n >= 2, "need at least two rows to split");
    let order = numpy_permutation(n, seed as u32);
    let n_test = ((n as f64 * test_fraction).ceil() as usize).clamp(1, n - 1);
    let mut test = order[..n_test].to_vec();
    let mut train = order[n_test..].to_vec();
    test.sort_unstable();
    train.sort_unstable();
    Split { train, test }
}

/// numpy's legacy `RandomState(seed).permutation(n)`: a Fisher-Yates shuffle of `0..n` from the
/// last position down, each swap partner drawn by masked rejection sampling from MT19937.
pub fn numpy_permutation(n: usize, seed: u32) -> Vec<usize> {
    numpy_shuffled(n, &mut Mt19937::new(seed))
}

/// `0..n` shuffled by numpy's legacy `RandomState.shuffle` drawing from `mt` (what
/// `permutation(n)` does on a fresh generator; consecutive calls continue its stream).
fn numpy_shuffled(n: usize, mt: &mut Mt19937) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = mt.interval(i as u32) as usize;
        order.swap(i, j);
    }
    order
}

/// The Mersenne Twister MT19937 (32-bit), seeded like numpy's `RandomState(int)`: the one
/// random source of the trainer's splits, folds and the fairness audit's bootstrap.
pub struct Mt19937 {
    state: [u32; 624],
    index: usize,
}

impl Mt19937 {
    pub fn new(seed: u32) -> Self {
        let mut state = [0u32; 624];
        state[0] = seed;
        for i in 1..624 {
            let prev = state[i - 1];
            state[i] = 1812433253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Self { state, index: 624 }
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            for i in 0..624 {
                let y = (self.state[i] & 0x8000_0000) | (self.state[(i + 1) % 624] & 0x7fff_ffff);
                let mut v = self.state[(i + 397) % 624] ^ (y >> 1);
                if y & 1 == 1 {
                    v ^= 0x9908_b0df;
                }
                self.state[i] = v;
            }
            self.index = 0;
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// A uniform integer in `0..=max`, as numpy's `random_interval` draws it: the next 32-bit
    /// outputs masked to the bits of `max`, the first one not above `max` kept.
    pub fn interval(&mut self, max: u32) -> u32 {
        if max == 0 {
            return 0;
        }
        let mut mask = max;
        for shift in [1, 2, 4, 8, 16] {
            mask |= mask >> shift;
        }
        loop {
            let v = self.next_u32() & mask;
            if v <= max {
                return v;
            }
        }
    }
}

/// `k` folds over `0..n` (positions into the training split), exactly scikit-learn's
/// `KFold(n_splits=k, shuffle=True, random_state=seed)`: positions shuffled by numpy's
/// `RandomState(seed)`, then cut into `k` consecutive folds, the first `n % k` one larger.
/// So the Python benchmark cross-validates on the very same folds. Each element is
/// (fit positions, validation positions), both sorted; every position validates exactly once.
pub fn folds(n: usize, k: usize, seed: u64) -> Vec<(Vec<usize>, Vec<usize>)> {
    repeated_folds(n, k, 1, seed)
}

/// Repeated k-fold cross-validation, exactly scikit-learn's `RepeatedKFold(n_splits=k,
/// n_repeats=repeats, random_state=seed)`: one numpy `RandomState(seed)` shuffles `0..n` once
/// per run, each run continuing the generator's stream, and each shuffle is cut into `k` folds
/// as [`folds`] cuts it. So every run's folds are a partition of `0..n`, the runs differ, the
/// whole is seeded, and the first run is [`folds`]`(n, k, seed)`. The runs are concatenated:
/// run `r`'s folds are elements `r * k .. (r + 1) * k`.
pub fn repeated_folds(
    n: usize,
    k: usize,
    repeats: usize,
    seed: u64,
) -> Vec<(Vec<usize>, Vec<usize>)> {
    assert!(
        k >= 2 && k <= n,
        "{k} folds need at least {k} rows, not {n}"
    );
    assert!(repeats >= 1, "at least one run of folds");
    let mut mt = Mt19937::new(seed as u32);
    let mut out = Vec::with_capacity(k * repeats);
    for _ in 0..repeats {
        let order = numpy_shuffled(n, &mut mt);
        let mut start = 0;
        for fold in 0..k {
            let size = n / k + usize::from(fold < n % k);
            let mut validation = order[start..start + size].to_vec();
            let mut fit: Vec<usize> = order[..start]
                .iter()
                .chain(&order[start + size..])
                .copied()
                .collect();
            start += size;
            validation.sort_unstable();
            fit.sort_unstable();
            out.push((fit, validation));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutations_match_numpy_random_state() {
        // np.random.RandomState(7).permutation(10) and RandomState(2**32 - 1).permutation(23)
        assert_eq!(numpy_permutation(10, 7), [8, 5, 0, 2, 1, 9, 7, 3, 6, 4]);
        assert_eq!(
            numpy_permutation(23, u32::MAX),
            [21, 8, 22, 17, 4, 9, 14, 1, 5, 20, 13, 19, 6, 15, 10, 16, 11, 18, 0, 7, 12, 2, 3]
        );
    }

    #[test]
    fn the_split_is_scikit_learns_train_test_split() {
        // train_test_split(np.arange(1000), test_size=0.2, random_state=42): the first test
        // rows in its order are 521, 737, 740, 660, 411, 678, 626, 513, 859, 136.
        let s = train_test(1000, 0.2, 42);
        for row in [521, 737, 740, 660, 411, 678, 626, 513, 859, 136] {
            assert!(s.test.binary_search(&row).is_ok(), "{row}");
        }
        for row in [29, 535, 695, 557, 836] {
            assert!(s.train.binary_search(&row).is_ok(), "{row}");
        }
    }

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
    fn folds_are_scikit_learns_kfold() {
        // [sorted(te) for _, te in KFold(5, shuffle=True, random_state=42).split(range(23))]
        let validation: Vec<Vec<usize>> = folds(23, 5, 42).into_iter().map(|f| f.1).collect();
        assert_eq!(
            validation,
            [
                vec![0, 8, 9, 15, 17],
                vec![1, 2, 5, 12, 13],
                vec![3, 4, 11, 18, 20],
                vec![7, 16, 21, 22],
                vec![6, 10, 14, 19],
            ]
        );
        let validation: Vec<Vec<usize>> = folds(10, 3, 7).into_iter().map(|f| f.1).collect();
        assert_eq!(validation, [vec![0, 2, 5, 8], vec![1, 7, 9], vec![3, 4, 6]]);
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

    #[test]
    fn repeated_folds_are_seeded_partitions_that_differ_by_run() {
        let runs = repeated_folds(23, 5, 3, 7);
        assert_eq!(runs.len(), 15);
        assert_eq!(runs, repeated_folds(23, 5, 3, 7));
        assert_ne!(runs, repeated_folds(23, 5, 3, 8));
        // The first run is today's folds: R = 1 changes nothing.
        assert_eq!(runs[..5], folds(23, 5, 7)[..]);
        assert_eq!(repeated_folds(23, 5, 1, 7), folds(23, 5, 7));
        for run in runs.chunks(5) {
            let mut seen = [0; 23];
            for (fit, val) in run {
                assert_eq!(fit.len() + val.len(), 23);
                for &i in val {
                    seen[i] += 1;
                    assert!(!fit.contains(&i));
                }
            }
            assert!(seen.iter().all(|&c| c == 1));
        }
        assert_ne!(runs[..5], runs[5..10]);
        assert_ne!(runs[5..10], runs[10..]);
        // RepeatedKFold(n_splits=3, n_repeats=2, random_state=7) on range(10): the second
        // run continues the generator, so it is the second permutation of one RandomState.
        let mut mt = Mt19937::new(7);
        let first = numpy_shuffled(10, &mut mt);
        let second = numpy_shuffled(10, &mut mt);
        assert_eq!(first, numpy_permutation(10, 7));
        let mut expected = second[..4].to_vec();
        expected.sort_unstable();
        assert_eq!(repeated_folds(10, 3, 2, 7)[3].1, expected);
    }
}
