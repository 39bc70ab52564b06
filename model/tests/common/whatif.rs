//! Checks of `model::whatif` by brute force through the form's own path
//! (`Predictor::estimate` of a `Student`), shared by the model's and the trainer's tests.

#![allow(dead_code)]

use model::whatif::{curve, what_it_takes, Goal, Suggestion, COURSE};
use model::{Feature, Missing, Predictor, Student};

/// The prediction the form shows for `student`.
pub fn shown(predictor: &Predictor, student: &Student) -> f64 {
    predictor.estimate(student, Missing::Reject).unwrap().value
}

/// Every point of every score's curve is the form's estimate for that value; for a linear
/// model the raw estimates lie on a line.
pub fn check_curves(predictor: &Predictor, student: &Student) {
    let linear = matches!(predictor.bundle().model, model::Model::Linear { .. });
    for feature in predictor.features() {
        let Feature::Numeric { name, min, max, .. } = feature else {
            continue;
        };
        let points = curve(predictor, student, name).unwrap();
        assert_eq!(points.len(), (max - min) as usize + 1, "{name}");
        for &(v, e) in &points {
            let at = student.clone().with(name.as_str(), v.to_string());
            assert_eq!(
                e,
                predictor.estimate(&at, Missing::Reject).unwrap(),
                "{name} = {v}"
            );
            assert!(e.value.is_finite());
            let (low, high) = (e.low.unwrap_or(e.value), e.high.unwrap_or(e.value));
            assert!(low <= e.value && e.value <= high);
        }
        if linear {
            let (x0, r0) = (points[0].0, points[0].1.raw);
            let slope = points[1].1.raw - r0;
            for &(v, e) in &points {
                let line = r0 + slope * (v - x0);
                assert!(
                    (e.raw - line).abs() < 1e-9,
                    "{name} = {v}: {} vs {line}",
                    e.raw
                );
                assert_eq!(e.value, e.raw.clamp(0.0, 100.0));
            }
        }
    }
}

/// One combination of the search grid, as the brute force sees it.
struct Combo {
    student: Student,
    fields: Vec<String>,
    points: f64,
    value: f64,
}

/// Every combination of the actionable fields on the grid the module documents.
fn combos(predictor: &Predictor, student: &Student) -> Vec<Combo> {
    let mut out = vec![Combo {
        student: student.clone(),
        fields: Vec::new(),
        points: 0.0,
        value: 0.0,
    }];
    for feature in predictor.features() {
        let name = feature.name();
        let options: Vec<(String, f64)> = match feature {
            Feature::Numeric { max, .. } => {
                let now: f64 = model::text::read_number(student.get(name).unwrap()).unwrap();
                (now.floor() as i64 + 1..=*max as i64)
                    .map(|v| (v.to_string(), v as f64 - now))
                    .collect()
            }
            Feature::Categorical { categories, .. } if name == COURSE.0 => {
                let now = student.get(name).unwrap();
                if now != COURSE.1 && categories.iter().any(|c| c == COURSE.1) {
                    vec![(COURSE.1.to_owned(), 0.0)]
                } else {
                    vec![]
                }
            }
            Feature::Categorical { .. } => vec![],
        };
        let mut next = Vec::new();
        for c in &out {
            for (text, points) in &options {
                let mut fields = c.fields.clone();
                fields.push(name.to_owned());
                next.push(Combo {
                    student: c.student.clone().with(name, text.as_str()),
                    fields,
                    points: c.points + points,
                    value: 0.0,
                });
            }
        }
        out.extend(next);
    }
    for c in &mut out {
        c.value = shown(predictor, &c.student);
    }
    out
}

