//! The model's features from the dataset file, fitting the preprocessing (on training rows
//! only) and encoding rows with the model crate's own encoder, so training and inference share
//! one code path.

use model::dataset::Field;
use model::{Dataset, Encoder, Feature, Missing, Preprocessor, Step, TargetInfo};
use ndarray::{Array1, Array2};

use crate::data::Row;

/// The smallest and largest value of the numeric field `field`: its constraints, else what
/// `rows` hold; `None` when neither says (no constraint and no value).
pub fn numeric_range(field: &Field, rows: &[Row]) -> Option<(f64, f64)> {
    let seen = rows
        .iter()
        .filter_map(|r| r.number(&field.name))
        .fold(None, |acc: Option<(f64, f64)>, v| {
            Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        });
    let lo = field.constraints.minimum.or(seen.map(|s| s.0))?;
    let hi = field.constraints.maximum.or(seen.map(|s| s.1))?;
    Some((lo, hi.max(lo)))
}

/// A categorical field's categories: the dataset file's, in its order, else every value
/// `rows` hold, sorted.
pub fn categories(field: &Field, rows: &[Row]) -> Vec<String> {
    field.category_values().unwrap_or_else(|| {
        let mut seen: Vec<String> = rows
            .iter()
            .filter_map(|r| r.student.get(&field.name))
            .map(str::to_owned)
            .collect();
        seen.sort();
        seen.dedup();
        seen
    })
}

/// The model's input fields for `target`: the dataset's fields in schema order, less the
/// target, the ignored fields and the `left_out` ones (dropped, or sensitive for the fairness
/// variant). A numeric field's range is its constraints', else the data's; a categorical
/// field's categories are the dataset file's (every one, seen in the training rows or not: a
/// small training split that lacks a category still gives a model that reads every valid
/// row), else the values `rows` hold, sorted. A field without any value in `rows` and nothing
/// in the file to say its range or categories is left out. Each carries its
/// [`Dataset::info`].
pub fn features_for(
    dataset: &Dataset,
    rows: &[Row],
    target: &str,
    left_out: &[String],
) -> Vec<Feature> {
    dataset
        .schema
        .fields
        .iter()
        .filter(|f| {
            f.name != target
                && !dataset.roles.ignored.contains(&f.name)
                && !left_out.contains(&f.name)
        })
        .filter_map(|field| {
            let feature = if field.is_numeric() {
                let (min, max) = numeric_range(field, rows)?;
                Feature::numeric(field.name.as_str(), min, max)
            } else {
                let categories = categories(field, rows);
                if categories.is_empty() {
                    return None;
                }
                Feature::categorical(field.name.as_str(), categories)
            };
            Some(feature.with_info(dataset.info(field)))
        })
        .collect()
}

/// How people read the target `field`: its title, description, unit and step, and its range
/// (constraints, else the data's), to which every prediction is limited.
pub fn target_info(field: &Field, rows: &[Row]) -> TargetInfo {
    let (min, max) = numeric_range(field, rows).unwrap_or((f64::MIN, f64::MAX));
    TargetInfo {
        label: field.title.clone(),
        help: field.description.clone(),
        unit: field.unit.clone(),
        min,
        max,
        step: field.step,
    }
}

