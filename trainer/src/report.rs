//! `report.json`: the types live in the model crate (the app reads them too); this module
//! computes the insights the trainer adds.

pub use model::report::*;

use model::{Feature, Missing, Predictor};

use crate::data::Row;
use crate::metrics::mean_std;

/// Ten equal bins from `min` to `max`: edges `min + i · (max − min) / 10` (0, 10, …, 100 for
/// a score).
fn edges(min: f64, max: f64) -> Vec<f64> {
    let width = (max - min) / 10.0;
    (0..=10).map(|i| min + f64::from(i) * width).collect()
}

/// The bin of a score in `edges` (the last bin includes its upper edge).
fn bin(edges: &[f64], v: f64) -> usize {
    let bins = edges.len() - 1;
    edges[1..]
        .iter()
        .position(|&upper| v < upper)
        .unwrap_or(bins - 1)
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let (ma, sa) = mean_std(a);
    let (mb, sb) = mean_std(b);
    if sa == 0.0 || sb == 0.0 {
        return 0.0;
    }
    let cov = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>()
        / a.len() as f64;
    cov / (sa * sb)
}

/// Aggregates over `train` for `target`, and the served model's feature importance over
/// `test`: a histogram of each of `histograms` (a numeric column and its range: ten equal
/// bins), the target's mean per category of each categorical feature, and how each numeric
/// feature relates to the target (ten equal bins over the feature's range).
pub fn insights(
    train: &[&Row],
    test: &[&Row],
    target: &str,
    predictor: &Predictor,
    histograms: &[(String, (f64, f64))],
) -> anyhow::Result<Insights> {
    let target_of = |r: &Row| r.number(target).expect("a target value");
    let histograms = histograms
        .iter()
        .map(|(column, (min, max))| {
            let edges = edges(*min, *max);
            let values: Vec<f64> = train.iter().filter_map(|r| r.number(column)).collect();
            let mut counts = vec![0; edges.len() - 1];
            for &v in &values {
                counts[bin(&edges, v)] += 1;
            }
            let (mean, std) = mean_std(&values);
            Histogram {
                column: column.clone(),
                edges,
                counts,
                mean,
                std,
            }
        })
        .collect();
    let mut by_category = Vec::new();
    let mut relations = Vec::new();
    for feature in predictor.features() {
        match feature {
            Feature::Categorical {
                name, categories, ..
            } => by_category.push(CategoryMeans {
                feature: name.clone(),
                groups: categories
                    .iter()
                    .map(|c| {
                        let values: Vec<f64> = train
                            .iter()
                            .filter(|r| r.student.get(name) == Some(c.as_str()))
                            .map(|r| target_of(r))
                            .collect();
                        GroupMean {
                            category: c.clone(),
                            n: values.len(),
                            mean: if values.is_empty() {
                                0.0
                            } else {
                                mean_std(&values).0
                            },
                        }
                    })
                    .collect(),
            }),
            Feature::Numeric { name, min, max, .. } => {
                let edges = edges(*min, *max);
                let (x, y): (Vec<f64>, Vec<f64>) = train
                    .iter()
                    .filter_map(|r| Some((r.number(name)?, target_of(r))))
                    .unzip();
                let mut sums = vec![0.0; edges.len() - 1];
                let mut counts = vec![0; edges.len() - 1];
                for (xi, yi) in x.iter().zip(&y) {
                    let b = bin(&edges, *xi);
                    sums[b] += yi;
                    counts[b] += 1;
                }
                relations.push(ScoreRelation {
                    column: name.clone(),
                    correlation: pearson(&x, &y),
                    edges,
                    target_means: sums
                        .iter()
                        .zip(&counts)
                        .map(|(s, &n)| (n > 0).then(|| s / n as f64))
                        .collect(),
                    counts,
                });
            }
        }
    }
    Ok(Insights {
        rows: format!("training split ({} students)", train.len()),
        histograms,
        by_category,
        relations,
        importance: importance(test, predictor)?,
    })
}

/// The mean absolute contribution of each of `predictor`'s features to its predictions for
/// `rows` (the explanation method of the app's "Why this score"), largest first.
pub fn importance(rows: &[&Row], predictor: &Predictor) -> anyhow::Result<Vec<Importance>> {
    let mut totals = vec![0.0; predictor.features().len()];
    for row in rows {
        let e = predictor
            .explain(&row.student, Missing::Impute)
            .map_err(|e| anyhow::anyhow!("line {}: {e}", row.line))?;
        for (t, c) in totals.iter_mut().zip(&e.contributions) {
            *t += c.value.abs();
        }
    }
    let mut importance: Vec<Importance> = predictor
        .features()
        .iter()
        .zip(totals)
        .map(|(f, t)| Importance {
            feature: f.name().to_owned(),
            mean_abs_contribution: t / rows.len().max(1) as f64,
        })
        .collect();
    importance.sort_by(|a, b| b.mean_abs_contribution.total_cmp(&a.mean_abs_contribution));
    Ok(importance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_fall_in_ten_point_bins_with_100_in_the_last() {
        let edges = edges(0.0, 100.0);
        assert_eq!(
            edges,
            [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
        );
        assert_eq!(bin(&edges, 0.0), 0);
        assert_eq!(bin(&edges, 9.99), 0);
        assert_eq!(bin(&edges, 10.0), 1);
        assert_eq!(bin(&edges, 99.0), 9);
        assert_eq!(bin(&edges, 100.0), 9);
    }

    #[test]
    fn pearson_is_one_for_a_line_and_zero_for_a_constant() {
        assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 1.0).abs() < 1e-12);
        assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[1.0, 2.0], &[5.0, 5.0]), 0.0);
    }
}
