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

pub use decision_tree::DecisionTree;
pub use knn::Knn;
pub use linear::{Lasso, LinearRegression, Ridge};

/// Hyper-parameters by name, as the grid file and the report write them.
pub use model::report::Params;

/// A hyper-parameter that cannot be used, named by the grid file's table and key:
/// `[knn] k: 0 is not a positive whole number`.
#[derive(Debug, thiserror::Error)]
#[error("[{family}] {param}: {problem}")]
pub struct ParamError {
    pub family: &'static str,
    pub param: String,
    pub problem: String,
}

/// A family's hyper-parameters at one grid point, typed (linfa's checked parameters): serde
/// reads the grid point (`deny_unknown_fields`; `Default` fills in what the grid leaves out),
/// then [`HyperParams::check`] refuses the values a fit cannot use, before anything is fitted.
pub(crate) trait HyperParams: serde::de::DeserializeOwned {
    /// The first rule the values break (k ≥ 1, a share in (0, 1], …), with its key.
    fn check(&self) -> Result<(), BadValue>;
}

/// A value a fit cannot use: its key and what is wrong with it.
#[derive(Debug)]
pub(crate) struct BadValue {
    pub key: &'static str,
    pub problem: String,
}

/// The grid point `params` of `family` read as `P` and checked.
pub(crate) fn read<P: HyperParams>(family: &'static str, params: &Params) -> Result<P, ParamError> {
    let value =
        serde_json::Value::Object(params.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
    let typed: P = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let problem = e.into_inner().to_string();
        // serde names an unknown key in its message, not in the path.
        match problem
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
        {
            Some((key, expected)) => ParamError {
                family,
                param: key.into(),
                problem: match expected {
                    ", there are no fields" => "unknown parameter: the family takes none".into(),
                    _ => format!("unknown parameter{expected}"),
                },
            },
            None => ParamError {
                family,
                param: path,
                problem,
            },
        }
    })?;
    typed.check().map_err(|bad| ParamError {
        family,
        param: bad.key.into(),
        problem: bad.problem,
    })?;
    Ok(typed)
}

/// `value` of `key` must be a whole number in `range`.
pub(crate) fn whole(
    key: &'static str,
    value: usize,
    range: std::ops::RangeInclusive<usize>,
) -> Result<(), BadValue> {
    let problem = if range.contains(&value) {
        return Ok(());
    } else if value < *range.start() && *range.start() == 1 {
        format!("{value} is not a positive whole number")
    } else if value < *range.start() {
        format!("{value} is less than {}", range.start())
    } else {
        format!("{value} is more than {}", range.end())
    };
    Err(BadValue { key, problem })
}

/// `value` of `key` must pass `ok`, described as `what`.
pub(crate) fn number(
    key: &'static str,
    value: f64,
    ok: impl Fn(f64) -> bool,
    what: &str,
) -> Result<(), BadValue> {
    if ok(value) {
        return Ok(());
    }
    Err(BadValue {
        key,
        problem: format!("{} is not {what}", shown(&serde_json::Value::from(value))),
    })
}

/// A share in (0, 1].
pub(crate) fn share(v: f64) -> bool {
    v > 0.0 && v <= 1.0
}

/// A finite number above 0.
pub(crate) fn positive(v: f64) -> bool {
    v > 0.0 && v.is_finite()
}

/// A finite number of at least 0.
pub(crate) fn non_negative(v: f64) -> bool {
    v >= 0.0 && v.is_finite()
}

/// An optional depth limit: a whole number, or `"none"` (or null) for no limit.
pub(crate) fn depth_or_none<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<usize>, D::Error> {
    use serde::Deserialize;
    let v = serde_json::Value::deserialize(d)?;
    match &v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) if s == "none" => Ok(None),
        _ => match v.as_u64().map(usize::try_from) {
            Some(Ok(n)) => Ok(Some(n)),
            _ => Err(serde::de::Error::custom(format!(
                "{} is not a whole number or \"none\"",
                shown(&v)
            ))),
        },
    }
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

/// The hyper-parameters of a family whose fit of n stages (boosting rounds, forest trees) also
/// predicts with each smaller number of stages.
pub(crate) trait StagedParams: HyperParams + Clone + PartialEq + Sync {
    /// The key that counts the stages, e.g. `"n_estimators"`.
    const STAGES: &'static str;
    fn stages(&self) -> usize;
    fn with_stages(&self, n: usize) -> Self;
}

/// A fitted model of n stages that also predicts with its first m ≤ n.
pub(crate) trait StagedModel: Fitted + 'static {
    /// The predictions for `x` with the first `n` stages, for each `n` of `stages`.
    fn predict_stages(&self, x: &Array2<f64>, stages: &[usize]) -> anyhow::Result<Vec<Vec<f64>>>;
}

/// A family of staged models, all of it but its name and its fit shared: grid points that
/// differ only in their stage count share one fit of the largest count.
pub(crate) struct Staged<P, M> {
    pub name: &'static str,
    /// Fits with the given parameters; the seed drives every random choice.
    pub fit: fn(&P, &Array2<f64>, &Array1<f64>, u64) -> anyhow::Result<M>,
}

impl<P: StagedParams, M: StagedModel> Staged<P, M> {
    fn checked(&self, params: &Params) -> Result<P, ParamError> {
        read(self.name, params)
    }
}

