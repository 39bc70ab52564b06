//! Model families: each turns checked hyper-parameters and a design matrix into a fitted model
//! that predicts in memory and exports to the model format.

use std::collections::BTreeMap;

use ndarray::{Array1, Array2};

mod adaboost;
mod cart;
mod catboost;
mod decision_tree;
mod gradient_boosting;
mod knn;
mod linear;
mod random_forest;
mod xgboost;

pub use adaboost::AdaBoost;
pub use catboost::CatBoost;
pub use decision_tree::DecisionTree;
pub use gradient_boosting::GradientBoosting;
pub use knn::Knn;
pub use linear::{Lasso, LinearRegression, Ridge};
pub use random_forest::RandomForest;
pub use xgboost::XGBoost;

/// Hyper-parameters by name, as the grid file and the report write them.
pub use model::report::Params;

/// A hyper-parameter that cannot be used, named.
#[derive(Debug, thiserror::Error)]
#[error("{family}: parameter {param:?}: {problem}")]
pub struct ParamError {
    pub family: &'static str,
    pub param: String,
    pub problem: String,
}

pub trait Family: Sync {
    /// The name in grids, reports and `--family`, e.g. `"decision_tree"`.
    fn name(&self) -> &'static str;

    /// Checks one grid point before anything is fitted.
    fn check(&self, params: &Params) -> Result<(), ParamError>;

    /// Why the grid point `params` cannot be scored on folds that fit on `rows` rows of
    /// `columns` raw features (k-NN's `k` above `rows`, say), or `None` when it suits them.
    /// Such a point is skipped with this reason before anything is fitted.
    fn unsuited(&self, params: &Params, rows: usize, columns: usize) -> Option<String> {
        let _ = (params, rows, columns);
        None
    }

    /// Grid points that one fit can score together (boosting stages, say), as index lists into
    /// `grid` covering every point once. By default each point is fitted on its own.
    fn groups(&self, grid: &[Params]) -> Vec<Vec<usize>> {
        (0..grid.len()).map(|i| vec![i]).collect()
    }

    /// Fits once for a group from [`Family::groups`] and predicts `x_val` for each of its
    /// points, in order.
    fn fit_predict_group(
        &self,
        group: &[&Params],
        x_fit: &Array2<f64>,
        y_fit: &Array1<f64>,
        x_val: &Array2<f64>,
        seed: u64,
    ) -> anyhow::Result<Vec<Vec<f64>>> {
        group
            .iter()
            .map(|p| self.fit(p, x_fit, y_fit, seed)?.predict(x_val))
            .collect()
    }

    /// Fits on `x`, `y`; `seed` drives every random choice.
    fn fit(
        &self,
        params: &Params,
        x: &Array2<f64>,
        y: &Array1<f64>,
        seed: u64,
    ) -> anyhow::Result<Box<dyn Fitted>>;
}

/// A family whose fit of n stages (boosting rounds, forest trees) also predicts with each
/// smaller number of stages: grid points that differ only in that number share one fit. Its
/// [`Family`] implementation comes from here.
pub(crate) trait Staged: Sync {
    /// The family's checked hyper-parameters.
    type Checked: Clone + PartialEq;
    type Model: Fitted + 'static;
    const NAME: &'static str;
    /// The hyper-parameter that counts the stages, e.g. `"n_estimators"`.
    const STAGES: &'static str;

    fn checked(&self, params: &Params) -> Result<Self::Checked, ParamError>;
    fn stages(c: &Self::Checked) -> usize;
    fn with_stages(c: &Self::Checked, n: usize) -> Self::Checked;
    fn fit_model(
        &self,
        c: &Self::Checked,
        x: &Array2<f64>,
        y: &Array1<f64>,
        seed: u64,
    ) -> anyhow::Result<Self::Model>;
    /// `model`'s predictions for `x` with its first `n` stages, for each `n` of `stages`.
    fn predict_stages(
        model: &Self::Model,
        x: &Array2<f64>,
        stages: &[usize],
    ) -> anyhow::Result<Vec<Vec<f64>>>;
}

