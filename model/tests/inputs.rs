//! Property tests: no input string makes the predictor panic or return a non-finite number.
#![cfg(not(target_arch = "wasm32"))] // reads fixtures from disk

use model::{Missing, Predictor, Student};
use proptest::prelude::*;

fn predictors() -> Vec<Predictor> {
    [
        "linear.v1.json",
        "tree_ensemble.v1.json",
        "oblivious.v1.json",
        "knn.v1.json",
    ]
    .iter()
    .map(|name| {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        Predictor::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    })
    .collect()
}

proptest! {
    #[test]
    fn arbitrary_fields_give_a_finite_score_or_field_errors(
        gender in ".*", lunch in ".*", reading in ".*",
        score in prop::num::f64::ANY,
    ) {
        for p in predictors() {
            for reading in [reading.clone(), score.to_string()] {
                let s = Student::new()
                    .with("gender", gender.clone())
                    .with("lunch", lunch.clone())
                    .with("reading_score", reading);
                for missing in [Missing::Impute, Missing::Reject] {
                    match p.predict_with(&s, missing) {
                        Ok(v) => prop_assert!(v.is_finite()),
                        Err(e) => prop_assert!(!e.errors.is_empty() && !e.to_string().is_empty()),
                    }
                }
            }
        }
    }

    #[test]
    fn arbitrary_documents_are_refused_without_panicking(doc in ".*") {
        let _ = Predictor::from_json(&doc);
    }
}
