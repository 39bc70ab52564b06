//! A dataset file: what a table's columns are, as data. It is a Frictionless *Data Resource*
//! (v2) whose `schema` is a *Table Schema*, the form `frictionless describe data.csv` writes
//! and Open Data Editor edits; a bare Table Schema (an object with `fields`) reads too. The
//! standard's own properties are used wherever it has one for the thing: `name`, `title`,
//! `description` (the one-sentence help), `type`, `constraints` (`required`, `minimum`,
//! `maximum`, `enum`), `missingValues`, `categories` (`{value, label}`), `categoriesOrdered`,
//! `trueValues`/`falseValues`; the resource's `sources`, `licenses` and `dialect.delimiter`.
//!
//! What the standard has no word for is added as extra properties, which it allows:
//! - on the resource: `intendedUse` (what the data and its models are for, and not for) and
//!   `roles` (which columns are targets, sensitive, actionable, audited or ignored, and why);
//! - on a field: `unit`, `step`, `group` (the form section) and `aliases` (other header
//!   wordings that name the column).
//!
//! How a column becomes a model feature: `number` and `integer` columns are numeric features
//! (standard scaling, median imputation), with `categories` on an integer column read as the
//! meaning of each coded level (the model still reads the number); `string` and `boolean`
//! columns are categorical (one-hot, most-frequent imputation) over their `categories` or
//! `constraints.enum` values (for a boolean: `false` and `true`).
//!
//! Nothing here names a column of any dataset: the file does.

use serde::{Deserialize, Serialize};

/// A dataset file: a Data Resource with a Table Schema and our extras.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Dataset {
    /// A short identifier (lowercase, `-`, `_`, `.`), e.g. `"uci-student-por"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The data file, relative to the dataset file (informational: the trainer is given the
    /// CSV on its command line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<License>,
    /// The CSV dialect; only `delimiter` is read (the reader also finds it from the header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<Dialect>,
    /// Extra: what the data and the models trained on it are for, and not for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended_use: Option<String>,
    pub schema: TableSchema,
    /// Extra: what each column is for. Absent: no target, nothing sensitive or actionable.
    #[serde(default, skip_serializing_if = "Roles::is_empty")]
    pub roles: Roles,
}

/// A Data Resource source.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Source {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A URL or a path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A Data Resource licence: an Open Definition licence ID (`name`, e.g. `"CC-BY-4.0"`) or a
/// `path` to its text, or both.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct License {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A Table Dialect; only the delimiter matters here.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Dialect {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
}

/// A Table Schema.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TableSchema {
    /// The columns, in the order the form shows them (a CSV file may order them otherwise).
    pub fields: Vec<Field>,
    /// The cell texts that mean "no value" (default `[""]`); blank cells are always missing.
    #[serde(
        default = "default_missing",
        skip_serializing_if = "is_default_missing"
    )]
    pub missing_values: Vec<String>,
}

fn default_missing() -> Vec<String> {
    vec![String::new()]
}

fn is_default_missing(v: &[String]) -> bool {
    v.len() == 1 && v[0].is_empty()
}

/// The Table Schema field types this reader knows; any other type is refused by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Number,
    Integer,
    String,
    Boolean,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// The header cell's text in the CSV.
    pub name: String,
    /// The label people read ("Mother's education").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// One sentence on what the column is (shown as help beside the field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Absent means `string`, as the standard says.
    #[serde(rename = "type", default = "default_type")]
    pub kind: FieldType,
    #[serde(default, skip_serializing_if = "Constraints::is_empty")]
    pub constraints: Constraints,
    /// For a string column, its values (with labels); for an integer column, the meaning of
    /// each coded level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<Category>>,
    /// Whether `categories` are in a meaningful order (the standard's `categoriesOrdered`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub categories_ordered: bool,
    /// A boolean column's texts for true (default `true`, `True`, `TRUE`, `1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub true_values: Option<Vec<String>>,
    /// A boolean column's texts for false (default `false`, `False`, `FALSE`, `0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub false_values: Option<Vec<String>>,
    /// v2: this column's own "no value" texts, replacing the schema's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_values: Option<Vec<String>>,
    /// Extra: the unit of a number ("days", "points").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Extra: the step between values people write (1 for a count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    /// Extra: the form section, e.g. "Family".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Extra: other header wordings that name this column in a CSV file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

fn default_type() -> FieldType {
    FieldType::String
}

/// The standard's field constraints that this reader uses.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Constraints {
    /// A row without a value here is refused (otherwise it is imputed).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    /// The allowed values (as JSON values: strings for a string column, numbers for a number).
    #[serde(rename = "enum", default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<serde_json::Value>>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }
}

/// One category: a bare value, or a value with its label (`{"value": 0, "label": "none"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Category {
    Labelled {
        value: serde_json::Value,
        label: String,
    },
    Value(serde_json::Value),
}

