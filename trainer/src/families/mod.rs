//! Model families: each turns checked hyper-parameters and a design matrix into a fitted model
//! that predicts in memory and exports to the model format.

use std::collections::BTreeMap;

use ndarray::{Array1, Array2};

mod decision_tree;
mod linear;

pub use decision_tree::DecisionTree;
pub use linear::LinearRegression;

/// Hyper-parameters by name, as the grid file and the report write them.
pub type Params = BTreeMap<String, serde_json::Value>;

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

    /// The grid searched when no grid file overrides it.
    fn default_grid(&self) -> Vec<Params>;

    /// Checks one grid point before anything is fitted.
    fn check(&self, params: &Params) -> Result<(), ParamError>;

    /// Fits on `x`, `y`; `seed` drives every random choice.
    fn fit(
        &self,
        params: &Params,
        x: &Array2<f64>,
        y: &Array1<f64>,
        seed: u64,
    ) -> anyhow::Result<Box<dyn Fitted>>;
}

pub trait Fitted: Send + Sync {
    fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<f64>>;
    /// The model in the exchange format; it must predict what [`Fitted::predict`] does.
    fn export(&self) -> anyhow::Result<model::Model>;
}

/// Every family, in report order.
pub fn all() -> Vec<Box<dyn Family>> {
    vec![Box::new(LinearRegression), Box::new(DecisionTree)]
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

    /// An optional whole number within `range` (`null` or absent → `None`).
    pub fn opt_usize(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<Option<usize>, ParamError> {
        match self.params.get(name) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(v) => match v.as_u64() {
                Some(n) if range.contains(&(n as usize)) => Ok(Some(n as usize)),
                _ => Err(self.error(
                    name,
                    format!(
                        "{v} is not a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                )),
            },
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

/// A grid point from `name = value` pairs.
pub(crate) fn params<const N: usize>(pairs: [(&str, serde_json::Value); N]) -> Params {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
