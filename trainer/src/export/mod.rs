//! Turning fitted models into the exchange format.

pub mod smartcore_trees;
