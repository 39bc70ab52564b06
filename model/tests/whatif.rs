//! What-if curves and the goal search (`model::whatif`) for every model the app serves and
//! every model kind of the fixtures (with the seed's information: labels, the course and the
//! scores actionable), against the form's own predictions; and bundles of other shapes: no
//! actionable field, a number that helps by going down, a fine step, many actionable fields.
#![cfg(not(target_arch = "wasm32"))] // reads the models from disk

#[path = "common/whatif.rs"]
mod check;
#[path = "common/seed.rs"]
mod seed;

use model::whatif::{curve, grid, what_it_takes, Goal, GoalError, MAX_GRID};
use model::{Feature, Model, Predictor, Student};
use seed::{fixture, served, COURSE};
use serde_json::json;

/// The typical student and a few others: low and high scores, a fractional one, the course
/// completed.
fn students(predictor: &Predictor) -> Vec<Student> {
    let reference = predictor.reference_student();
    let mut out = vec![reference.clone()];
    for (score, course) in [
        ("35", "none"),
        ("88", "none"),
        ("61.5", "completed"),
        ("99", "none"),
    ] {
        let mut s = reference.clone();
        for f in predictor.features() {
            match f {
                Feature::Numeric { name, .. } => s.set(name.as_str(), score),
                Feature::Categorical { name, .. } if name == COURSE => s.set(name.as_str(), course),
                _ => {}
            }
        }
        out.push(s);
    }
    out
}

#[test]
fn every_served_model_s_curves_are_its_predictions_and_lines() {
    for predictor in served().iter() {
        assert!(matches!(predictor.bundle().model, Model::Linear { .. }));
        for student in students(predictor) {
            check::check_curves(predictor, &student);
        }
    }
}

#[test]
fn every_served_model_s_suggestions_reach_the_goal_and_nothing_smaller_does() {
    let mut kinds = [0usize; 3];
    for predictor in served().iter() {
        // Three students of five: the brute force makes 2 × 101 × 101 predictions per student.
        for student in students(predictor).into_iter().step_by(2) {
            for answer in check::check_goals(predictor, &student) {
                match answer {
                    Goal::Reached { .. } => kinds[0] += 1,
                    Goal::Reachable { .. } => kinds[1] += 1,
                    Goal::Unreachable { .. } => kinds[2] += 1,
                    Goal::NothingToChange { .. } => panic!("the seed has actionable fields"),
                }
            }
        }
    }
    // Every kind of answer was checked.
    assert!(kinds.iter().all(|&n| n > 0), "{kinds:?}");
}

#[test]
fn a_linear_model_s_one_score_change_is_the_closed_form() {
    // The prediction is linear in each score: raising it by d adds d · gain, so the smallest
    // whole raise reaching the goal is ⌈need / gain⌉.
    for predictor in served().iter() {
        let student = predictor.reference_student().with(COURSE, "completed");
        let now = check::shown(predictor, &student);
        for goal in [now + 1.0, now + 4.2, now + 9.9] {
            let Ok(Goal::Reachable { suggestions, .. }) = what_it_takes(predictor, &student, goal)
            else {
                panic!("{goal} is reachable");
            };
            let singles: Vec<_> = suggestions
                .iter()
                .filter(|s| s.changes.len() == 1 && s.changes[0].field != COURSE)
                .collect();
            assert!(!singles.is_empty());
            for s in singles {
                let c = &s.changes[0];
                let from: f64 = student.get(&c.field).unwrap().parse().unwrap();
                let points = curve(predictor, &student, &c.field).unwrap();
                let gain = points[1].1.raw - points[0].1.raw;
                let raw_now = points[from as usize].1.raw;
                let d = ((goal - raw_now) / gain).ceil();
                // Float rounding of the closed form's division may land one short or over.
                assert!((c.points - d).abs() <= 1.0, "{s}: closed form {d}");
                let short = student
                    .clone()
                    .with(c.field.as_str(), (from + c.points - 1.0).to_string());
                assert!(check::shown(predictor, &short) < goal, "{s}");
            }
        }
    }
}

#[test]
fn every_kind_of_fixture_model_is_searched_exactly() {
    for name in [
        "linear.v1.json",
        "tree_ensemble.v1.json",
        "oblivious.v1.json",
        "knn.v1.json",
    ] {
        let predictor = fixture(name);
        assert!(predictor.features().iter().any(|f| f.info().actionable));
        for student in students(&predictor) {
            check::check_curves(&predictor, &student);
            check::check_goals(&predictor, &student);
        }
    }
}

#[test]
fn suggestions_read_as_sentences() {
    let predictors = served();
    // Writing: completing the course adds about 3.5 points (for math the served model takes
    // points away: with writing known, the course says little more).
    let writing = predictors.full("writing_score").unwrap();
    let student = writing
        .reference_student()
        .with(COURSE, "none")
        .with("reading_score", "74")
        .with("math_score", "72");
    let now = check::shown(writing, &student);
    let Goal::Reachable { suggestions, .. } = check::check_goal(writing, &student, now + 8.0)
    else {
        panic!("reachable");
    };
    let text: Vec<String> = suggestions.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t
                .starts_with("change test preparation course from none to completed and raise ")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .all(|t| !t.contains("gender") && !t.contains("lunch")),
        "{text:?}"
    );
    let one = text
        .iter()
        .find(|t| t.starts_with("raise reading score by "))
        .expect("one score");
    assert!(one.contains("(74 → "), "{one}");
    assert!(
        one.contains(" points (74 → ") || one.contains(" by 1 point (74 → "),
        "{one}"
    );
}

