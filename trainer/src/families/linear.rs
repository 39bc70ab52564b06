//! Linear models from smartcore: ordinary least squares, ridge and lasso.

use anyhow::Context;
use ndarray::{Array1, Array2};
use smartcore::linear::lasso::{Lasso as SmartLasso, LassoParameters};
use smartcore::linear::linear_regression::{
    LinearRegression as SmartLinear, LinearRegressionParameters, LinearRegressionSolverName,
};
use smartcore::linear::ridge_regression::{
    RidgeRegression, RidgeRegressionParameters, RidgeRegressionSolverName,
};

use serde::Deserialize;

use super::{number, positive, read, BadValue, Family, Fitted, HyperParams, ParamError, Params};

/// A fitted linear model as intercept and coefficients, predicting exactly as it exports.
struct Linear {
    intercept: f64,
    coefficients: Vec<f64>,
}

impl Linear {
    fn new(intercept: f64, coefficients: &Array2<f64>) -> Self {
        Self {
            intercept,
            coefficients: coefficients.column(0).to_vec(),
        }
    }
}

impl Fitted for Linear {
    fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<f64>> {
        Ok(x.rows()
            .into_iter()
            .map(|row| {
                self.intercept
                    + self
                        .coefficients
                        .iter()
                        .zip(row)
                        .map(|(c, v)| c * v)
                        .sum::<f64>()
            })
            .collect())
    }

    fn export(&self) -> anyhow::Result<model::Model> {
        Ok(model::Model::Linear {
            intercept: self.intercept,
            coefficients: self.coefficients.clone(),
        })
    }
}

/// Ordinary least squares. One-hot over every category plus an intercept makes the design
/// rank-deficient; smartcore's QR solver then returns degraded fits, its SVD solver the
/// minimum-norm least-squares fit.
pub struct LinearRegression;

impl Family for LinearRegression {
    fn name(&self) -> &'static str {
        "linear_regression"
    }

    fn check(&self, params: &Params) -> Result<(), ParamError> {
        read::<NoParams>(self.name(), params).map(|_| ())
    }

    fn fit(
        &self,
        params: &Params,
        x: &Array2<f64>,
        y: &Array1<f64>,
        _seed: u64,
    ) -> anyhow::Result<Box<dyn Fitted>> {
        self.check(params)?;
        let fitted: SmartLinear<f64, f64, Array2<f64>, Array1<f64>> = SmartLinear::fit(
            x,
            y,
            LinearRegressionParameters::default().with_solver(LinearRegressionSolverName::SVD),
        )
        .context("fitting linear regression")?;
        Ok(Box::new(Linear::new(
            *fitted.intercept(),
            fitted.coefficients(),
        )))
    }
}

/// L2-penalised least squares (`alpha`) on the encoded design, the intercept not penalised,
/// like scikit-learn's `Ridge`.
pub struct Ridge;

impl Family for Ridge {
    fn name(&self) -> &'static str {
        "ridge"
    }

    fn check(&self, params: &Params) -> Result<(), ParamError> {
        alpha(self.name(), params).map(|_| ())
    }

    fn fit(
        &self,
        params: &Params,
        x: &Array2<f64>,
        y: &Array1<f64>,
        _seed: u64,
    ) -> anyhow::Result<Box<dyn Fitted>> {
        let alpha = alpha(self.name(), params)?;
        // smartcore fits no intercept unless it also rescales every column; centre X and y
        // instead (as scikit-learn does), solve without an intercept, then recover it.
        let x_mean = x.mean_axis(ndarray::Axis(0)).context("empty design")?;
        let y_mean = y.mean().context("empty target")?;
        let xc = x - &x_mean;
        let yc = y - y_mean;
        let fitted: RidgeRegression<f64, f64, Array2<f64>, Array1<f64>> = RidgeRegression::fit(
            &xc,
            &yc,
            RidgeRegressionParameters::default()
                .with_alpha(alpha)
                .with_normalize(false)
                .with_solver(RidgeRegressionSolverName::SVD),
        )
        .context("fitting ridge regression")?;
        let w = fitted.coefficients();
        let intercept = y_mean - w.column(0).dot(&x_mean);
        Ok(Box::new(Linear::new(intercept, w)))
    }
}

/// L1-penalised least squares (`alpha`) (smartcore's interior-point solver), the objective of scikit-learn's `Lasso`.
pub struct Lasso;

