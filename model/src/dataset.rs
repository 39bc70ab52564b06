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
//! Roles: a target is a number or integer column (each target is predicted from the other
//! columns, the other targets included). A sensitive column may be of any type: the fairness
//! variant leaves every sensitive column out, but the audit groups only by the categorical
//! (string or boolean) ones, since a number such as an age has no groups of its own; an audited
//! column must be categorical. An ignored column may have no other role.
//!
//! Every rule [`Dataset::validate`] checks is reported with the JSON path of the value at fault
//! (`schema.fields[3].constraints.minimum: 5 is above the maximum 4`), and so is a value of the
//! wrong JSON type (`schema.fields[2].type: "date" is not a supported type: …`). In a bare Table
//! Schema the paths start at `fields`. Properties this reader does not use (`"type": "table"`,
//! `format`, `encoding`, `primaryKey`, a field's `format`, …) are accepted and ignored;
//! frictionless-py 5's `dialect.csv.delimiter` is read as the standard's `dialect.delimiter`.
//!
//! Nothing here names a column of any dataset: the file does.

use std::collections::BTreeSet;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Number,
    Integer,
    String,
    Boolean,
}

impl FieldType {
    /// Every supported type, as the file writes it.
    pub const ALL: [FieldType; 4] = [
        FieldType::Number,
        FieldType::Integer,
        FieldType::String,
        FieldType::Boolean,
    ];

    /// The type's name in the file (`"integer"`).
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Number => "number",
            FieldType::Integer => "integer",
            FieldType::String => "string",
            FieldType::Boolean => "boolean",
        }
    }
}

impl std::fmt::Display for FieldType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// By hand, so that a type the reader does not support (`date`, `any`, `year`, …) is refused
/// with the supported list rather than serde's "unknown variant".
impl<'de> Deserialize<'de> for FieldType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        FieldType::ALL
            .into_iter()
            .find(|t| t.as_str() == text)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "{text:?} is not a supported type: a field's type is one of {}",
                    FieldType::ALL.map(FieldType::as_str).join(", ")
                ))
            })
    }
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
    /// A validation error for a bare Table Schema: `fields[3]…`, not `schema.fields[3]…`, in
    /// its path and its message.
    fn without_schema_prefix(self) -> Self {
        match self {
            DatasetError::Invalid { path, problem } => DatasetError::Invalid {
                path: path
                    .strip_prefix("schema.")
                    .map(str::to_owned)
                    .unwrap_or(path),
                problem: problem.replace("schema.fields[", "fields["),
            },
            other => other,
        }
    }

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

/// The path of the document itself in an error.
const DOCUMENT: &str = "the document";

impl DatasetError {
    /// The JSON path of the value at fault (`None` for a JSON syntax error, whose source has the
    /// line and column).
    pub fn path(&self) -> Option<&str> {
        match self {
            DatasetError::Json(_) => None,
            DatasetError::Invalid { path, .. } => Some(path),
        }
    }
}

/// frictionless-py 5 writes the delimiter as `dialect.csv.delimiter`; the standard (v2) as
/// `dialect.delimiter`, which is where this reader looks: the first is copied there when the
/// second is absent.
fn lift_csv_delimiter(value: &mut serde_json::Value) {
    let Some(dialect) = value.get_mut("dialect").and_then(|d| d.as_object_mut()) else {
        return;
    };
    if dialect.contains_key("delimiter") {
        return;
    }
    if let Some(d) = dialect
        .get("csv")
        .and_then(|c| c.get("delimiter"))
        .filter(|d| d.is_string())
        .cloned()
    {
        dialect.insert("delimiter".into(), d);
    }
}

/// `value` as `T`, an error naming the JSON path of a value of the wrong type.
fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, DatasetError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." {
            DOCUMENT.to_owned()
        } else {
            path
        };
        DatasetError::invalid(path, e.into_inner().to_string())
    })
}

fn numbers(value: f64) -> String {
    crate::text::number(value)
}

