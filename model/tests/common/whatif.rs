//! Checks of `model::whatif` by brute force through the form's own path
//! (`Predictor::estimate` of a `Student`), shared by the model's and the trainer's tests.

#![allow(dead_code)]

use model::whatif::{curve, grid, what_it_takes, Goal, Suggestion};
use model::{Feature, Missing, Predictor, Student};

/// The prediction the form shows for `student`.
pub fn shown(predictor: &Predictor, student: &Student) -> f64 {
    predictor.estimate(student, Missing::Reject).unwrap().value
}

/// Every point of every number's curve is the form's estimate for that value, one per value of
/// its grid; for a linear model the raw estimates lie on a line.
pub fn check_curves(predictor: &Predictor, student: &Student) {
    let linear = matches!(predictor.bundle().model, model::Model::Linear { .. });
    for feature in predictor.features() {
        let Feature::Numeric {
            name,
            min,
            max,
            info,
        } = feature
        else {
            continue;
        };
        let points = curve(predictor, student, name).unwrap();
        let values: Vec<f64> = points.iter().map(|p| p.0).collect();
        assert_eq!(values, grid(*min, *max, info.step), "{name}");
        if info.step.is_none_or(|s| s == 1.0) && max - min <= 1000.0 {
            assert_eq!(points.len(), (max - min) as usize + 1, "{name}");
        }
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
                let (lo, hi) = predictor
                    .target_range()
                    .unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
                assert_eq!(e.value, e.raw.clamp(lo, hi));
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

/// Every combination of the actionable fields on the grid the module documents: a number to
/// any other value of its grid (up or down), a category to any other category.
fn combos(predictor: &Predictor, student: &Student) -> Vec<Combo> {
    let mut out = vec![Combo {
        student: student.clone(),
        fields: Vec::new(),
        points: 0.0,
        value: 0.0,
    }];
    for feature in predictor.features() {
        let name = feature.name();
        if !feature.info().actionable {
            continue;
        }
        let options: Vec<(String, f64)> = match feature {
            Feature::Numeric { min, max, info, .. } => {
                let now: f64 = model::text::read_number(student.get(name).unwrap()).unwrap();
                grid(*min, *max, info.step)
                    .into_iter()
                    .filter(|&v| v != now)
                    .map(|v| (v.to_string(), (v - now).abs()))
                    .collect()
            }
            Feature::Categorical { categories, .. } => {
                let now = student.get(name).unwrap();
                let k = model::fields::category_index(now, categories).unwrap();
                (0..categories.len())
                    .filter(|&j| j != k)
                    .map(|j| (categories[j].clone(), 0.0))
                    .collect()
            }
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
        let feature = predictor
            .features()
            .iter()
            .find(|f| f.name() == c.field)
            .expect("a feature");
        assert!(feature.info().actionable, "{} is not actionable", c.field);
        match feature {
            Feature::Categorical { categories, .. } => {
                assert_eq!(student.get(&c.field), Some(c.from.as_str()));
                assert!(categories.contains(&c.to), "{}", c.to);
                assert_ne!(
                    model::fields::category_index(&c.from, categories),
                    model::fields::category_index(&c.to, categories)
                );
                assert_eq!(c.points, 0.0);
            }
            Feature::Numeric { min, max, info, .. } => {
                let from: f64 = model::text::read_number(student.get(&c.field).unwrap()).unwrap();
                assert_eq!(model::text::read_number(&c.from), Some(from));
                let to: f64 = c.to.parse().unwrap();
                assert!(
                    grid(*min, *max, info.step).contains(&to),
                    "{to} is on the grid"
                );
                assert_ne!(to, from);
                assert!((c.points - (to - from).abs()).abs() < 1e-9);
            }
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
    check_goal_among(predictor, student, goal, &combos(predictor, student))
}

/// [`check_goal`] for every goal of [`goals`], with the brute force's combinations made once
/// (they do not depend on the goal). Returns the answers.
pub fn check_goals(predictor: &Predictor, student: &Student) -> Vec<Goal> {
    let all = combos(predictor, student);
    goals(predictor, student)
        .into_iter()
        .map(|goal| check_goal_among(predictor, student, goal, &all))
        .collect()
}

fn check_goal_among(predictor: &Predictor, student: &Student, goal: f64, all: &[Combo]) -> Goal {
    let answer = what_it_takes(predictor, student, goal).unwrap();
    let now = shown(predictor, student);
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
        Goal::NothingToChange { now: e } => {
            assert_eq!(e.value, now);
            assert!(now < goal);
            assert_eq!(all.len(), 1, "something could change");
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

/// A spread of goals around the student's prediction and the edges of the range (0 to 100).
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
