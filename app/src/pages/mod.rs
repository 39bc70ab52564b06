//! One module per page; each page reads what it needs from context.

pub mod about;
pub mod batch;
pub mod fairness;
pub mod insights;
pub mod models;
pub mod predict;
