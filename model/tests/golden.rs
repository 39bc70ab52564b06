//! Golden files pin the format: hand-made v1 bundles and outputs computed by hand.
#![cfg(not(target_arch = "wasm32"))] // reads fixtures from disk

use model::{Missing, Predictor, Problem, Student};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    model: String,
    student: Student,
    prediction: f64,
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn fixtures_predict_their_hand_computed_outputs() {
    let cases: Vec<Case> = serde_json::from_str(&fixture("expected.json")).unwrap();
    assert!(cases.len() >= 15);
    for case in cases {
        let predictor = Predictor::from_json(&fixture(&case.model)).unwrap();
        let got = predictor.predict(&case.student).unwrap();
        assert!(
            (got - case.prediction).abs() < 1e-12,
            "{} {:?}: got {got}, expected {}",
            case.model,
            case.student,
            case.prediction
        );
    }
}

#[test]
fn fixtures_survive_a_serialization_round_trip_unchanged() {
    for name in [
        "linear.v1.json",
        "tree_ensemble.v1.json",
        "oblivious.v1.json",
        "knn.v1.json",
    ] {
        let p = Predictor::from_json(&fixture(name)).unwrap();
        let again = serde_json::to_string(p.bundle()).unwrap();
        let q = Predictor::from_json(&again).unwrap();
        assert_eq!(p.bundle(), q.bundle(), "{name}");
    }
}

#[test]
fn the_form_policy_reports_every_missing_field_by_name() {
    let p = Predictor::from_json(&fixture("linear.v1.json")).unwrap();
    let err = p
        .predict_with(&Student::new().with("reading_score", " "), Missing::Reject)
        .unwrap_err();
    let fields: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["gender", "reading_score"]);
    assert!(err.errors.iter().all(|e| e.problem == Problem::Missing));
}

#[test]
fn bad_fields_are_all_reported_with_their_labels() {
    let p = Predictor::from_json(&fixture("linear.v1.json")).unwrap();
    let err = p
        .predict(
            &Student::new()
                .with("gender", "robot")
                .with("reading_score", "150"),
        )
        .unwrap_err();
    assert_eq!(err.errors.len(), 2);
    assert_eq!(
        err.for_field("gender").unwrap().to_string(),
        "Gender: \"robot\" is not one of: female, male"
    );
    assert_eq!(
        err.for_field("reading_score").unwrap().to_string(),
        "Reading score: 150 is not between 0 and 100"
    );
    let err = p
        .predict(&Student::new().with("reading_score", "abc"))
        .unwrap_err();
    assert_eq!(err.to_string(), "Reading score: \"abc\" is not a number");
}
