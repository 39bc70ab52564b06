//! Batch CSV prediction: every row out, bad rows in place, extra columns kept.
#![cfg(all(feature = "batch", not(target_arch = "wasm32")))]

use model::{BatchError, Fill, Missing, NoScores, Predictor, MIN_SCORED_ROWS};
use serde_json::{json, Value};

fn predictor(interval: Option<Value>) -> Predictor {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/linear.v1_4.json"
    );
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
                 f,abc,robot,1\r\n\
                 g,,male,\r\n";
    let batch = p.predict_csv(input.as_bytes()).unwrap();
    assert_eq!(
        batch.header,
        ["id", "reading_score", "gender", "math_score"]
    );
    assert_eq!(batch.rows.len(), 7);
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
    // Every feature cell empty: an error naming the line, not the typical student's score.
    assert_eq!(
        batch.rows[4].outcome.as_ref().unwrap_err(),
        "line 6: every feature cell is empty (gender, reading_score)"
    );
    assert!(batch.rows[4].notes.is_empty());
    assert_eq!(
        batch.rows[5].outcome.as_ref().unwrap_err(),
        "line 7: column gender (Gender): \"robot\" is not one of: female, male; \
         column reading_score (Reading score): \"abc\" is not a number"
    );
    // One empty cell is filled by the preprocessing, and the row says with what:
    // 60 + 3 (male) + 10 * (70 - 66) / 14.
    let g = &batch.rows[6];
    assert!((g.outcome.as_ref().unwrap().value - (63.0 + 40.0 / 14.0)).abs() < 1e-12);
    assert_eq!(g.notes.len(), 1);
    assert_eq!(g.notes[0].field, "reading_score");
    assert_eq!(g.notes[0].from, Fill::Median);
    assert_eq!(
        g.note(),
        "Reading score empty: used 70, the training median"
    );
    assert!(batch.rows[0].notes.is_empty() && batch.rows[0].note().is_empty());
    assert_eq!(batch.errors(), 4);

    // Two rows have both a prediction and a target: too few for R² and MAE, and it says so.
    assert_eq!(batch.scores(), Err(NoScores::TooFewRows { n: 2 }));
    assert_eq!(
        batch.scores().unwrap_err().to_string(),
        "2 row(s) have both a prediction and a numeric target value; R² and MAE need at least 10"
    );

    let csv = batch.to_csv();
    // Written a piece at a time (as the batch page does for a long file), the same text.
    for size in 1..=batch.rows.len() + 1 {
        let mut pieces = batch.csv_header();
        for start in (0..batch.rows.len()).step_by(size) {
            pieces.push_str(&batch.csv_rows(start..start + size));
        }
        assert_eq!(pieces, csv, "pieces of {size}");
    }
    assert_eq!(
        batch.csv_rows(100..200),
        "",
        "rows beyond the batch write nothing"
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 8);
    assert_eq!(
        lines[0],
        "id,reading_score,gender,math_score,prediction,interval_low,interval_high,note,error"
    );
    assert_eq!(lines[1], "a,80,male,70,73,70.5,75.5,,");
    assert_eq!(
        lines[3],
        "c,52,,,,,,,\"line 4: has 2 fields, the header has 4\""
    );
    assert_eq!(lines[4], "\"d, quoted\",52,female,49,48,45.5,50.5,,");
    assert!(
        lines[7].ends_with(",\"Reading score empty: used 70, the training median\","),
        "{}",
        lines[7]
    );
}

#[test]
fn an_empty_category_is_filled_with_the_most_frequent_one_or_refused() {
    let p = predictor(None);
    let input = b"reading_score,gender\n80,\n";
    let batch = p.predict_csv(input).unwrap();
    // female, the most frequent training category: 60 - 2 + 10 * 14 / 14.
    assert_eq!(batch.rows[0].outcome.as_ref().unwrap().value, 68.0);
    assert_eq!(
        batch.rows[0].note(),
        "Gender empty: used female, the most frequent value"
    );
    let refused = p.predict_csv_with(input, Missing::Reject).unwrap();
    assert_eq!(
        refused.rows[0].outcome.as_ref().unwrap_err(),
        "line 2: column gender (Gender): a value is required"
    );
    assert!(refused.rows[0].notes.is_empty());
    assert_eq!(
        refused.to_csv().lines().nth(1),
        Some("80,,,,,,line 2: column gender (Gender): a value is required")
    );
}

