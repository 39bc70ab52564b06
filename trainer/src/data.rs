//! Reading and checking the dataset CSV, with the model crate's rules for what people write:
//! the separator comes from the header line (comma, semicolon or tab), header cells name the
//! columns as [`model::fields`] says (`math score`, `race/ethnicity`), categories match in any
//! case and are kept in the dataset's own spelling, scores are read by
//! [`model::text::read_number`] (`85,5` is 85.5).

use std::io::Read;
use std::path::Path;

use model::fields::{
    absent_column, allowed_categories, category_index, find_column, AbsentColumn, AmbiguousColumn,
    CATEGORICAL_FIELDS, SCORE_FIELDS,
};
use model::text::{number_hint, read_number};
use model::Student;

/// Every column the training data must have (in any order; other columns are ignored).
pub fn required_columns() -> impl Iterator<Item = &'static str> {
    CATEGORICAL_FIELDS.iter().chain(&SCORE_FIELDS).copied()
}

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
    #[error("line 1: {0}")]
    AmbiguousColumn(AmbiguousColumn),
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

/// One checked data row: the raw fields as the model crate reads them, plus the parsed scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based line in the file.
    pub line: u64,
    pub student: Student,
    /// math, reading, writing, in [`SCORE_FIELDS`] order.
    pub scores: [f64; 3],
}

impl Row {
    pub fn score(&self, name: &str) -> f64 {
        let i = SCORE_FIELDS
            .iter()
            .position(|s| *s == name)
            .expect("a score column");
        self.scores[i]
    }
}

pub fn load(path: &Path) -> Result<Vec<Row>, DataError> {
    let file = std::fs::File::open(path).map_err(|source| DataError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse(file)
}

/// Parses and checks the whole file: the header, then every row. All bad rows are reported.
pub fn parse(input: impl Read) -> Result<Vec<Row>, DataError> {
    let mut raw = Vec::new();
    let mut input = input;
    input
        .read_to_end(&mut raw)
        .map_err(|source| DataError::Io {
            path: "the input".into(),
            source,
        })?;
    if let Err(e) = std::str::from_utf8(&raw) {
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
    let bytes = model::normalize_csv(&raw);
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
    let mut columns = std::collections::BTreeMap::new();
    let mut missing = Vec::new();
    for name in required_columns() {
        match find_column(&names, name).map_err(DataError::AmbiguousColumn)? {
            Some(i) => {
                columns.insert(name, i);
            }
            None => missing.push(absent_column(&names, name)),
        }
    }
    if !missing.is_empty() {
        return Err(DataError::MissingColumns(missing));
    }
    let index = |name: &str| columns[name];

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
        let mut row_ok = true;
        for name in CATEGORICAL_FIELDS {
            let value = record[index(name)].trim();
            let allowed = allowed_categories(name).expect("a categorical column");
            if value.is_empty() {
                errors.push(RowError {
                    line,
                    column: Some(name.into()),
                    message: "is empty".into(),
                });
                row_ok = false;
            } else {
                match category_index(value, allowed) {
                    // The dataset's own spelling, whatever the case in the file.
                    Some(k) => student.set(name, allowed[k]),
                    None => {
                        errors.push(RowError {
                            line,
                            column: Some(name.into()),
                            message: format!("{value:?} is not one of: {}", allowed.join(", ")),
                        });
                        row_ok = false;
                    }
                }
            }
        }
        let mut scores = [0.0; 3];
        for (k, name) in SCORE_FIELDS.iter().enumerate() {
            let text = record[index(name)].trim();
            match read_number(text) {
                Some(v) if (0.0..=100.0).contains(&v) => {
                    scores[k] = v;
                    // As the model crate reads it back, whatever the file's decimal mark.
                    student.set(*name, v.to_string());
                }
                _ => {
                    let hint = number_hint(text).map(|h| format!(" ({h})"));
                    errors.push(RowError {
                        line,
                        column: Some((*name).into()),
                        message: format!(
                            "{text:?} is not a score between 0 and 100{}",
                            hint.unwrap_or_default()
                        ),
                    });
                    row_ok = false;
                }
            }
        }
        if row_ok {
            rows.push(Row {
                line,
                student,
                scores,
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

    fn errors(text: &str) -> String {
        parse(text.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn reads_rows_in_any_column_order_with_quotes_bom_and_crlf() {
        let text = "\u{feff}\"math_score\",writing_score,reading_score,lunch,test_preparation_course,gender,race_ethnicity,parental_level_of_education,extra\r\n\
                    72,74,72,standard,none,female,group B,\"bachelor's degree\",x\r\n\
                    47,44,57,free/reduced,none,male,group A,\"associate's degree\",y\r\n";
        let rows = parse(text.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].scores, [72.0, 72.0, 74.0]);
        assert_eq!(rows[1].score("reading_score"), 57.0);
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
             line 3: column math_score: \"abc\" is not a score between 0 and 100\n\
             line 4: column race_ethnicity: is empty\n\
             line 4: column reading_score: \"101\" is not a score between 0 and 100\n\
             line 5: column gender: \"robot\" is not one of: female, male"
        );
    }

    #[test]
    fn reads_a_semicolon_file_with_the_publications_headers_decimal_commas_and_any_case() {
        let text =
            "Gender;race/ethnicity;parental level of education;Lunch;test preparation course;\
                    math score;Reading Score;writing_score;id\n\
                    Male;GROUP B;Bachelor\u{2019}s Degree;Standard;None;72,5;７２;74;\"a;b\"\n";
        let rows = parse(text.as_bytes()).unwrap();
        assert_eq!(rows[0].scores, [72.5, 72.0, 74.0]);
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
        assert_eq!(
            parse(tabs.as_bytes()).unwrap()[0].scores,
            [60.0, 61.25, 62.0]
        );
    }

    #[test]
    fn numbers_that_are_not_plainly_scores_are_refused_with_a_hint() {
        let text = format!("{HEADER}female,group B,high school,standard,none,\"1,234\",1e1,inf\n");
        assert_eq!(
            errors(&text),
            "3 bad row(s):\n\
             line 2: column math_score: \"1,234\" is not a score between 0 and 100 (a decimal \
             comma takes one or two digits after it, as in 85,5; thousands are not separated)\n\
             line 2: column reading_score: \"1e1\" is not a score between 0 and 100 (write it \
             in plain digits, as in 85 or 85.5)\n\
             line 2: column writing_score: \"inf\" is not a score between 0 and 100"
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
            parse(both.as_bytes()).unwrap()[0].student.get("gender"),
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
            parse(&b"\x89PNG\r\n\x1a\n"[..]).unwrap_err().to_string(),
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
}
