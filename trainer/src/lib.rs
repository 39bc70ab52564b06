//! The trainer: reads a dataset (a CSV and its dataset file, `model::Dataset`), grid-searches model families with seeded k-fold
//! cross-validation on the training split, picks the winner on cross-validation only, and
//! exports it with its preprocessing as one versioned JSON document (the `model` crate's
//! format). `main.rs` is the command line around it.
//!
//! The library runs in two places: natively under the command line (feature `cli`, default),
//! its fits on every core (feature `parallel`), and built for wasm32 without default features
//! (a browser's Web Worker), one thread, with the same output. Progress and cancellation reach
//! both through one callback, [`progress::Progress`].

#[cfg(feature = "cli")]
pub mod bars;
pub mod bootstrap;
#[cfg(feature = "cli")]
pub mod cli;
pub mod data;
pub mod describe;
pub mod export;
pub mod families;
pub mod interval;
pub mod job;
pub mod metrics;
pub mod par;
#[cfg(feature = "cli")]
pub mod predict;
pub mod prep;
pub mod progress;
pub mod report;
pub mod search;
pub mod sheet;
pub mod split;
pub mod train;

/// A problem with what the trainer was given (an argument, the data, a grid, a model), named in
/// its message: `trainer` exits with code 2 on it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// An input file that cannot be read; the operating system's reason is the source (printed
/// once, after the path).
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}")]
pub struct Unreadable {
    pub path: String,
    pub source: std::io::Error,
}

impl Unreadable {
    pub fn new(path: &std::path::Path, source: std::io::Error) -> Self {
        Self {
            path: path.display().to_string(),
            source,
        }
    }
}

/// `std::fs::read_to_string`, failing with [`Unreadable`].
pub fn read_text(path: &std::path::Path) -> Result<String, Unreadable> {
    std::fs::read_to_string(path).map_err(|e| Unreadable::new(path, e))
}

/// `std::fs::read`, failing with [`Unreadable`].
pub fn read_bytes(path: &std::path::Path) -> Result<Vec<u8>, Unreadable> {
    std::fs::read(path).map_err(|e| Unreadable::new(path, e))
}

/// Whether `e` is bad input (exit code 2) rather than a failure of the trainer itself (1).
pub fn is_bad_input(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.is::<BadInput>()
            || c.is::<Unreadable>()
            || c.is::<data::DataError>()
            || c.is::<describe::InferError>()
            || c.is::<model::dataset::DatasetError>()
            || c.is::<families::ParamError>()
            || c.is::<model::BatchError>()
            || c.is::<model::FormatError>()
            || c.is::<model::InputError>()
    })
}