impl<T: Staged> Family for T {
    fn name(&self) -> &'static str {
        T::NAME
    }

    fn check(&self, params: &Params) -> Result<(), ParamError> {
        self.checked(params).map(|_| ())
    }

    fn groups(&self, grid: &[Params]) -> Vec<Vec<usize>> {
        group_by_all_but(grid, T::STAGES)
    }

    /// One fit of the group's largest stage count; each point predicts with its first stages.
    fn fit_predict_group(
        &self,
        group: &[&Params],
        x_fit: &Array2<f64>,
        y_fit: &Array1<f64>,
        x_val: &Array2<f64>,
        seed: u64,
    ) -> anyhow::Result<Vec<Vec<f64>>> {
        let points = group
            .iter()
            .map(|p| self.checked(p))
            .collect::<Result<Vec<_>, _>>()?;
        let (c, stages) = one_fit_for(T::NAME, points, T::stages, T::with_stages)?;
        T::predict_stages(&self.fit_model(&c, x_fit, y_fit, seed)?, x_val, &stages)
    }

    fn fit(
        &self,
        params: &Params,
        x: &Array2<f64>,
        y: &Array1<f64>,
        seed: u64,
    ) -> anyhow::Result<Box<dyn Fitted>> {
        Ok(Box::new(self.fit_model(
            &self.checked(params)?,
            x,
            y,
            seed,
        )?))
    }
}

pub trait Fitted: Send + Sync {
    fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<f64>>;
    /// The model in the exchange format; it must predict what [`Fitted::predict`] does.
    fn export(&self) -> anyhow::Result<model::Model>;
}

/// Every family, in report order.
pub fn all() -> Vec<Box<dyn Family>> {
    vec![
        Box::new(LinearRegression),
        Box::new(Ridge),
        Box::new(Lasso),
        Box::new(DecisionTree),
        Box::new(RandomForest),
        Box::new(Knn),
        Box::new(GradientBoosting),
        Box::new(XGBoost),
        Box::new(AdaBoost),
        Box::new(CatBoost),
    ]
}

