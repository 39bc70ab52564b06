//! Golden files pin the format: hand-made v1 bundles and outputs computed by hand.
#![cfg(not(target_arch = "wasm32"))] // reads fixtures from disk

use model::{FieldInfo, Missing, Predictor, Problem, Student};
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
        "linear.v1_4.json",
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
    // The 1.4 fixture: the v1 linear model with its features' labels.
    let p = Predictor::from_json(&fixture("linear.v1_4.json")).unwrap();
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
    // A document without labels names its fields by their names.
    let p = Predictor::from_json(&fixture("linear.v1.json")).unwrap();
    let err = p
        .predict(&Student::new().with("reading_score", "150"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "reading_score: 150 is not between 0 and 100"
    );
}

#[test]
fn a_document_before_1_4_reads_with_no_information_and_no_limit() {
    let old = Predictor::from_json(&fixture("linear.v1.json")).unwrap();
    assert_eq!(old.bundle().format_version.minor, 0);
    assert!(old
        .features()
        .iter()
        .all(|f| f.info() == &FieldInfo::default() && f.label() == f.name()));
    assert_eq!(old.bundle().target_info, None);
    assert_eq!(old.target_range(), None);
    assert_eq!(old.target_label(), "math_score");
    // A 1.3 document (the interval and `excluded` known, no information yet) alike; nothing is
    // limited: with an intercept of 90, 90 + 3 + 10 · (100 − 66) / 14 is beyond 100 and stays so.
    let mut doc: serde_json::Value = serde_json::from_str(&fixture("linear.v1.json")).unwrap();
    doc["format_version"]["minor"] = 3.into();
    doc["excluded"] = serde_json::json!(["race_ethnicity"]);
    doc["model"]["intercept"] = 90.0.into();
    let v13 = Predictor::from_json(&doc.to_string()).unwrap();
    assert_eq!(v13.target_range(), None);
    let student = Student::new()
        .with("gender", "male")
        .with("reading_score", "100");
    let e = v13.estimate(&student, Missing::Reject).unwrap();
    assert_eq!(e.value, 93.0 + 340.0 / 14.0);
    assert!(e.value > 100.0 && !e.beyond_range());

    // The 1.4 fixture: the same model, its information read, its predictions limited to 0–100.
    let new = Predictor::from_json(&fixture("linear.v1_4.json")).unwrap();
    assert_eq!(new.target_range(), Some((0.0, 100.0)));
    assert_eq!(new.target_label(), "Math score");
    let labels: Vec<&str> = new.features().iter().map(|f| f.label()).collect();
    assert_eq!(labels, ["Gender", "Reading score"]);
    let reading = new.feature("reading_score").unwrap().info();
    assert!(reading.actionable && !reading.sensitive);
    assert_eq!(
        (
            reading.unit.as_deref(),
            reading.step,
            reading.group.as_deref()
        ),
        (Some("points"), Some(1.0), Some("Scores"))
    );
    assert_eq!(
        new.feature("gender").unwrap().info().category_labels,
        ["Female", "Male"]
    );
    let mut doc: serde_json::Value = serde_json::from_str(&fixture("linear.v1_4.json")).unwrap();
    doc["model"]["intercept"] = 90.0.into();
    let shifted = Predictor::from_json(&doc.to_string()).unwrap();
    let e = shifted.estimate(&student, Missing::Reject).unwrap();
    assert_eq!((e.value, e.raw), (100.0, 93.0 + 340.0 / 14.0));
    assert!(e.beyond_range());
    for s in [Student::new(), Student::new().with("gender", "male")] {
        assert_eq!(new.predict(&s).unwrap(), old.predict(&s).unwrap());
    }
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
