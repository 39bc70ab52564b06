//! k-nearest neighbours over the encoded rows (Euclidean distance), uniform or distance
//! weighted, like scikit-learn's `KNeighborsRegressor`. Neighbour search and averaging are the
//! model crate's (`model::nearest`, `model::knn_predict`), so the exported model is the fitted
//! one by construction: the fit keeps the training rows.

use ndarray::{Array1, Array2};

use serde::Deserialize;

use super::{read, whole, BadValue, Family, Fitted, HyperParams, ParamError, Params};
use model::KnnWeighting;

pub struct Knn;

/// A grid point (scikit-learn's defaults).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Checked {
    k: usize,
    #[serde(rename = "weights")]
    weighting: KnnWeighting,
}

impl Default for Checked {
    fn default() -> Self {
        Self {
            k: 5,
            weighting: KnnWeighting::Uniform,
        }
    }
}

impl HyperParams for Checked {
    fn check(&self) -> Result<(), BadValue> {
        whole("k", self.k, 1..=1000)
    }
}

impl Knn {
    fn read(&self, p: &Params) -> Result<Checked, ParamError> {
        read(self.name(), p)
    }
}

impl Family for Knn {
    fn name(&self) -> &'static str {
        "knn"
    }

    fn check(&self, params: &Params) -> Result<(), ParamError> {
        self.read(params).map(|_| ())
    }

    fn unsuited(&self, params: &Params, rows: usize, _columns: usize) -> Option<String> {
        let c = self.read(params).ok()?;
        (c.k > rows).then(|| format!("k = {} is more than the {rows} rows a fold fits on", c.k))
    }

    /// Every grid point shares one neighbour search per validation row.
    fn groups(&self, grid: &[Params]) -> Vec<Vec<usize>> {
        vec![(0..grid.len()).collect()]
    }

    fn fit_predict_group(
        &self,
        group: &[&Params],
        x_fit: &Array2<f64>,
        y_fit: &Array1<f64>,
        x_val: &Array2<f64>,
        _seed: u64,
    ) -> anyhow::Result<Vec<Vec<f64>>> {
        let checked: Vec<Checked> = group
            .iter()
            .map(|p| self.read(p))
            .collect::<Result<_, _>>()?;
        let points = rows(x_fit);
        let k_max = checked.iter().map(|c| c.k).max().unwrap_or(1);
        anyhow::ensure!(
            k_max <= points.len(),
            "knn: k = {k_max} is more than the {} training rows",
            points.len()
        );
        let targets = y_fit.to_vec();
        let mut out = vec![Vec::with_capacity(x_val.nrows()); checked.len()];
        for row in x_val.rows() {
            let x = row.to_vec();
            let near = model::nearest(k_max, &points, &x);
            for (c, predictions) in checked.iter().zip(&mut out) {
                // The k nearest are a prefix of the k_max nearest (same tie-breaking).
                predictions.push(model::knn_average(c.weighting, &near[..c.k], &targets));
            }
        }
        Ok(out)
    }

    fn fit(
        &self,
        params: &Params,
        x: &Array2<f64>,
        y: &Array1<f64>,
        _seed: u64,
    ) -> anyhow::Result<Box<dyn Fitted>> {
        let c = self.read(params)?;
        anyhow::ensure!(
            c.k <= x.nrows(),
            "knn: k = {} is more than the {} training rows",
            c.k,
            x.nrows()
        );
        Ok(Box::new(FittedKnn {
            k: c.k,
            weighting: c.weighting,
            points: rows(x),
            targets: y.to_vec(),
        }))
    }
}

fn rows(x: &Array2<f64>) -> Vec<Vec<f64>> {
    x.rows().into_iter().map(|r| r.to_vec()).collect()
}

struct FittedKnn {
    k: usize,
    weighting: KnnWeighting,
    points: Vec<Vec<f64>>,
    targets: Vec<f64>,
}

impl Fitted for FittedKnn {
    fn predict(&self, x: &Array2<f64>) -> anyhow::Result<Vec<f64>> {
        Ok(x.rows()
            .into_iter()
            .map(|r| {
                model::knn_predict(
                    self.k,
                    self.weighting,
                    &self.points,
                    &self.targets,
                    &r.to_vec(),
                )
            })
            .collect())
    }

    fn export(&self) -> anyhow::Result<model::Model> {
        Ok(model::Model::Knn {
            k: u32::try_from(self.k)?,
            weighting: self.weighting,
            points: self.points.clone(),
            targets: self.targets.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn grouped_predictions_equal_separate_fits() {
        let x = Array2::from_shape_fn((50, 2), |(i, j)| ((i * 17 + j * 5) % 9) as f64);
        let y: Array1<f64> = (0..50).map(|i| (i % 7) as f64).collect();
        let grid: Vec<Params> = [
            (1, "uniform"),
            (5, "distance"),
            (3, "uniform"),
            (7, "distance"),
        ]
        .iter()
        .map(|(k, w)| [("k".to_owned(), json!(k)), ("weights".to_owned(), json!(w))].into())
        .collect();
        let refs: Vec<&Params> = grid.iter().collect();
        let grouped = Knn.fit_predict_group(&refs, &x, &y, &x, 0).unwrap();
        for (p, staged) in grid.iter().zip(&grouped) {
            let alone = Knn.fit(p, &x, &y, 0).unwrap().predict(&x).unwrap();
            assert_eq!(&alone, staged, "{p:?}");
        }
        // k = 1 on the training rows themselves reproduces the first row at each location.
        assert_eq!(grouped[0][0], y[0]);
    }

    #[test]
    fn bad_parameters_are_named() {
        for (key, value, message) in [
            (
                "weights",
                json!("cosine"),
                "[knn] weights: unknown variant `cosine`, expected `uniform` or `distance`",
            ),
            ("k", json!(0), "[knn] k: 0 is not a positive whole number"),
            ("k", json!(1001), "[knn] k: 1001 is more than 1000"),
            (
                "k",
                json!(2.5),
                "[knn] k: invalid type: floating point `2.5`, expected usize",
            ),
            (
                "neighbours",
                json!(3),
                "[knn] neighbours: unknown parameter, expected `k` or `weights`",
            ),
        ] {
            let p: Params = [(key.to_owned(), value)].into();
            assert_eq!(Knn.check(&p).unwrap_err().to_string(), message);
        }
        // What the grid leaves out is scikit-learn's default.
        let c = Knn.read(&Params::new()).unwrap();
        assert_eq!((c.k, c.weighting), (5, KnnWeighting::Uniform));
    }
}
