//! Reading and checking a dataset CSV against its dataset file ([`model::Dataset`]), with the
//! model crate's rules for what people write: the separator comes from the header line (comma,
//! semicolon or tab), a header cell names a field by its exact name or, [`fold`]ed, by its
//! name, title or one of its `aliases`; each cell is read by [`model::dataset::Field::read_cell`]
//! (categories in any case, kept in the dataset's own spelling; numbers by
//! [`model::text::read_number`], so `85,5` is 85.5). Nothing here names a column: the dataset
//! file does.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use model::dataset::{Cell, Field};
use model::fields::{absent_column, find_column, names_column, AbsentColumn, Column};
use model::{Dataset, Student};

/// What is wrong with the training data. Nothing is written when there is any.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The operating system's reason is the source, printed once after the path.
    #[error("cannot read {path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// Invalid UTF-8 or a NUL byte: not a CSV file.
    #[error("the file is not text (byte {byte} {reason}): a CSV file is expected")]
    NotText { byte: usize, reason: &'static str },
    #[error("the file is empty: a header line is required")]
    Empty,
    /// Each with the header cell most like it, when one is close.
    #[error("line 1: missing column(s) {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))]
    MissingColumns(Vec<AbsentColumn>),
    #[error("line 1: column {0:?} appears more than once")]
    DuplicateColumn(String),
    #[error("line 1: columns {:?} and {:?} both name the column {name}", .cells[0], .cells[1])]
    AmbiguousColumn { name: String, cells: [String; 2] },
    #[error("the file has a header but no data rows")]
    NoRows,
    #[error("{} bad row(s):\n{}", .0.len(), .0.iter().take(20).map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rows(Vec<RowError>),
}

/// One bad cell or row; `line` is the 1-based line in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {}{message}", .column.as_ref().map(|c| format!("column {c}: ")).unwrap_or_default())]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

/// One checked data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based line in the file.
    pub line: u64,
    /// Every field with a value, by its name: a category in the dataset file's spelling, a
    /// number as `v.to_string()` (how the model crate reads it back, whatever the file's
    /// decimal mark). A missing cell is absent.
    pub student: Student,
    /// The numeric fields with a value, by name.
    pub numbers: BTreeMap<String, f64>,
}

impl Row {
    /// The value of the numeric field `name`, `None` when its cell was missing.
    pub fn number(&self, name: &str) -> Option<f64> {
        self.numbers.get(name).copied()
    }
}

/// Whether the header cell `cell` names the column `name` (with its `title` and `aliases`):
/// the model crate's rule, [`model::fields::names_column`].
pub fn names_field(cell: &str, name: &str, title: Option<&str>, aliases: &[String]) -> bool {
    names_column(
        cell,
        Column {
            name,
            label: title,
            aliases,
        },
    )
}

/// The position of `field`'s column in `header` ([`model::fields::find_column`]): the cell
/// equal to its name, or else the one cell that names it; two such cells are an error.
fn find_field(header: &[String], field: &Field) -> Result<Option<usize>, DataError> {
    find_column(header, column(field)).map_err(|e| DataError::AmbiguousColumn {
        name: e.name,
        cells: e.cells,
    })
}

/// A dataset field as the model crate's header rules see it.
fn column(field: &Field) -> Column<'_> {
    Column::from(field)
}

/// The fields every data file must have: all but the `ignored` ones.
fn read_fields(dataset: &Dataset) -> impl Iterator<Item = &Field> {
    dataset
        .schema
        .fields
        .iter()
        .filter(|f| !dataset.roles.ignored.contains(&f.name))
}

pub fn load(path: &Path, dataset: &Dataset) -> Result<Vec<Row>, DataError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|source| DataError::Io {
            path: path.display().to_string(),
            source,
        })?;
    parse(&bytes, dataset)
}

/// Checks that `raw` is text (UTF-8, no NUL) and returns it with CRLF as LF and no BOM.
pub fn text_bytes(raw: &[u8]) -> Result<Vec<u8>, DataError> {
    if let Err(e) = std::str::from_utf8(raw) {
        return Err(DataError::NotText {
            byte: e.valid_up_to() + 1,
            reason: "is not UTF-8",
        });
    }
    if let Some(nul) = raw.iter().position(|&b| b == 0) {
        return Err(DataError::NotText {
            byte: nul + 1,
            reason: "is a NUL character",
        });
    }
    // CRLF as LF (the csv crate reports lines after a CRLF row one short) and no BOM.
    Ok(model::normalize_csv(raw))
}

