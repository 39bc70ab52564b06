use std::fmt;

use crate::text::{number, number_hint};

/// Why a model document was refused.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The parser's own message (line and column) is the error's `source`, printed once by
    /// whoever prints the chain.
    #[error("the model is not valid JSON for this format")]
    Json(#[from] serde_json::Error),
    #[error("format is {found:?}, expected {expected:?}")]
    WrongFormat {
        found: String,
        expected: &'static str,
    },
    #[error(
        "format version {found_major}.{found_minor} is not supported: this reader reads {major}.x"
    )]
    UnsupportedVersion {
        found_major: u32,
        found_minor: u32,
        major: u32,
    },
    /// A value or array that breaks the format's rules; `path` points into the JSON document,
    /// e.g. `model.trees[3].left[17]`.
    #[error("{path}: {problem}")]
    Invalid { path: String, problem: String },
}

impl FormatError {
    pub(crate) fn invalid(path: impl Into<String>, problem: impl Into<String>) -> Self {
        FormatError::Invalid {
            path: path.into(),
            problem: problem.into(),
        }
    }
}

/// What is wrong with one input field.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Missing,
    NotANumber { text: String },
    OutOfRange { value: f64, min: f64, max: f64 },
    UnknownCategory { text: String, allowed: Vec<String> },
}

/// One input field that cannot be used, with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// The column name, e.g. `"reading_score"`.
    pub field: String,
    /// The column's label, as people read it (the feature's [`crate::Feature::label`]), e.g.
    /// `"Reading score"`.
    pub label: String,
    pub problem: Problem,
}

impl FieldError {
    /// `feature`'s error, named by its name and label.
    pub fn new(feature: &crate::Feature, problem: Problem) -> Self {
        Self {
            field: feature.name().to_owned(),
            label: feature.label().to_owned(),
            problem,
        }
    }
}

impl fmt::Display for FieldError {
    /// A sentence for people, naming the field by its label:
    /// `Reading score: 150 is not between 0 and 100`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.label, self.problem)
    }
}

impl fmt::Display for Problem {
    /// The reason alone: `150 is not between 0 and 100`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing => write!(f, "a value is required"),
            Problem::NotANumber { text } => match number_hint(text) {
                Some(hint) => write!(f, "{text:?} is not a number ({hint})"),
                None => write!(f, "{text:?} is not a number"),
            },
            Problem::OutOfRange { value, min, max } => write!(
                f,
                "{} is not between {} and {}",
                number(*value),
                number(*min),
                number(*max)
            ),
            Problem::UnknownCategory { text, allowed } => {
                write!(f, "{text:?} is not one of: {}", allowed.join(", "))
            }
        }
    }
}

impl std::error::Error for FieldError {}

/// Every field of one student that cannot be used (at least one).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", .errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct InputError {
    pub errors: Vec<FieldError>,
}

impl InputError {
    /// The error for one field, if that field has one.
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }
}
