//! What-if curves and the goal search (`model::whatif`) for every model the app serves and
//! every model kind of the fixtures, against the form's own predictions.
#![cfg(not(target_arch = "wasm32"))] // reads the models from disk

#[path = "common/whatif.rs"]
mod check;

use model::whatif::{curve, what_it_takes, Goal, GoalError, COURSE};
use model::{Feature, Model, Predictor, Predictors, Student};

fn served() -> Predictors {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/model.json");
    Predictors::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn fixture(name: &str) -> Predictor {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    Predictor::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

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
                Feature::Categorical { name, .. } if name == COURSE.0 => {
                    s.set(name.as_str(), course)
                }
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
        for student in students(predictor) {
            for goal in check::goals(predictor, &student) {
                match check::check_goal(predictor, &student, goal) {
                    Goal::Reached { .. } => kinds[0] += 1,
                    Goal::Reachable { .. } => kinds[1] += 1,
                    Goal::Unreachable { .. } => kinds[2] += 1,
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
        let student = predictor.reference_student().with(COURSE.0, "completed");
        let now = check::shown(predictor, &student);
        for goal in [now + 1.0, now + 4.2, now + 9.9] {
            let Ok(Goal::Reachable { suggestions, .. }) = what_it_takes(predictor, &student, goal)
            else {
                panic!("{goal} is reachable");
            };
            let singles: Vec<_> = suggestions
                .iter()
                .filter(|s| s.changes.len() == 1)
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
        for student in students(&predictor) {
            check::check_curves(&predictor, &student);
            for goal in check::goals(&predictor, &student) {
                check::check_goal(&predictor, &student, goal);
            }
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
        .with(COURSE.0, "none")
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
            .any(|t| t.starts_with("complete the test preparation course and raise ")),
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
fn a_student_with_everything_done_and_maxed_cannot_change_anything() {
    let predictors = served();
    let math = predictors.full("math_score").unwrap();
    let student = math
        .reference_student()
        .with(COURSE.0, "completed")
        .with("reading_score", "100")
        .with("writing_score", "100");
    let now = check::shown(math, &student);
    if now < 100.0 {
        let Goal::Unreachable { best, .. } = check::check_goal(math, &student, 100.0) else {
            panic!("nothing can change");
        };
        assert!(best.changes.is_empty());
        assert_eq!(best.to_string(), "change nothing");
    }
}
