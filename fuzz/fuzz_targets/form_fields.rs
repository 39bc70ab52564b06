#![no_main]
//! The form's value parsing: arbitrary texts in the form's fields, for every model of the
//! committed `assets/model.json`. `predict_with(.., Missing::Reject)` and `explain` never
//! panic, agree on whether the student is valid, and any value they return is finite.
//!
//! Input: UTF-8 text, one field value a line, in the dataset's column order (gender,
//! race_ethnicity, parental_level_of_education, lunch, test_preparation_course, math_score,
//! reading_score, writing_score); absent lines are fields left empty.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use model::fields::{CATEGORICAL_FIELDS, SCORE_FIELDS};
use model::{Missing, Predictors, Student};

static SET: LazyLock<Predictors> = LazyLock::new(|| {
    Predictors::from_json(include_str!("../../assets/model.json")).expect("assets/model.json")
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let names = CATEGORICAL_FIELDS.iter().chain(&SCORE_FIELDS);
    let student: Student = names.zip(text.split('\n')).map(|(n, v)| (*n, v)).collect();
    for p in SET.iter() {
        let value = p.predict_with(&student, Missing::Reject);
        let explained = p.explain(&student, Missing::Reject);
        match (&value, &explained) {
            (Ok(v), Ok(e)) => {
                assert!(v.is_finite(), "prediction {v}");
                // Explanations explain the model's own estimate, before the 0–100 limit.
                let estimate = p.estimate(&student, Missing::Reject).expect("predicted");
                assert_eq!(estimate.value, *v);
                assert_eq!(e.prediction, estimate.raw, "the explanation explains the estimate");
                assert!(e.baseline.is_finite());
                for c in &e.contributions {
                    assert!(c.value.is_finite(), "{}: {}", c.feature, c.value);
                }
            }
            (Err(a), Err(b)) => {
                assert_eq!(a, b);
                for f in &a.errors {
                    assert!(!f.to_string().is_empty());
                }
            }
            _ => panic!("predict_with and explain disagree: {value:?} / {explained:?}"),
        }
    }
});
