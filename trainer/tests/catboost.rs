//! The CatBoost-style family end to end: searched, forced, exported and read back.

mod common;

use model::Predictor;
use trainer::data::Row;
use trainer::families::{self, Params};
use trainer::train;
use trainer::{prep, split};

const SMALL_GRID: &str =
    "[catboost]\ndepth = [2, 4]\nlearning_rate = [0.3]\niterations = [5, 20]\n";

#[test]
fn forced_catboost_trains_exports_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("stud.csv");
    std::fs::write(&data, common::synthetic_csv(200, 11)).unwrap();
    let mut config = common::config(data, dir.path().join("out"));
    config.grids = families::parse_grids(SMALL_GRID).unwrap();
    config.family = Some("catboost".into());
    // `train` itself refuses an export that predicts differently (> 1e-9) on any test row.
    let out = train::run(&config, &()).unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(out.bundle().metrics.family, "catboost");
    let kind = serde_json::to_value(&out.bundle().model).unwrap()["kind"].clone();
    assert_eq!(kind, "oblivious_ensemble");
    let report: serde_json::Value = serde_json::from_str(&out.report_json).unwrap();
    let family = &report["reports"][0]["families"][0];
    // Four grid points, two groups (one per depth), each fitted once per fold.
    assert_eq!(family["grid"].as_array().unwrap().len(), 4);
    assert_eq!(family["search_fits"], 2 * 5);
    assert!(
        out.bundle().metrics.test_r2 > 0.8,
        "{}",
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

#[test]
fn the_default_grid_holds_the_original_catboost_grid() {
    let spec = families::parse_grids(families::DEFAULT_GRIDS).unwrap();
    let grid = families::expand(&spec["catboost"]);
    assert_eq!(grid.len(), 27);
    let catboost = families::by_name("catboost").unwrap();
    for p in &grid {
        catboost.check(p).unwrap();
    }
    assert_eq!(catboost.groups(&grid).len(), 9);
}

/// Every test row through the exported JSON, as the browser reads it, against the fitted model.
#[test]
fn exported_json_predicts_every_test_row_like_the_fitted_model() {
    let rows = common::rows(&common::synthetic_csv(400, 12));
    let mut config = common::config("unused.csv", "unused");
    config.grids = families::parse_grids(SMALL_GRID).unwrap();
    // A trained bundle supplies the features and the preprocessing fitted on the training split;
    // its model is swapped for each fit below.
    let trained = train::train(&config, &common::students(), &rows, String::new(), &())
        .unwrap()
        .bundle()
        .clone();
    let split = split::train_test(rows.len(), config.test_fraction, config.seed);
    let train: Vec<&Row> = split.train.iter().map(|&i| &rows[i]).collect();
    let test: Vec<&Row> = split.test.iter().map(|&i| &rows[i]).collect();
    let encoder = model::Encoder::new(&trained.features, &trained.preprocessor).unwrap();
    let x_train = prep::encode(&encoder, &train).unwrap();
    let x_test = prep::encode(&encoder, &test).unwrap();
    let y_train = prep::target(&train, &config.targets[0]);

    let catboost = families::by_name("catboost").unwrap();
    for (depth, iterations) in [(1, 7), (6, 60), (10, 30)] {
        let params: Params = serde_json::from_value(serde_json::json!({
            "depth": depth, "iterations": iterations, "learning_rate": 0.1
        }))
        .unwrap();
        let fitted = catboost.fit(&params, &x_train, &y_train, 42).unwrap();
        let in_memory = fitted.predict(&x_test).unwrap();
        let mut bundle = trained.clone();
        bundle.model = fitted.export().unwrap();
        let json = serde_json::to_string(&bundle).unwrap();
        let predictor = Predictor::from_json(&json).unwrap();
        assert_eq!(in_memory.len(), test.len());
        for (row, expected) in test.iter().zip(&in_memory) {
            let got = predictor.predict(&row.student).unwrap();
            assert!(
                (got - expected).abs() <= 1e-9,
                "depth {depth}: line {}: exported {got}, fitted {expected}",
                row.line
            );
        }
    }
}