/// Groups grid points that differ only in `stages` (e.g. `"n_estimators"`): each group lists
/// its points by index, in grid order, so one fit of the largest stage count scores them all.
pub fn group_by_all_but(grid: &[Params], stages: &str) -> Vec<Vec<usize>> {
    let mut groups: Vec<(Params, Vec<usize>)> = Vec::new();
    for (i, p) in grid.iter().enumerate() {
        let mut key = p.clone();
        key.remove(stages);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    groups.into_iter().map(|(_, members)| members).collect()
}

/// A group of grid points that differ only in their stage count: the parameters to fit once
/// (with the largest count) and each point's count, in order. `stages` reads a point's count
/// and `with_stages` sets it.
fn one_fit_for<C: Clone + PartialEq>(
    family: &str,
    points: Vec<C>,
    stages: impl Fn(&C) -> usize,
    with_stages: impl Fn(&C, usize) -> C,
) -> anyhow::Result<(C, Vec<usize>)> {
    let counts: Vec<usize> = points.iter().map(&stages).collect();
    let most = counts.iter().copied().max();
    let (Some(first), Some(most)) = (points.first(), most) else {
        anyhow::bail!("{family}: an empty group of grid points");
    };
    let fit = with_stages(first, most);
    anyhow::ensure!(
        points.iter().all(|p| with_stages(p, most) == fit),
        "{family}: grid points of one group differ in more than their stage count"
    );
    Ok((fit, counts))
}

/// The grids: for each family, the parameters and the values to try.
pub type GridSpec = BTreeMap<String, BTreeMap<String, Vec<serde_json::Value>>>;

/// The default grids (`trainer/grids.toml`), compiled in.
pub const DEFAULT_GRIDS: &str = include_str!("../../grids.toml");

/// Reads a grid file (TOML, see `trainer/grids.toml`); the error is the TOML parser's message
/// (line, column and what it expected).
pub fn parse_grids(text: &str) -> Result<GridSpec, toml::de::Error> {
    toml::from_str(text)
}

/// Every combination of a family's parameter values, the first parameter (in name order)
/// varying slowest. A family with no parameters has one grid point: the empty one.
pub fn expand(params: &BTreeMap<String, Vec<serde_json::Value>>) -> Vec<Params> {
    let mut points = vec![Params::new()];
    for (name, values) in params {
        points = points
            .into_iter()
            .flat_map(|p| {
                values.iter().map(move |v| {
                    let mut q = p.clone();
                    q.insert(name.clone(), v.clone());
                    q
                })
            })
            .collect();
    }
    points
}

/// The most grid points one family may have (the default grids have at most 144).
pub const MAX_GRID_POINTS: usize = 10_000;

/// The families a grid file names, each with its expanded, checked grid, in report order.
pub fn plan<'a>(
    families: &'a [Box<dyn Family>],
    spec: &GridSpec,
) -> anyhow::Result<Vec<(&'a dyn Family, Vec<Params>)>> {
    if let Some(unknown) = spec
        .keys()
        .find(|k| !families.iter().any(|f| f.name() == *k))
    {
        anyhow::bail!(crate::BadInput(format!(
            "grid: unknown family {unknown:?}; known: {}",
            families
                .iter()
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut out = Vec::new();
    for family in families {
        let Some(params) = spec.get(family.name()) else {
            continue;
        };
        if let Some((name, _)) = params.iter().find(|(_, v)| v.is_empty()) {
            anyhow::bail!(crate::BadInput(format!(
                "grid: {}: parameter {name:?} has no values",
                family.name()
            )));
        }
        // Counted before expanding: a few short lines can multiply to billions of points.
        let points = params
            .values()
            .try_fold(1usize, |n, v| n.checked_mul(v.len()))
            .filter(|&n| n <= MAX_GRID_POINTS);
        if points.is_none() {
            anyhow::bail!(
                "grid: {}: {} has more than {MAX_GRID_POINTS} combinations",
                family.name(),
                params
                    .iter()
                    .map(|(name, v)| format!("{} {name}", v.len()))
                    .collect::<Vec<_>>()
                    .join(" × ")
            );
        }
        let grid = expand(params);
        for p in &grid {
            family.check(p)?;
        }
        out.push((family.as_ref(), grid));
    }
    Ok(out)
}

/// A grid value as an error message shows it: numbers with the U+2212 minus sign.
fn shown(v: &serde_json::Value) -> String {
    let text = v.to_string();
    match text.strip_prefix('-') {
        Some(rest) if v.is_number() => format!("{}{rest}", model::text::MINUS),
        _ => text,
    }
}

/// Reads helpers for grid points: each names the parameter and the family on error.
pub(crate) struct Reader<'a> {
    pub family: &'static str,
    pub params: &'a Params,
}

impl Reader<'_> {
    fn error(&self, param: &str, problem: impl Into<String>) -> ParamError {
        ParamError {
            family: self.family,
            param: param.into(),
            problem: problem.into(),
        }
    }

    /// Refuses names the family does not know (a typo in a grid file must not pass silently).
    pub fn only(&self, known: &[&str]) -> Result<(), ParamError> {
        match self.params.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(self.error(k, format!("unknown; known: {}", known.join(", ")))),
            None => Ok(()),
        }
    }

    /// An optional whole number within `range` (`"none"`, `null` or absent → `None`).
    pub fn opt_usize(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<Option<usize>, ParamError> {
        match self.params.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) if s == "none" => Ok(None),
            Some(v) => match v.as_u64() {
                Some(n) if range.contains(&(n as usize)) => Ok(Some(n as usize)),
                _ => Err(self.error(
                    name,
                    format!(
                        "{} is not a whole number from {} to {}",
                        shown(v),
                        range.start(),
                        range.end()
                    ),
                )),
            },
        }
    }

    /// A number accepted by `ok` (described as `what` in the error), or `default`.
    pub fn f64_or(
        &self,
        name: &str,
        default: f64,
        ok: impl Fn(f64) -> bool,
        what: &str,
    ) -> Result<f64, ParamError> {
        match self.params.get(name) {
            None => Ok(default),
            Some(v) => match v.as_f64() {
                Some(x) if ok(x) => Ok(x),
                _ => Err(self.error(name, format!("{} is not {what}", shown(v)))),
            },
        }
    }

    /// A string among `allowed`, or `default`.
    pub fn choice_or(
        &self,
        name: &str,
        default: &'static str,
        allowed: &[&'static str],
    ) -> Result<&'static str, ParamError> {
        match self.params.get(name) {
            None => Ok(default),
            Some(v) => v
                .as_str()
                .and_then(|s| allowed.iter().find(|a| **a == s).copied())
                .ok_or_else(|| {
                    self.error(
                        name,
                        format!("{} is not one of: {}", shown(v), allowed.join(", ")),
                    )
                }),
        }
    }

    pub fn usize_or(
        &self,
        name: &str,
        default: usize,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<usize, ParamError> {
        Ok(self.opt_usize(name, range)?.unwrap_or(default))
    }
}