impl Dataset {
    /// Parses a dataset file (a Data Resource with a `schema`, or a bare Table Schema with
    /// `fields`) and checks it ([`Dataset::validate`]). Every error but a JSON syntax error
    /// names the JSON path at fault; in a bare Table Schema the paths start at `fields`.
    pub fn from_json(json: &str) -> Result<Self, DatasetError> {
        let value: serde_json::Value = serde_json::from_str(json)?;
        let Some(object) = value.as_object() else {
            return Err(DatasetError::invalid(
                DOCUMENT,
                "is not a JSON object: a dataset file is a Data Resource (with schema) or a Table Schema (with fields)",
            ));
        };
        let bare = !object.contains_key("schema") && object.contains_key("fields");
        if !bare && !object.contains_key("schema") {
            return Err(DatasetError::invalid(
                DOCUMENT,
                "has neither schema (a Data Resource) nor fields (a Table Schema)",
            ));
        }
        let mut value = value;
        lift_csv_delimiter(&mut value);
        let dataset: Dataset = if bare {
            Dataset {
                schema: typed(value)?,
                ..Dataset::default()
            }
        } else {
            typed(value)?
        };
        dataset
            .validate()
            .map_err(|e| if bare { e.without_schema_prefix() } else { e })?;
        Ok(dataset)
    }

