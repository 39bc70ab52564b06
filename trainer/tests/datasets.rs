//! Training on datasets other than the students' one: the UCI student performance file when it
//! is beside the project, and inferred datasets of shapes made here. Every family is searched
//! (small grids); a family or grid point that does not suit the data is skipped with a reason,
//! never a panic.

mod common;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use trainer::families::GridSpec;
use trainer::metrics::{mean_std, Metric, Scores};
use trainer::train::{self, Config, Outcome};

/// The UCI "Student Performance" Portuguese file (649 students, 33 columns), if present.
fn uci_file() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/student-por.csv");
    path.exists().then_some(path)
}

fn family_names() -> Vec<&'static str> {
    trainer::families::all().iter().map(|f| f.name()).collect()
}

/// Every family of the grid is either searched or skipped with a reason, in every report.
fn assert_every_family_accounted_for(out: &Outcome) {
    for report in &out.reports.reports {
        let mut seen: Vec<&str> = report.families.iter().map(|f| f.family.as_str()).collect();
        seen.extend(report.skipped.iter().map(|s| s.family.as_str()));
        seen.sort_unstable();
        let mut all = family_names();
        all.sort_unstable();
        assert_eq!(seen, all, "{}", report.target);
        for s in &report.skipped {
            assert!(!s.reason.is_empty(), "{}: {}", report.target, s.family);
        }
        for f in &report.families {
            for p in &f.skipped {
                assert!(!p.reason.is_empty(), "{}: {:?}", f.family, p.params);
            }
        }
    }
}

/// Writes `csv` and trains on it with the dataset inferred from it, `targets` predicted.
fn train_inferred(dir: &Path, csv: &str, targets: &[&str], grids: GridSpec) -> Outcome {
    let data = dir.join("data.csv");
    std::fs::write(&data, csv).unwrap();
    let mut c = Config::new(&data, dir.join("out"));
    c.targets = targets.iter().map(|t| (*t).to_owned()).collect();
    c.grids = grids;
    c.fairness = true;
    train::run(&c, &()).unwrap_or_else(|e| panic!("{e:#}"))
}

/// A deterministic stream of numbers in [0, 1).
fn noise(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    }
}