/// Parses and checks the whole file against `dataset`: the header (every field but the
/// ignored ones, in any order; other columns are left out), then every row. A missing cell is
/// allowed (the preprocessing imputes it) unless its field is `required` or one of the
/// dataset's targets. All bad rows are reported together.
pub fn parse(raw: &[u8], dataset: &Dataset) -> Result<Vec<Row>, DataError> {
    let bytes = text_bytes(raw)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .delimiter(model::csv_delimiter(&bytes))
        .from_reader(bytes.as_slice());
    let header = match reader.headers() {
        Ok(h) if !(h.is_empty() || h.len() == 1 && h[0].trim().is_empty()) => h.clone(),
        Ok(_) => return Err(DataError::Empty),
        Err(e) => {
            return Err(DataError::Rows(vec![RowError {
                line: 1,
                column: None,
                message: e.to_string(),
            }]))
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    for (i, n) in names.iter().enumerate() {
        if names[..i].contains(n) {
            return Err(DataError::DuplicateColumn(n.clone()));
        }
    }
    let mut columns: Vec<(&Field, usize)> = Vec::new();
    let mut absent = Vec::new();
    for field in read_fields(dataset) {
        match find_field(&names, field)? {
            Some(i) => columns.push((field, i)),
            None => absent.push(field),
        }
    }
    if !absent.is_empty() {
        // The closest cell is never one that names another field.
        let others: Vec<Column<'_>> = columns.iter().map(|&(f, _)| column(f)).collect();
        return Err(DataError::MissingColumns(
            absent
                .into_iter()
                .map(|f| absent_column(&names, column(f), &others))
                .collect(),
        ));
    }

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("has {len} fields, the header has {expected_len}"),
                    _ => e.to_string(),
                };
                errors.push(RowError {
                    line,
                    column: None,
                    message,
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let mut student = Student::new();
        let mut numbers = BTreeMap::new();
        let mut row_ok = true;
        for &(field, i) in &columns {
            let mut fail = |message: String| {
                errors.push(RowError {
                    line,
                    column: Some(field.name.clone()),
                    message,
                });
            };
            match field.read_cell(&record[i], dataset.missing_values(field)) {
                Ok(Some(Cell::Number(v))) => {
                    // As the model crate reads it back, whatever the file's decimal mark.
                    student.set(field.name.as_str(), v.to_string());
                    numbers.insert(field.name.clone(), v);
                }
                Ok(Some(Cell::Category(c))) => student.set(field.name.as_str(), c),
                Ok(None) => {
                    if field.constraints.required || dataset.roles.targets.contains(&field.name) {
                        fail("is empty".into());
                        row_ok = false;
                    }
                }
                Err(e) => {
                    fail(e.0);
                    row_ok = false;
                }
            }
        }
        if row_ok {
            rows.push(Row {
                line,
                student,
                numbers,
            });
        }
    }
    if !errors.is_empty() {
        return Err(DataError::Rows(errors));
    }
    if rows.is_empty() {
        return Err(DataError::NoRows);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "gender,race_ethnicity,parental_level_of_education,lunch,test_preparation_course,math_score,reading_score,writing_score\n";

    fn students() -> Dataset {
        Dataset::from_json(include_str!("../../data/students.schema.json")).unwrap()
    }

    fn read(text: &str) -> Result<Vec<Row>, DataError> {
        parse(text.as_bytes(), &students())
    }

    fn errors(text: &str) -> String {
        read(text).unwrap_err().to_string()
    }

    fn scores(row: &Row) -> [f64; 3] {
        ["math_score", "reading_score", "writing_score"].map(|s| row.number(s).unwrap())
    }

    #[test]
    fn reads_rows_in_any_column_order_with_quotes_bom_and_crlf() {
        let text = "\u{feff}\"math_score\",writing_score,reading_score,lunch,test_preparation_course,gender,race_ethnicity,parental_level_of_education,extra\r\n\
                    72,74,72,standard,none,female,group B,\"bachelor's degree\",x\r\n\
                    47,44,57,free/reduced,none,male,group A,\"associate's degree\",y\r\n";
        let rows = read(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(scores(&rows[0]), [72.0, 72.0, 74.0]);
        assert_eq!(rows[1].number("reading_score"), Some(57.0));
        assert_eq!(rows[1].number("gender"), None);
        assert_eq!(
            rows[1].student.get("parental_level_of_education"),
            Some("associate's degree")
        );
        assert_eq!(rows[1].student.get("extra"), None);
    }

    #[test]
    fn names_the_line_and_column_of_every_bad_cell() {
        let text = format!(
            "{HEADER}female,group B,high school,standard,none,72,72,74\n\
             male,group A,high school,standard,none,abc,57,44\n\
             male,,high school,standard,none,50,101,44\n\
             robot,group B,high school,standard,none,50,50,50\n"
        );
        assert_eq!(
            errors(&text),
            "4 bad row(s):\n\
             line 3: column math_score: \"abc\" is not a number\n\
             line 4: column race_ethnicity: is empty\n\
             line 4: column reading_score: \"101\" is not between 0 and 100\n\
             line 5: column gender: \"robot\" is not one of: female, male"
        );
    }

    #[test]
    fn a_blank_feature_is_missing_unless_required_or_a_target() {
        let mut dataset = students();
        for f in &mut dataset.schema.fields {
            f.constraints.required = false;
        }
        dataset.roles.targets = vec!["math_score".into()];
        let text = format!(
            "{HEADER}female,,high school,standard,none,72,NA,74\n\
             male,group A,high school,standard,none,,57,44\n"
        );
        assert_eq!(
            parse(text.as_bytes(), &dataset).unwrap_err().to_string(),
            "2 bad row(s):\n\
             line 2: column reading_score: \"NA\" is not a number\n\
             line 3: column math_score: is empty"
        );
        dataset.schema.missing_values = vec![String::new(), "NA".into()];
        let rows = parse(
            format!("{HEADER}female,,high school,standard,none,72,NA,74\n").as_bytes(),
            &dataset,
        )
        .unwrap();
        assert_eq!(rows[0].student.get("race_ethnicity"), None);
        assert_eq!(rows[0].number("reading_score"), None);
        assert_eq!(rows[0].number("writing_score"), Some(74.0));
    }

    #[test]
    fn reads_a_semicolon_file_with_the_publications_headers_decimal_commas_and_any_case() {
        let text =
            "Gender;race/ethnicity;parental level of education;Lunch type;test preparation course;\
                    math score;Reading Score;writing_score;id\n\
                    Male;GROUP B;Bachelor\u{2019}s Degree;Standard;None;72,5;７２;74;\"a;b\"\n";
        let rows = read(text).unwrap();
        assert_eq!(scores(&rows[0]), [72.5, 72.0, 74.0]);
        let s = &rows[0].student;
        assert_eq!(s.get("gender"), Some("male"));
        assert_eq!(s.get("race_ethnicity"), Some("group B"));
        assert_eq!(
            s.get("parental_level_of_education"),
            Some("bachelor's degree")
        );
        assert_eq!(s.get("lunch"), Some("standard"));
        assert_eq!(s.get("test_preparation_course"), Some("none"));
        assert_eq!(s.get("math_score"), Some("72.5"));
        assert_eq!(s.get("reading_score"), Some("72"));
        let tabs = "gender\trace_ethnicity\tparental_level_of_education\tlunch\t\
                    test_preparation_course\tmath_score\treading_score\twriting_score\n\
                    female\tgroup C\thigh school\tstandard\tnone\t60\t61,25\t62\n";
        assert_eq!(scores(&read(tabs).unwrap()[0]), [60.0, 61.25, 62.0]);
    }

    #[test]
    fn numbers_that_are_not_plainly_numbers_are_refused_with_a_hint() {
        let text = format!("{HEADER}female,group B,high school,standard,none,\"1,234\",1e1,inf\n");
        assert_eq!(
            errors(&text),
            "3 bad row(s):\n\
             line 2: column math_score: \"1,234\" is not a number (a decimal \
             comma takes one or two digits after it, as in 85,5; thousands are not separated)\n\
             line 2: column reading_score: \"1e1\" is not a number (write it \
             in plain digits, as in 85 or 85.5)\n\
             line 2: column writing_score: \"inf\" is not a number"
        );
    }

    #[test]
    fn a_header_that_does_not_match_names_the_closest_cell() {
        let text = "gender;race_ethnicity;parental_level_of_education;lunch;\
                    test_preparation_course;math_score;readng score;writing_scor\nx\n";
        assert_eq!(
            errors(text),
            "line 1: missing column(s) reading_score (closest: \"readng score\"), \
             writing_score (closest: \"writing_scor\")"
        );
        // The exact name wins over a cell that only folds to it.
        let both =
            format!("Gender,{HEADER}robot,female,group B,high school,standard,none,72,72,74\n");
        assert_eq!(
            read(&both).unwrap()[0].student.get("gender"),
            Some("female")
        );
        let folded = HEADER.replace("math_score", "Math score,math score");
        assert_eq!(
            errors(&folded),
            "line 1: columns \"Math score\" and \"math score\" both name the column math_score"
        );
    }

    #[test]
    fn refuses_empty_files_missing_columns_and_ragged_rows() {
        assert_eq!(errors(""), "the file is empty: a header line is required");
        assert_eq!(errors(HEADER), "the file has a header but no data rows");
        assert_eq!(
            parse(&b"\x89PNG\r\n\x1a\n"[..], &students())
                .unwrap_err()
                .to_string(),
            "the file is not text (byte 1 is not UTF-8): a CSV file is expected"
        );
        assert_eq!(
            errors(&format!("{HEADER}\0")),
            "the file is not text (byte 120 is a NUL character): a CSV file is expected"
        );
        assert_eq!(
            errors("gender,lunch\nfemale,standard\n"),
            "line 1: missing column(s) race_ethnicity, parental_level_of_education, \
             test_preparation_course, math_score, reading_score, writing_score"
        );
        assert_eq!(
            errors(&format!(
                "{HEADER}female,group B,high school,standard,none,72,72\n"
            )),
            "1 bad row(s):\nline 2: has 7 fields, the header has 8"
        );
        assert_eq!(
            errors("gender,gender\nx,y\n"),
            "line 1: column \"gender\" appears more than once"
        );
    }

    proptest::proptest! {
        /// Any text, against the students' file or against a file of one optional column of
        /// each type: refused with a message, or rows whose every present value is readable.
        #[test]
        fn arbitrary_text_is_refused_or_read_never_a_panic(text in "\\PC{0,200}", tail in "[a-z0-9,;\n\"]{0,80}") {
            let text = format!("{HEADER}{text}{tail}");
            match read(&text) {
                Ok(rows) => {
                    for row in rows {
                        for s in scores(&row) {
                            proptest::prop_assert!((0.0..=100.0).contains(&s));
                        }
                    }
                }
                Err(e) => proptest::prop_assert!(!e.to_string().is_empty()),
            }
            let loose = Dataset::from_json(
                r#"{"fields": [{"name": "n", "type": "number"}, {"name": "s"},
                    {"name": "b", "type": "boolean"}, {"name": "i", "type": "integer"}]}"#,
            )
            .unwrap();
            let text = format!("n,s,b,i\n{tail}");
            if let Err(e) = parse(text.as_bytes(), &loose) {
                proptest::prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn header_cells_name_fields_by_name_title_or_alias_folded() {
        let aliases = vec!["race/ethnicity group".to_owned()];
        for cell in [
            "race_ethnicity",
            "Race/Ethnicity",
            "RACE ETHNICITY",
            "race/ethnicity group",
        ] {
            assert!(
                names_field(cell, "race_ethnicity", Some("Race/ethnicity"), &aliases),
                "{cell}"
            );
        }
        for cell in ["race", "", "raceethnicity"] {
            assert!(
                !names_field(cell, "race_ethnicity", Some("Race/ethnicity"), &aliases),
                "{cell}"
            );
        }
    }
}
