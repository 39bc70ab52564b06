//! `trainer predict`: predictions for a CSV of students through the model crate's batch code,
//! the same code path as the browser's batch page. Every input row yields one output row; a bad
//! row gets its error in place and the good rows around it keep their predictions.

use std::collections::BTreeSet;
use std::io::Write;

use model::{Batch, Student};
use serde::Serialize;

/// How `predict` writes its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Every input column, then `prediction`, `interval_low`, `interval_high`, `note` (the
    /// empty cells filled in) and `error`.
    Csv,
    /// An array of `{row, line, student, prediction, interval, raw_estimate (only when beyond
    /// the range), note | error}`.
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
    /// The model's raw estimate, only when it was beyond the target's range (`prediction` is
    /// then the range's limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_estimate: Option<f64>,
    /// The empty cells filled in, e.g. "Reading score empty: used 70, the training median".
    #[serde(skip_serializing_if = "String::is_empty")]
    note: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// With `--all-models`: every model of the set by [`model_key`], when it can predict.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    all: std::collections::BTreeMap<String, f64>,
}

/// A model's name in `--all-models` output: its target, then ` without ` and the columns it
/// was trained without, if any (`"math_score without gender,race_ethnicity"`).
pub fn model_key(bundle: &model::ModelBundle) -> String {
    if bundle.excluded.is_empty() {
        bundle.target.clone()
    } else {
        format!("{} without {}", bundle.target, bundle.excluded.join(","))
    }
}

/// Keeps only the given 0-based data rows.
pub fn only_rows(mut batch: Batch, rows: &BTreeSet<usize>) -> Batch {
    batch.rows.retain(|r| rows.contains(&r.row));
    batch
}

/// The test-split rows listed in a report.json (every target shares the one split).
pub fn test_rows_of(report_json: &str) -> anyhow::Result<BTreeSet<usize>> {
    let value: serde_json::Value = serde_json::from_str(report_json)
        .map_err(|e| crate::BadInput(format!("not valid JSON: {e}")))?;
    let report = value
        .get("reports")
        .and_then(|r| r.get(0))
        .unwrap_or(&value);
    let rows: Vec<usize> = serde_json::from_value(
        report
            .pointer("/split/test_rows")
            .cloned()
            .ok_or_else(|| crate::BadInput("the report has no split.test_rows".into()))?,
    )
    .map_err(|e| crate::BadInput(format!("split.test_rows: {e}")))?;
    Ok(rows.into_iter().collect())
}

/// Writes `batch`; with `all`, the JSON rows also carry every model's prediction.
pub fn write(
    mut out: impl Write,
    format: Format,
    batch: &Batch,
    all: Option<&model::Predictors>,
) -> anyhow::Result<()> {
    match format {
        Format::Csv => out.write_all(batch.to_csv().as_bytes())?,
        Format::Json => {
            // Every model reads the dataset's columns by their names, whatever the file calls
            // them ("math score"): each header cell keyed by the feature it names, if any.
            let keys: Vec<&str> = batch
                .header
                .iter()
                .map(|h| {
                    all.into_iter()
                        .flat_map(|set| set.iter())
                        .flat_map(|p| p.features())
                        .find(|f| {
                            let info = f.info();
                            crate::data::names_field(
                                h,
                                f.name(),
                                info.label.as_deref(),
                                &info.aliases,
                            )
                        })
                        .map_or(h.as_str(), |f| f.name())
                })
                .collect();
            let rows: Vec<JsonRow> = batch
                .rows
                .iter()
                .map(|r| {
                    let student: Student = batch
                        .header
                        .iter()
                        .cloned()
                        .zip(r.fields.iter().cloned())
                        .collect();
                    let keyed: Student = keys
                        .iter()
                        .copied()
                        .zip(r.fields.iter().map(String::as_str))
                        .collect();
                    let all = all
                        .into_iter()
                        .flat_map(|set| set.iter())
                        .filter_map(|p| Some((model_key(p.bundle()), p.predict(&keyed).ok()?)))
                        .collect();
                    JsonRow {
                        row: r.row,
                        line: r.line,
                        student,
                        prediction: r.outcome.as_ref().ok().map(|p| p.value),
                        interval: r
                            .outcome
                            .as_ref()
                            .ok()
                            .and_then(|p| Some([p.low?, p.high?])),
                        raw_estimate: r
                            .outcome
                            .as_ref()
                            .ok()
                            .filter(|p| p.beyond_range())
                            .map(|p| p.raw),
                        note: r.note(),
                        error: r.outcome.as_ref().err().cloned(),
                        all,
                    }
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
        write(&mut out, Format::Json, &batch, None).unwrap();
        let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(rows[0]["prediction"], 73.0);
        assert!(rows[0].get("raw_estimate").is_none());
        assert_eq!(rows[0]["student"]["id"], "a");
        assert_eq!(rows[0]["line"], 2);
        assert!(rows[1]["prediction"].is_null());
        assert!(rows[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("line 3: column reading_score"));
    }

    #[test]
    fn json_output_names_each_row_by_its_physical_line_after_blank_lines() {
        let batch = predictor()
            .predict_csv(b"id,reading_score,gender\n\na,80,male\n\n\nb,150,female\n")
            .unwrap();
        let mut out = Vec::new();
        write(&mut out, Format::Json, &batch, None).unwrap();
        let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(rows[0]["line"], 3);
        assert_eq!(rows[1]["line"], 6);
        assert!(rows[1]["error"].as_str().unwrap().starts_with("line 6: "));
        let csv = batch.to_csv();
        assert!(csv.contains(",line 6: column reading_score"), "{csv}");
    }

    #[test]
    fn json_output_gives_the_raw_estimate_only_when_it_was_beyond_the_range() {
        let mut doc: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(predictor().bundle()).unwrap()).unwrap();
        doc["model"]["intercept"] = serde_json::json!(150.0);
        // The range predictions are limited to (format 1.4; a document without it is not
        // limited).
        doc["target_info"] = serde_json::json!({"min": 0.0, "max": 100.0});
        let shifted = model::Predictor::from_json(&doc.to_string()).unwrap();
        let batch = shifted
            .predict_csv(b"reading_score,gender\n66,male\n")
            .unwrap();
        let mut out = Vec::new();
        write(&mut out, Format::Json, &batch, None).unwrap();
        let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(rows[0]["prediction"], 100.0);
        assert_eq!(rows[0]["raw_estimate"], 153.0);
    }

    #[test]
    fn rows_can_be_restricted_to_a_reports_test_split() {
        let rows = test_rows_of(r#"{"split": {"test_rows": [2, 0]}, "other": 1}"#).unwrap();
        let set = r#"{"reports": [{"split": {"test_rows": [2, 0]}}], "default_target": "x"}"#;
        assert_eq!(test_rows_of(set).unwrap(), rows);
        assert_eq!(rows.iter().copied().collect::<Vec<_>>(), [0, 2]);
        let batch = predictor()
            .predict_csv(b"reading_score,gender\n10,male\n20,male\n30,male\n")
            .unwrap();
        let kept: Vec<usize> = only_rows(batch, &rows).rows.iter().map(|r| r.row).collect();
        assert_eq!(kept, [0, 2]);
    }
}
