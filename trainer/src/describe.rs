//! A first dataset file inferred from a CSV, as `frictionless describe data.csv` does, with this
//! project's rules for what people write: the separator comes from the header line, cells are
//! read by [`model::text::read_number`] (`85,5` is 85.5, a quoted `"5"` is 5), and a blank cell
//! is a missing value, never a value.
//!
//! Each column becomes one field titled by its header cell:
//! - every non-blank cell a number: `integer` when all are whole (with `step` 1), else
//!   `number`; `constraints.minimum`/`maximum` are the data's range;
//! - otherwise `string`, with `categories` the values seen, sorted; values that differ only in
//!   case or spacing (`Male`, `male `) are one category, spelt as most cells spell it (ties:
//!   the first in sorted order). A column of one value is kept: it is a valid field (a model
//!   will find nothing in it).
//!
//! A column whose every cell is blank is refused, and so is a blank or repeated header cell.
//! Only the targets get a role (they must be numeric columns); nothing is sensitive, actionable
//! or ignored until the file says so. The result passes [`model::Dataset::validate`].

use std::collections::{BTreeMap, BTreeSet};

use model::dataset::{Dataset, DatasetError, Dialect, Field, FieldType, Roles};
use model::text::read_number;

/// Why no dataset file can be inferred; each message names the line, the column or the target.
#[derive(Debug, thiserror::Error)]
pub enum InferError {
    /// Invalid UTF-8 or a NUL byte: not a CSV file.
    #[error("the file is not text (byte {byte} {reason}): a CSV file is expected")]
    NotText { byte: usize, reason: &'static str },
    #[error("the file is empty: a header line is required")]
    Empty,
    /// `column` is the 1-based position of the header cell.
    #[error("line 1: column {column}: the header cell is blank: every column needs a name")]
    BlankHeader { column: usize },
    #[error("line 1: column {name:?} appears more than once (columns {first} and {second})")]
    DuplicateColumn {
        name: String,
        first: usize,
        second: usize,
    },
    /// A record the CSV reader cannot read, or one with another number of cells.
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("the file has a header but no data rows")]
    NoRows,
    #[error("column {column:?}: every cell is blank: a column needs at least one value")]
    EmptyColumn { column: String },
    #[error("target {target:?}: no column of the header has this name")]
    UnknownTarget { target: String },
    #[error(
        "target {target:?}: line {line}: {value:?} is not a number: a target is a numeric column"
    )]
    NonNumericTarget {
        target: String,
        line: u64,
        value: String,
    },
    /// What was inferred breaks a rule of the dataset file (a target named twice, say).
    #[error("the inferred dataset file is not valid: {0}")]
    Invalid(#[from] DatasetError),
}

/// What one column's cells show.
#[derive(Debug, Default)]
struct Column {
    /// The first cell that is not a number, with its line.
    not_number: Option<(u64, String)>,
    all_whole: bool,
    range: Option<(f64, f64)>,
    /// Every non-blank cell's text and how many cells hold it.
    texts: BTreeMap<String, usize>,
}

impl Column {
    fn new() -> Self {
        Column {
            all_whole: true,
            ..Column::default()
        }
    }

    fn add(&mut self, line: u64, cell: &str) {
        let text = cell.trim();
        if text.is_empty() {
            return;
        }
        *self.texts.entry(text.to_owned()).or_default() += 1;
        match read_number(text) {
            Some(v) => {
                self.all_whole &= v.fract() == 0.0;
                self.range = Some(match self.range {
                    Some((lo, hi)) => (lo.min(v), hi.max(v)),
                    None => (v, v),
                });
            }
            None => {
                if self.not_number.is_none() {
                    self.not_number = Some((line, text.to_owned()));
                }
            }
        }
    }

