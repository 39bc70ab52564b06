//! The model crate compiled to wasm32 predicts exactly what it predicts natively, on every
//! test-split student of the committed model. `make wasm-test` first writes the native
//! predictions (`trainer predict … --format json`) to target/parity/test_split.json, then runs
//! this in headless Chromium.
#![cfg(target_arch = "wasm32")]

use model::{Predictor, Student};
use serde::Deserialize;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const MODEL: &str = include_str!("../../assets/model.json");
const CASES: &str = include_str!("../../target/parity/test_split.json");

#[derive(Deserialize)]
struct Case {
    line: u64,
    student: Student,
    prediction: f64,
}

#[wasm_bindgen_test]
fn wasm_predicts_what_native_predicts_on_every_test_split_row() {
    let predictor = Predictor::from_json(MODEL).expect("the committed model is valid");
    let cases: Vec<Case> = serde_json::from_str(CASES).expect("parity cases parse");
    assert!(cases.len() >= 100, "only {} parity cases", cases.len());
    for case in &cases {
        let got = predictor
            .predict(&case.student)
            .unwrap_or_else(|e| panic!("line {}: {e}", case.line));
        assert!(
            got.to_bits() == case.prediction.to_bits(),
            "line {}: wasm {got} != native {}",
            case.line,
            case.prediction
        );
    }
}

#[wasm_bindgen_test]
fn wasm_reports_bad_fields_like_native() {
    let predictor = Predictor::from_json(MODEL).unwrap();
    let err = predictor
        .predict(&Student::new().with("reading_score", "150"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Reading score: 150 is not between 0 and 100"
    );
}
