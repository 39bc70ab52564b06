//! What-if questions about one student: how the prediction moves as one number runs over its
//! range ([`curve`]), and the smallest changes a student can make that bring the prediction to
//! a goal ([`what_it_takes`]).
//!
//! Both evaluate the model through [`Predictor::estimate_encoded`], the path the form's
//! prediction takes, on the student's own encoding with only the varied columns rewritten
//! (through the encoder's own `standardized` and `write_one_hot`, so exactly as
//! [`Predictor::encode`] writes them), so every point equals the form's prediction for that
//! student, limited to the target's range the same way.
//!
//! # The grid of a number
//! A numeric feature's values are `min + k · step` within `[min, max]` (its
//! [`crate::FieldInfo::step`], 1 when absent: whole values for a 0–100 score). A grid of more
//! than [`MAX_GRID`] values is thinned to a multiple of the step that keeps at most that many,
//! so a fine step over a wide range costs no more than a thousand predictions per number.
//!
//! # What a student can change, and what "smallest" means
//! Only the features marked [`crate::FieldInfo::actionable`] move; every other field stays as
//! entered. An actionable categorical feature may change to any other of its categories (one
//! changed field, no points). An actionable number may move to any other value of its grid, up
//! *or down*, its points being the distance moved: raising is what helps for a score or the
//! hours of study, lowering for absences or failures, and the model, not this module, knows
//! which way helps (for a model that rises with a number, no lowered value ever reaches a goal
//! the raised ones miss, so such a number is only ever raised). A change *reaches* the goal
//! when the prediction the page shows (limited to the target's range) is at least the goal.
//! One change is smaller than another when it changes fewer fields, or as many with fewer
//! points in total (a category counts as a field and no points).
//!
//! # How far the search goes
//! When every combination of the actionable fields' options takes at most
//! [`MAX_EVALUATIONS`] predictions (the seed dataset's test preparation course and two known
//! scores: 2 × 101 × 101), the search is exhaustive, so for every model kind the answer is the
//! exact minimum on the grid; for a linear model it is also the closed form `⌈need / gain⌉`
//! (tested). Beyond that, it changes at most two fields together: every single change, then
//! every pair of fields, each pair's options thinned to an even spread (both ends kept) so
//! that all pairs together stay within the budget. Every suggestion then still reaches the
//! goal, and a single change is still the exact minimum, but a pair may be a few points from
//! the smallest. For each set of fields the smallest change reaching the goal is kept, unless
//! a change of fewer of those fields reaches it with no more points; the list starts with the
//! smallest of all.

use std::collections::BTreeMap;

use crate::error::InputError;
use crate::format::{Feature, Step};
use crate::predict::{order_by, standardized, write_one_hot, Estimate, Missing, Predictor};
use crate::student::Student;
use crate::text::{number, read_number};

/// The most predictions one goal search makes (see the module docs).
pub const MAX_EVALUATIONS: usize = 40_000;

/// The most values of a number's grid (see the module docs).
pub const MAX_GRID: usize = 1_001;

/// The grid of values of a number in `[min, max]` with `step` (1 when absent), at most
/// [`MAX_GRID`] of them, ascending.
pub fn grid(min: f64, max: f64, step: Option<f64>) -> Vec<f64> {
    let mut step = step.filter(|s| s.is_finite() && *s > 0.0).unwrap_or(1.0);
    let span = max - min;
    if !(span.is_finite() && span >= 0.0) {
        return Vec::new();
    }
    // A little slack, so that 0.1 steps reach 1.0 despite rounding.
    let mut n = (span / step + 1e-9).floor();
    if n + 1.0 > MAX_GRID as f64 {
        step *= (n / (MAX_GRID - 1) as f64).ceil();
        n = (span / step + 1e-9).floor();
    }
    (0..=n as usize)
        .map(|k| tidy(min + k as f64 * step).min(max))
        .collect()
}

