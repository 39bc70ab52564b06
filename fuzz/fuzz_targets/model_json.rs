#![no_main]
//! The model-set reader on arbitrary bytes: `Predictors::from_json` and `Predictor::from_json`
//! either refuse the document with an error or hand back models that predict and explain
//! without panicking (the reader's promise: a model it accepts can be evaluated).

use libfuzzer_sys::fuzz_target;
use model::{Missing, Predictor, Predictors, Student};

/// Explanations cost `2^features` predictions by design (the reader allows 16 features); above
/// this many features the target skips them to keep its speed, the prediction is still made.
const EXPLAIN_UP_TO: usize = 8;

fn exercise(p: &Predictor) {
    let reference = p.reference_student();
    // Every field missing: the preprocessing's imputation values alone.
    let _ = p.predict(&Student::new());
    let _ = p.predict_with(&reference, Missing::Reject);
    if p.features().len() <= EXPLAIN_UP_TO {
        let _ = p.explain(&Student::new(), Missing::Impute);
        let _ = p.explain(&reference, Missing::Reject);
    }
}

fuzz_target!(|data: &[u8]| {
    let json = String::from_utf8_lossy(data);
    match Predictors::from_json(&json) {
        Ok(set) => {
            assert!(
                set.full(set.default_target()).is_some(),
                "an accepted set has a full model for its default target"
            );
            set.iter().for_each(exercise);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    match Predictor::from_json(&json) {
        Ok(p) => exercise(&p),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
