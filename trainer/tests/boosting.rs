//! The boosting families end to end: forced through `train`, exported, and read back by the
//! same `model::Predictor` the app uses, predicting what the fitted model predicts.

mod common;

use trainer::train::{self, Config};
use trainer::{data, families, prep, split};

const BOOSTING: [&str; 3] = ["gradient_boosting", "xgboost", "adaboost"];

/// A small grid per family, so the tests stay quick; subsampling is on where it exists.
const GRIDS: &str = r#"
[gradient_boosting]
learning_rate = [0.1]
subsample = [0.8]
n_estimators = [5, 20]

[xgboost]
learning_rate = [0.3]
subsample = [0.9]
n_estimators = [5, 20]

[adaboost]
learning_rate = [0.5]
n_estimators = [5, 20]
"#;

fn forced(dir: &std::path::Path, csv: &str, family: &str) -> Config {
    let data = dir.join("stud.csv");
    std::fs::write(&data, csv).unwrap();
    let mut c = common::config(data, dir.join("out"));
    c.grids = families::parse_grids(GRIDS).unwrap();
    c.only = vec![family.into()];
    c.family = Some(family.into());
    c
}

#[test]
fn each_boosting_family_trains_exports_and_reads_back() {
    // `train` refuses a model whose JSON predicts differently (> 1e-9) from the fitted one.
    let csv = common::synthetic_csv(200, 11);
    for family in BOOSTING {
        let dir = tempfile::tempdir().unwrap();
        let out = train::run(&forced(dir.path(), &csv, family), &())
            .unwrap_or_else(|e| panic!("{family}: {e:#}"));
        assert_eq!(out.bundle().metrics.family, family);
        let model = serde_json::to_value(&out.bundle().model).unwrap();
        assert_eq!(model["kind"], "tree_ensemble", "{family}");
        let aggregation = if family == "adaboost" {
            "weighted_median"
        } else {
            "sum"
        };
        assert_eq!(model["aggregation"]["kind"], aggregation, "{family}");
        assert!(
            out.bundle().metrics.test_r2 > 0.8,
            "{family}: {}",
            out.bundle().metrics.test_r2
        );
        let text = std::fs::read_to_string(dir.path().join("out/model.json")).unwrap();
        assert_eq!(
            model::Predictors::from_json(&text)
                .unwrap()
                .full("math_score")
                .unwrap()
                .bundle(),
            out.bundle()
        );
    }
}

#[test]
fn the_exported_bundle_predicts_what_the_fitted_model_does_on_every_test_row() {
    let csv = common::synthetic_csv(250, 12);
    let rows = common::rows(&csv);
    for family in BOOSTING {
        let dir = tempfile::tempdir().unwrap();
        let config = forced(dir.path(), &csv, family);
        let out = train::run(&config, &()).unwrap();
        let text = std::fs::read_to_string(dir.path().join("out/model.json")).unwrap();
        let set = model::Predictors::from_json(&text).unwrap();
        let predictor = set.full("math_score").unwrap();

        // Refit the served parameters on the same split, encoded by the exported preprocessing.
        let s = split::train_test(rows.len(), config.test_fraction, config.seed);
        let train_rows: Vec<&data::Row> = s.train.iter().map(|&i| &rows[i]).collect();
        let test_rows: Vec<&data::Row> = s.test.iter().map(|&i| &rows[i]).collect();
        let bundle = predictor.bundle();
        let encoder = model::Encoder::new(&bundle.features, &bundle.preprocessor).unwrap();
        let all = families::all();
        let fam = all.iter().find(|f| f.name() == family).unwrap();
        let fitted = fam
            .fit(
                &bundle.metrics.params,
                &prep::encode(&encoder, &train_rows).unwrap(),
                &prep::target(&train_rows, &config.targets[0]),
                config.seed,
            )
            .unwrap();
        let in_memory = fitted
            .predict(&prep::encode(&encoder, &test_rows).unwrap())
            .unwrap();
        assert_eq!(in_memory.len(), test_rows.len());
        for (row, expected) in test_rows.iter().zip(&in_memory) {
            let got = predictor.predict(&row.student).unwrap();
            assert!(
                (got - expected).abs() <= 1e-9,
                "{family}: line {}: exported {got}, fitted {expected}",
                row.line
            );
        }
        // The refit is the served model: its test R² is the one reported.
        let y: Vec<f64> = prep::target(&test_rows, &config.targets[0]).to_vec();
        let r2 = trainer::metrics::Scores::of(&y, &in_memory).r2;
        assert_eq!(r2, out.bundle().metrics.test_r2, "{family}");
    }
}

#[test]
fn the_default_grids_hold_the_original_boosting_grids() {
    let grids = families::parse_grids(families::DEFAULT_GRIDS).unwrap();
    let all = families::all();
    let planned = families::plan(&all, &grids).unwrap();
    let sizes: Vec<(&str, usize, usize)> = planned
        .iter()
        .filter(|(f, _)| BOOSTING.contains(&f.name()))
        .map(|(f, grid)| (f.name(), grid.len(), f.groups(grid).len()))
        .collect();
    assert_eq!(
        sizes,
        [
            ("gradient_boosting", 144, 24),
            ("xgboost", 24, 4),
            ("adaboost", 24, 4)
        ]
    );
}
