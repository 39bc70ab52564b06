//! Progress and cancellation of a training run through one callback: the command line's bars
//! ([`crate::bars`]) and a browser worker's messages both implement [`Progress`].

use std::ops::ControlFlow;

use crate::par::MaybeSync;

/// One grid point scored (or skipped) on one fold of the cross-validated search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchEvent<'a> {
    /// The column predicted.
    pub target: &'a str,
    /// `"full"`, or the fairness variant's name (`"without gender and race/ethnicity"`).
    pub variant: &'a str,
    pub family: &'a str,
    /// The grid point, from 0, of the family's `points`.
    pub point: usize,
    pub points: usize,
    /// The fold, from 0, of `folds` (every run's folds, with repeated k-fold).
    pub fold: usize,
    pub folds: usize,
    /// Left out before any fit: the point does not suit the data ([`crate::families::Family::unsuited`]).
    pub skipped: bool,
    /// Events of this search so far, this one included, of `total`: every grid point of every
    /// family on every fold is one event.
    pub done: usize,
    pub total: usize,
}

/// What a training run reports to, and asks whether to go on.
pub trait Progress: MaybeSync {
    /// Called once per (grid point, fold) of each search; `Break` cancels the run before its
    /// next fit, which then fails with [`Cancelled`]. With the `parallel` feature it is called
    /// from several threads, in no fixed order (`done` counts them).
    fn step(&self, event: &SearchEvent<'_>) -> ControlFlow<()>;
}

/// No progress shown, never cancelled.
impl Progress for () {
    fn step(&self, _: &SearchEvent<'_>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

/// A closure is a progress callback.
impl<F> Progress for F
where
    F: Fn(&SearchEvent<'_>) -> ControlFlow<()> + MaybeSync,
{
    fn step(&self, event: &SearchEvent<'_>) -> ControlFlow<()> {
        self(event)
    }
}

/// The run was cancelled by its [`Progress`] callback; nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("training was cancelled")]
pub struct Cancelled;
