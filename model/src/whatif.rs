//! What-if questions about one student: how the prediction moves as one known score runs over
//! its range ([`curve`]), and the smallest changes a student can make that bring the prediction
//! to a goal ([`what_it_takes`]).
//!
//! Both evaluate the model through [`Predictor::estimate_encoded`], the path the form's
//! prediction takes, on the student's own encoding with only the varied columns rewritten
//! (through the encoder's own `standardized` and `write_one_hot`, so exactly as
//! [`Predictor::encode`] writes them), so every point equals the form's prediction for that
//! student, limited to the score range the same way.
//!
//! # What a student can change, and what "smallest" means
//! Only the *actionable* fields move: the test preparation course (from `none` to `completed`:
//! one change) and each known score (raised to a whole number above its value, at most its
//! maximum: a 1-point grid). Gender, race/ethnicity, parental education and lunch never move,
//! and nothing is lowered or undone. A change *reaches* the goal when the prediction the page
//! shows (limited to 0–100) is at least the goal. One change is smaller than another when it
//! changes fewer fields, or as many with fewer score points raised in total (completing the
//! course counts as a field and no points).
//!
//! The search is exhaustive over that grid (at most 2 × 101 × 101 predictions for the course
//! and two scores), so for every model kind the answer is the exact minimum on the grid; for a
//! linear model it is also the closed form `⌈need / gain⌉` (tested). For each set of fields the
//! smallest change reaching the goal is kept, unless a change of fewer of those fields reaches
//! it with no more points; the list starts with the smallest of all.

use crate::error::InputError;
use crate::fields::label;
use crate::format::{Feature, Step};
use crate::predict::{standardized, write_one_hot, Estimate, Missing, Predictor};
use crate::student::Student;
use crate::text::{number, read_number};

/// The one categorical field a student can change, and the value they can change it to.
pub const COURSE: (&str, &str) = ("test_preparation_course", "completed");

/// The prediction, with its interval, for each whole value of the score `field` from its
/// minimum to its maximum, every other field as in `student` (whose own `field` text is not
/// read). Empty when `field` is not one of the model's scores.
pub fn curve(
    predictor: &Predictor,
    student: &Student,
    field: &str,
) -> Result<Vec<(f64, Estimate)>, InputError> {
    let mut varied = Varied::new(predictor, student, field)?;
    let Some(axis) = varied.score_axis(field) else {
        return Ok(Vec::new());
    };
    let (min, max) = (axis.min.ceil() as i64, axis.max.floor() as i64);
    Ok((min..=max)
        .map(|v| {
            let v = v as f64;
            varied.set_score(&axis, v);
            (v, varied.estimate())
        })
        .collect())
}

/// One field changed by a suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The column name, e.g. `"reading_score"`.
    pub field: String,
    /// The value before and after, as text (`"72"` → `"78"`, `"none"` → `"completed"`).
    pub from: String,
    pub to: String,
    /// Score points raised (0 for the course).
    pub points: f64,
}

/// A set of changes and the prediction they lead to.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// In feature order.
    pub changes: Vec<Change>,
    pub estimate: Estimate,
}

impl Suggestion {
    /// Score points raised in total.
    pub fn points(&self) -> f64 {
        self.changes.iter().map(|c| c.points).sum()
    }
}

impl std::fmt::Display for Suggestion {
    /// `complete the test preparation course and raise reading score by 6 points (72 → 78)`;
    /// `change nothing` for none.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.changes.is_empty() {
            return f.write_str("change nothing");
        }
        for (i, c) in self.changes.iter().enumerate() {
            if i > 0 {
                f.write_str(if i + 1 == self.changes.len() {
                    " and "
                } else {
                    ", "
                })?;
            }
            if c.field == COURSE.0 {
                f.write_str("complete the test preparation course")?;
            } else {
                let unit = if c.points == 1.0 { "point" } else { "points" };
                write!(
                    f,
                    "raise {} by {} {unit} ({} → {})",
                    label(&c.field).to_ascii_lowercase(),
                    number(c.points),
                    c.from,
                    c.to
                )?;
            }
        }
        Ok(())
    }
}

/// The answer to "what would it take to reach `goal`".
#[derive(Debug, Clone, PartialEq)]
pub enum Goal {
    /// The prediction is already at or above the goal.
    Reached { now: Estimate },
    /// The smallest changes that reach it, smallest first (never empty).
    Reachable {
        now: Estimate,
        suggestions: Vec<Suggestion>,
    },
    /// No change of the actionable fields reaches it; `best` is the highest prediction they
    /// can give (the fewest changes among equals).
    Unreachable { now: Estimate, best: Suggestion },
}

/// Why a goal could not be looked into.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GoalError {
    /// The student's fields are not all valid.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The goal is not a number within the target's range.
    #[error("the goal must be a number from {min} to {max}")]
    OutOfRange { min: f64, max: f64 },
}