impl Family for Lasso {
    fn name(&self) -> &'static str {
        "lasso"
    }

    fn check(&self, params: &Params) -> Result<(), ParamError> {
        alpha(self.name(), params).map(|_| ())
    }

    fn fit(
        &self,
        params: &Params,
        x: &Array2<f64>,
        y: &Array1<f64>,
        _seed: u64,
    ) -> anyhow::Result<Box<dyn Fitted>> {
        let alpha = alpha(self.name(), params)?;
        let fitted: SmartLasso<f64, f64, Array2<f64>, Array1<f64>> = SmartLasso::fit(
            x,
            y,
            LassoParameters::default()
                .with_alpha(alpha)
                .with_normalize(false)
                .with_max_iter(10_000),
        )
        .context("fitting lasso")?;
        Ok(Box::new(Linear::new(
            *fitted.intercept(),
            fitted.coefficients(),
        )))
    }
}

/// Ordinary least squares has no hyper-parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoParams {}

impl HyperParams for NoParams {
    fn check(&self) -> Result<(), BadValue> {
        Ok(())
    }
}

/// The one parameter of ridge and lasso: the penalty (scikit-learn's default 1.0).
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Penalty {
    alpha: f64,
}

impl Default for Penalty {
    fn default() -> Self {
        Self { alpha: 1.0 }
    }
}

impl HyperParams for Penalty {
    fn check(&self) -> Result<(), BadValue> {
        number("alpha", self.alpha, positive, "a positive number")
    }
}

/// The penalty `alpha` of ridge or lasso, checked.
fn alpha(family: &'static str, params: &Params) -> Result<f64, ParamError> {
    read::<Penalty>(family, params).map(|p| p.alpha)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn ridge_shrinks_towards_zero_as_alpha_grows_and_lasso_zeroes_weak_columns() {
        let x = Array2::from_shape_fn((60, 2), |(i, j)| ((i * 7 + j * 13) % 11) as f64 - 5.0);
        let y: Array1<f64> = x
            .rows()
            .into_iter()
            .map(|r| 3.0 * r[0] + 0.05 * r[1] + 10.0)
            .collect();
        let coef = |family: &dyn Family, a: f64| {
            let p: Params = [("alpha".to_owned(), serde_json::json!(a))].into();
            match family.fit(&p, &x, &y, 0).unwrap().export().unwrap() {
                model::Model::Linear { coefficients, .. } => coefficients,
                other => panic!("{other:?}"),
            }
        };
        let small = coef(&Ridge, 0.01);
        let large = coef(&Ridge, 1000.0);
        assert!((small[0] - 3.0).abs() < 0.01, "{small:?}");
        assert!(large[0].abs() < small[0].abs());
        let lasso = coef(&Lasso, 2.0);
        // smartcore solves the lasso by an interior-point method: near zero, not exactly.
        assert!(lasso[1].abs() < 1e-3, "{lasso:?}");
        assert!(lasso[0] > 2.0, "{lasso:?}");
    }

    #[test]
    fn ols_recovers_an_exact_linear_relation() {
        let x: Array2<f64> = array![[1.0, 0.0], [2.0, 1.0], [3.0, 0.0], [4.0, 1.0], [5.0, 3.0]];
        let y: Array1<f64> = x
            .rows()
            .into_iter()
            .map(|r| 2.0 * r[0] - r[1] + 1.0)
            .collect();
        let fitted = LinearRegression.fit(&Params::new(), &x, &y, 0).unwrap();
        for (p, t) in fitted.predict(&x).unwrap().iter().zip(&y) {
            assert!((p - t).abs() < 1e-9);
        }
    }

    #[test]
    fn a_bad_alpha_is_named() {
        let p: Params = [("alpha".to_owned(), serde_json::json!(-1.0))].into();
        let err = Ridge.check(&p).unwrap_err().to_string();
        assert_eq!(err, "[ridge] alpha: \u{2212}1.0 is not a positive number");
        let p: Params = [("alpah".to_owned(), serde_json::json!(1.0))].into();
        assert_eq!(
            Lasso.check(&p).unwrap_err().to_string(),
            "[lasso] alpah: unknown parameter, expected `alpha`"
        );
        assert_eq!(alpha("lasso", &Params::new()).unwrap(), 1.0);
        // Ordinary least squares takes none.
        let p: Params = [("fit_intercept".to_owned(), serde_json::json!(true))].into();
        assert_eq!(
            LinearRegression.check(&p).unwrap_err().to_string(),
            "[linear_regression] fit_intercept: unknown parameter: the family takes none"
        );
    }
}