#[test]
fn the_uci_file_trains_every_family_with_its_dataset_file_and_both_variants() {
    let Some(csv) = uci_file() else {
        eprintln!("skipped: ../shared/data/student-por.csv is not beside the project");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(&csv).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/uci-student.schema.json");
    let mut c = Config::new(&csv, dir.path().join("out"));
    c.schema = Some(schema);
    // One grid point per family keeps this test short: every family still fits.
    c.grids = common::tiny_grids();
    c.fairness = true;
    // The file's first target; the earlier grades would make it easy: they are no feature.
    c.targets = vec!["G3".into()];
    c.drop = vec!["G1".into(), "G2".into()];
    let out = train::run(&c, &()).unwrap_or_else(|e| panic!("{e:#}"));
    assert_every_family_accounted_for(&out);

    let set = model::Predictors::from_json(&out.model_json).unwrap();
    assert_eq!(set.default_target(), "G3");
    assert_eq!(set.iter().count(), 2);
    let full = set.full("G3").unwrap();
    let unaware = set.get("G3", &["sex", "age", "address"]).unwrap();
    let names = |p: &model::Predictor| -> Vec<String> {
        p.features().iter().map(|f| f.name().to_owned()).collect()
    };
    // 30 columns besides the grades, every one a feature of the full model.
    assert_eq!(names(full).len(), 30);
    assert_eq!(names(unaware).len(), 27);
    for left_out in ["G1", "G2", "G3"] {
        assert!(!names(full).iter().any(|n| n == left_out), "{left_out}");
    }
    for sensitive in ["sex", "age", "address"] {
        assert!(
            !names(unaware).iter().any(|n| n == sensitive),
            "{sensitive}"
        );
    }
    // The file's reading information travels with each feature and the target.
    let info = full.bundle().target_info.as_ref().unwrap();
    assert_eq!((info.min, info.max), (0.0, 20.0));
    assert_eq!(info.label.as_deref(), Some("Final grade"));
    let feature = |name: &str| full.feature(name).unwrap();
    let medu = feature("Medu").info();
    assert_eq!(medu.levels.len(), 5);
    assert_eq!(medu.levels[4].label, "higher education");
    assert_eq!(
        feature("school").info().category_labels,
        ["Gabriel Pereira", "Mousinho da Silveira"]
    );
    assert!(feature("absences").info().actionable && !feature("Medu").info().actionable);
    assert!(feature("sex").info().sensitive);
    assert_eq!(
        out.set.dataset.as_ref().unwrap().name.as_deref(),
        Some("uci-student-por")
    );

    let report = out.report();
    assert_eq!(report.data.rows, 649);
    assert_eq!(report.data.dataset.as_deref(), Some("uci-student-por"));
    let variants: Vec<&str> = report.fairness.iter().map(|a| a.variant.as_str()).collect();
    assert_eq!(variants, ["full", "without sex, age and home address"]);
    let audit = &report.fairness[0];
    let mut grouped: Vec<&str> = audit.groups.iter().map(|g| g.feature.as_str()).collect();
    grouped.dedup();
    // The categorical sensitive columns, then the audited ones (age is a number: not grouped).
    assert_eq!(grouped, ["sex", "address", "school", "Pstatus"]);
    assert_eq!(audit.mondrian.as_ref().unwrap().feature, "school");
    assert_eq!(report.insights.histograms[0].column, "G3");
    assert_eq!(report.insights.histograms[0].edges[10], 20.0);
    // Every student of the file is predicted, within the target's range.
    let batch = full.predict_csv(&bytes).unwrap();
    assert_eq!(batch.errors(), 0);
    for row in &batch.rows {
        let v = row.outcome.as_ref().unwrap().value;
        assert!((0.0..=20.0).contains(&v), "{v}");
    }
}

#[test]
fn one_numeric_column_alone_predicts_the_target() {
    let mut next = noise(1);
    let mut csv = String::from("x,y\n");
    for _ in 0..120 {
        let x = (next() * 100.0).round();
        writeln!(csv, "{x},{:.1}", 3.0 + 0.5 * x + next() * 4.0).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let out = train_inferred(dir.path(), &csv, &["y"], common::small_grids());
    assert_every_family_accounted_for(&out);
    let names: Vec<&str> = out.bundle().features.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["x"]);
    // No sensitive column: no variant, no audit.
    assert_eq!(out.set.bundles.len(), 1);
    assert!(out.report().fairness.is_empty());
    assert!(
        out.bundle().metrics.test_r2 > 0.9,
        "{:?}",
        out.bundle().metrics
    );
}

#[test]
fn a_column_of_many_categories_and_thirty_columns_train() {
    let mut next = noise(2);
    let mut header: Vec<String> = vec!["city".into()];
    header.extend((1..29).map(|i| format!("c{i}")));
    header.push("target".into());
    let mut csv = header.join(",") + "\n";
    for _ in 0..200 {
        let city = (next() * 60.0) as usize;
        let mut cells = vec![format!("city {city:02}")];
        let mut y = city as f64 * 0.1;
        for i in 1..29 {
            if i % 3 == 0 {
                let level = ["low", "mid", "high"][(next() * 3.0) as usize];
                y += level.len() as f64;
                cells.push(level.into());
            } else {
                let v = (next() * 10.0).round();
                y += v * (i as f64 / 28.0);
                cells.push(v.to_string());
            }
        }
        cells.push(format!("{:.2}", y + next()));
        csv += &(cells.join(",") + "\n");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = train_inferred(dir.path(), &csv, &["target"], common::small_grids());
    assert_every_family_accounted_for(&out);
    let bundle = out.bundle();
    assert_eq!(bundle.features.len(), 29);
    let model::Feature::Categorical { categories, .. } = &bundle.features[0] else {
        panic!("{:?}", bundle.features[0]);
    };
    assert!(categories.len() > 50, "{}", categories.len());
    assert!(categories.windows(2).all(|w| w[0] < w[1]), "sorted");
}

#[test]
fn a_target_on_one_to_five_is_predicted_within_its_range() {
    let mut next = noise(3);
    let mut csv = String::from("effort;group;rating\n");
    for _ in 0..150 {
        let effort = (next() * 10.0).round();
        let group = if next() < 0.5 { "a" } else { "b" };
        let rating = (1.0 + effort / 2.5 + next()).round().clamp(1.0, 5.0);
        writeln!(csv, "{effort};{group};{rating}").unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let out = train_inferred(dir.path(), &csv, &["rating"], common::small_grids());
    assert_every_family_accounted_for(&out);
    let info = out.bundle().target_info.as_ref().unwrap();
    assert_eq!((info.min, info.max), (1.0, 5.0));
    let edges = &out.report().insights.histograms[0].edges;
    assert_eq!((edges[0], edges[10]), (1.0, 5.0));
    let predictor = model::Predictor::new(out.bundle().clone()).unwrap();
    // The trainer's test figures are limited to the range; the reader too, once it limits
    // predictions to target_info (the model crate's side of issue 21).
    let limited = predictor.target_range().is_some();
    for effort in [0, 5, 10] {
        let student = model::Student::new()
            .with("effort", effort.to_string())
            .with("group", "a");
        let e = predictor
            .estimate(&student, model::Missing::Reject)
            .unwrap();
        assert!(!limited || (1.0..=5.0).contains(&e.value), "{e:?}");
    }
}

#[test]
fn fifteen_rows_skip_what_cannot_fit_with_reasons_and_never_panic() {
    let mut next = noise(4);
    let mut csv = String::from("a,b,kind,y\n");
    for _ in 0..15 {
        let (a, b) = ((next() * 10.0).round(), (next() * 10.0).round());
        let kind = ["p", "q", "r"][(next() * 3.0) as usize];
        writeln!(csv, "{a},{b},{kind},{}", a * 2.0 + b + next()).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let mut grids = common::small_grids();
    // k = 11 is more than the 9 or 10 rows a fold fits on; k = 3 is not.
    grids.get_mut("knn").unwrap().insert(
        "k".into(),
        vec![serde_json::json!(3), serde_json::json!(11)],
    );
    let data = dir.path().join("data.csv");
    std::fs::write(&data, &csv).unwrap();
    let mut c = Config::new(&data, dir.path().join("out"));
    c.targets = vec!["y".into()];
    c.grids = grids;
    let out = match std::panic::catch_unwind(|| train::run(&c, &())) {
        Ok(Ok(out)) => out,
        Ok(Err(e)) => panic!("a 15-row dataset must train some family: {e:#}"),
        Err(_) => panic!("training panicked"),
    };
    assert_every_family_accounted_for(&out);
    let knn = out
        .report()
        .families
        .iter()
        .find(|f| f.family == "knn")
        .expect("knn keeps its k = 3 points");
    assert!(knn.grid.iter().all(|g| g.params["k"] == 3));
    assert_eq!(knn.skipped.len(), 2);
    assert!(
        knn.skipped[0]
            .reason
            .starts_with("k = 11 is more than the "),
        "{:?}",
        knn.skipped
    );
}

#[test]
fn describe_prints_an_editable_dataset_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.csv");
    std::fs::write(&data, "name,n,share\nx,1,0.5\ny,2,1.5\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trainer"))
        .args(["describe", "--target", "share", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let dataset = model::Dataset::from_json(&text).unwrap();
    assert_eq!(dataset.roles.targets, ["share"]);
    assert_eq!(dataset.schema.fields.len(), 3);
    assert!(dataset.field("share").unwrap().is_numeric());
    assert!(!dataset.field("name").unwrap().is_numeric());
}

/// The report's CV RMSE and MAE for linear regression, recomputed here fold by fold: fit on
/// each fold's rows (preprocessing fitted on them), score the fold's validation rows.
#[test]
fn cv_rmse_and_mae_are_the_folds_own_over_every_run() {
    let csv = common::synthetic_csv(150, 9);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("stud.csv");
    std::fs::write(&data, &csv).unwrap();
    for repeats in [1, 3] {
        let mut c = common::config(&data, dir.path().join("out"));
        c.grids = common::small_grids();
        c.only = vec!["linear_regression".into()];
        c.repeats = repeats;
        let out = train::run(&c, &()).unwrap();
        let report = out.report();
        assert_eq!(report.cv.repeats, repeats);
        let f = &report.families[0];

        let rows = common::rows(&csv);
        let split = trainer::split::train_test(rows.len(), c.test_fraction, c.seed);
        let train_rows: Vec<&trainer::data::Row> = split.train.iter().map(|&i| &rows[i]).collect();
        let folds = trainer::split::repeated_folds(train_rows.len(), 5, repeats, c.seed);
        assert_eq!(folds.len(), 5 * repeats);
        let features = &out.bundle().features;
        let all = trainer::families::all();
        let linear = all
            .iter()
            .find(|f| f.name() == "linear_regression")
            .unwrap();
        let (mut rmse, mut mae, mut r2) = (Vec::new(), Vec::new(), Vec::new());
        for (fit, val) in &folds {
            let fit_rows: Vec<&trainer::data::Row> = fit.iter().map(|&i| train_rows[i]).collect();
            let val_rows: Vec<&trainer::data::Row> = val.iter().map(|&i| train_rows[i]).collect();
            let p = trainer::prep::fit_preprocessor(features, &fit_rows);
            let encoder = model::Encoder::new(features, &p).unwrap();
            let fitted = linear
                .fit(
                    &Default::default(),
                    &trainer::prep::encode(&encoder, &fit_rows).unwrap(),
                    &trainer::prep::target(&fit_rows, "math_score"),
                    c.seed,
                )
                .unwrap();
            let predicted = fitted
                .predict(&trainer::prep::encode(&encoder, &val_rows).unwrap())
                .unwrap();
            let truth: Vec<f64> = val_rows
                .iter()
                .map(|r| r.number("math_score").unwrap())
                .collect();
            let n = truth.len() as f64;
            let errors: Vec<f64> = truth.iter().zip(&predicted).map(|(t, p)| t - p).collect();
            rmse.push((errors.iter().map(|e| e * e).sum::<f64>() / n).sqrt());
            mae.push(errors.iter().map(|e| e.abs()).sum::<f64>() / n);
            r2.push(Scores::of(&truth, &predicted).r2);
        }
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        let (m, s) = mean_std(&rmse);
        assert!(close(f.cv_rmse_mean, m) && close(f.cv_rmse_std, s), "{f:?}");
        let (m, s) = mean_std(&mae);
        assert!(close(f.cv_mae_mean, m) && close(f.cv_mae_std, s), "{f:?}");
        let (m, _) = mean_std(&r2);
        assert!(close(f.cv_r2_mean, m), "{f:?}");
        assert!(close(f.grid[0].cv_rmse_mean, f.cv_rmse_mean));
    }
}

#[test]
fn the_metric_picks_the_best_grid_point_and_the_winner() {
    let csv = common::synthetic_csv(150, 10);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("stud.csv");
    std::fs::write(&data, &csv).unwrap();
    for metric in [Metric::Rmse, Metric::Mae] {
        let mut c = common::config(&data, dir.path().join("out"));
        c.grids = common::small_grids();
        c.only = vec!["ridge".into(), "lasso".into(), "decision_tree".into()];
        c.metric = metric;
        let out = train::run(&c, &()).unwrap();
        let report = out.report();
        assert_eq!(report.cv.metric, metric.name());
        let mean = |rmse: f64, mae: f64| if metric == Metric::Rmse { rmse } else { mae };
        for f in &report.families {
            let lowest = f
                .grid
                .iter()
                .map(|g| mean(g.cv_rmse_mean, g.cv_mae_mean))
                .fold(f64::INFINITY, f64::min);
            assert_eq!(mean(f.cv_rmse_mean, f.cv_mae_mean), lowest, "{}", f.family);
        }
        let winner = report
            .families
            .iter()
            .min_by(|a, b| {
                mean(a.cv_rmse_mean, a.cv_mae_mean).total_cmp(&mean(b.cv_rmse_mean, b.cv_mae_mean))
            })
            .unwrap();
        assert_eq!(report.winner, winner.family);
    }
}

#[test]
fn the_dataset_file_beside_the_csv_that_names_it_is_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("stud.csv");
    std::fs::write(&data, common::synthetic_csv(10, 1)).unwrap();
    assert_eq!(train::dataset_file_beside(&data).unwrap(), None);
    let students = std::fs::read_to_string(common::schema_path()).unwrap();
    std::fs::write(
        dir.path().join("other.schema.json"),
        r#"{"path": "x.csv", "fields": []}"#,
    )
    .unwrap();
    let beside = dir.path().join("students.schema.json");
    std::fs::write(&beside, &students).unwrap();
    assert_eq!(train::dataset_file_beside(&data).unwrap(), Some(beside));
    let c = Config::new(&data, dir.path().join("out"));
    let dataset = train::dataset(&c, &[]).unwrap();
    assert_eq!(dataset.name.as_deref(), Some("students"));
    std::fs::write(dir.path().join("twin.schema.json"), &students).unwrap();
    let e = train::dataset_file_beside(&data).unwrap_err();
    assert!(format!("{e}").contains("choose one with --schema"), "{e}");
}
