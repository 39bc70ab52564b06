//! Scores live in their range: every prediction and both interval bounds, for extreme students
//! (every score 0, every score 100, every combination of categories), for every model kind's
//! fixture and every model of `assets/model.json`, each with the target's range 0–100 as a
//! 1.4 document carries it (`target_info`; the seed's information added where it is absent).
#![cfg(not(target_arch = "wasm32"))] // reads fixtures from disk

#[path = "common/seed.rs"]
mod seed;

use model::{Feature, Missing, Predictor, Student};
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const KINDS: [&str; 4] = [
    "linear.v1.json",
    "tree_ensemble.v1.json",
    "oblivious.v1.json",
    "knn.v1.json",
];

/// Every combination of categories, with every score at `score`.
fn extreme_students(p: &Predictor, score: &str) -> Vec<Student> {
    let mut students = vec![Student::new()];
    for feature in p.features() {
        students = match feature {
            Feature::Numeric { name, .. } => students
                .into_iter()
                .map(|s| s.with(name.clone(), score))
                .collect(),
            Feature::Categorical {
                name, categories, ..
            } => students
                .into_iter()
                .flat_map(|s| {
                    categories
                        .iter()
                        .map(move |c| s.clone().with(name.clone(), c))
                })
                .collect(),
        };
    }
    students
}

/// The checks every surface relies on, for one predictor; returns how many estimates were
/// beyond the range.
fn assert_within_range(p: &Predictor, what: &str) -> usize {
    let (min, max) = p.target_range().expect("a score target has a range");
    assert_eq!((min, max), (0.0, 100.0), "{what}");
    let mut beyond = 0;
    for score in ["0", "100"] {
        for s in extreme_students(p, score) {
            let e = p.estimate(&s, Missing::Reject).unwrap();
            assert!((min..=max).contains(&e.value), "{what} {s:?}: {e:?}");
            assert_eq!(e.value, e.raw.clamp(min, max), "{what} {s:?}");
            assert_eq!(e.beyond_range(), !(min..=max).contains(&e.raw));
            beyond += usize::from(e.beyond_range());
            match (e.low, e.high, &p.bundle().interval) {
                (Some(low), Some(high), Some(i)) => {
                    assert!(min <= low && low <= e.value && e.value <= high && high <= max);
                    assert_eq!(low, (e.value - i.half_width).max(min), "{what}");
                    assert_eq!(high, (e.value + i.half_width).min(max), "{what}");
                }
                (None, None, None) => {}
                other => panic!("{what}: interval {other:?}"),
            }
            // predict and predict_with give the limited value; explanations the raw one.
            assert_eq!(p.predict(&s).unwrap(), e.value);
            assert_eq!(p.predict_with(&s, Missing::Impute).unwrap(), e.value);
            let x = p.explain(&s, Missing::Reject).unwrap();
            assert!((x.prediction - e.raw).abs() < 1e-9, "{what}");
        }
    }
    beyond
}

#[test]
fn every_fixture_limits_extreme_students_to_0_to_100() {
    for name in KINDS {
        let p = seed::predictor(&fixture(name).to_string());
        assert_within_range(&p, name);
        // Without the target's information nothing is limited.
        let bare = Predictor::from_json(&fixture(name).to_string()).unwrap();
        assert_eq!(bare.target_range(), None);
        assert_eq!(bare.limit(1e6), 1e6);
    }
}

#[test]
fn a_raw_estimate_beyond_the_range_is_limited_with_its_interval_and_says_so() {
    for (intercept, limit) in [(150.0, 100.0), (-40.0, 0.0)] {
        let mut doc = fixture("linear.v1.json");
        doc["model"]["intercept"] = json!(intercept);
        doc["interval"] =
            json!({"level": 0.9, "half_width": 9.0, "n_calibration": 8, "test_coverage": 0.9});
        let p = seed::predictor(&doc.to_string());
        let s = Student::new()
            .with("gender", "male")
            .with("reading_score", "66");
        let e = p.estimate(&s, Missing::Reject).unwrap();
        assert_eq!(e.raw, intercept + 3.0);
        assert_eq!(e.value, limit);
        assert!(e.beyond_range());
        let expected = if limit == 100.0 {
            (91.0, 100.0)
        } else {
            (0.0, 9.0)
        };
        assert_eq!((e.low, e.high), (Some(expected.0), Some(expected.1)));
        assert!(assert_within_range(&p, "shifted linear") > 0);
        // The batch table and download give the same three numbers.
        #[cfg(feature = "batch")]
        {
            let batch = p.predict_csv(b"gender,reading_score\nmale,66\n").unwrap();
            assert_eq!(batch.rows[0].outcome, Ok(e));
            let line = format!("male,66,{limit},{},{},,", expected.0, expected.1);
            assert_eq!(batch.to_csv().lines().nth(1), Some(line.as_str()));
        }
    }
}

#[test]
fn every_model_of_the_served_set_limits_extreme_students_to_0_to_100() {
    let set = seed::served();
    let mut models = 0;
    for p in set.iter() {
        assert_within_range(
            p,
            &format!("{} without {:?}", p.bundle().target, p.bundle().excluded),
        );
        models += 1;
    }
    assert_eq!(models, 6);
}
