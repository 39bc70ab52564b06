//! The fan-out of the search and the refit: on every core with the `parallel` feature (rayon),
//! else in order on this thread (a browser's Web Worker). Each item is computed on its own and
//! the results keep the items' order, so both ways give the same results bit for bit.

/// How the trainer runs its independent fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    /// On every core (rayon); one thread when the `parallel` feature is off.
    All,
    /// In order, on the calling thread.
    One,
}

impl Default for Threads {
    /// Every core when the `parallel` feature is on.
    fn default() -> Self {
        if cfg!(feature = "parallel") {
            Threads::All
        } else {
            Threads::One
        }
    }
}

/// `Sync` when the fits may run on several threads (the `parallel` feature); nothing otherwise,
/// so a browser's callback may hold what a worker holds (a `Cell`, a JavaScript object).
#[cfg(feature = "parallel")]
pub trait MaybeSync: Sync {}
#[cfg(feature = "parallel")]
impl<T: Sync + ?Sized> MaybeSync for T {}
/// `Sync` when the fits may run on several threads (the `parallel` feature); nothing otherwise,
/// so a browser's callback may hold what a worker holds (a `Cell`, a JavaScript object).
#[cfg(not(feature = "parallel"))]
pub trait MaybeSync {}
#[cfg(not(feature = "parallel"))]
impl<T: ?Sized> MaybeSync for T {}

/// `Send` when the fits may run on several threads (the `parallel` feature); nothing otherwise.
#[cfg(feature = "parallel")]
pub trait MaybeSend: Send {}
#[cfg(feature = "parallel")]
impl<T: Send + ?Sized> MaybeSend for T {}
/// `Send` when the fits may run on several threads (the `parallel` feature); nothing otherwise.
#[cfg(not(feature = "parallel"))]
pub trait MaybeSend {}
#[cfg(not(feature = "parallel"))]
impl<T: ?Sized> MaybeSend for T {}

/// `f` of every item, in the items' order.
pub fn map<T, R, F>(threads: Threads, items: &[T], f: F) -> Vec<R>
where
    T: MaybeSync,
    R: MaybeSend,
    F: Fn(&T) -> R + MaybeSync + MaybeSend,
{
    #[cfg(feature = "parallel")]
    if threads == Threads::All {
        use rayon::prelude::*;
        return items.par_iter().map(f).collect();
    }
    let _ = threads;
    items.iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ways_keep_the_items_order() {
        let items: Vec<u64> = (0..200).collect();
        let square = |v: &u64| v * v;
        let all = map(Threads::All, &items, square);
        assert_eq!(all, map(Threads::One, &items, square));
        assert_eq!(all[199], 199 * 199);
    }
}
