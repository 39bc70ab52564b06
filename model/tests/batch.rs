//! Batch CSV prediction: every row out, bad rows in place, extra columns kept.
#![cfg(all(feature = "batch", not(target_arch = "wasm32")))]

use model::{BatchError, Predictor};
use serde_json::{json, Value};

fn predictor(interval: Option<Value>) -> Predictor {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/linear.v1.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    if let Some(i) = interval {
        doc["interval"] = i;
    }
    Predictor::from_json(&doc.to_string()).unwrap()
}

#[test]
fn every_row_comes_out_in_place_with_bom_crlf_quotes_and_extra_columns() {
    let p = predictor(Some(json!({
        "level": 0.9, "half_width": 2.5, "n_calibration": 8, "test_coverage": 1.0
    })));
    let input = "\u{feff}id,reading_score,gender,math_score\r\n\
                 a,80,male,70\r\n\
                 b,150,female,50\r\n\
                 c,52\r\n\
                 \"d, quoted\",52,female,49\r\n\
                 e,,,\r\n\
                 f,abc,robot,1\r\n";
    let batch = p.predict_csv(input.as_bytes()).unwrap();
    assert_eq!(
        batch.header,
        ["id", "reading_score", "gender", "math_score"]
    );
    assert_eq!(batch.rows.len(), 6);
    let a = batch.rows[0].outcome.as_ref().unwrap();
    assert_eq!((a.value, a.low, a.high), (73.0, Some(70.5), Some(75.5)));
    assert_eq!(
        batch.rows[1].outcome.as_ref().unwrap_err(),
        "line 3: column reading_score (Reading score): 150 is not between 0 and 100"
    );
    assert_eq!(
        batch.rows[2].outcome.as_ref().unwrap_err(),
        "line 4: has 2 fields, the header has 4"
    );
    assert_eq!(batch.rows[3].outcome.as_ref().unwrap().value, 48.0);
    assert!(batch.rows[4].outcome.is_ok(), "empty cells are imputed");
    assert_eq!(
        batch.rows[5].outcome.as_ref().unwrap_err(),
        "line 7: column gender (Gender): \"robot\" is not one of: female, male; \
         column reading_score (Reading score): \"abc\" is not a number"
    );
    assert_eq!(batch.errors(), 3);

    // Scored on rows with both a prediction and a target: a (70 vs 73), d (49 vs 48).
    let scores = batch.scores().unwrap();
    assert_eq!(scores.n, 2);
    assert!((scores.mae - 2.0).abs() < 1e-12);

    let csv = batch.to_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(
        lines[0],
        "id,reading_score,gender,math_score,prediction,interval_low,interval_high,error"
    );
    assert_eq!(lines[1], "a,80,male,70,73,70.5,75.5,");
    assert_eq!(
        lines[3],
        "c,52,,,,,,\"line 4: has 2 fields, the header has 4\""
    );
    assert_eq!(lines[4], "\"d, quoted\",52,female,49,48,45.5,50.5,");
}

#[test]
fn without_an_interval_the_bounds_are_empty() {
    let batch = predictor(None)
        .predict_csv(b"reading_score,gender\n80,male\n")
        .unwrap();
    let p = batch.rows[0].outcome.as_ref().unwrap();
    assert_eq!((p.low, p.high), (None, None));
    assert_eq!(batch.to_csv().lines().nth(1), Some("80,male,73,,,"));
    assert_eq!(batch.scores(), None);
}

#[test]
fn files_that_cannot_be_read_as_a_whole_are_refused() {
    let p = predictor(None);
    assert_eq!(p.predict_csv(b"").unwrap_err(), BatchError::Empty);
    assert_eq!(
        p.predict_csv(b"id,gender\n1,male\n").unwrap_err(),
        BatchError::MissingColumns(vec!["reading_score".into()])
    );
    assert_eq!(
        p.predict_csv(b"gender,reading_score,gender\n").unwrap_err(),
        BatchError::DuplicateColumn("gender".into())
    );
    // A header alone is a valid, empty batch.
    assert!(p
        .predict_csv(b"gender,reading_score\n")
        .unwrap()
        .rows
        .is_empty());
}
