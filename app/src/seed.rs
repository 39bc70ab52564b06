//! What the app still knows of the seed dataset (the Kaggle "Students Performance in Exams"
//! file) that a model document before format 1.4 does not say: its columns' labels and
//! aliases, which columns are sensitive and which a student can change, the scores' range
//! 0–100, the audit's extra column and the course's wording in a suggestion.
//!
//! [`complete`] adds that information to a model that lacks it (the committed
//! `assets/model.json` until it is regenerated); a model that carries its own is left as it is,
//! so the app reads everything else from the model's features. The app-for-any-dataset issue
//! removes this module.

use model::whatif::Change;
use model::{FieldInfo, Predictor, TargetInfo};

/// The columns the batch audit groups by beyond the sensitive ones.
pub const AUDITED_ALSO: [&str; 1] = ["lunch"];

/// The seed's test preparation course and the category a student can complete it to.
const COURSE: (&str, &str) = ("test_preparation_course", "completed");

const SCORES: [&str; 3] = ["math_score", "reading_score", "writing_score"];

fn label(name: &str) -> Option<&'static str> {
    Some(match name {
        "gender" => "Gender",
        "race_ethnicity" => "Race/ethnicity",
        "parental_level_of_education" => "Parental level of education",
        "lunch" => "Lunch",
        "test_preparation_course" => "Test preparation course",
        "math_score" => "Math score",
        "reading_score" => "Reading score",
        "writing_score" => "Writing score",
        _ => return None,
    })
}

/// The seed's information on the column `name`, if it is one of the seed's.
fn info(name: &str) -> Option<FieldInfo> {
    let score = SCORES.contains(&name);
    Some(FieldInfo {
        label: Some(label(name)?.to_owned()),
        aliases: match name {
            "race_ethnicity" => vec!["race/ethnicity group".to_owned()],
            "lunch" => vec!["lunch type".to_owned()],
            _ => Vec::new(),
        },
        unit: score.then(|| "points".to_owned()),
        step: score.then_some(1.0),
        actionable: score || name == COURSE.0,
        sensitive: matches!(name, "gender" | "race_ethnicity"),
        ..FieldInfo::default()
    })
}

/// `predictor` with the seed's information wherever its model has none (every feature without
/// any information, a target without a range); the same predictor when nothing is added.
pub fn complete(predictor: &Predictor) -> Predictor {
    let mut bundle = predictor.bundle().clone();
    let mut added = false;
    for feature in &mut bundle.features {
        if feature.info() == &FieldInfo::default() {
            if let Some(info) = info(feature.name()) {
                *feature = feature.clone().with_info(info);
                added = true;
            }
        }
    }
    if bundle.target_info.is_none() && SCORES.contains(&bundle.target.as_str()) {
        bundle.target_info = Some(TargetInfo {
            label: label(&bundle.target).map(str::to_owned),
            unit: Some("points".to_owned()),
            min: 0.0,
            max: 100.0,
            step: Some(1.0),
            help: None,
        });
        added = true;
    }
    if !added {
        return predictor.clone();
    }
    // The information added is valid for the seed's models; should it not be for some other
    // model, that model is served as it came.
    Predictor::new(bundle).unwrap_or_else(|_| predictor.clone())
}

/// The seed's wording of a change, where it has one: "complete the test preparation course".
pub fn phrase(change: &Change) -> Option<String> {
    (change.field == COURSE.0 && change.to == COURSE.1)
        .then(|| "complete the test preparation course".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_models_get_the_seed_s_information_and_a_regenerated_one_keeps_its_own() {
        let set = model::Predictors::from_json(crate::MODEL_JSON).unwrap();
        let math = set.full("math_score").unwrap();
        let completed = complete(math);
        assert_eq!(completed.target_range(), Some((0.0, 100.0)));
        assert_eq!(completed.target_label(), "Math score");
        let reading = completed.feature("reading_score").unwrap();
        assert_eq!(reading.label(), "Reading score");
        assert!(reading.info().actionable);
        assert!(completed.feature("gender").unwrap().info().sensitive);
        // Completing twice adds nothing.
        assert_eq!(complete(&completed).bundle(), completed.bundle());
        // A feature with information of its own keeps it.
        let mut bundle = completed.bundle().clone();
        bundle.features[0] = bundle.features[0].clone().with_info(FieldInfo {
            label: Some("Sex".into()),
            ..FieldInfo::default()
        });
        let own = complete(&Predictor::new(bundle).unwrap());
        assert_eq!(own.features()[0].label(), "Sex");
    }
}