/// Imputation values, means and scales fitted on `rows`: numeric columns get the median, the
/// mean and the population standard deviation (1.0 when it is zero); categorical ones the most
/// frequent category (the first in category order on a tie).
pub fn fit_preprocessor(features: &[Feature], rows: &[&Row]) -> Preprocessor {
    let steps = features
        .iter()
        .map(|feature| match feature {
            Feature::Numeric { name, min, .. } => {
                let values: Vec<f64> = rows.iter().filter_map(|r| r.number(name)).collect();
                if values.is_empty() {
                    // No training row has a value: every row is imputed to the same number.
                    return Step::Standardize {
                        impute: *min,
                        mean: *min,
                        scale: 1.0,
                    };
                }
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

/// Encodes rows into a design matrix with the model crate's encoder; a missing cell is imputed
/// with the fitted value.
pub fn encode(encoder: &Encoder<'_>, rows: &[&Row]) -> anyhow::Result<Array2<f64>> {
    let mut x = Array2::zeros((rows.len(), encoder.width()));
    for (i, row) in rows.iter().enumerate() {
        let v = encoder
            .encode(&row.student, Missing::Impute)
            .map_err(|e| anyhow::anyhow!("line {}: {e}", row.line))?;
        x.row_mut(i).assign(&Array1::from(v));
    }
    Ok(x)
}

/// The target column of `rows` (every row has a target value: the reader refuses a row
/// without one).
pub fn target(rows: &[&Row], target: &str) -> Array1<f64> {
    rows.iter()
        .map(|r| {
            r.number(target)
                .expect("the reader requires a target value")
        })
        .collect()
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
        let numbers = [
            ("math_score", 50.0),
            ("reading_score", reading),
            ("writing_score", writing),
        ]
        .map(|(n, v)| (n.to_owned(), v))
        .into();
        Row {
            line: 2,
            student,
            numbers,
        }
    }

    fn students() -> Dataset {
        Dataset::from_json(include_str!("../../data/students.schema.json")).unwrap()
    }

    fn names(features: &[Feature]) -> Vec<&str> {
        features.iter().map(Feature::name).collect()
    }

    #[test]
    fn fits_median_mean_population_std_and_most_frequent_category() {
        let rows = [
            row("male", 10.0, 70.0),
            row("female", 20.0, 70.0),
            row("male", 60.0, 70.0),
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        let dataset = students();
        let features = features_for(&dataset, &rows, "math_score", &[]);
        let left_out = ["gender".to_owned(), "writing_score".to_owned()];
        let without = features_for(&dataset, &rows, "reading_score", &left_out);
        assert_eq!(
            names(&without),
            [
                "race_ethnicity",
                "parental_level_of_education",
                "lunch",
                "test_preparation_course",
                "math_score"
            ]
        );
        // Every category the dataset file lists, though these rows have no group E.
        assert_eq!(
            features[1],
            Feature::categorical(
                "race_ethnicity",
                ["group A", "group B", "group C", "group D", "group E"]
                    .map(String::from)
                    .to_vec()
            )
            .with_info(dataset.info(dataset.field("race_ethnicity").unwrap()))
        );
        assert_eq!(features[1].info().label.as_deref(), Some("Race/ethnicity"));
        assert!(features[1].info().sensitive);
        assert_eq!(names(&features)[5..], ["reading_score", "writing_score"]);
        assert_eq!(
            features[5],
            Feature::numeric("reading_score", 0.0, 100.0)
                .with_info(dataset.info(dataset.field("reading_score").unwrap()))
        );
        assert!(features[5].info().actionable);
        assert_eq!(
            features[0],
            Feature::categorical("gender", vec!["female".into(), "male".into()])
                .with_info(dataset.info(dataset.field("gender").unwrap()))
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
    fn without_a_range_or_categories_in_the_file_the_data_says_them() {
        let rows = [
            row("male", 10.0, 70.0),
            row("female", 20.0, 75.0),
            row("male", 60.0, 71.0),
        ];
        let mut dataset = students();
        for f in &mut dataset.schema.fields {
            f.constraints = Default::default();
            f.categories = None;
        }
        let features = features_for(&dataset, &rows, "math_score", &[]);
        assert_eq!(
            features[0],
            Feature::categorical("gender", vec!["female".into(), "male".into()])
                .with_info(dataset.info(dataset.field("gender").unwrap()))
        );
        let Feature::Numeric { min, max, .. } = &features[6] else {
            panic!("{:?}", features[6])
        };
        assert_eq!((*min, *max), (70.0, 75.0));
        let info = target_info(dataset.field("reading_score").unwrap(), &rows);
        assert_eq!((info.min, info.max), (10.0, 60.0));
        assert_eq!(info.label.as_deref(), Some("Reading score"));
        let students = target_info(students().field("reading_score").unwrap(), &rows);
        assert_eq!((students.min, students.max), (0.0, 100.0));
        assert_eq!(students.unit.as_deref(), Some("points"));
    }

    #[test]
    fn a_missing_value_is_imputed_with_the_fitted_median_or_most_frequent_category() {
        let mut rows = vec![
            row("male", 10.0, 70.0),
            row("female", 20.0, 70.0),
            row("male", 60.0, 70.0),
        ];
        let mut blank = row("male", 0.0, 70.0);
        blank.numbers.remove("reading_score");
        blank.student.set("reading_score", "");
        blank.student.set("gender", "");
        rows.push(blank);
        let refs: Vec<&Row> = rows.iter().collect();
        let dataset = students();
        let features = features_for(&dataset, &rows, "math_score", &[]);
        let p = fit_preprocessor(&features, &refs);
        let encoder = Encoder::new(&features, &p).unwrap();
        let x = encode(&encoder, &refs).unwrap();
        // The median of 10, 20 and 60; the most frequent gender, male.
        let Step::Standardize {
            impute,
            mean,
            scale,
        } = p.steps[5]
        else {
            panic!()
        };
        assert_eq!(impute, 20.0);
        assert_eq!(x[[3, 17]], (20.0 - mean) / scale);
        assert_eq!((x[[3, 0]], x[[3, 1]]), (0.0, 1.0));
    }

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
