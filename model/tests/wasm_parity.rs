//! The model crate compiled to wasm32 predicts exactly what it predicts natively, on every
//! test-split student, with every model of the committed set. `make wasm-test` first writes the native
//! predictions (`trainer predict … --format json`) to target/parity/test_split.json, then runs
//! this in headless Chromium.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;

#[path = "common/seed.rs"]
mod seed;

use model::Student;
use serde::Deserialize;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The committed set, read with the seed's information (labels, the scores' range) where it has
/// none, as a regenerated set carries it (`common/seed.rs`).
const MODEL: &str = include_str!("../../assets/model.json");
const CASES: &str = include_str!("../../target/parity/test_split.json");

#[derive(Deserialize)]
struct Case {
    line: u64,
    student: Student,
    prediction: f64,
    /// Every model's native prediction, by target (and excluded columns).
    all: BTreeMap<String, f64>,
}

fn key(bundle: &model::ModelBundle) -> String {
    if bundle.excluded.is_empty() {
        bundle.target.clone()
    } else {
        format!("{} without {}", bundle.target, bundle.excluded.join(","))
    }
}

#[wasm_bindgen_test]
fn wasm_predicts_what_native_predicts_on_every_test_split_row() {
    let set = seed::predictors(MODEL);
    let default = set.full(set.default_target()).unwrap();
    let cases: Vec<Case> = serde_json::from_str(CASES).expect("parity cases parse");
    assert!(cases.len() >= 100, "only {} parity cases", cases.len());
    let mut compared = 0;
    for case in &cases {
        let got = default
            .predict(&case.student)
            .unwrap_or_else(|e| panic!("line {}: {e}", case.line));
        assert!(
            got.to_bits() == case.prediction.to_bits(),
            "line {}: wasm {got} != native {}",
            case.line,
            case.prediction
        );
        assert_eq!(case.all.len(), set.iter().count(), "line {}", case.line);
        for predictor in set.iter() {
            let native = case.all[&key(predictor.bundle())];
            let got = predictor.predict(&case.student).unwrap();
            assert!(
                got.to_bits() == native.to_bits(),
                "line {}, {}: wasm {got} != native {native}",
                case.line,
                key(predictor.bundle())
            );
            compared += 1;
        }
    }
    assert!(compared >= cases.len() * 2);
}

#[wasm_bindgen_test]
fn wasm_reports_bad_fields_like_native() {
    let set = seed::predictors(MODEL);
    let err = set
        .full("math_score")
        .unwrap()
        .predict(&Student::new().with("reading_score", "150"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Reading score: 150 is not between 0 and 100"
    );
}

/// Extreme students (every score 0 or 100, a spread of categories) through every model of the
/// set: the wasm limits the value and both bounds to 0–100 exactly as native does (the same
/// checks run natively in tests/range.rs).
#[wasm_bindgen_test]
fn wasm_limits_extreme_students_to_0_to_100() {
    let set = seed::predictors(MODEL);
    for predictor in set.iter() {
        for score in ["0", "100"] {
            for pick in 0..6 {
                let student: Student = predictor
                    .features()
                    .iter()
                    .map(|f| match f {
                        model::Feature::Numeric { name, .. } => (name.clone(), score.to_owned()),
                        model::Feature::Categorical {
                            name, categories, ..
                        } => (name.clone(), categories[pick % categories.len()].clone()),
                    })
                    .collect();
                let e = predictor
                    .estimate(&student, model::Missing::Reject)
                    .unwrap();
                let (low, high) = (e.low.unwrap(), e.high.unwrap());
                assert!(0.0 <= low && low <= e.value && e.value <= high && high <= 100.0);
                assert_eq!(e.value, e.raw.clamp(0.0, 100.0));
                assert_eq!(e.beyond_range(), !(0.0..=100.0).contains(&e.raw));
                assert_eq!(predictor.predict(&student).unwrap(), e.value);
            }
        }
    }
}

/// `trainer predict`'s output for e2e/fixtures/extremes.csv with one model (`make parity-cases`).
#[derive(Deserialize)]
struct Extreme {
    line: u64,
    student: Student,
    prediction: f64,
    interval: [f64; 2],
    raw_estimate: Option<f64>,
}

/// The same extreme students give the same three numbers (and the same raw estimate beyond the
/// range) in the wasm as `trainer predict` gives natively, bit for bit, with every model.
#[wasm_bindgen_test]
fn wasm_gives_native_numbers_for_extreme_students_with_every_model() {
    const NATIVE: [(&str, bool, &str); 6] = [
        (
            "math_score",
            false,
            include_str!("../../target/parity/extremes-math_score.json"),
        ),
        (
            "math_score",
            true,
            include_str!("../../target/parity/extremes-math_score-unaware.json"),
        ),
        (
            "reading_score",
            false,
            include_str!("../../target/parity/extremes-reading_score.json"),
        ),
        (
            "reading_score",
            true,
            include_str!("../../target/parity/extremes-reading_score-unaware.json"),
        ),
        (
            "writing_score",
            false,
            include_str!("../../target/parity/extremes-writing_score.json"),
        ),
        (
            "writing_score",
            true,
            include_str!("../../target/parity/extremes-writing_score-unaware.json"),
        ),
    ];
    let set = seed::predictors(MODEL);
    let mut beyond = 0;
    for (target, unaware, json) in NATIVE {
        let predictor = if unaware {
            set.get(target, &["gender", "race_ethnicity"]).unwrap()
        } else {
            set.full(target).unwrap()
        };
        let cases: Vec<Extreme> = serde_json::from_str(json).unwrap();
        assert_eq!(cases.len(), 6, "{target}");
        for c in cases {
            let e = predictor
                .estimate(&c.student, model::Missing::Reject)
                .unwrap();
            let what = format!("{target} (unaware: {unaware}), line {}", c.line);
            assert_eq!(e.value.to_bits(), c.prediction.to_bits(), "{what}");
            assert_eq!(e.low.unwrap().to_bits(), c.interval[0].to_bits(), "{what}");
            assert_eq!(e.high.unwrap().to_bits(), c.interval[1].to_bits(), "{what}");
            assert_eq!(e.beyond_range().then_some(e.raw), c.raw_estimate, "{what}");
            beyond += usize::from(e.beyond_range());
        }
    }
    // The fixture reaches beyond the range (the two students do with math).
    assert!(beyond >= 2, "{beyond}");
}