/// `v` rounded to 9 decimals: 0.1 · 3 as 0.3, not 0.30000000000000004, and 2.8 − 2.5 as 0.3.
fn tidy(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

/// The prediction, with its interval, for each value of the grid of the numeric feature
/// `field` (see the module docs: whole values from 0 to 100 for a score), every other field as
/// in `student` (whose own `field` text is not read). Empty when `field` is not one of the
/// model's numbers.
pub fn curve(
    predictor: &Predictor,
    student: &Student,
    field: &str,
) -> Result<Vec<(f64, Estimate)>, InputError> {
    let mut varied = Varied::new(predictor, student, field)?;
    let Some(i) = predictor.features().iter().position(|f| f.name() == field) else {
        return Ok(Vec::new());
    };
    let Some(axis) = varied.number_axis(i) else {
        return Ok(Vec::new());
    };
    let Feature::Numeric { min, max, info, .. } = &predictor.features()[i] else {
        return Ok(Vec::new());
    };
    Ok(grid(*min, *max, info.step)
        .into_iter()
        .map(|v| {
            varied.set_number(&axis, v);
            (v, varied.estimate())
        })
        .collect())
}

/// One field changed by a suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The column name, e.g. `"reading_score"`.
    pub field: String,
    /// The value before and after, as the form writes them (`"72"` → `"78"`, `"none"` →
    /// `"completed"`).
    pub from: String,
    pub to: String,
    /// How far a number moved, up or down (0 for a category).
    pub points: f64,
    /// The change in words, with the field's label (and unit, and category labels):
    /// `raise reading score by 6 points (72 → 78)`, `lower absences by 2 days (6 → 4)`,
    /// `change test preparation course from none to completed`.
    pub phrase: String,
}

/// A set of changes and the prediction they lead to.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// In feature order.
    pub changes: Vec<Change>,
    pub estimate: Estimate,
}

impl Suggestion {
    /// Points moved in total.
    pub fn points(&self) -> f64 {
        self.changes.iter().map(|c| c.points).sum()
    }
}

impl std::fmt::Display for Suggestion {
    /// The changes' phrases joined: `change test preparation course from none to completed
    /// and raise reading score by 6 points (72 → 78)`; `change nothing` for none.
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
            f.write_str(&c.phrase)?;
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
    /// The goal is not reached and the model has no actionable field with another value to
    /// take: there is nothing to suggest.
    NothingToChange { now: Estimate },
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
    let varied = Varied::new(predictor, student, "")?;
    let now = varied.estimate();
    if now.value >= goal {
        return Ok(Goal::Reached { now });
    }
    let axes = axes(&varied, student);
    if axes.is_empty() {
        return Ok(Goal::NothingToChange { now });
    }
    let mut search = Search {
        varied,
        axes: &axes,
        goal,
        best: BTreeMap::new(),
        highest: None,
    };
    let combinations = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.len() + 1))
        .filter(|&n| n <= MAX_EVALUATIONS);
    if combinations.is_some() {
        search.every_combination();
    } else {
        search.singles_and_pairs();
    }
    Ok(search.answer(now))
}

/// One actionable field of the search and its options (beyond "unchanged").
struct Axis {
    /// The feature's name and label.
    name: String,
    label: String,
    kind: AxisKind,
}

enum AxisKind {
    Number {
        axis: NumberAxis,
        /// The grid's values other than the current one, ascending.
        options: Vec<f64>,
        unit: Option<String>,
    },
    Category {
        column: usize,
        width: usize,
        /// The student's category and its text as entered.
        from: usize,
        text: String,
        /// The other categories' indices.
        options: Vec<usize>,
        categories: Vec<String>,
        /// A label per category (the categories themselves when the feature has none).
        labels: Vec<String>,
    },
}

/// The actionable fields of the predictor's features, in feature order, with at least one
/// option each.
fn axes(varied: &Varied, student: &Student) -> Vec<Axis> {
    let mut axes = Vec::new();
    for (i, feature) in varied.predictor.features().iter().enumerate() {
        let info = feature.info();
        if !info.actionable {
            continue;
        }
        let kind = match feature {
            Feature::Numeric { min, max, .. } => {
                let Some(axis) = varied.number_axis(i) else {
                    continue;
                };
                let options: Vec<f64> = grid(*min, *max, info.step)
                    .into_iter()
                    .filter(|&v| v != axis.current)
                    .collect();
                AxisKind::Number {
                    axis,
                    options,
                    unit: info.unit.clone(),
                }
            }
            Feature::Categorical { categories, .. } => {
                let from = varied.category(i);
                let labels = if info.category_labels.len() == categories.len() {
                    info.category_labels.clone()
                } else {
                    categories.clone()
                };
                AxisKind::Category {
                    column: varied.starts[i],
                    width: categories.len(),
                    from,
                    text: student.get(feature.name()).unwrap_or_default().to_owned(),
                    options: (0..categories.len()).filter(|&k| k != from).collect(),
                    categories: categories.clone(),
                    labels,
                }
            }
        };
        let axis = Axis {
            name: feature.name().to_owned(),
            label: feature.label().to_owned(),
            kind,
        };
        if axis.len() > 0 {
            axes.push(axis);
        }
    }
    axes
}

impl Axis {
    fn len(&self) -> usize {
        match &self.kind {
            AxisKind::Number { options, .. } => options.len(),
            AxisKind::Category { options, .. } => options.len(),
        }
    }

