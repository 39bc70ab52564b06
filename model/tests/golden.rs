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
    // Negative numbers take the one minus sign.
    let err = p
        .predict(&Student::new().with("reading_score", "-5"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Reading score: \u{2212}5 is not between 0 and 100"
    );
}

#[test]
fn contributions_add_up_to_prediction_minus_baseline_for_every_model_kind() {
    let students = [
        Student::new()
            .with("gender", "male")
            .with("lunch", "free/reduced")
            .with("reading_score", "91"),
        Student::new()
            .with("gender", "female")
            .with("lunch", "standard")
            .with("reading_score", "12.5"),
        Student::new(),
    ];
    for name in [
        "linear.v1.json",
        "tree_ensemble.v1.json",
        "oblivious.v1.json",
        "knn.v1.json",
    ] {
        let p = Predictor::from_json(&fixture(name)).unwrap();
        for s in &students {
            let e = p.explain(s, Missing::Impute).unwrap();
            let sum: f64 = e.contributions.iter().map(|c| c.value).sum();
            assert_eq!(e.prediction, p.predict(s).unwrap(), "{name}");
            assert!(
                (e.baseline + sum - e.prediction).abs() < 1e-9,
                "{name} {s:?}: {} + {sum} != {}",
                e.baseline,
                e.prediction
            );
            assert_eq!(
                e.baseline,
                p.predict(&p.reference_student()).unwrap(),
                "{name}"
            );
            let names: Vec<&str> = e.contributions.iter().map(|c| c.feature.as_str()).collect();
            let features: Vec<&str> = p.features().iter().map(|f| f.name()).collect();
            assert_eq!(names, features);
        }
    }
}

#[test]
fn linear_contributions_are_weight_times_distance_from_the_reference() {
    // linear.v1.json: coefficients female -2, male 3, reading 10 per (x - 66) / 14;
    // the reference student is female with reading 70.
    let p = Predictor::from_json(&fixture("linear.v1.json")).unwrap();
    let e = p
        .explain(
            &Student::new()
                .with("gender", "male")
                .with("reading_score", "80"),
            Missing::Reject,
        )
        .unwrap();
    assert!((e.contributions[0].value - 5.0).abs() < 1e-12); // (3 - (-2))
    assert!((e.contributions[1].value - 10.0 * (80.0 - 70.0) / 14.0).abs() < 1e-12);
    // A feature at the reference value contributes nothing, whatever the model.
    for name in ["tree_ensemble.v1.json", "oblivious.v1.json", "knn.v1.json"] {
        let p = Predictor::from_json(&fixture(name)).unwrap();
        let reference = p.reference_student();
        let s = Student::new().with("reading_score", reference.get("reading_score").unwrap());
        let e = p.explain(&s, Missing::Impute).unwrap();
        let reading = e
            .contributions
            .iter()
            .find(|c| c.feature == "reading_score")
            .unwrap();
        assert_eq!(reading.value, 0.0, "{name}");
    }
}

#[test]
fn a_tree_split_on_one_feature_gives_that_feature_the_whole_difference() {
    // tree_ensemble.v1.json, lunch standard (the reference): only reading moves the output.
    let p = Predictor::from_json(&fixture("tree_ensemble.v1.json")).unwrap();
    let s = Student::new()
        .with("lunch", "standard")
        .with("reading_score", "55");
    let e = p.explain(&s, Missing::Reject).unwrap();
    assert_eq!(e.contributions[0].value, 0.0);
    assert!((e.contributions[1].value - (e.prediction - e.baseline)).abs() < 1e-12);
    assert_eq!(e.prediction - e.baseline, 27.0 - 42.0);
}