#[test]
fn goals_beyond_the_range_and_invalid_students_are_errors_not_answers() {
    let predictors = served();
    let math = predictors.full("math_score").unwrap();
    let student = math.reference_student();
    for goal in [-1.0, 100.5, f64::NAN, f64::INFINITY] {
        assert_eq!(
            what_it_takes(math, &student, goal),
            Err(GoalError::OutOfRange {
                min: 0.0,
                max: 100.0
            }),
            "{goal}"
        );
    }
    let bad = student.clone().with("reading_score", "abc");
    assert!(matches!(
        what_it_takes(math, &bad, 90.0),
        Err(GoalError::Input(_))
    ));
    // A curve does not read its own field: a bad reading score still has a reading curve, but
    // not a writing one.
    assert_eq!(curve(math, &bad, "reading_score").unwrap().len(), 101);
    assert!(curve(math, &bad, "writing_score").is_err());
    assert!(curve(math, &student, "gender").unwrap().is_empty());
    assert!(curve(math, &student, "shoe_size").unwrap().is_empty());
}

#[test]
fn a_student_with_every_number_at_its_maximum_cannot_raise_a_model_that_rises_with_them() {
    let predictors = served();
    let math = predictors.full("math_score").unwrap();
    // The scores alone actionable: the served model rises with both.
    let mut bundle = math.bundle().clone();
    for f in &mut bundle.features {
        if f.name() == COURSE {
            let mut info = f.info().clone();
            info.actionable = false;
            *f = f.clone().with_info(info);
        }
    }
    let math = Predictor::new(bundle).unwrap();
    let student = math
        .reference_student()
        .with("reading_score", "100")
        .with("writing_score", "100");
    let now = check::shown(&math, &student);
    assert!(now < 100.0);
    let Goal::Unreachable { best, .. } = check::check_goal(&math, &student, 100.0) else {
        panic!("nothing raises it");
    };
    assert!(best.changes.is_empty());
    assert_eq!(best.to_string(), "change nothing");
}

/// A linear bundle over `features` (JSON), each standardized with mean 0 and scale 1 or
/// one-hot, with `coefficients`, a target of 0 to 20 and `extra` fields merged in.
fn bundle(
    features: serde_json::Value,
    coefficients: Vec<f64>,
    extra: serde_json::Value,
) -> Predictor {
    let steps: Vec<serde_json::Value> = features
        .as_array()
        .unwrap()
        .iter()
        .map(|f| match f["kind"].as_str().unwrap() {
            "numeric" => {
                json!({"kind": "standardize", "impute": f["min"], "mean": 0.0, "scale": 1.0})
            }
            _ => json!({"kind": "one_hot", "impute": f["categories"][0]}),
        })
        .collect();
    let mut doc = json!({
        "format": "student-score-model",
        "format_version": {"major": 1, "minor": 4},
        "target": "final_grade",
        "target_info": {"label": "Final grade", "min": 0.0, "max": 20.0, "step": 1.0},
        "features": features,
        "preprocessor": {"steps": steps},
        "model": {"kind": "linear", "intercept": 10.0, "coefficients": coefficients},
        "metrics": {
            "family": "linear_regression", "params": {}, "cv_folds": 5, "cv_r2_mean": 0.5,
            "cv_r2_std": 0.1, "test_r2": 0.5, "test_mae": 2.0, "test_rmse": 3.0,
            "n_train": 100, "n_test": 20
        }
    });
    for (k, v) in extra.as_object().unwrap() {
        doc[k] = v.clone();
    }
    Predictor::from_json(&doc.to_string()).unwrap()
}

#[test]
fn a_model_without_actionable_fields_has_nothing_to_suggest() {
    let p = bundle(
        json!([{"kind": "numeric", "name": "absences", "min": 0.0, "max": 93.0}]),
        vec![-0.1],
        json!({}),
    );
    let student = Student::new().with("absences", "10");
    assert_eq!(check::shown(&p, &student), 9.0);
    let Goal::NothingToChange { now } = check::check_goal(&p, &student, 15.0) else {
        panic!("nothing to change");
    };
    assert_eq!(now.value, 9.0);
    assert!(matches!(
        check::check_goal(&p, &student, 5.0),
        Goal::Reached { .. }
    ));
    // The curve runs over any number all the same.
    assert_eq!(curve(&p, &student, "absences").unwrap().len(), 94);
}