    /// Writes option `d` (0: unchanged) into the encoding.
    fn apply(&self, varied: &mut Varied, d: usize) {
        match &self.kind {
            AxisKind::Number { axis, options, .. } => {
                let v = if d == 0 { axis.current } else { options[d - 1] };
                varied.set_number(axis, v);
            }
            AxisKind::Category {
                column,
                width,
                from,
                options,
                ..
            } => {
                let k = if d == 0 { *from } else { options[d - 1] };
                write_one_hot(&mut varied.x[*column..column + width], k);
            }
        }
    }

    fn points(&self, d: usize) -> f64 {
        match &self.kind {
            AxisKind::Number { axis, options, .. } => tidy((options[d - 1] - axis.current).abs()),
            AxisKind::Category { .. } => 0.0,
        }
    }

    fn change(&self, d: usize) -> Change {
        let label = self.label.to_ascii_lowercase();
        match &self.kind {
            AxisKind::Number {
                axis,
                options,
                unit,
            } => {
                let to = options[d - 1];
                let points = tidy((to - axis.current).abs());
                let verb = if to > axis.current { "raise" } else { "lower" };
                let by = match unit.as_deref() {
                    // "1 point", "1 day": a plural unit's `s` goes for one.
                    Some(u) if points == 1.0 => format!(" {}", u.strip_suffix('s').unwrap_or(u)),
                    Some(u) => format!(" {u}"),
                    None => String::new(),
                };
                let (from, to) = (number(axis.current), number(to));
                Change {
                    field: self.name.clone(),
                    phrase: format!("{verb} {label} by {}{by} ({from} → {to})", number(points)),
                    from,
                    to,
                    points,
                }
            }
            AxisKind::Category {
                from,
                text,
                options,
                categories,
                labels,
                ..
            } => {
                let k = options[d - 1];
                Change {
                    field: self.name.clone(),
                    from: text.clone(),
                    to: categories[k].clone(),
                    points: 0.0,
                    phrase: format!("change {label} from {} to {}", labels[*from], labels[k]),
                }
            }
        }
    }
}

/// The best combination found for one set of changed fields.
struct Found {
    points: f64,
    value: f64,
    digits: Vec<usize>,
}

/// The search in progress: the combinations visited so far and the best of them.
struct Search<'a, 'p> {
    varied: Varied<'p>,
    axes: &'a [Axis],
    goal: f64,
    /// The best combination reaching the goal for each set of changed axes (a bit mask).
    best: BTreeMap<u32, Found>,
    /// The highest prediction: (value, fields changed, points, digits).
    highest: Option<(f64, usize, f64, Vec<usize>)>,
}

impl Search<'_, '_> {
    /// Evaluates one combination (`digits[k]`: option of axis `k`, 0 unchanged).
    fn visit(&mut self, digits: &[usize]) {
        let (mut mask, mut points) = (0u32, 0.0);
        for (k, (axis, &d)) in self.axes.iter().zip(digits).enumerate() {
            axis.apply(&mut self.varied, d);
            if d > 0 {
                mask |= 1 << k;
                points += axis.points(d);
            }
        }
        let value = self.varied.estimate().value;
        let count = mask.count_ones() as usize;
        let higher = match &self.highest {
            None => true,
            Some((v, c, p, _)) => value > *v || (value == *v && (count, points) < (*c, *p)),
        };
        if higher {
            self.highest = Some((value, count, points, digits.to_vec()));
        }
        if value >= self.goal {
            let better = match self.best.get(&mask) {
                None => true,
                Some(f) => points < f.points || (points == f.points && value > f.value),
            };
            if better {
                let digits = digits.to_vec();
                self.best.insert(
                    mask,
                    Found {
                        points,
                        value,
                        digits,
                    },
                );
            }
        }
    }