#[test]
fn r2_and_mae_need_ten_scored_rows_and_a_target_that_varies() {
    let p = predictor(None);
    let file = |n: usize, target: &dyn Fn(usize) -> usize| {
        let mut s = String::from("reading_score,gender,math_score\n");
        for i in 0..n {
            s += &format!("{},male,{}\n", 40 + i, target(i));
        }
        p.predict_csv(s.as_bytes()).unwrap()
    };
    assert_eq!(
        file(MIN_SCORED_ROWS - 1, &|i| 50 + i).scores(),
        Err(NoScores::TooFewRows { n: 9 })
    );
    let scores = file(MIN_SCORED_ROWS, &|i| 50 + i).scores().unwrap();
    assert_eq!(scores.n, 10);
    assert!(scores.r2.is_finite() && scores.mae > 0.0);
    assert_eq!(file(12, &|_| 50).scores(), Err(NoScores::ConstantTarget));
    // No target column at all: no scored row.
    let batch = p.predict_csv(b"reading_score,gender\n80,male\n").unwrap();
    assert_eq!(batch.scores(), Err(NoScores::TooFewRows { n: 0 }));
}

#[test]
fn a_file_that_is_not_text_says_so() {
    let p = predictor(None);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let err = p.predict_csv(png).unwrap_err();
    assert_eq!(
        err,
        BatchError::NotText {
            byte: 1,
            reason: "is not UTF-8"
        }
    );
    assert_eq!(
        err.to_string(),
        "the file is not text (byte 1 is not UTF-8): a CSV file is expected"
    );
    let nul = p
        .predict_csv(b"reading_score,gender\n80,ma\0le\n")
        .unwrap_err();
    assert_eq!(
        nul.to_string(),
        "the file is not text (byte 27 is a NUL character): a CSV file is expected"
    );
    // A BOM and non-ASCII text are text.
    assert!(p
        .predict_csv("\u{feff}reading_score,gender,name\n80,male,Zoë\n".as_bytes())
        .is_ok());
}

#[test]
fn without_an_interval_the_bounds_are_empty() {
    let batch = predictor(None)
        .predict_csv(b"reading_score,gender\n80,male\n")
        .unwrap();
    let p = batch.rows[0].outcome.as_ref().unwrap();
    assert_eq!((p.low, p.high), (None, None));
    assert_eq!(batch.to_csv().lines().nth(1), Some("80,male,73,,,,"));
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
    // A header alone has nothing to predict.
    assert_eq!(
        p.predict_csv(b"gender,reading_score\n").unwrap_err(),
        BatchError::NoRows
    );
    assert_eq!(
        BatchError::NoRows.to_string(),
        "the file has a header but no rows"
    );
}

proptest::proptest! {
    /// Any bytes: no panic; every predicted row within 0–100, every bad row a message naming
    /// its line, never a NaN.
    #[test]
    fn arbitrary_files_never_panic_and_predictions_stay_in_range(
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
        text in "[a-z0-9,\"\n ]{0,120}",
    ) {
        let p = predictor(Some(json!({
            "level": 0.9, "half_width": 30.0, "n_calibration": 8, "test_coverage": 1.0
        })));
        for file in [body.clone(), format!("reading_score,gender\n{text}").into_bytes()] {
            if let Ok(batch) = p.predict_csv(&file) {
                for r in &batch.rows {
                    match &r.outcome {
                        Ok(e) => proptest::prop_assert!(
                            e.low.unwrap() >= 0.0 && e.low <= Some(e.value)
                                && Some(e.value) <= e.high && e.high.unwrap() <= 100.0
                        ),
                        Err(m) => proptest::prop_assert!(m.starts_with("line ") && !m.contains("NaN")),
                    }
                }
                proptest::prop_assert!(!batch.to_csv().contains("NaN"));
            }
        }
    }
}
