//! The reader refuses documents it cannot evaluate safely, naming what is wrong.
#![cfg(not(target_arch = "wasm32"))] // reads fixtures from disk

use model::{FormatError, Predictor};
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn refusal(doc: &Value) -> String {
    match Predictor::from_json(&doc.to_string()) {
        Ok(_) => panic!("accepted {doc}"),
        Err(e) => chain(&e),
    }
}

/// The message and every cause, as `{:#}` of anyhow prints them: each cause once.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        assert!(!text.contains(&s.to_string()), "{text:?} repeats {s}");
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

fn edited(name: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut doc = fixture(name);
    edit(&mut doc);
    doc
}

#[test]
fn another_major_version_is_refused_and_a_newer_minor_is_read() {
    let doc = edited("linear.v1.json", |d| {
        d["format_version"]["major"] = json!(2)
    });
    let err = Predictor::from_json(&doc.to_string()).unwrap_err();
    assert!(matches!(
        err,
        FormatError::UnsupportedVersion { found_major: 2, .. }
    ));
    assert!(err.to_string().contains("2.0 is not supported"));

    // A newer minor may add fields this reader does not know; it still reads the document.
    let doc = edited("linear.v1.json", |d| {
        d["format_version"]["minor"] = json!(7);
        d["a_field_from_the_future"] = json!({"x": 1});
    });
    assert!(Predictor::from_json(&doc.to_string()).is_ok());
}

#[test]
fn another_format_is_refused() {
    let doc = edited("linear.v1.json", |d| d["format"] = json!("onnx"));
    assert!(refusal(&doc).contains("\"onnx\""));
}

#[test]
fn non_finite_and_null_numbers_are_refused() {
    // serde_json writes NaN as null; reading it back must fail, not yield a NaN.
    let doc = edited("linear.v1.json", |d| d["model"]["intercept"] = Value::Null);
    assert!(refusal(&doc).contains("null"));
    let text = fixture("linear.v1.json")
        .to_string()
        .replace("\"intercept\":60.0", "\"intercept\":1e999");
    assert!(text.contains("1e999"));
    assert!(Predictor::from_json(&text).is_err());
}

#[test]
fn inconsistent_arrays_are_refused_with_their_path() {
    type Edit = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "linear.v1.json",
            Box::new(|d| d["model"]["coefficients"] = json!([1.0, 2.0])),
            "model.coefficients: has 2 entries for 3 encoded columns",
        ),
        (
            "tree_ensemble.v1.json",
            Box::new(|d| d["model"]["trees"][0]["left"][2] = json!(9)),
            "model.trees[0].left[2]: child 9 of node 2 is out of range 3..5",
        ),
        (
            "tree_ensemble.v1.json",
            Box::new(|d| d["model"]["trees"][0]["right"][2] = json!(1)),
            "model.trees[0].right[2]: child 1 of node 2 is out of range 3..5",
        ),
        (
            "tree_ensemble.v1.json",
            Box::new(|d| d["model"]["trees"][1]["feature"][0] = json!(3)),
            "model.trees[1].feature[0]: feature 3 is out of range 0..3",
        ),
        (
            "tree_ensemble.v1.json",
            Box::new(|d| d["model"]["trees"][1]["threshold"] = json!([0.5])),
            "model.trees[1].threshold: has 1 entries, value has 3",
        ),
        (
            "tree_ensemble.v1.json",
            Box::new(|d| d["model"]["trees"][1]["right"][0] = json!(-1)),
            "model.trees[1].left[0]: node 0 has only one child (1, -1)",
        ),
        (
            "tree_ensemble.v1.json",
            Box::new(|d| d["model"]["trees"] = json!([])),
            "model.trees: is empty",
        ),
        (
            "tree_ensemble.v1.json",
            Box::new(|d| {
                d["model"]["aggregation"] = json!({"kind": "weighted_median", "weights": [1.0]})
            }),
            "model.aggregation.weights: has 1 weights for 2 trees",
        ),
        (
            "linear.v1.json",
            Box::new(|d| d["preprocessor"]["steps"][1]["scale"] = json!(0.0)),
            "preprocessor.steps[1].scale: 0 is not positive",
        ),
        (
            "linear.v1.json",
            Box::new(|d| d["preprocessor"]["steps"][1]["scale"] = json!(-2.5)),
            "preprocessor.steps[1].scale: \u{2212}2.5 is not positive",
        ),
        (
            "linear.v1.json",
            Box::new(|d| d["preprocessor"]["steps"][0]["impute"] = json!("other")),
            "preprocessor.steps[0].impute: \"other\" is not a category of \"gender\"",
        ),
        (
            "linear.v1.json",
            Box::new(|d| {
                d["preprocessor"]["steps"] = json!([{"kind": "one_hot", "impute": "male"}])
            }),
            "preprocessor.steps: has 1 steps for 2 features",
        ),
        (
            "linear.v1.json",
            Box::new(|d| d["features"][1]["name"] = json!("gender")),
            "features[1]: repeats the name \"gender\"",
        ),
        (
            "linear.v1.json",
            Box::new(|d| d["features"][0]["categories"] = json!(["female", "female"])),
            "features[0].categories[1]: repeats \"female\"",
        ),
        (
            "linear.v1.json",
            Box::new(|d| d["features"][1]["name"] = json!("math_score")),
            "features[1]: is the target itself",
        ),
        (
            "oblivious.v1.json",
            Box::new(|d| d["model"]["trees"][0]["values"] = json!([1.0, 2.0, 3.0])),
            "model.trees[0].values: has 3 entries, depth 2 needs 4",
        ),
        (
            "oblivious.v1.json",
            Box::new(|d| d["model"]["trees"][1]["features"] = json!([5])),
            "model.trees[1].features[0]: feature 5 is out of range 0..3",
        ),
        (
            "oblivious.v1.json",
            Box::new(|d| d["model"]["trees"][1]["thresholds"] = json!([])),
            "model.trees[1].thresholds: has 0 entries for depth 1",
        ),
        (
            "knn.v1.json",
            Box::new(|d| d["model"]["k"] = json!(5)),
            "model.k: 5 is not between 1 and the 4 points",
        ),
        (
            "knn.v1.json",
            Box::new(|d| d["model"]["points"][2] = json!([1.0, 2.0])),
            "model.points[2]: has 2 entries for 1 encoded columns",
        ),
        (
            "knn.v1.json",
            Box::new(|d| d["model"]["targets"] = json!([1.0])),
            "model.targets: has 1 entries for 4 points",
        ),
    ];
    for (name, edit, expected) in cases {
        let doc = edited(name, edit);
        assert_eq!(refusal(&doc), expected);
    }
}

#[test]
fn a_step_of_the_wrong_kind_is_refused() {
    let doc =
        edited(
            "linear.v1.json",
            |d| {
                d["preprocessor"]["steps"][0] =
                    json!({"kind": "standardize", "impute": 1.0, "mean": 0.0, "scale": 1.0})
            },
        );
    assert_eq!(
        refusal(&doc),
        "preprocessor.steps[0]: does not fit the kind of feature \"gender\""
    );
}