/// The smallest changes to the actionable fields of `student` that bring the prediction to at
/// least `goal` (see the module docs for what is actionable and what "smallest" means).
pub fn what_it_takes(
    predictor: &Predictor,
    student: &Student,
    goal: f64,
) -> Result<Goal, GoalError> {
    let (min, max) = predictor
        .target_range()
        .unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
    if !(goal.is_finite() && (min..=max).contains(&goal)) {
        return Err(GoalError::OutOfRange { min, max });
    }
    let mut varied = Varied::new(predictor, student, "")?;
    let now = varied.estimate();
    if now.value >= goal {
        return Ok(Goal::Reached { now });
    }
    // One axis per actionable field: its options beyond the current value.
    let mut axes: Vec<Axis> = Vec::new();
    for (i, feature) in predictor.features().iter().enumerate() {
        match feature {
            Feature::Numeric { name, .. } => {
                if let Some(axis) = varied.score_axis(name) {
                    let current = axis.current;
                    let options = (current.floor() as i64 + 1..=axis.max.floor() as i64)
                        .map(|v| v as f64)
                        .collect();
                    axes.push(Axis::Score {
                        axis,
                        current,
                        options,
                    });
                }
            }
            Feature::Categorical {
                name, categories, ..
            } if name == COURSE.0 => {
                let to = categories.iter().position(|c| c == COURSE.1);
                let from = student.get(name).unwrap_or_default();
                if let Some(to) = to.filter(|&k| categories[k] != from) {
                    axes.push(Axis::Course {
                        column: varied.starts[i],
                        width: categories.len(),
                        from: varied.category(i),
                        to,
                        text: from.to_owned(),
                    });
                }
            }
            Feature::Categorical { .. } => {}
        }
    }
    // Every combination, as a mixed-radix counter: digit 0 of an axis leaves it unchanged.
    let radix: Vec<usize> = axes.iter().map(|a| a.len() + 1).collect();
    let mut digits = vec![0usize; axes.len()];
    // The best combination for each set of changed axes (a bit mask): (points, value, digits).
    let mut best: Vec<Option<(f64, f64, Vec<usize>)>> = vec![None; 1 << axes.len()];
    let mut highest: Option<(f64, usize, f64, Vec<usize>)> = None;
    loop {
        let (mut mask, mut points) = (0usize, 0.0);
        for (k, (axis, &d)) in axes.iter().zip(&digits).enumerate() {
            axis.apply(&mut varied, d);
            if d > 0 {
                mask |= 1 << k;
                points += axis.points(d);
            }
        }
        let value = varied.estimate().value;
        let count = mask.count_ones() as usize;
        let higher = match &highest {
            None => true,
            Some((v, c, p, _)) => value > *v || (value == *v && (count, points) < (*c, *p)),
        };
        if higher {
            highest = Some((value, count, points, digits.clone()));
        }
        if value >= goal {
            let better = match &best[mask] {
                None => true,
                Some((p, v, _)) => points < *p || (points == *p && value > *v),
            };
            if better {
                best[mask] = Some((points, value, digits.clone()));
            }
        }
        // The next combination.
        let mut k = 0;
        while k < digits.len() {
            digits[k] += 1;
            if digits[k] < radix[k] {
                break;
            }
            digits[k] = 0;
            k += 1;
        }
        if k == digits.len() {
            break;
        }
    }
    let describe = |varied: &mut Varied, digits: &[usize]| {
        let mut changes = Vec::new();
        for (axis, &d) in axes.iter().zip(digits) {
            axis.apply(varied, d);
            if d > 0 {
                changes.push(axis.change(d));
            }
        }
        // In feature order: the axes are.
        Suggestion {
            changes,
            estimate: varied.estimate(),
        }
    };
    // Drop a set of changes when a smaller set of its fields reaches the goal with no more
    // points; then the smallest first.
    let kept: Vec<(usize, f64)> = (0..best.len())
        .filter_map(|m| best[m].as_ref().map(|(p, _, _)| (m, *p)))
        .collect();
    let order: Vec<(usize, f64)> = kept
        .iter()
        .copied()
        .filter(|&(m, p)| !kept.iter().any(|&(s, q)| s != m && s & m == s && q <= p))
        .collect();
    // Fewest fields, then fewest points (at most 101 per score): one key, the crate's one sort.
    let keys: Vec<f64> = order
        .iter()
        .map(|&(m, p)| f64::from(m.count_ones()) * 1e6 + p)
        .collect();
    let order: Vec<(usize, f64)> = crate::predict::order_by(&keys)
        .into_iter()
        .map(|i| order[i])
        .collect();
    if order.is_empty() {
        let (_, _, _, digits) = highest.expect("the loop runs at least once");
        return Ok(Goal::Unreachable {
            now,
            best: describe(&mut varied, &digits),
        });
    }
    let suggestions = order
        .into_iter()
        .map(|(m, _)| {
            let digits = best[m].as_ref().expect("kept").2.clone();
            describe(&mut varied, &digits)
        })
        .collect();
    Ok(Goal::Reachable { now, suggestions })
}