impl<P: StagedParams, M: StagedModel> Family for Staged<P, M> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn check(&self, params: &Params) -> Result<(), ParamError> {
        self.checked(params).map(|_| ())
    }

    fn groups(&self, grid: &[Params]) -> Vec<Vec<usize>> {
        group_by_all_but(grid, P::STAGES)
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
        let (c, stages) = one_fit_for(self.name, points, P::stages, P::with_stages)?;
        (self.fit)(&c, x_fit, y_fit, seed)?.predict_stages(x_val, &stages)
    }

    fn fit(
        &self,
        params: &Params,
        x: &Array2<f64>,
        y: &Array1<f64>,
        seed: u64,
    ) -> anyhow::Result<Box<dyn Fitted>> {
        Ok(Box::new((self.fit)(&self.checked(params)?, x, y, seed)?))
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
        Box::new(random_forest::RANDOM_FOREST),
        Box::new(Knn),
        Box::new(gradient_boosting::GRADIENT_BOOSTING),
        Box::new(xgboost::XGBOOST),
        Box::new(adaboost::ADABOOST),
        Box::new(catboost::CATBOOST),
    ]
}

/// The family called `name` in grids and reports, if there is one.
pub fn by_name(name: &str) -> Option<Box<dyn Family>> {
    all().into_iter().find(|f| f.name() == name)
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

/// The quick preset's grids (`trainer/grids-quick.toml`): a few points of each family's.
pub const QUICK_GRIDS: &str = include_str!("../../grids-quick.toml");

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
                "[{}] {name}: the list of values to try is empty",
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The message `family` gives for the grid point `point`.
    fn refused(family: &str, point: serde_json::Value) -> String {
        let p: Params = serde_json::from_value(point).unwrap();
        by_name(family).unwrap().check(&p).unwrap_err().to_string()
    }

    #[test]
    fn every_rule_names_the_table_and_the_key() {
        let minus = model::text::MINUS;
        for (family, point, message) in [
            ("knn", json!({"k": 0}), "[knn] k: 0 is not a positive whole number".to_owned()),
            ("knn", json!({"k": -3}), "[knn] k: invalid value: integer `-3`, expected usize".into()),
            ("decision_tree", json!({"max_depth": 0}), "[decision_tree] max_depth: 0 is not a positive whole number".into()),
            ("decision_tree", json!({"max_depth": 65}), "[decision_tree] max_depth: 65 is more than 64".into()),
            ("decision_tree", json!({"max_depth": 2.5}), "[decision_tree] max_depth: 2.5 is not a whole number or \"none\"".into()),
            ("decision_tree", json!({"max_depth": "all"}), "[decision_tree] max_depth: \"all\" is not a whole number or \"none\"".into()),
            ("decision_tree", json!({"min_samples_split": 1}), "[decision_tree] min_samples_split: 1 is less than 2".into()),
            ("random_forest", json!({"max_features": 0.0}), "[random_forest] max_features: 0.0 is not a share of the columns in (0, 1]".into()),
            ("random_forest", json!({"n_estimators": 5001}), "[random_forest] n_estimators: 5001 is more than 5000".into()),
            ("random_forest", json!({"max_depth": 99_999_999_999u64}), "[random_forest] max_depth: 99999999999 is more than 64".into()),
            ("gradient_boosting", json!({"subsample": 1.5}), "[gradient_boosting] subsample: 1.5 is not a share above 0 and at most 1".into()),
            ("gradient_boosting", json!({"learning_rate": 0}), "[gradient_boosting] learning_rate: 0.0 is not a finite number above 0".into()),
            ("xgboost", json!({"gamma": -1.0}), format!("[xgboost] gamma: {minus}1.0 is not a finite number of at least 0")),
            ("xgboost", json!({"learning_rate": 2.0}), "[xgboost] learning_rate: 2.0 is not a number above 0 and at most 1".into()),
            ("adaboost", json!({"loss": "huber"}), "[adaboost] loss: unknown variant `huber`, expected one of `linear`, `square`, `exponential`".into()),
            ("adaboost", json!({"max_depth": 33}), "[adaboost] max_depth: 33 is more than 32".into()),
            ("catboost", json!({"depth": 11}), "[catboost] depth: 11 is more than 10".into()),
            ("catboost", json!({"border_count": 0}), "[catboost] border_count: 0 is not a positive whole number".into()),
            ("ridge", json!({"alpha": 0.0}), "[ridge] alpha: 0.0 is not a positive number".into()),
            ("lasso", json!({"alpha": "big"}), "[lasso] alpha: invalid type: string \"big\", expected f64".into()),
            ("lasso", json!({"alpha": null}), "[lasso] alpha: invalid type: null, expected f64".into()),
            ("ridge", json!({"alpha": 1.0, "l1_ratio": 0.5}), "[ridge] l1_ratio: unknown parameter, expected `alpha`".into()),
            ("linear_regression", json!({"alpha": 1.0}), "[linear_regression] alpha: unknown parameter: the family takes none".into()),
        ] {
            assert_eq!(refused(family, point.clone()), message, "{family} {point}");
        }
    }

    #[test]
    fn what_a_grid_point_leaves_out_is_the_default_and_none_lifts_a_depth_limit() {
        for family in all() {
            family.check(&Params::new()).unwrap();
        }
        let tree = by_name("decision_tree").unwrap();
        for depth in [json!("none"), json!(null), json!(1), json!(64)] {
            tree.check(&[("max_depth".to_owned(), depth)].into())
                .unwrap();
        }
        // Integers stand for whole-valued numbers where a number is wanted.
        by_name("ridge")
            .unwrap()
            .check(&[("alpha".to_owned(), json!(3))].into())
            .unwrap();
    }

    #[test]
    fn an_empty_list_in_the_grid_file_is_named() {
        let spec = parse_grids("[knn]\nk = []\n").unwrap();
        let err = plan(&all(), &spec).err().unwrap().to_string();
        assert_eq!(err, "[knn] k: the list of values to try is empty");
    }
}