    /// The categories of a string column: one spelling per [`model::fields::fold`]ed value, the
    /// most frequent, sorted.
    fn categories(&self) -> Vec<String> {
        let mut by_fold: BTreeMap<String, (&str, usize)> = BTreeMap::new();
        for (text, &count) in &self.texts {
            let slot = by_fold
                .entry(model::fields::fold(text))
                .or_insert((text, count));
            if count > slot.1 {
                *slot = (text, count);
            }
        }
        let sorted: BTreeSet<String> = by_fold.values().map(|(t, _)| (*t).to_owned()).collect();
        sorted.into_iter().collect()
    }
}

/// Infers the dataset file of the CSV `bytes`, with `targets` (numeric columns) as its
/// targets, in that order.
pub fn infer(bytes: &[u8], targets: &[String]) -> Result<Dataset, InferError> {
    // The trainer's own check: text (UTF-8, no NUL), CRLF as LF and no BOM.
    let bytes = crate::data::text_bytes(bytes).map_err(|e| match e {
        crate::data::DataError::NotText { byte, reason } => InferError::NotText { byte, reason },
        // text_bytes refuses nothing else; should it one day, its message is kept.
        other => InferError::Csv {
            line: 1,
            message: other.to_string(),
        },
    })?;
    let delimiter = model::csv_delimiter(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(bytes.as_slice());
    let header = match reader.headers() {
        Ok(h) if !(h.is_empty() || h.len() == 1 && h[0].trim().is_empty()) => h.clone(),
        Ok(_) => return Err(InferError::Empty),
        Err(e) => {
            return Err(InferError::Csv {
                line: 1,
                message: e.to_string(),
            })
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            return Err(InferError::BlankHeader { column: i + 1 });
        }
        if let Some(j) = names[..i].iter().position(|n| n == name) {
            return Err(InferError::DuplicateColumn {
                name: name.clone(),
                first: j + 1,
                second: i + 1,
            });
        }
    }
    for target in targets {
        if !names.contains(target) {
            return Err(InferError::UnknownTarget {
                target: target.clone(),
            });
        }
    }

    let mut columns: Vec<Column> = names.iter().map(|_| Column::new()).collect();
    let mut rows = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("has {len} fields, the header has {expected_len}"),
                _ => e.to_string(),
            };
            InferError::Csv { line, message }
        })?;
        let line = record.position().map_or(0, |p| p.line());
        for (column, cell) in columns.iter_mut().zip(record.iter()) {
            column.add(line, cell);
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(InferError::NoRows);
    }

    let mut fields = Vec::with_capacity(names.len());
    for (name, column) in names.iter().zip(&columns) {
        if column.texts.is_empty() {
            return Err(InferError::EmptyColumn {
                column: name.clone(),
            });
        }
        fields.push(field(name, column));
    }
    for target in targets {
        let i = names
            .iter()
            .position(|n| n == target)
            .expect("checked above");
        if let Some((line, value)) = &columns[i].not_number {
            return Err(InferError::NonNumericTarget {
                target: target.clone(),
                line: *line,
                value: value.clone(),
            });
        }
    }
    let dataset = Dataset {
        dialect: Some(Dialect {
            delimiter: Some(char::from(delimiter).to_string()),
        }),
        schema: model::dataset::TableSchema {
            fields,
            missing_values: vec![String::new()],
        },
        roles: Roles {
            targets: targets.to_vec(),
            ..Roles::default()
        },
        ..Dataset::default()
    };
    dataset.validate()?;
    Ok(dataset)
}

