//! model.json as a set of bundles: lookups by target and excluded columns, and refusals.
#![cfg(not(target_arch = "wasm32"))] // reads fixtures from disk

use model::{FormatError, Predictors};
use serde_json::{json, Value};

fn bundle(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn set(bundles: Vec<Value>, default_target: &str) -> String {
    json!({
        "format": "student-score-model-set",
        "format_version": { "major": 1, "minor": 0 },
        "default_target": default_target,
        "bundles": bundles,
    })
    .to_string()
}

/// linear.v1.json without its gender feature: the variant that excludes it.
fn without_gender() -> Value {
    let mut b = bundle("linear.v1.json");
    b["features"] = json!([b["features"][1].clone()]);
    b["preprocessor"]["steps"] = json!([b["preprocessor"]["steps"][1].clone()]);
    b["model"]["coefficients"] = json!([10.0]);
    b["excluded"] = json!(["gender"]);
    b
}

#[test]
fn bundles_are_found_by_target_and_excluded_columns() {
    let mut reading = bundle("tree_ensemble.v1.json");
    reading["target"] = json!("writing_score");
    let doc = set(
        vec![bundle("linear.v1.json"), without_gender(), reading],
        "math_score",
    );
    let s = Predictors::from_json(&doc).unwrap();
    assert_eq!(s.default_target(), "math_score");
    assert_eq!(s.targets(), ["math_score", "writing_score"]);
    assert_eq!(s.full("math_score").unwrap().features().len(), 2);
    let unaware = s.get("math_score", &["gender"]).unwrap();
    assert_eq!(unaware.features().len(), 1);
    // Exactly the excluded columns: neither fewer nor more.
    assert!(s.get("math_score", &["gender", "lunch"]).is_none());
    assert!(s.get("writing_score", &["gender"]).is_none());
    assert!(s.full("reading_score").is_none());
}

#[test]
fn a_single_bundle_reads_as_a_set_of_one() {
    let s = Predictors::from_json(&bundle("knn.v1.json").to_string()).unwrap();
    assert_eq!(s.iter().count(), 1);
    assert_eq!(s.default_target(), "math_score");
}

#[test]
fn broken_sets_are_refused() {
    let refusal = |doc: String| Predictors::from_json(&doc).unwrap_err().to_string();
    assert_eq!(
        refusal(set(
            vec![bundle("linear.v1.json"), bundle("knn.v1.json")],
            "math_score"
        )),
        "bundles[1]: repeats target \"math_score\" without []"
    );
    assert_eq!(
        refusal(set(vec![without_gender()], "math_score")),
        "default_target: \"math_score\" has no full model in the set"
    );
    assert_eq!(refusal(set(vec![], "math_score")), "bundles: is empty");
    let mut bad = bundle("linear.v1.json");
    bad["model"]["coefficients"] = json!([1.0]);
    assert_eq!(
        refusal(set(vec![bad], "math_score")),
        "bundles[0].model.coefficients: has 1 entries for 3 encoded columns"
    );
    let mut excluded_feature = bundle("linear.v1.json");
    excluded_feature["excluded"] = json!(["gender"]);
    assert!(refusal(set(vec![excluded_feature], "math_score"))
        .contains("\"gender\" is excluded but is a feature"));
    let mut future =
        serde_json::from_str::<Value>(&set(vec![bundle("linear.v1.json")], "math_score")).unwrap();
    future["format_version"]["major"] = json!(2);
    assert!(matches!(
        Predictors::from_json(&future.to_string()).unwrap_err(),
        FormatError::UnsupportedVersion { found_major: 2, .. }
    ));
}

#[test]
fn excluded_columns_match_in_any_order_and_only_exactly() {
    let mut both = without_gender();
    both["excluded"] = json!(["race_ethnicity", "gender"]);
    let s =
        Predictors::from_json(&set(vec![bundle("linear.v1.json"), both], "math_score")).unwrap();
    assert!(s.get("math_score", &["gender", "race_ethnicity"]).is_some());
    assert!(s.get("math_score", &["race_ethnicity", "gender"]).is_some());
    assert!(s.get("math_score", &["gender"]).is_none());
    assert!(s.get("math_score", &["gender", "lunch"]).is_none());
}
