//! The seed dataset's reading information (labels, aliases, roles, the scores' range) as sample
//! data for the tests: what a regenerated `assets/model.json` carries, added to documents that
//! do not carry it yet (the committed one and the v1 fixtures). A feature or target that already
//! has information keeps it.

#![allow(dead_code)]

use model::{Feature, FieldInfo, ModelBundle, Predictor, Predictors, TargetInfo};

/// The seed's test preparation course: the one categorical column a student can change.
pub const COURSE: &str = "test_preparation_course";

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

/// The seed's information for the column `name`, if it is one of the seed's.
pub fn info(name: &str) -> Option<FieldInfo> {
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
        actionable: score || name == COURSE,
        sensitive: matches!(name, "gender" | "race_ethnicity"),
        ..FieldInfo::default()
    })
}

/// `bundle` with the seed's information wherever it has none.
pub fn with_seed_info(mut bundle: ModelBundle) -> ModelBundle {
    for feature in &mut bundle.features {
        if feature.info() == &FieldInfo::default() {
            if let Some(info) = info(feature.name()) {
                *feature = feature.clone().with_info(info);
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
    }
    bundle
}

/// A predictor of `json` (a bundle) with the seed's information.
pub fn predictor(json: &str) -> Predictor {
    let bundle: ModelBundle = serde_json::from_str(json).unwrap();
    Predictor::new(with_seed_info(bundle)).unwrap()
}

/// The models of `json` (a set) with the seed's information.
pub fn predictors(json: &str) -> Predictors {
    let mut set: model::ModelSet = serde_json::from_str(json).unwrap();
    set.bundles = set.bundles.into_iter().map(with_seed_info).collect();
    Predictors::new(set).unwrap()
}

/// `assets/model.json` with the seed's information.
#[cfg(not(target_arch = "wasm32"))]
pub fn served() -> Predictors {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/model.json");
    predictors(&std::fs::read_to_string(path).unwrap())
}

/// A fixture of `tests/fixtures` with the seed's information.
#[cfg(not(target_arch = "wasm32"))]
pub fn fixture(name: &str) -> Predictor {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    predictor(&std::fs::read_to_string(path).unwrap())
}

/// Whether a feature is one of the seed's numbers.
pub fn is_score(feature: &Feature) -> bool {
    SCORES.contains(&feature.name())
}