    /// The file as people edit it: pretty JSON with a final newline.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a dataset serializes") + "\n"
    }

    /// Checks the rules a reader relies on (see the module doc); the first error found, naming
    /// the JSON path of a Data Resource (`schema.fields[3].constraints.minimum`).
    pub fn validate(&self) -> Result<(), DatasetError> {
        if let Some(d) = self.dialect.as_ref().and_then(|d| d.delimiter.as_ref()) {
            if d.len() != 1 {
                return Err(DatasetError::invalid(
                    "dialect.delimiter",
                    format!("{d:?} is not a single ASCII character"),
                ));
            }
        }
        let fields = &self.schema.fields;
        if fields.is_empty() {
            return Err(DatasetError::invalid(
                "schema.fields",
                "is empty: a schema has at least one field",
            ));
        }
        for i in 0..fields.len() {
            self.check_field(i)?;
        }
        self.check_roles()
    }

    fn check_field(&self, i: usize) -> Result<(), DatasetError> {
        let fields = &self.schema.fields;
        let f = &fields[i];
        let at = |p: &str| format!("schema.fields[{i}]{p}");
        if f.name.trim().is_empty() {
            return Err(DatasetError::invalid(at(".name"), "is blank"));
        }
        if let Some(j) = fields[..i].iter().position(|g| g.name == f.name) {
            return Err(DatasetError::invalid(
                at(".name"),
                format!("{:?} is also the name of schema.fields[{j}]", f.name),
            ));
        }
        for (k, alias) in f.aliases.iter().enumerate() {
            let at = at(&format!(".aliases[{k}]"));
            if alias.trim().is_empty() {
                return Err(DatasetError::invalid(at, "is blank"));
            }
            if let Some(j) = fields
                .iter()
                .position(|g| g.name == *alias && g.name != f.name)
            {
                return Err(DatasetError::invalid(
                    at,
                    format!("{alias:?} is the name of schema.fields[{j}]"),
                ));
            }
        }
        let numeric = f.is_numeric();
        let c = &f.constraints;
        for (key, bound) in [("minimum", c.minimum), ("maximum", c.maximum)] {
            let Some(bound) = bound else { continue };
            let at = at(&format!(".constraints.{key}"));
            if !numeric {
                return Err(DatasetError::invalid(
                    at,
                    format!(
                        "applies to number and integer fields only; this field's type is {}",
                        f.kind
                    ),
                ));
            }
            if !bound.is_finite() {
                return Err(DatasetError::invalid(at, "is not a finite number"));
            }
        }
        if let (Some(lo), Some(hi)) = (c.minimum, c.maximum) {
            if lo > hi {
                return Err(DatasetError::invalid(
                    at(".constraints.minimum"),
                    format!("{} is above the maximum {}", numbers(lo), numbers(hi)),
                ));
            }
        }
        if let Some(step) = f.step {
            if !numeric {
                return Err(DatasetError::invalid(
                    at(".step"),
                    format!(
                        "applies to number and integer fields only; this field's type is {}",
                        f.kind
                    ),
                ));
            }
            if !(step.is_finite() && step > 0.0) {
                return Err(DatasetError::invalid(
                    at(".step"),
                    format!("{} is not a positive number", numbers(step)),
                ));
            }
        }
        self.check_categories(i)?;
        self.check_enum(i)?;
        for (key, list) in [
            ("trueValues", &f.true_values),
            ("falseValues", &f.false_values),
        ] {
            let Some(list) = list else { continue };
            if f.kind != FieldType::Boolean {
                return Err(DatasetError::invalid(
                    at(&format!(".{key}")),
                    format!(
                        "applies to boolean fields only; this field's type is {}",
                        f.kind
                    ),
                ));
            }
            if list.is_empty() {
                return Err(DatasetError::invalid(at(&format!(".{key}")), "is empty"));
            }
            for (k, text) in list.iter().enumerate() {
                if text.trim().is_empty() {
                    return Err(DatasetError::invalid(
                        at(&format!(".{key}[{k}]")),
                        "is blank (a blank cell is a missing value)",
                    ));
                }
            }
        }
        if let (Some(trues), Some(falses)) = (&f.true_values, &f.false_values) {
            if let Some(k) = falses.iter().position(|t| trues.contains(t)) {
                return Err(DatasetError::invalid(
                    at(&format!(".falseValues[{k}]")),
                    format!("{:?} is also in trueValues", falses[k]),
                ));
            }
        }
        Ok(())
    }

    /// A category list: labelled numbers in range for a numeric field (the meaning of its coded
    /// levels), distinct texts for a string field, none for a boolean.
    fn check_categories(&self, i: usize) -> Result<(), DatasetError> {
        let f = &self.schema.fields[i];
        let Some(categories) = &f.categories else {
            return Ok(());
        };
        let at = |p: &str| format!("schema.fields[{i}].categories{p}");
        if f.kind == FieldType::Boolean {
            return Err(DatasetError::invalid(
                at(""),
                "a boolean field takes no categories: its values are false and true (trueValues and falseValues give other spellings)",
            ));
        }
        if categories.is_empty() {
            return Err(DatasetError::invalid(at(""), "is empty"));
        }
        let is_labelled = |c: &Category| matches!(c, Category::Labelled { .. });
        let labelled = categories.iter().filter(|c| is_labelled(c)).count();
        if let Some(k) = categories.iter().position(|c| !is_labelled(c)) {
            if f.is_numeric()
                && !matches!(
                    &categories[k],
                    Category::Value(serde_json::Value::Object(_))
                )
            {
                return Err(DatasetError::invalid(
                    at(&format!("[{k}]")),
                    format!(
                        "has no label: the categories of {} field give the meaning of its coded levels, as {{\"value\": 1, \"label\": \"…\"}}",
                        a(f.kind)
                    ),
                ));
            }
            if labelled > 0
                && !matches!(
                    &categories[k],
                    Category::Value(serde_json::Value::Object(_))
                )
            {
                let j = categories.iter().position(is_labelled).unwrap_or(0);
                return Err(DatasetError::invalid(
                    at(&format!("[{k}]")),
                    format!(
                        "has no label, while categories[{j}] has one: label every category or none"
                    ),
                ));
            }
        }
        let mut seen: Vec<(usize, &serde_json::Value)> = Vec::new();
        for (k, c) in categories.iter().enumerate() {
            let (value, path) = match c {
                Category::Labelled { value, label } => {
                    if label.trim().is_empty() {
                        return Err(DatasetError::invalid(
                            at(&format!("[{k}].label")),
                            "is blank",
                        ));
                    }
                    (value, at(&format!("[{k}].value")))
                }
                Category::Value(value) => (value, at(&format!("[{k}]"))),
            };
            check_value(f, value, &path, &seen, "categories")?;
            seen.push((k, value));
        }
        Ok(())
    }

    /// `constraints.enum`: values of the field's type, in range, distinct; a string field's
    /// among its categories when it lists both.
    fn check_enum(&self, i: usize) -> Result<(), DatasetError> {
        let f = &self.schema.fields[i];
        let Some(values) = &f.constraints.values else {
            return Ok(());
        };
        let at = |p: &str| format!("schema.fields[{i}].constraints.enum{p}");
        if f.kind == FieldType::Boolean {
            return Err(DatasetError::invalid(
                at(""),
                "a boolean field takes no enum: its values are false and true",
            ));
        }
        if values.is_empty() {
            return Err(DatasetError::invalid(at(""), "is empty"));
        }
        let mut seen: Vec<(usize, &serde_json::Value)> = Vec::new();
        for (k, value) in values.iter().enumerate() {
            let path = at(&format!("[{k}]"));
            check_value(f, value, &path, &seen, "enum")?;
            if f.kind == FieldType::String && f.categories.is_some() {
                let text = json_text(value);
                let allowed = f.category_values().unwrap_or_default();
                if !allowed.contains(&text) {
                    return Err(DatasetError::invalid(
                        path,
                        format!("{text:?} is not one of the field's categories"),
                    ));
                }
            }
            seen.push((k, value));
        }
        Ok(())
    }

    fn check_roles(&self) -> Result<(), DatasetError> {
        let roles = &self.roles;
        let lists = [
            ("targets", &roles.targets),
            ("sensitive", &roles.sensitive),
            ("actionable", &roles.actionable),
            ("audited", &roles.audited),
            ("ignored", &roles.ignored),
        ];
        for (role, names) in lists {
            for (k, name) in names.iter().enumerate() {
                let path = format!("roles.{role}[{k}]");
                let Some(f) = self.field(name) else {
                    return Err(DatasetError::invalid(
                        path,
                        format!("{name:?} is not a field of the schema"),
                    ));
                };
                if let Some(j) = names[..k].iter().position(|n| n == name) {
                    return Err(DatasetError::invalid(
                        path,
                        format!("{name:?} is also roles.{role}[{j}]"),
                    ));
                }
                match role {
                    "targets" if !f.is_numeric() => {
                        return Err(DatasetError::invalid(
                            path,
                            format!(
                                "{name:?} is {} field: a target is a number or integer field",
                                a(f.kind)
                            ),
                        ))
                    }
                    "audited" if f.is_numeric() => {
                        return Err(DatasetError::invalid(
                            path,
                            format!(
                                "{name:?} is {} field: the audit groups by categorical (string or boolean) fields only",
                                a(f.kind)
                            ),
                        ))
                    }
                    "ignored" => {
                        if let Some((other, _)) = lists[..4].iter().find(|(_, l)| l.contains(name))
                        {
                            return Err(DatasetError::invalid(
                                path,
                                format!("{name:?} is also in roles.{other}: an ignored field is never used"),
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.schema.fields.iter().find(|f| f.name == name)
    }

    /// The position of the field named `name` in the schema (`schema.fields[i]`).
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.schema.fields.iter().position(|f| f.name == name)
    }

    /// The CSV delimiter `dialect.delimiter` gives, as a byte (validation keeps it one ASCII
    /// character); `None` when the file gives none (find it from the header then).
    pub fn delimiter(&self) -> Option<u8> {
        let d = self.dialect.as_ref()?.delimiter.as_ref()?;
        (d.len() == 1).then(|| d.as_bytes()[0])
    }

    /// The target fields in `roles.targets` order (the first is the app's default); empty when
    /// the file names none.
    pub fn targets(&self) -> Vec<&Field> {
        self.roles
            .targets
            .iter()
            .filter_map(|n| self.field(n))
            .collect()
    }

    /// The fields a model predicting `target` reads, in schema order: every field that is not
    /// `target`, not ignored and not in `drop` (the sensitive names for the fairness variant,
    /// see [`Dataset::sensitive_names`]). The other targets are features like any column.
    pub fn feature_fields(&self, target: &str, drop: &[String]) -> Vec<&Field> {
        self.schema
            .fields
            .iter()
            .filter(|f| {
                f.name != target && !self.roles.ignored.contains(&f.name) && !drop.contains(&f.name)
            })
            .collect()
    }

    /// The sensitive fields, in schema order, of any type.
    pub fn sensitive(&self) -> Vec<&Field> {
        self.in_role(&self.roles.sensitive)
    }

    /// The names of the sensitive fields, in schema order: what the fairness variant leaves out
    /// (its `excluded`), and the `drop` of [`Dataset::feature_fields`] for it.
    pub fn sensitive_names(&self) -> Vec<String> {
        self.sensitive()
            .into_iter()
            .map(|f| f.name.clone())
            .collect()
    }

    /// The actionable fields (those a what-if may change), in schema order.
    pub fn actionable(&self) -> Vec<&Field> {
        self.in_role(&self.roles.actionable)
    }

    /// The fields the audit groups by: the categorical (string or boolean) sensitive ones, then
    /// the audited ones not already listed, each part in schema order. A numeric sensitive field
    /// (an age) is left out of the fairness variant but not grouped by.
    pub fn audited_columns(&self) -> Vec<&Field> {
        let mut out: Vec<&Field> = self
            .sensitive()
            .into_iter()
            .filter(|f| !f.is_numeric())
            .collect();
        for f in self.in_role(&self.roles.audited) {
            if !out.iter().any(|g| g.name == f.name) {
                out.push(f);
            }
        }
        out
    }

    fn in_role(&self, names: &[String]) -> Vec<&Field> {
        self.schema
            .fields
            .iter()
            .filter(|f| names.contains(&f.name))
            .collect()
    }

    /// Reads one cell of `field` with this file's "no value" texts ([`Field::read_cell`]).
    pub fn read_cell(&self, field: &Field, text: &str) -> Result<Option<Cell>, CellError> {
        field.read_cell(text, self.missing_values(field))
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
        let named = |list: &[String]| list.contains(&field.name);
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
            audited: named(&self.roles.audited),
        }
    }
}

impl Field {
    /// A field named `name` of type `kind` with nothing else said (no title, no constraints).
    pub fn new(name: impl Into<String>, kind: FieldType) -> Self {
        Field {
            name: name.into(),
            title: None,
            description: None,
            kind,
            constraints: Constraints::default(),
            categories: None,
            categories_ordered: false,
            true_values: None,
            false_values: None,
            missing_values: None,
            unit: None,
            step: None,
            group: None,
            aliases: Vec::new(),
        }
    }

    /// Whether the model reads it as a number (`number` and `integer` columns).
    pub fn is_numeric(&self) -> bool {
        matches!(self.kind, FieldType::Number | FieldType::Integer)
    }

    /// Whether the header cell `cell` names this column: its name, its title or one of its
    /// aliases, compared as [`crate::fields::fold`] compares them (any case, `_`, `-`, `/` and
    /// spaces alike).
    pub fn names_column(&self, cell: &str) -> bool {
        crate::fields::names_column(cell, self)
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

    /// The model feature this field becomes, with its reading information
    /// ([`Dataset::info`]). Numeric: `[minimum, maximum]` from the constraints, a bound the
    /// file does not give from the data (`observed.range`) widened to the coded levels. Categorical: the file's
    /// [`Field::category_values`] in its order, else the values the data shows, sorted. An
    /// error names the field when neither gives a usable range (`min < max`) or any category.
    pub fn feature(
        &self,
        dataset: &Dataset,
        observed: &Observed,
    ) -> Result<crate::format::Feature, DatasetError> {
        let info = dataset.info(self);
        if self.is_numeric() {
            let (min, max) = self.range(dataset, observed)?;
            return Ok(crate::format::Feature::numeric(&self.name, min, max).with_info(info));
        }
        let categories = match self.category_values() {
            Some(values) => values,
            None => observed.values.iter().cloned().collect(),
        };
        if categories.is_empty() {
            return Err(DatasetError::invalid(
                self.path(dataset, ".categories"),
                format!(
                    "{:?} lists no categories and the data has no value in it",
                    self.name
                ),
            ));
        }
        // Labels only when they match the categories one to one.
        let mut info = info;
        if info.category_labels.len() != categories.len() {
            info.category_labels.clear();
        }
        Ok(crate::format::Feature::categorical(&self.name, categories).with_info(info))
    }

    /// How people read this field as a target: its title, description, unit, step and range
    /// (from the constraints, else the data, as [`Field::feature`]). An error for a
    /// non-numeric field or a range that cannot be had.
    pub fn target_info(
        &self,
        dataset: &Dataset,
        observed: &Observed,
    ) -> Result<crate::format::TargetInfo, DatasetError> {
        if !self.is_numeric() {
            return Err(DatasetError::invalid(
                self.path(dataset, ".type"),
                format!(
                    "{:?} is {} field: a target is a number or integer field",
                    self.name,
                    a(self.kind)
                ),
            ));
        }
        let (min, max) = self.range(dataset, observed)?;
        Ok(crate::format::TargetInfo {
            label: self.title.clone(),
            help: self.description.clone(),
            unit: self.unit.clone(),
            min,
            max,
            step: self.step,
        })
    }

    /// `[minimum, maximum]`, each from the constraints or else from the data and the coded
    /// levels (so that every level lies in the range); `min < max`.
    fn range(&self, dataset: &Dataset, observed: &Observed) -> Result<(f64, f64), DatasetError> {
        let c = &self.constraints;
        let levels = self.levels();
        let seen = observed
            .range
            .into_iter()
            .chain(levels.iter().map(|l| (l.value, l.value)))
            .reduce(|(lo, hi), (a, b)| (lo.min(a), hi.max(b)));
        let min = c.minimum.or(seen.map(|r| r.0));
        let max = c.maximum.or(seen.map(|r| r.1));
        match (min, max) {
            (Some(min), Some(max)) if min < max => Ok((min, max)),
            (Some(min), Some(_)) => Err(DatasetError::invalid(
                self.path(dataset, ".constraints"),
                format!(
                    "{:?} takes the one value {}: give a minimum and a maximum apart",
                    self.name,
                    numbers(min)
                ),
            )),
            _ => Err(DatasetError::invalid(
                self.path(dataset, ".constraints"),
                format!(
                    "{:?} has no minimum or maximum and the data has no value in it",
                    self.name
                ),
            )),
        }
    }

    /// This field's JSON path in `dataset` followed by `rest`.
    fn path(&self, dataset: &Dataset, rest: &str) -> String {
        match dataset.field_index(&self.name) {
            Some(i) => format!("schema.fields[{i}]{rest}"),
            None => format!("field {:?}", self.name),
        }
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
                if let Some(values) = &self.constraints.values {
                    if !values.iter().any(|x| x.as_f64() == Some(v)) {
                        return Err(CellError(format!(
                            "{text:?} is not one of: {}",
                            values.iter().map(json_text).collect::<Vec<_>>().join(", ")
                        )));
                    }
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

/// What the data shows of one column: the range of its numbers and the set of its categories
/// (sorted, in the dataset's own spelling). Missing cells add nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observed {
    /// The smallest and the largest number read, if any.
    pub range: Option<(f64, f64)>,
    /// Every category read, sorted.
    pub values: BTreeSet<String>,
}

impl Observed {
    /// What `cells` show (`None` is a missing cell).
    pub fn of<'a>(cells: impl IntoIterator<Item = &'a Option<Cell>>) -> Self {
        let mut observed = Observed::default();
        for cell in cells.into_iter().flatten() {
            observed.add(cell);
        }
        observed
    }

    /// Adds one read cell.
    pub fn add(&mut self, cell: &Cell) {
        match cell {
            Cell::Number(v) => {
                self.range = Some(match self.range {
                    Some((lo, hi)) => (lo.min(*v), hi.max(*v)),
                    None => (*v, *v),
                });
            }
            Cell::Category(c) => {
                self.values.insert(c.clone());
            }
        }
    }
}

/// "a number", "an integer", "a string", "a boolean".
fn a(kind: FieldType) -> String {
    match kind {
        FieldType::Integer => "an integer".into(),
        other => format!("a {other}"),
    }
}

/// One value of a field's `categories` or `constraints.enum` (`list`) at `path`: of the field's
/// type, whole for an integer, in range, and distinct from the earlier ones (`seen`, with their
/// positions in the list).
fn check_value(
    f: &Field,
    value: &serde_json::Value,
    path: &str,
    seen: &[(usize, &serde_json::Value)],
    list: &str,
) -> Result<(), DatasetError> {
    use serde_json::Value;
    if matches!(value, Value::Object(_) | Value::Array(_) | Value::Null) {
        let problem = if list == "categories" {
            "is neither a value nor an object with value and label"
        } else {
            "is not a value (a number or a text)"
        };
        return Err(DatasetError::invalid(path, problem));
    }
    match f.kind {
        FieldType::Number | FieldType::Integer => {
            let Some(v) = value.as_f64() else {
                return Err(DatasetError::invalid(
                    path,
                    format!(
                        "{value} is not a number: {} field's {list} are numbers",
                        a(f.kind)
                    ),
                ));
            };
            if f.kind == FieldType::Integer && v.fract() != 0.0 {
                return Err(DatasetError::invalid(
                    path,
                    format!("{} is not a whole number", numbers(v)),
                ));
            }
            if let Some(lo) = f.constraints.minimum.filter(|lo| v < *lo) {
                return Err(DatasetError::invalid(
                    path,
                    format!("{} is below the minimum {}", numbers(v), numbers(lo)),
                ));
            }
            if let Some(hi) = f.constraints.maximum.filter(|hi| v > *hi) {
                return Err(DatasetError::invalid(
                    path,
                    format!("{} is above the maximum {}", numbers(v), numbers(hi)),
                ));
            }
            if let Some((j, _)) = seen.iter().find(|(_, w)| w.as_f64() == Some(v)) {
                return Err(DatasetError::invalid(
                    path,
                    format!("{} is also {list}[{j}]", numbers(v)),
                ));
            }
        }
        FieldType::String => {
            let Value::String(s) = value else {
                return Err(DatasetError::invalid(
                    path,
                    format!("{value} is not a text: a string field's {list} are texts"),
                ));
            };
            if s.trim().is_empty() {
                return Err(DatasetError::invalid(
                    path,
                    "is blank (a blank cell is a missing value)",
                ));
            }
            let folded = crate::fields::fold(s);
            let same = seen.iter().find_map(|(j, w)| {
                w.as_str()
                    .filter(|o| crate::fields::fold(o) == folded)
                    .map(|o| (*j, o))
            });
            if let Some((j, other)) = same {
                let problem = if other == s {
                    format!("{s:?} is also {list}[{j}]")
                } else {
                    format!("{s:?} is {list}[{j}] {other:?} in another case or spacing")
                };
                return Err(DatasetError::invalid(path, problem));
            }
        }
        FieldType::Boolean => {}
    }
    Ok(())
}

/// A JSON scalar as the text a CSV cell holds (`"GP"`, `3`, `2.5`, `true`).
fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The JSON Schema of a dataset file (the Data Resource form), generated from the types; a bare
/// Table Schema is its `schema` property alone. Checked in as `model/schema/dataset.schema.json`.
#[cfg(feature = "schema")]
pub fn json_schema_dataset() -> String {
    let schema = schemars::schema_for!(Dataset);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}

impl<'a> From<&'a Field> for crate::fields::Column<'a> {
    /// A dataset field as header cells name it: its name, title or aliases.
    fn from(field: &'a Field) -> Self {
        Self {
            name: &field.name,
            label: field.title.as_deref(),
            aliases: &field.aliases,
        }
    }
}