    /// Every combination, as a mixed-radix counter: digit 0 of an axis leaves it unchanged.
    fn every_combination(&mut self) {
        let radix: Vec<usize> = self.axes.iter().map(|a| a.len() + 1).collect();
        let mut digits = vec![0usize; self.axes.len()];
        loop {
            self.visit(&digits);
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
    }

    /// Nothing changed, every single change, then every pair of fields on options thinned so
    /// that the whole search stays within [`MAX_EVALUATIONS`].
    fn singles_and_pairs(&mut self) {
        let n = self.axes.len();
        let mut digits = vec![0usize; n];
        self.visit(&digits);
        let mut used = 1;
        for k in 0..n {
            for d in 1..=self.axes[k].len() {
                digits[k] = d;
                self.visit(&digits);
                used += 1;
            }
            digits[k] = 0;
        }
        // The pairs share what is left: each axis keeps at most `keep` options, spread evenly.
        let left = MAX_EVALUATIONS.saturating_sub(used);
        let pairs = n * (n - 1) / 2;
        if pairs == 0 {
            return;
        }
        let keep = ((left / pairs) as f64).sqrt().floor().max(2.0) as usize;
        let spread: Vec<Vec<usize>> = self.axes.iter().map(|a| spread(a.len(), keep)).collect();
        for a in 0..n {
            for b in a + 1..n {
                for &da in &spread[a] {
                    for &db in &spread[b] {
                        if used >= MAX_EVALUATIONS {
                            return;
                        }
                        digits[a] = da;
                        digits[b] = db;
                        self.visit(&digits);
                        used += 1;
                    }
                }
                digits[a] = 0;
                digits[b] = 0;
            }
        }
    }

    fn describe(&mut self, digits: &[usize]) -> Suggestion {
        let mut changes = Vec::new();
        for (axis, &d) in self.axes.iter().zip(digits) {
            axis.apply(&mut self.varied, d);
            if d > 0 {
                changes.push(axis.change(d));
            }
        }
        // In feature order: the axes are.
        Suggestion {
            changes,
            estimate: self.varied.estimate(),
        }
    }

    fn answer(mut self, now: Estimate) -> Goal {
        // Drop a set of changes when a smaller set of its fields reaches the goal with no more
        // points; then the smallest first: fewest fields, then fewest points (the crate's one
        // sort, twice: it keeps the order of equal keys).
        let kept: Vec<(u32, f64)> = self.best.iter().map(|(&m, f)| (m, f.points)).collect();
        let order: Vec<(u32, f64)> = kept
            .iter()
            .copied()
            .filter(|&(m, p)| !kept.iter().any(|&(s, q)| s != m && s & m == s && q <= p))
            .collect();
        let by_points: Vec<usize> = order_by(&order.iter().map(|o| o.1).collect::<Vec<_>>());
        let counts: Vec<f64> = by_points
            .iter()
            .map(|&i| f64::from(order[i].0.count_ones()))
            .collect();
        let order: Vec<u32> = order_by(&counts)
            .into_iter()
            .map(|j| order[by_points[j]].0)
            .collect();
        if order.is_empty() {
            let (_, _, _, digits) = self
                .highest
                .take()
                .expect("the search visits at least once");
            return Goal::Unreachable {
                now,
                best: self.describe(&digits),
            };
        }
        let suggestions = order
            .into_iter()
            .map(|m| {
                let digits = self.best[&m].digits.clone();
                self.describe(&digits)
            })
            .collect();
        Goal::Reachable { now, suggestions }
    }
}

/// At most `keep` of the options `1..=len`, evenly spread, both ends included.
fn spread(len: usize, keep: usize) -> Vec<usize> {
    if len <= keep {
        return (1..=len).collect();
    }
    let mut out: Vec<usize> = (0..keep)
        .map(|i| 1 + (i * (len - 1)) / (keep - 1).max(1))
        .collect();
    out.dedup();
    out
}

/// A numeric column of the encoding and what standardizes it.
#[derive(Debug, Clone)]
struct NumberAxis {
    /// The number's value in the student's encoding.
    current: f64,
    column: usize,
    mean: f64,
    scale: f64,
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
    /// The encoding of `student`, with `free` (a number about to be varied) set to its minimum
    /// first so its own text need not be valid.
    fn new(predictor: &'a Predictor, student: &Student, free: &str) -> Result<Self, InputError> {
        let mut student = student.clone();
        if let Some(Feature::Numeric { min, .. }) = predictor.feature(free) {
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

    /// Feature `i`'s column, when it is a number.
    fn number_axis(&self, i: usize) -> Option<NumberAxis> {
        match (
            &self.predictor.features()[i],
            &self.predictor.bundle().preprocessor.steps[i],
        ) {
            (Feature::Numeric { .. }, Step::Standardize { mean, scale, .. }) => Some(NumberAxis {
                current: self.raw[i],
                column: self.starts[i],
                mean: *mean,
                scale: *scale,
            }),
            _ => None,
        }
    }

    fn category(&self, i: usize) -> usize {
        let width = self.predictor.features()[i].width();
        (0..width)
            .position(|j| self.x[self.starts[i] + j] == 1.0)
            .unwrap_or(0)
    }

    fn set_number(&mut self, axis: &NumberAxis, value: f64) {
        self.x[axis.column] = standardized(value, axis.mean, axis.scale);
    }

    fn estimate(&self) -> Estimate {
        self.predictor.estimate_encoded(&self.x)
    }
}