/// A score column of the encoding and what standardizes it.
#[derive(Debug, Clone)]
struct ScoreAxis {
    name: String,
    /// The score's value in the student's encoding.
    current: f64,
    column: usize,
    mean: f64,
    scale: f64,
    min: f64,
    max: f64,
}

/// One actionable field of the search and its options (beyond "unchanged").
enum Axis {
    Score {
        axis: ScoreAxis,
        current: f64,
        /// Whole values above `current`, ascending.
        options: Vec<f64>,
    },
    Course {
        column: usize,
        width: usize,
        from: usize,
        to: usize,
        text: String,
    },
}

impl Axis {
    fn len(&self) -> usize {
        match self {
            Axis::Score { options, .. } => options.len(),
            Axis::Course { .. } => 1,
        }
    }

    /// Writes option `d` (0: unchanged) into the encoding.
    fn apply(&self, varied: &mut Varied, d: usize) {
        match self {
            Axis::Score {
                axis,
                current,
                options,
            } => varied.set_score(axis, if d == 0 { *current } else { options[d - 1] }),
            Axis::Course {
                column,
                width,
                from,
                to,
                ..
            } => {
                let k = if d == 0 { *from } else { *to };
                write_one_hot(&mut varied.x[*column..column + width], k);
            }
        }
    }

    fn points(&self, d: usize) -> f64 {
        match self {
            Axis::Score {
                current, options, ..
            } => options[d - 1] - current,
            Axis::Course { .. } => 0.0,
        }
    }

    fn change(&self, d: usize) -> Change {
        match self {
            Axis::Score {
                axis,
                current,
                options,
            } => Change {
                field: axis.name.clone(),
                from: number(*current),
                to: number(options[d - 1]),
                points: options[d - 1] - current,
            },
            Axis::Course { text, .. } => Change {
                field: COURSE.0.to_owned(),
                from: text.clone(),
                to: COURSE.1.to_owned(),
                points: 0.0,
            },
        }
    }
}

/// A student's encoding, with columns rewritten in place.
struct Varied<'a> {
    predictor: &'a Predictor,
    x: Vec<f64>,
    /// Each feature's number as the student gives it (NaN for a category).
    raw: Vec<f64>,
    /// The first encoded column of each feature.
    starts: Vec<usize>,
}

impl<'a> Varied<'a> {
    /// The encoding of `student`, with `free` (a score about to be varied) set to its minimum
    /// first so its own text need not be valid.
    fn new(predictor: &'a Predictor, student: &Student, free: &str) -> Result<Self, InputError> {
        let mut student = student.clone();
        if let Some(Feature::Numeric { min, .. }) =
            predictor.features().iter().find(|f| f.name() == free)
        {
            student.set(free, number(*min));
        }
        let x = predictor.encode(&student, Missing::Reject)?;
        let (mut starts, mut raw) = (Vec::new(), Vec::new());
        let mut at = 0;
        for f in predictor.features() {
            starts.push(at);
            at += f.width();
            // Valid once encoded: the same reading of the text as the encoder's.
            raw.push(
                student
                    .get(f.name())
                    .and_then(read_number)
                    .unwrap_or(f64::NAN),
            );
        }
        Ok(Self {
            predictor,
            x,
            raw,
            starts,
        })
    }

    fn score_axis(&self, name: &str) -> Option<ScoreAxis> {
        let features = self.predictor.features();
        let i = features.iter().position(|f| f.name() == name)?;
        match (&features[i], &self.predictor.bundle().preprocessor.steps[i]) {
            (Feature::Numeric { min, max, .. }, Step::Standardize { mean, scale, .. }) => {
                Some(ScoreAxis {
                    name: name.to_owned(),
                    current: self.raw[i],
                    column: self.starts[i],
                    mean: *mean,
                    scale: *scale,
                    min: *min,
                    max: *max,
                })
            }
            _ => None,
        }
    }

    fn category(&self, i: usize) -> usize {
        let width = self.predictor.features()[i].width();
        (0..width)
            .position(|j| self.x[self.starts[i] + j] == 1.0)
            .unwrap_or(0)
    }

    fn set_score(&mut self, axis: &ScoreAxis, value: f64) {
        self.x[axis.column] = standardized(value, axis.mean, axis.scale);
    }

    fn estimate(&self) -> Estimate {
        self.predictor.estimate_encoded(&self.x)
    }
}