/// Extra: what each column is for. Every name must be a field of the schema.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Roles {
    /// The predicted columns, each from the others; the first is the app's default. Numeric.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// Protected attributes: the fairness variant leaves them out and the audit groups by them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sensitive: Vec<String>,
    /// What a what-if may change; every other column stays as entered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actionable: Vec<String>,
    /// Further categorical columns the audit groups by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audited: Vec<String>,
    /// Columns never used (identifiers, free text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// Why the roles are what they are, in a sentence or two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}

impl Roles {
    pub fn is_empty(&self) -> bool {
        self == &Roles::default()
    }
}

/// What is wrong with a dataset file; `path` points into the JSON document, e.g.
/// `schema.fields[3].constraints.minimum`.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The parser's own message (line and column) is the error's `source`.
    #[error("the dataset file is not valid JSON for a Table Schema or Data Resource")]
    Json(#[from] serde_json::Error),
    #[error("{path}: {problem}")]
    Invalid { path: String, problem: String },
}

impl DatasetError {
    pub fn invalid(path: impl Into<String>, problem: impl Into<String>) -> Self {
        DatasetError::Invalid {
            path: path.into(),
            problem: problem.into(),
        }
    }
}

/// One cell as the dataset reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Number(f64),
    /// A category in the dataset's own spelling (a boolean as `"false"` or `"true"`).
    Category(String),
}

/// Why one cell cannot be read (the caller adds the line and the column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CellError(pub String);

impl Dataset {
    /// Parses a dataset file (a Data Resource with a `schema`, or a bare Table Schema with
    /// `fields`) and checks it ([`Dataset::validate`]).
    pub fn from_json(json: &str) -> Result<Self, DatasetError> {
        let value: serde_json::Value = serde_json::from_str(json)?;
        let dataset: Dataset = if value.get("schema").is_none() && value.get("fields").is_some() {
            Dataset {
                schema: serde_json::from_value(value)?,
                ..Dataset::default()
            }
        } else {
            serde_json::from_value(value)?
        };
        dataset.validate()?;
        Ok(dataset)
    }

    /// The file as people edit it: pretty JSON with a final newline.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a dataset serializes") + "\n"
    }

    /// Checks the rules a reader relies on; each error names the JSON path.
    pub fn validate(&self) -> Result<(), DatasetError> {
        let fields = &self.schema.fields;
        if fields.is_empty() {
            return Err(DatasetError::invalid("schema.fields", "is empty"));
        }
        for (i, f) in fields.iter().enumerate() {
            let at = |p: &str| format!("schema.fields[{i}]{p}");
            if f.name.trim().is_empty() {
                return Err(DatasetError::invalid(at(".name"), "is empty"));
            }
            if fields[..i].iter().any(|g| g.name == f.name) {
                return Err(DatasetError::invalid(
                    at(".name"),
                    format!("{:?} is the name of an earlier field", f.name),
                ));
            }
            if let (Some(lo), Some(hi)) = (f.constraints.minimum, f.constraints.maximum) {
                if !(lo <= hi) {
                    return Err(DatasetError::invalid(
                        at(".constraints"),
                        format!("minimum {lo} is above maximum {hi}"),
                    ));
                }
            }
        }
        let roles = &self.roles;
        for (role, names) in [
            ("targets", &roles.targets),
            ("sensitive", &roles.sensitive),
            ("actionable", &roles.actionable),
            ("audited", &roles.audited),
            ("ignored", &roles.ignored),
        ] {
            for (k, name) in names.iter().enumerate() {
                if self.field(name).is_none() {
                    return Err(DatasetError::invalid(
                        format!("roles.{role}[{k}]"),
                        format!("{name:?} is not a field of the schema"),
                    ));
                }
            }
        }
        Ok(())
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.schema.fields.iter().find(|f| f.name == name)
    }

    /// The "no value" texts of `field`: its own, else the schema's.
    pub fn missing_values<'a>(&'a self, field: &'a Field) -> &'a [String] {
        field
            .missing_values
            .as_deref()
            .unwrap_or(&self.schema.missing_values)
    }

    /// The resource-level properties, for the model card.
    pub fn card(&self) -> crate::set::DatasetCard {
        crate::set::DatasetCard {
            name: self.name.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            sources: self.sources.clone(),
            licenses: self.licenses.clone(),
            intended_use: self.intended_use.clone(),
            roles_rationale: self.roles.rationale.clone(),
        }
    }

    /// How people read `field` as a model feature, with its roles.
    pub fn info(&self, field: &Field) -> crate::format::FieldInfo {
        let named = |list: &[String]| list.iter().any(|n| *n == field.name);
        crate::format::FieldInfo {
            label: field.title.clone(),
            help: field.description.clone(),
            unit: field.unit.clone(),
            step: field.step,
            group: field.group.clone(),
            levels: field.levels(),
            category_labels: field.category_labels(),
            aliases: field.aliases.clone(),
            actionable: named(&self.roles.actionable),
            sensitive: named(&self.roles.sensitive),
        }
    }
}