/// The field a column's cells describe (see the module doc).
fn field(name: &str, column: &Column) -> Field {
    let mut field = Field::new(name, FieldType::String);
    field.title = Some(name.to_owned());
    match (column.not_number.is_none(), column.range) {
        (true, Some((min, max))) => {
            field.kind = if column.all_whole {
                field.step = Some(1.0);
                FieldType::Integer
            } else {
                FieldType::Number
            };
            field.constraints.minimum = Some(min);
            field.constraints.maximum = Some(max);
        }
        _ => {
            field.categories = Some(
                column
                    .categories()
                    .into_iter()
                    .map(|c| model::dataset::Category::Value(serde_json::Value::String(c)))
                    .collect(),
            );
        }
    }
    field
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::dataset::Cell;

    fn targets(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    fn infer_text(text: &str, target: &[&str]) -> Result<Dataset, InferError> {
        infer(text.as_bytes(), &targets(target))
    }

    fn kind_of(d: &Dataset, name: &str) -> FieldType {
        d.field(name).unwrap().kind
    }

    fn range_of(d: &Dataset, name: &str) -> (Option<f64>, Option<f64>) {
        let c = &d.field(name).unwrap().constraints;
        (c.minimum, c.maximum)
    }

    #[test]
    fn describe_infers_numbers_integers_and_categories() {
        let csv = "id;score;colour;grade\n\
                   \"1\";85,5;red;3\n\
                   2;\"70\";Green;\n\
                   3;;red;5\n\
                   4;90.25;green ;1\n\
                   5;80;green;2\n";
        let d = infer_text(csv, &["grade"]).unwrap();
        assert_eq!(d.delimiter(), Some(b';'));
        assert_eq!(
            kind_of(&d, "id"),
            FieldType::Integer,
            "quoted numbers are numbers"
        );
        assert_eq!(d.field("id").unwrap().step, Some(1.0));
        assert_eq!(kind_of(&d, "score"), FieldType::Number, "decimal comma");
        assert_eq!(range_of(&d, "score"), (Some(70.0), Some(90.25)));
        assert_eq!(d.field("score").unwrap().step, None);
        assert_eq!(
            kind_of(&d, "grade"),
            FieldType::Integer,
            "blanks are missing"
        );
        assert_eq!(range_of(&d, "grade"), (Some(1.0), Some(5.0)));
        assert_eq!(kind_of(&d, "colour"), FieldType::String);
        assert_eq!(
            d.field("colour").unwrap().category_values().unwrap(),
            ["green", "red"],
            "one spelling per value in any case, the most frequent"
        );
        assert_eq!(d.field("colour").unwrap().title.as_deref(), Some("colour"));
        assert_eq!(d.roles.targets, ["grade"]);
        assert!(d.roles.sensitive.is_empty() && d.roles.actionable.is_empty());
        d.validate().unwrap();
        // Every cell of the file reads back through the inferred fields.
        let grade = d.field("grade").unwrap();
        assert_eq!(d.read_cell(grade, "3").unwrap(), Some(Cell::Number(3.0)));
        assert_eq!(
            Dataset::from_json(&d.to_json_pretty()).unwrap(),
            d,
            "written and read back"
        );
    }

    #[test]
    fn targets_on_one_to_five_and_a_column_of_one_value() {
        let csv = "a,b,c,d,e,same,kind\n1,2,3,4,5,x,p\n5,4,3,2,1,x,q\n";
        let d = infer_text(csv, &["a", "b", "c", "d", "e"]).unwrap();
        assert_eq!(d.roles.targets, ["a", "b", "c", "d", "e"]);
        assert_eq!(d.targets().len(), 5);
        assert_eq!(range_of(&d, "c"), (Some(3.0), Some(3.0)), "one value kept");
        assert_eq!(
            d.field("same").unwrap().category_values().unwrap(),
            ["x"],
            "a string column of one value is kept"
        );
        let d = infer_text(csv, &[]).unwrap();
        assert!(d.roles.targets.is_empty());
    }

    #[test]
    fn a_non_numeric_or_unknown_target_is_refused_by_name() {
        let csv = "score,kind\n1,a\nabc,b\n";
        assert_eq!(
            infer_text(csv, &["score"]).unwrap_err().to_string(),
            "target \"score\": line 3: \"abc\" is not a number: a target is a numeric column"
        );
        assert_eq!(
            infer_text(csv, &["kind"]).unwrap_err().to_string(),
            "target \"kind\": line 2: \"a\" is not a number: a target is a numeric column"
        );
        assert_eq!(
            infer_text(csv, &["grade"]).unwrap_err().to_string(),
            "target \"grade\": no column of the header has this name"
        );
        let e = infer_text("a,b\n1,2\n", &["a", "a"])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "the inferred dataset file is not valid: roles.targets[1]: \"a\" is also roles.targets[0]"
        );
    }

    #[test]
    fn bad_headers_and_columns_are_refused() {
        assert_eq!(
            infer_text("a,b,a\n1,2,3\n", &[]).unwrap_err().to_string(),
            "line 1: column \"a\" appears more than once (columns 1 and 3)"
        );
        assert_eq!(
            infer_text("a, ,c\n1,2,3\n", &[]).unwrap_err().to_string(),
            "line 1: column 2: the header cell is blank: every column needs a name"
        );
        assert_eq!(
            infer_text("a,b\n1,\n2, \n", &[]).unwrap_err().to_string(),
            "column \"b\": every cell is blank: a column needs at least one value"
        );
        assert_eq!(
            infer_text("a,b\n", &[]).unwrap_err().to_string(),
            "the file has a header but no data rows"
        );
        assert_eq!(
            infer_text("", &[]).unwrap_err().to_string(),
            "the file is empty: a header line is required"
        );
        assert_eq!(
            infer_text("a,b\n1,2\n3\n", &[]).unwrap_err().to_string(),
            "line 3: has 1 fields, the header has 2"
        );
        assert!(matches!(
            infer(b"a,b\n1,\xff\n", &[]),
            Err(InferError::NotText { byte: 7, .. })
        ));
        assert!(matches!(
            infer(b"a,b\n1,\0\n", &[]),
            Err(InferError::NotText { byte: 7, .. })
        ));
    }

    #[test]
    fn crlf_and_a_bom_read_as_plain_lines() {
        let d = infer("\u{feff}x;y\r\n1;a\r\n2;b\r\n".as_bytes(), &targets(&["x"])).unwrap();
        assert_eq!(d.schema.fields[0].name, "x");
        assert_eq!(kind_of(&d, "x"), FieldType::Integer);
        let e = infer_text("x;y\r\n1;a\r\nz;b\r\n", &["x"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "target \"x\": line 3: \"z\" is not a number: a target is a numeric column"
        );
    }

    #[test]
    fn the_real_file_when_it_is_there() {
        let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let Some(path) = [
            "../shared/data",
            "../../shared/data",
            "../../../shared/data",
        ]
        .iter()
        .map(|d| crate_dir.join(d).join("student-por.csv"))
        .find(|p| p.is_file()) else {
            println!("note: shared/data/student-por.csv not found: skipped");
            return;
        };
        let bytes = std::fs::read(path).unwrap();
        // No column is named here: the last one is taken as the target.
        let text = String::from_utf8(bytes.clone()).unwrap();
        let last = text.lines().next().unwrap().rsplit(';').next().unwrap();
        let last = last.trim().trim_matches('"').to_owned();
        let d = infer(&bytes, std::slice::from_ref(&last)).unwrap();
        assert_eq!(
            d.schema.fields.len(),
            text.lines().next().unwrap().split(';').count()
        );
        assert!(d.field(&last).unwrap().is_numeric());
        assert!(d.schema.fields.iter().any(|f| f.kind == FieldType::String));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_is_refused_or_inferred_valid(
            text in "[a-c0-9,;.\" \n\r-]{0,80}",
            first_is_target in proptest::bool::ANY,
        ) {
            let first = text.split([',', ';', '\n']).next().unwrap_or("").trim().to_owned();
            let wanted = if first_is_target { vec![first] } else { Vec::new() };
            match infer(text.as_bytes(), &wanted) {
                Ok(d) => {
                    d.validate().unwrap();
                    Dataset::from_json(&d.to_json_pretty()).unwrap();
                }
                Err(e) => proptest::prop_assert!(!e.to_string().is_empty()),
            }
        }
    }
}
