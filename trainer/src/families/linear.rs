//! Ordinary least squares (smartcore, SVD solver).

use anyhow::Context;
use ndarray::{Array1, Array2};
use smartcore::linear::linear_regression::{
    LinearRegression as SmartLinear, LinearRegressionParameters, LinearRegressionSolverName,
};

use super::{Family, Fitted, ParamError, Params, Reader};

/// One-hot over every category plus an intercept makes the design rank-deficient; smartcore's
/// QR solver then returns degraded fits, its SVD solver the minimum-norm least-squares fit.
pub struct LinearRegression;

impl Family for LinearRegression {
    fn name(&self) -> &'static str {
        "linear_regression"
    }

    fn check(&self, params: &Params) -> Result<(), ParamError> {
        Reader {
            family: self.name(),
            params,
        }
        .only(&[])
    }

    fn fit(
        &self,
        params: &Params,
        x: &Array2<f64>,
        y: &Array1<f64>,
        _seed: u64,
    ) -> anyhow::Result<Box<dyn Fitted>> {
        self.check(params)?;
        let fitted = SmartLinear::fit(
            x,
            y,
            LinearRegressionParameters::default().with_solver(LinearRegressionSolverName::SVD),
        )
        .context("fitting linear regression")?;
        Ok(Box::new(Linear(fitted)))
    }
}

struct Linear(SmartLinear<f64, f64, Array2<f64>, Array1<f64>>);

impl Fitted for Linear {
    fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<f64>> {
        Ok(self
            .0
            .predict(x)
            .context("linear regression predict")?
            .to_vec())
    }

    fn export(&self) -> anyhow::Result<model::Model> {
        Ok(model::Model::Linear {
            intercept: *self.0.intercept(),
            coefficients: self.0.coefficients().column(0).to_vec(),
        })
    }
}