impl Field {
    /// Whether the model reads it as a number (`number` and `integer` columns).
    pub fn is_numeric(&self) -> bool {
        matches!(self.kind, FieldType::Number | FieldType::Integer)
    }

    /// The label people read: the title, else the name.
    pub fn label(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }

    /// A categorical column's values in the file's order: `categories`, else
    /// `constraints.enum`, as text; `["false", "true"]` for a boolean; `None` for a numeric
    /// column or a string column that lists none (the data's values are then used).
    pub fn category_values(&self) -> Option<Vec<String>> {
        match self.kind {
            FieldType::Number | FieldType::Integer => None,
            FieldType::Boolean => Some(vec!["false".into(), "true".into()]),
            FieldType::String => {
                if let Some(categories) = &self.categories {
                    Some(
                        categories
                            .iter()
                            .map(|c| match c {
                                Category::Labelled { value, .. } | Category::Value(value) => {
                                    json_text(value)
                                }
                            })
                            .collect(),
                    )
                } else {
                    self.constraints
                        .values
                        .as_ref()
                        .map(|v| v.iter().map(json_text).collect())
                }
            }
        }
    }

    /// The labels of a categorical column's values, in [`Field::category_values`] order; empty
    /// when none is labelled (the values are their own labels).
    pub fn category_labels(&self) -> Vec<String> {
        if self.is_numeric() {
            return Vec::new();
        }
        let Some(categories) = &self.categories else {
            return Vec::new();
        };
        if !categories
            .iter()
            .any(|c| matches!(c, Category::Labelled { .. }))
        {
            return Vec::new();
        }
        categories
            .iter()
            .map(|c| match c {
                Category::Labelled { label, .. } => label.clone(),
                Category::Value(value) => json_text(value),
            })
            .collect()
    }

    /// The meaning of a numeric column's coded levels (its labelled `categories`).
    pub fn levels(&self) -> Vec<crate::format::Level> {
        if !self.is_numeric() {
            return Vec::new();
        }
        self.categories
            .iter()
            .flatten()
            .filter_map(|c| match c {
                Category::Labelled { value, label } => {
                    value.as_f64().map(|value| crate::format::Level {
                        value,
                        label: label.clone(),
                    })
                }
                Category::Value(_) => None,
            })
            .collect()
    }

    /// Reads one cell: `Ok(None)` for a missing value (blank or one of `missing`), the number
    /// or the category in the dataset's own spelling otherwise.
    pub fn read_cell(&self, text: &str, missing: &[String]) -> Result<Option<Cell>, CellError> {
        let text = text.trim();
        if text.is_empty() || missing.iter().any(|m| m == text) {
            return Ok(None);
        }
        match self.kind {
            FieldType::Number | FieldType::Integer => {
                let Some(v) = crate::text::read_number(text) else {
                    let hint = crate::text::number_hint(text)
                        .map(|h| format!(" ({h})"))
                        .unwrap_or_default();
                    return Err(CellError(format!("{text:?} is not a number{hint}")));
                };
                if self.kind == FieldType::Integer && v.fract() != 0.0 {
                    return Err(CellError(format!("{text:?} is not a whole number")));
                }
                let (lo, hi) = (self.constraints.minimum, self.constraints.maximum);
                if lo.is_some_and(|lo| v < lo) || hi.is_some_and(|hi| v > hi) {
                    return Err(CellError(format!(
                        "{text:?} is not between {} and {}",
                        lo.map_or("-∞".into(), crate::text::number),
                        hi.map_or("∞".into(), crate::text::number)
                    )));
                }
                Ok(Some(Cell::Number(v)))
            }
            FieldType::Boolean => {
                let defaults = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
                let trues = self
                    .true_values
                    .clone()
                    .unwrap_or_else(|| defaults(&["true", "True", "TRUE", "1"]));
                let falses = self
                    .false_values
                    .clone()
                    .unwrap_or_else(|| defaults(&["false", "False", "FALSE", "0"]));
                if trues.iter().any(|t| t == text) {
                    Ok(Some(Cell::Category("true".into())))
                } else if falses.iter().any(|f| f == text) {
                    Ok(Some(Cell::Category("false".into())))
                } else {
                    Err(CellError(format!(
                        "{text:?} is not one of: {}",
                        trues
                            .iter()
                            .chain(&falses)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            }
            FieldType::String => match self.category_values() {
                None => Ok(Some(Cell::Category(text.to_owned()))),
                Some(allowed) => match crate::fields::category_index(text, &allowed) {
                    Some(k) => Ok(Some(Cell::Category(allowed[k].clone()))),
                    None => Err(CellError(format!(
                        "{text:?} is not one of: {}",
                        allowed.join(", ")
                    ))),
                },
            },
        }
    }
}

/// A JSON scalar as the text a CSV cell holds (`"GP"`, `3`, `2.5`, `true`).
fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
