//! A student's raw fields, as typed into the form or read from a CSV row.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Raw text fields by column name (`"reading_score" → "72"`). A field that is absent, empty or
/// only white space is missing. Parsing and range checks happen against a model's features, in
/// [`crate::Predictor::encode`], so every input path (form, CLI, batch CSV) is checked the same
/// way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Student(BTreeMap<String, String>);

impl Student {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a field, builder style.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set(name, value);
        self
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }

    /// The field's trimmed text, or `None` when it is missing.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Student {
    /// A later value for the same field replaces an earlier one.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        // Inserted one by one: collecting into a BTreeMap would sort first, and every sort
        // instantiation costs the wasm a few kilobytes.
        let mut fields = BTreeMap::new();
        for (k, v) in iter {
            fields.insert(k.into(), v.into());
        }
        Self(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_fields_are_missing_and_values_are_trimmed() {
        let s = Student::new()
            .with("gender", "  female ")
            .with("lunch", "   ")
            .with("math_score", "");
        assert_eq!(s.get("gender"), Some("female"));
        assert_eq!(s.get("lunch"), None);
        assert_eq!(s.get("math_score"), None);
        assert_eq!(s.get("reading_score"), None);
    }
}
