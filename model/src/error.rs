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
            Problem::UnknownCategory { .. } => f.write_str(&self.describe(&[])),
        }
    }
}

impl Problem {
    /// The reason, as [`Display`](fmt::Display) gives it, with the closest allowed category
    /// for an unknown one, found by value and by `labels` (the feature's category labels, in
    /// category order, or none): `"bachelors degree" is not one of: …; did you mean
    /// "bachelor's degree"?` ([`crate::closest::suggest_category`]). The guess is only shown,
    /// never used.
    pub fn describe(&self, labels: &[String]) -> String {
        match self {
            Problem::UnknownCategory { text, allowed } => {
                let mut out = format!("{text:?} is not one of: {}", allowed.join(", "));
                if let Some(i) = crate::closest::suggest_category(text, allowed, labels) {
                    out.push_str(&format!("; did you mean {:?}?", allowed[i]));
                }
                out
            }
            other => other.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_category_names_the_closest_allowed_one_when_one_is_close() {
        let unknown = |text: &str, allowed: &[&str]| Problem::UnknownCategory {
            text: text.to_owned(),
            allowed: allowed.iter().map(|a| (*a).to_owned()).collect(),
        };
        assert_eq!(
            unknown("free", &["free/reduced", "standard"]).to_string(),
            "\"free\" is not one of: free/reduced, standard; did you mean \"free/reduced\"?"
        );
        assert_eq!(
            unknown("yes", &["completed", "none"]).to_string(),
            "\"yes\" is not one of: completed, none; did you mean \"completed\"?"
        );
        assert_eq!(
            unknown("robot", &["female", "male"]).to_string(),
            "\"robot\" is not one of: female, male"
        );
        let school = unknown("Gabriel Pereira", &["GP", "MS"]);
        assert_eq!(
            school.to_string(),
            "\"Gabriel Pereira\" is not one of: GP, MS"
        );
        let labels = [
            "Gabriel Pereira".to_owned(),
            "Mousinho da Silveira".to_owned(),
        ];
        assert!(school.describe(&labels).ends_with("; did you mean \"GP\"?"));
    }
}
