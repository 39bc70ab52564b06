//! Fitting the preprocessing (on training rows only) and encoding rows with the model crate's
//! own encoder, so training and inference share one code path.

use model::fields::{CATEGORICAL_FIELDS, SCORE_FIELDS};
use model::{Encoder, Feature, Missing, Preprocessor, Step};
use ndarray::{Array1, Array2};

use crate::data::Row;

/// The model's input fields for a target: the five categorical columns, then the other two
/// scores, less the `excluded` columns. Categories are every value the dataset's schema allows
/// ([`model::fields::allowed_categories`], sorted), seen in the training rows or not: a small
/// training split that lacks a category still gives a model that reads every valid student.
pub fn features_for(target: &str, excluded: &[&str]) -> Vec<Feature> {
    let mut features: Vec<Feature> = CATEGORICAL_FIELDS
        .iter()
        .filter(|name| !excluded.contains(name))
        .map(|name| {
            let mut categories: Vec<String> = model::fields::allowed_categories(name)
                .expect("a categorical column")
                .iter()
                .map(|c| (*c).to_owned())
                .collect();
            categories.sort();
            Feature::categorical(*name, categories)
        })
        .collect();
    features.extend(
        SCORE_FIELDS
            .iter()
            .filter(|s| **s != target && !excluded.contains(s))
            .map(|name| Feature::numeric(*name, 0.0, 100.0)),
    );
    features
}

/// Imputation values, means and scales fitted on `rows`: numeric columns get the median, the
/// mean and the population standard deviation (1.0 when it is zero); categorical ones the most
/// frequent category (the first in category order on a tie).
pub fn fit_preprocessor(features: &[Feature], rows: &[&Row]) -> Preprocessor {
    let steps = features
        .iter()
        .map(|feature| match feature {
            Feature::Numeric { name, .. } => {
                let values: Vec<f64> = rows.iter().map(|r| r.score(name)).collect();
                let n = values.len() as f64;
                let mean = values.iter().sum::<f64>() / n;
                let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
                let std = var.sqrt();
                Step::Standardize {
                    impute: median(values),
                    mean,
                    scale: if std > 0.0 && std.is_finite() {
                        std
                    } else {
                        1.0
                    },
                }
            }
            Feature::Categorical {
                name, categories, ..
            } => {
                let counts: Vec<usize> = categories
                    .iter()
                    .map(|c| {
                        rows.iter()
                            .filter(|r| r.student.get(name) == Some(c.as_str()))
                            .count()
                    })
                    .collect();
                let best = (0..categories.len())
                    .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
                    .expect("categories are never empty");
                Step::OneHot {
                    impute: categories[best].clone(),
                }
            }
        })
        .collect();
    Preprocessor { steps }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Encodes rows into a design matrix with the model crate's encoder.
pub fn encode(encoder: &Encoder<'_>, rows: &[&Row]) -> anyhow::Result<Array2<f64>> {
    let mut x = Array2::zeros((rows.len(), encoder.width()));
    for (i, row) in rows.iter().enumerate() {
        let v = encoder
            .encode(&row.student, Missing::Reject)
            .map_err(|e| anyhow::anyhow!("line {}: {e}", row.line))?;
        x.row_mut(i).assign(&Array1::from(v));
    }
    Ok(x)
}

/// The target column of `rows`.
pub fn target(rows: &[&Row], target: &str) -> Array1<f64> {
    rows.iter().map(|r| r.score(target)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Student;

    fn row(gender: &str, reading: f64, writing: f64) -> Row {
        let student = Student::new()
            .with("gender", gender)
            .with("race_ethnicity", "group A")
            .with("parental_level_of_education", "high school")
            .with("lunch", "standard")
            .with("test_preparation_course", "none")
            .with("math_score", "50")
            .with("reading_score", reading.to_string())
            .with("writing_score", writing.to_string());
        Row {
            line: 2,
            student,
            scores: [50.0, reading, writing],
        }
    }

    #[test]
    fn fits_median_mean_population_std_and_most_frequent_category() {
        let rows = [
            row("male", 10.0, 70.0),
            row("female", 20.0, 70.0),
            row("male", 60.0, 70.0),
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        let features = features_for("math_score", &[]);
        let without: Vec<String> = features_for("reading_score", &["gender", "writing_score"])
            .iter()
            .map(|f| f.name().to_owned())
            .collect();
        assert_eq!(
            without,
            [
                "race_ethnicity",
                "parental_level_of_education",
                "lunch",
                "test_preparation_course",
                "math_score"
            ]
        );
        let names: Vec<&str> = features.iter().map(Feature::name).collect();
        // Every category the schema allows, though these rows have no group E.
        assert_eq!(
            features[1],
            Feature::categorical(
                "race_ethnicity",
                ["group A", "group B", "group C", "group D", "group E"]
                    .map(String::from)
                    .to_vec()
            )
        );
        assert_eq!(names[5..], ["reading_score", "writing_score"]);
        assert_eq!(
            features[0],
            Feature::categorical("gender", vec!["female".into(), "male".into()])
        );
        let p = fit_preprocessor(&features, &refs);
        assert_eq!(
            p.steps[0],
            Step::OneHot {
                impute: "male".into()
            }
        );
        let Step::Standardize {
            impute,
            mean,
            scale,
        } = p.steps[5]
        else {
            panic!("{:?}", p.steps[5])
        };
        assert_eq!((impute, mean), (20.0, 30.0));
        assert!((scale - (1400.0f64 / 3.0).sqrt()).abs() < 1e-12);
        // A constant column gets scale 1.0, never 0 (which would divide by zero).
        assert_eq!(
            p.steps[6],
            Step::Standardize {
                impute: 70.0,
                mean: 70.0,
                scale: 1.0
            }
        );

        let encoder = Encoder::new(&features, &p).unwrap();
        let x = encode(&encoder, &refs).unwrap();
        // Every allowed category is a column: 2 + 5 + 6 + 2 + 2, then the two scores.
        assert_eq!(x.shape(), [3, 2 + 5 + 6 + 2 + 2 + 2]);
        assert_eq!(x[[1, 0]], 1.0); // female
        assert_eq!(x[[1, 1]], 0.0);
        assert_eq!(x[[1, 2]], 1.0); // group A
        assert_eq!(x[[1, 6]], 0.0); // group E: a column, though no row has it
        assert_eq!(x[[2, 18]], 0.0); // writing: (70 - 70) / 1
    }

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
