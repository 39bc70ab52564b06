//! The dataset's columns and how people read them.

/// The five categorical columns, in dataset order.
pub const CATEGORICAL_FIELDS: [&str; 5] = [
    "gender",
    "race_ethnicity",
    "parental_level_of_education",
    "lunch",
    "test_preparation_course",
];

/// The columns the fairness variant is trained without, and that the app's "don't use gender
/// or race/ethnicity" switch leaves out.
pub const SENSITIVE_FIELDS: [&str; 2] = ["gender", "race_ethnicity"];

/// The three score columns (0 to 100), in dataset order.
pub const SCORE_FIELDS: [&str; 3] = ["math_score", "reading_score", "writing_score"];

/// The range of every score column, and so of every prediction of a score.
pub const SCORE_RANGE: (f64, f64) = (0.0, 100.0);

/// The range of a score column (`SCORE_RANGE`), or `None` for a column that is not a score.
pub fn score_range(name: &str) -> Option<(f64, f64)> {
    SCORE_FIELDS.contains(&name).then_some(SCORE_RANGE)
}

/// The values the dataset's schema allows in a categorical column (data/README.md), or `None`
/// for a column that is not one of the five categorical columns.
pub fn allowed_categories(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "gender" => &["female", "male"],
        "race_ethnicity" => &["group A", "group B", "group C", "group D", "group E"],
        "parental_level_of_education" => &[
            "associate's degree",
            "bachelor's degree",
            "high school",
            "master's degree",
            "some college",
            "some high school",
        ],
        "lunch" => &["free/reduced", "standard"],
        "test_preparation_course" => &["completed", "none"],
        _ => return None,
    })
}

/// The human label of a dataset column, as the app shows it ("Reading score"); unknown names
/// are returned unchanged.
pub fn label(name: &str) -> &str {
    match name {
        "gender" => "Gender",
        "race_ethnicity" => "Race/ethnicity",
        "parental_level_of_education" => "Parental level of education",
        "lunch" => "Lunch",
        "test_preparation_course" => "Test preparation course",
        "math_score" => "Math score",
        "reading_score" => "Reading score",
        "writing_score" => "Writing score",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_column_has_a_label_of_its_own() {
        let all: Vec<&str> = CATEGORICAL_FIELDS
            .iter()
            .chain(&SCORE_FIELDS)
            .copied()
            .collect();
        let labels: std::collections::BTreeSet<&str> = all.iter().map(|n| label(n)).collect();
        assert_eq!(labels.len(), all.len());
        assert!(all.iter().all(|n| label(n) != *n));
        assert_eq!(label("shoe_size"), "shoe_size");
    }

    #[test]
    fn every_categorical_column_has_its_allowed_values() {
        for name in CATEGORICAL_FIELDS {
            assert!(
                allowed_categories(name).is_some_and(|c| c.len() >= 2),
                "{name}"
            );
        }
        assert_eq!(allowed_categories("math_score"), None);
    }
}
