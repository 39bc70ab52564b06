//! `trainer predict`: predictions for a CSV of students through the model crate, the same code
//! path as the browser. Every input row yields one output row; a bad row gets its error in
//! place and the good rows around it keep their predictions.

use std::collections::BTreeSet;
use std::io::{Read, Write};

use anyhow::Context;
use model::{Feature, Predictor, Student};
use serde::Serialize;

/// How `predict` writes its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Every input column, then `prediction` and `error`.
    Csv,
    /// An array of `{row, line, student, prediction | error}`.
    Json,
}

/// One input row's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// 0-based data row (the header is not a row).
    pub row: usize,
    /// 1-based line in the file.
    pub line: u64,
    pub student: Student,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prediction: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Problems with the file as a whole (nothing can be predicted).
#[derive(Debug, thiserror::Error)]
pub enum InputFileError {
    #[error("the input is empty: a header line is required")]
    Empty,
    #[error("line 1: the input lacks the model's column(s) {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    #[error("line 1: {0}")]
    Header(String),
}

/// Reads a CSV (header required, columns in any order, extra columns kept, UTF-8 with or without
/// a BOM) and predicts every row. Missing cells are imputed as the model's preprocessing says.
pub fn predict_csv(
    predictor: &Predictor,
    input: impl Read,
) -> anyhow::Result<(Vec<String>, Vec<Outcome>)> {
    let bytes = crate::data::read_lf(input).context("reading the input")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| InputFileError::Header(e.to_string()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    if header.is_empty() || header.iter().all(String::is_empty) {
        return Err(InputFileError::Empty.into());
    }
    let missing: Vec<String> = predictor
        .features()
        .iter()
        .map(Feature::name)
        .filter(|name| !header.iter().any(|h| h == name))
        .map(str::to_owned)
        .collect();
    if !missing.is_empty() {
        return Err(InputFileError::MissingColumns(missing).into());
    }

    let mut outcomes = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let (line, student, problem) = match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                let student: Student = header
                    .iter()
                    .zip(record.iter())
                    .map(|(h, v)| (h.clone(), v.to_owned()))
                    .collect();
                let problem = (record.len() != header.len()).then(|| {
                    format!(
                        "has {} fields, the header has {}",
                        record.len(),
                        header.len()
                    )
                });
                (line, student, problem)
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                (line, Student::new(), Some(e.to_string()))
            }
        };
        let (prediction, error) = match problem {
            Some(p) => (None, Some(p)),
            None => match predictor.predict(&student) {
                Ok(v) => (Some(v), None),
                Err(e) => (None, Some(e.to_string())),
            },
        };
        outcomes.push(Outcome {
            row,
            line,
            student,
            prediction,
            error: error.map(|e| format!("line {line}: {e}")),
        });
    }
    Ok((header, outcomes))
}

/// Keeps only the given 0-based data rows.
pub fn only_rows(outcomes: Vec<Outcome>, rows: &BTreeSet<usize>) -> Vec<Outcome> {
    outcomes
        .into_iter()
        .filter(|o| rows.contains(&o.row))
        .collect()
}

/// The test-split rows listed in a report.json.
pub fn test_rows_of(report_json: &str) -> anyhow::Result<BTreeSet<usize>> {
    #[derive(serde::Deserialize)]
    struct Report {
        split: Split,
    }
    #[derive(serde::Deserialize)]
    struct Split {
        test_rows: Vec<usize>,
    }
    let report: Report = serde_json::from_str(report_json).context("reading split.test_rows")?;
    Ok(report.split.test_rows.into_iter().collect())
}

pub fn write(
    out: impl Write,
    format: Format,
    header: &[String],
    outcomes: &[Outcome],
) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            let mut out = out;
            serde_json::to_writer_pretty(&mut out, outcomes)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let mut columns: Vec<&str> = header.iter().map(String::as_str).collect();
            columns.extend(["prediction", "error"]);
            w.write_record(&columns)?;
            for o in outcomes {
                let mut record: Vec<String> = header
                    .iter()
                    .map(|h| {
                        o.student
                            .fields()
                            .find(|(k, _)| k == h)
                            .map_or(String::new(), |(_, v)| v.to_owned())
                    })
                    .collect();
                record.push(o.prediction.map_or(String::new(), |p| p.to_string()));
                record.push(o.error.clone().unwrap_or_default());
                w.write_record(&record)?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn predictor() -> Predictor {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../model/tests/fixtures/linear.v1.json"
        );
        Predictor::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn every_row_comes_out_and_bad_rows_keep_their_place() {
        let input = "\u{feff}id,reading_score,gender\r\n\
                     a,80,male\r\n\
                     b,150,female\r\n\
                     c,52\r\n\
                     \"d, quoted\",52,female\r\n\
                     e,,\r\n";
        let (header, out) = predict_csv(&predictor(), input.as_bytes()).unwrap();
        assert_eq!(header, ["id", "reading_score", "gender"]);
        assert_eq!(out.len(), 5);
        assert_eq!(out[0].prediction, Some(73.0));
        assert_eq!(
            out[1].error.as_deref(),
            Some("line 3: Reading score: 150 is not between 0 and 100")
        );
        assert_eq!(
            out[2].error.as_deref(),
            Some("line 4: has 2 fields, the header has 3")
        );
        assert_eq!(out[3].prediction, Some(48.0));
        assert_eq!(out[3].student.get("id"), Some("d, quoted"));
        // Empty cells are imputed (female, reading 70).
        assert!(out[4].prediction.is_some());

        let mut csv_out = Vec::new();
        write(&mut csv_out, Format::Csv, &header, &out).unwrap();
        let text = String::from_utf8(csv_out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "id,reading_score,gender,prediction,error");
        assert_eq!(lines[1], "a,80,male,73,");
        assert_eq!(lines[4], "\"d, quoted\",52,female,48,");
        assert_eq!(lines.len(), 6);
    }

    #[test]
    fn a_file_without_the_model_columns_is_refused() {
        let err = predict_csv(&predictor(), "id,gender\n1,male\n".as_bytes()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: the input lacks the model's column(s) reading_score"
        );
        assert!(predict_csv(&predictor(), "".as_bytes()).is_err());
    }

    #[test]
    fn test_rows_are_read_from_a_report() {
        let rows = test_rows_of(r#"{"split": {"test_rows": [3, 1]}, "other": 1}"#).unwrap();
        assert_eq!(rows.into_iter().collect::<Vec<_>>(), [1, 3]);
    }
}
