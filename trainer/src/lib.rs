//! The trainer: reads the dataset, grid-searches model families with seeded k-fold
//! cross-validation on the training split, picks the winner on cross-validation only, and
//! exports it with its preprocessing as one versioned JSON document (the `model` crate's
//! format). `main.rs` is the command line around it.

pub mod cli;
pub mod data;
pub mod export;
pub mod families;
pub mod interval;
pub mod metrics;
pub mod predict;
pub mod prep;
pub mod progress;
pub mod report;
pub mod search;
pub mod split;
pub mod train;