/// `student` with a suggestion's changes made, checking each is allowed.
fn apply(predictor: &Predictor, student: &Student, s: &Suggestion) -> Student {
    let mut out = student.clone();
    for c in &s.changes {
        if c.field == COURSE.0 {
            assert_eq!(student.get(&c.field), Some(c.from.as_str()));
            assert_eq!(c.to, COURSE.1);
            assert_eq!(c.points, 0.0);
        } else {
            assert!(
                predictor
                    .features()
                    .iter()
                    .any(|f| f.name() == c.field && matches!(f, Feature::Numeric { .. })),
                "{} is not a score",
                c.field
            );
            let from: f64 = model::text::read_number(student.get(&c.field).unwrap()).unwrap();
            assert_eq!(model::text::read_number(&c.from), Some(from));
            let to: f64 = c.to.parse().unwrap();
            assert_eq!(to.fract(), 0.0, "whole values only");
            assert!(to > from && to <= 100.0);
            assert!((c.points - (to - from)).abs() < 1e-9);
        }
        out.set(c.field.as_str(), c.to.as_str());
    }
    out
}

/// The goal search against the brute force: each suggestion reaches the goal (and predicts what
/// it says), no change of the same fields with fewer points does, nothing smaller than the
/// first does; an unreachable goal is reached by no combination and `best` is the highest.
/// Returns the answer.
pub fn check_goal(predictor: &Predictor, student: &Student, goal: f64) -> Goal {
    let answer = what_it_takes(predictor, student, goal).unwrap();
    let now = shown(predictor, student);
    let all = combos(predictor, student);
    let reaching = |c: &&Combo| c.value >= goal;
    let same_fields = |c: &Combo, s: &Suggestion| {
        c.fields.len() == s.changes.len() && s.changes.iter().all(|x| c.fields.contains(&x.field))
    };
    match &answer {
        Goal::Reached { now: e } => {
            assert_eq!(e.value, now);
            assert!(now >= goal);
        }
        Goal::Reachable {
            now: e,
            suggestions,
        } => {
            assert_eq!(e.value, now);
            assert!(now < goal);
            assert!(!suggestions.is_empty());
            for s in suggestions {
                let changed = apply(predictor, student, s);
                let value = shown(predictor, &changed);
                assert_eq!(value, s.estimate.value, "{s}");
                assert!(value >= goal, "{s}: {value} < {goal}");
                assert!(!s.changes.is_empty());
                if let Some(c) = all
                    .iter()
                    .filter(reaching)
                    .find(|c| same_fields(c, s) && c.points < s.points() - 1e-9)
                {
                    panic!(
                        "{s}: {:?} reaches {goal} with {} points",
                        c.fields, c.points
                    );
                }
            }
            let first = &suggestions[0];
            let size = (first.changes.len(), first.points());
            if let Some(c) = all
                .iter()
                .filter(reaching)
                .find(|c| (c.fields.len(), c.points + 1e-9) < size)
            {
                panic!("{first}: {:?} ({} points) is smaller", c.fields, c.points);
            }
            // Smallest first.
            for w in suggestions.windows(2) {
                assert!((w[0].changes.len(), w[0].points()) <= (w[1].changes.len(), w[1].points()));
            }
        }
        Goal::Unreachable { now: e, best } => {
            assert_eq!(e.value, now);
            assert!(all.iter().all(|c| c.value < goal), "{goal} is reachable");
            let highest = all
                .iter()
                .map(|c| c.value)
                .fold(f64::NEG_INFINITY, f64::max);
            assert_eq!(best.estimate.value, highest);
            assert_eq!(shown(predictor, &apply(predictor, student, best)), highest);
        }
    }
    answer
}

/// A spread of goals around the student's prediction and the edges of the range.
pub fn goals(predictor: &Predictor, student: &Student) -> Vec<f64> {
    let now = shown(predictor, student);
    let mut goals = vec![
        0.0,
        now,
        now + 0.05,
        now + 1.0,
        now + 3.0,
        now + 7.5,
        now + 15.0,
        now + 30.0,
        99.0,
        100.0,
    ];
    goals.retain(|g| (0.0..=100.0).contains(g));
    goals
}
