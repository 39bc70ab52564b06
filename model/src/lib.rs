//! The contract between the trainer and the app: the versioned JSON model format, the
//! preprocessing it describes, and inference. It knows nothing of smartcore or the DOM and
//! builds both natively and for `wasm32-unknown-unknown`, so the browser runs exactly the code
//! the trainer tests.
//!
//! ```
//! use model::{Predictor, Student};
//! # let json = include_str!("../tests/fixtures/linear.v1.json");
//! let predictor = Predictor::from_json(json)?;
//! let student = Student::new().with("reading_score", "72").with("writing_score", "74");
//! let score = predictor.predict(&student)?;
//! assert!(score.is_finite());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "batch")]
mod audit;
#[cfg(feature = "batch")]
mod batch;
pub mod closest;
#[cfg(feature = "batch")]
mod columns;
pub mod dataset;
mod error;
mod explain;
pub mod fields;
mod format;
mod predict;
pub mod report;
mod set;
mod student;
mod tagged;
pub mod text;
mod validate;
pub mod whatif;

#[cfg(feature = "batch")]
pub use audit::{audited_features, Audit, AuditedField, BatchAudit};
#[cfg(feature = "batch")]
pub use batch::{
    delimiter as csv_delimiter, normalize as normalize_csv, spreadsheet_name, Batch, BatchError,
    BatchRow, BatchScores, NoScores, Prediction, MIN_SCORED_ROWS,
};
#[cfg(feature = "batch")]
pub use columns::{Choices, ColumnPlan, Columns, PlanError};
pub use dataset::Dataset;
pub use error::{FieldError, FormatError, InputError, Problem};
pub use explain::{Contribution, Explanation, EXACT_FEATURES, SAMPLED_PERMUTATIONS};
pub use format::{
    Aggregation, Feature, FieldInfo, FormatVersion, Interval, KnnWeighting, Level, Metrics, Model,
    ModelBundle, ObliviousTree, Preprocessor, Step, TargetInfo, Tree, FORMAT_NAME, FORMAT_VERSION,
};
pub use predict::{
    knn_average, knn_predict, nearest, order_by, weighted_median, Encoder, Estimate, Fill, Filled,
    Missing, Predictor,
};
pub use set::{DatasetCard, ModelSet, Predictors, SET_FORMAT_NAME, SET_FORMAT_VERSION};
pub use student::Student;

/// The JSON Schema of the model format (one bundle), generated from the types.
#[cfg(feature = "schema")]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ModelBundle);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}

/// The JSON Schema of `model.json`: a set of bundles, one per target and variant.
#[cfg(feature = "schema")]
pub fn json_schema_set() -> String {
    let schema = schemars::schema_for!(ModelSet);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}
