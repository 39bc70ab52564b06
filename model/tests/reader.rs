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

#[test]
fn reading_information_that_contradicts_the_model_is_refused_with_its_path() {
    type Edit = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|d| {
                d["features"][1]["levels"] =
                    json!([{"value": 0.0, "label": "none"}, {"value": 120.0, "label": "all"}])
            }),
            "features[1].levels[1].value: 120 is not between 0 and 100",
        ),
        (
            Box::new(|d| d["features"][0]["levels"] = json!([{"value": 0.0, "label": "none"}])),
            "features[0].levels: are for numeric features; a categorical one labels its \
             categories (category_labels)",
        ),
        (
            Box::new(|d| d["features"][1]["category_labels"] = json!(["low", "high"])),
            "features[1].category_labels: are for categorical features; a numeric one labels \
             its values (levels)",
        ),
        (
            Box::new(|d| d["features"][0]["category_labels"] = json!(["Female", "Male", "Other"])),
            "features[0].category_labels: has 3 labels for 2 categories",
        ),
        (
            Box::new(|d| d["features"][1]["step"] = json!(0.0)),
            "features[1].step: 0 is not positive",
        ),
        (
            Box::new(|d| d["features"][0]["step"] = json!(-1.0)),
            "features[0].step: \u{2212}1 is not positive",
        ),
        (
            Box::new(|d| d["target_info"]["min"] = json!(100.0)),
            "target_info: min 100 >= max 100",
        ),
        (
            Box::new(|d| d["target_info"]["max"] = json!(-5.0)),
            "target_info: min 0 >= max \u{2212}5",
        ),
        (
            Box::new(|d| d["target_info"]["step"] = json!(0.0)),
            "target_info.step: 0 is not positive",
        ),
        (
            Box::new(|d| d["features"][1]["name"] = json!("Math Score")),
            "features[1]: \"Math Score\" is named like the target \"math_score\"",
        ),
        (
            Box::new(|d| d["features"][1]["name"] = json!("math_score")),
            "features[1]: is the target itself",
        ),
        (
            Box::new(|d| d["excluded"] = json!(["reading_score"])),
            "excluded: \"reading_score\" is excluded but is a feature",
        ),
        (
            // A variant trained without some columns may not keep a sensitive one.
            Box::new(|d| d["excluded"] = json!(["race_ethnicity"])),
            "features[0].sensitive: \"gender\" is sensitive, in a model trained without \
             [\"race_ethnicity\"]",
        ),
    ];
    for (edit, expected) in cases {
        let doc = edited("linear.v1_4.json", edit);
        assert_eq!(refusal(&doc), expected);
    }
    // Without the sensitive mark, the variant is fine.
    let doc = edited("linear.v1_4.json", |d| {
        d["excluded"] = json!(["race_ethnicity"]);
        d["features"][0]["sensitive"] = json!(false);
    });
    assert!(Predictor::from_json(&doc.to_string()).is_ok());
    // Levels within the range, labels for every category: read.
    let doc = edited("linear.v1_4.json", |d| {
        d["features"][1]["levels"] = json!([{"value": 0.0, "label": "none"}]);
    });
    assert!(Predictor::from_json(&doc.to_string()).is_ok());
}

#[test]
fn non_finite_reading_information_is_refused() {
    let path = format!(
        "{}/tests/fixtures/linear.v1_4.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let bundle: model::ModelBundle =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    type Edit = Box<dyn Fn(&mut model::ModelBundle)>;
    let with_info = |i: usize, edit: Box<dyn Fn(&mut model::FieldInfo)>| -> Edit {
        Box::new(move |b: &mut model::ModelBundle| {
            let mut info = b.features[i].info().clone();
            edit(&mut info);
            b.features[i] = b.features[i].clone().with_info(info);
        })
    };
    let cases: Vec<(Edit, &str)> = vec![
        (
            with_info(
                1,
                Box::new(|info| {
                    info.levels = vec![model::Level {
                        value: f64::NAN,
                        label: "?".into(),
                    }]
                }),
            ),
            "features[1].levels[0].value: is not a finite number",
        ),
        (
            with_info(1, Box::new(|info| info.step = Some(f64::INFINITY))),
            "features[1].step: is not a finite number",
        ),
        (
            Box::new(|b| b.target_info.as_mut().unwrap().max = f64::INFINITY),
            "target_info.max: is not a finite number",
        ),
        (
            Box::new(|b| b.target_info.as_mut().unwrap().min = f64::NAN),
            "target_info.min: is not a finite number",
        ),
    ];
    for (edit, expected) in cases {
        let mut b = bundle.clone();
        edit(&mut b);
        let err = Predictor::new(b).unwrap_err();
        assert_eq!(err.to_string(), expected);
    }
}
