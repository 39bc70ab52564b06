//! `trainer predict`: predictions for a CSV of students through the model crate's batch code,
//! the same code path as the browser's batch page. Every input row yields one output row; a bad
//! row gets its error in place and the good rows around it keep their predictions.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::Context;
use model::{Batch, Student};
use serde::Serialize;

/// How `predict` writes its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Every input column, then `prediction`, `interval_low`, `interval_high` and `error`.
    Csv,
    /// An array of `{row, line, student, prediction | error}`.
    Json,
}

/// One row of the JSON output.
#[derive(Debug, Serialize)]
struct JsonRow {
    row: usize,
    line: u64,
    student: Student,
    #[serde(skip_serializing_if = "Option::is_none")]
    prediction: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Keeps only the given 0-based data rows.
pub fn only_rows(mut batch: Batch, rows: &BTreeSet<usize>) -> Batch {
    batch.rows.retain(|r| rows.contains(&r.row));
    batch
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

pub fn write(mut out: impl Write, format: Format, batch: &Batch) -> anyhow::Result<()> {
    match format {
        Format::Csv => out.write_all(batch.to_csv().as_bytes())?,
        Format::Json => {
            let rows: Vec<JsonRow> = batch
                .rows
                .iter()
                .map(|r| JsonRow {
                    row: r.row,
                    line: r.line,
                    student: batch
                        .header
                        .iter()
                        .cloned()
                        .zip(r.fields.iter().cloned())
                        .collect(),
                    prediction: r.outcome.as_ref().ok().map(|p| p.value),
                    interval: r
                        .outcome
                        .as_ref()
                        .ok()
                        .and_then(|p| Some([p.low?, p.high?])),
                    error: r.outcome.as_ref().err().cloned(),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn predictor() -> model::Predictor {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../model/tests/fixtures/linear.v1.json"
        );
        model::Predictor::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn json_output_keeps_every_row_with_its_student_and_outcome() {
        let batch = predictor()
            .predict_csv(b"id,reading_score,gender\na,80,male\nb,150,female\n")
            .unwrap();
        let mut out = Vec::new();
        write(&mut out, Format::Json, &batch).unwrap();
        let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(rows[0]["prediction"], 73.0);
        assert_eq!(rows[0]["student"]["id"], "a");
        assert_eq!(rows[0]["line"], 2);
        assert!(rows[1]["prediction"].is_null());
        assert!(rows[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("line 3: column reading_score"));
    }

    #[test]
    fn rows_can_be_restricted_to_a_reports_test_split() {
        let rows = test_rows_of(r#"{"split": {"test_rows": [2, 0]}, "other": 1}"#).unwrap();
        assert_eq!(rows.iter().copied().collect::<Vec<_>>(), [0, 2]);
        let batch = predictor()
            .predict_csv(b"reading_score,gender\n10,male\n20,male\n30,male\n")
            .unwrap();
        let kept: Vec<usize> = only_rows(batch, &rows).rows.iter().map(|r| r.row).collect();
        assert_eq!(kept, [0, 2]);
    }
}
