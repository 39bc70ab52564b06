//! What the app still knows of the seed dataset (the Kaggle "Students Performance in Exams"
//! file) that its model set does not say: the audit's extra grouping column (the model format
//! carries which features are sensitive and actionable, not which are audited) and the course's
//! wording in a suggestion. Everything else (labels, aliases, roles, ranges) comes from the
//! model's features and targets. The app-for-any-dataset issue removes this module.

use model::whatif::Change;

/// The columns the batch audit groups by beyond the sensitive ones.
pub const AUDITED_ALSO: [&str; 1] = ["lunch"];

/// The seed's test preparation course and the category a student can complete it to.
const COURSE: (&str, &str) = ("test_preparation_course", "completed");

/// The seed's wording of a change, where it has one: "complete the test preparation course".
pub fn phrase(change: &Change) -> Option<String> {
    (change.field == COURSE.0 && change.to == COURSE.1)
        .then(|| "complete the test preparation course".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_models_carry_what_the_app_reads_and_the_course_keeps_its_wording() {
        let set = model::Predictors::from_json(crate::MODEL_JSON).unwrap();
        let math = set.full("math_score").unwrap();
        assert_eq!(math.target_range(), Some((0.0, 100.0)));
        assert_eq!(math.target_label(), "Math score");
        let reading = math.feature("reading_score").unwrap();
        assert_eq!(reading.label(), "Reading score");
        assert!(reading.info().actionable);
        assert!(math.feature("gender").unwrap().info().sensitive);
        assert!(math.feature(AUDITED_ALSO[0]).is_some());
        let change = |to: &str| Change {
            field: COURSE.0.into(),
            from: "none".into(),
            to: to.into(),
            points: 0.0,
            phrase: String::new(),
        };
        assert_eq!(
            phrase(&change("completed")).as_deref(),
            Some("complete the test preparation course")
        );
        assert_eq!(phrase(&change("none")), None);
    }
}