#[test]
fn a_number_that_helps_by_going_down_is_lowered_and_a_category_changes_to_any_other() {
    let p = bundle(
        json!([
            {"kind": "numeric", "name": "absences", "min": 0.0, "max": 93.0, "label": "Absences",
             "unit": "days", "actionable": true},
            {"kind": "categorical", "name": "studytime", "categories": ["1", "2", "3", "4"],
             "label": "Weekly study time", "actionable": true,
             "category_labels": ["under 2 hours", "2 to 5 hours", "5 to 10 hours", "over 10 hours"]},
            {"kind": "categorical", "name": "sex", "categories": ["F", "M"], "sensitive": true}
        ]),
        vec![-0.25, 0.0, 1.0, 2.0, 3.0, 0.0, 0.0],
        json!({}),
    );
    let student = Student::new()
        .with("absences", "12")
        .with("studytime", "1")
        .with("sex", "M");
    assert_eq!(check::shown(&p, &student), 7.0);
    let Goal::Reachable { suggestions, .. } = check::check_goal(&p, &student, 9.5) else {
        panic!("reachable");
    };
    let text: Vec<String> = suggestions.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "change weekly study time from under 2 hours to over 10 hours",
            "lower absences by 10 days (12 → 2)",
        ]
    );
    let Goal::Reachable { suggestions, .. } = check::check_goal(&p, &student, 10.25) else {
        panic!("reachable");
    };
    assert_eq!(
        suggestions[0].to_string(),
        "lower absences by 1 day (12 → 11) and change weekly study time from under 2 hours to \
         over 10 hours"
    );
    // Nothing reaches 20: the most is no absences and the most study.
    let Goal::Unreachable { best, .. } = check::check_goal(&p, &student, 20.0) else {
        panic!("unreachable");
    };
    assert_eq!(best.estimate.value, 13.0);
    assert_eq!(
        best.to_string(),
        "lower absences by 12 days (12 → 0) and change weekly study time from under 2 hours to \
         over 10 hours"
    );
    assert!(suggestions
        .iter()
        .all(|s| s.changes.iter().all(|c| c.field != "sex")));
}

#[test]
fn a_fine_step_makes_a_finer_grid_and_a_huge_one_is_thinned() {
    assert_eq!(grid(0.0, 2.0, Some(0.5)), [0.0, 0.5, 1.0, 1.5, 2.0]);
    assert_eq!(grid(0.0, 0.3, Some(0.1)), [0.0, 0.1, 0.2, 0.3]);
    assert_eq!(grid(1.0, 5.0, None), [1.0, 2.0, 3.0, 4.0, 5.0]);
    let fine = grid(0.0, 1e6, Some(0.001));
    assert!(
        fine.len() <= MAX_GRID && fine.len() > MAX_GRID / 2,
        "{}",
        fine.len()
    );
    assert_eq!(fine[0], 0.0);
    assert!(fine.windows(2).all(|w| w[0] < w[1]));
    let p = bundle(
        json!([{"kind": "numeric", "name": "gpa", "min": 0.0, "max": 4.0, "step": 0.1,
                "label": "GPA", "actionable": true}]),
        vec![2.0],
        json!({}),
    );
    let student = Student::new().with("gpa", "2.5");
    assert_eq!(curve(&p, &student, "gpa").unwrap().len(), 41);
    let Goal::Reachable { suggestions, .. } = check::check_goal(&p, &student, 15.5) else {
        panic!("reachable");
    };
    assert_eq!(suggestions[0].to_string(), "raise gpa by 0.3 (2.5 → 2.8)");
}

#[test]
fn ten_actionable_numbers_are_searched_within_the_budget() {
    let features: Vec<serde_json::Value> = (0..10)
        .map(|i| {
            json!({"kind": "numeric", "name": format!("x{i}"), "min": 0.0, "max": 93.0,
                   "actionable": true})
        })
        .collect();
    let coefficients: Vec<f64> = (0..10).map(|i| 0.001 * (i + 1) as f64).collect();
    let p = bundle(json!(features), coefficients, json!({}));
    let student: Student = (0..10)
        .map(|i| (format!("x{i}"), "40".to_owned()))
        .collect();
    let now = check::shown(&p, &student);
    let started = std::time::Instant::now();
    // Raising x9 alone reaches now + 0.5; now + 1.5 needs more than two fields, beyond the
    // bounded search.
    for goal in [now + 0.5, now + 0.8, now + 1.5, 20.0] {
        match what_it_takes(&p, &student, goal).unwrap() {
            Goal::Reachable { suggestions, .. } => {
                for s in &suggestions {
                    assert!(s.changes.len() <= 2, "{s}");
                    let mut changed = student.clone();
                    for c in &s.changes {
                        changed.set(c.field.as_str(), c.to.as_str());
                    }
                    assert!(check::shown(&p, &changed) >= goal, "{s}");
                }
                if goal == now + 0.5 {
                    // One field: the exact smallest, the one that gains the most per point.
                    assert_eq!(suggestions[0].to_string(), "raise x9 by 50 (40 → 90)");
                } else {
                    assert_eq!(suggestions[0].changes.len(), 2);
                }
            }
            Goal::Unreachable { best, .. } => {
                assert!(goal > now + 1.0 && best.estimate.value < goal);
                assert!(best.changes.len() <= 2);
            }
            other => panic!("{goal}: {other:?}"),
        }
    }
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
