#![no_main]
//! The form's value parsing: arbitrary texts in the form's fields, for every model of the
//! committed `assets/model.json`. `predict_with(.., Missing::Reject)` and `explain` never
//! panic, agree on whether the student is valid, and any value they return is finite.
//!
//! Input: UTF-8 text, one field value a line, in the order the set's models first name their
//! features (for the seed dataset: gender, race_ethnicity, parental_level_of_education, lunch,
//! test_preparation_course, reading_score, writing_score, math_score); absent lines are fields
//! left empty.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use model::{Missing, Predictors, Student};

static SET: LazyLock<Predictors> = LazyLock::new(|| {
    Predictors::from_json(include_str!("../../assets/model.json")).expect("assets/model.json")
});

/// Every feature name of every model, in the order the models first name them.
static NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut names: Vec<String> = Vec::new();
    for f in SET.iter().flat_map(|p| p.features()) {
        if !names.iter().any(|n| n == f.name()) {
            names.push(f.name().to_owned());
        }
    }
    names
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let student: Student = NAMES
        .iter()
        .zip(text.split('\n'))
        .map(|(n, v)| (n.as_str(), v))
        .collect();
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
