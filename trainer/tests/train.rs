//! Training end to end on data the tests make themselves.

mod common;

use std::process::Command;

use trainer::train::{self, Config};

fn config(dir: &std::path::Path, csv: &str) -> Config {
    let data = dir.join("stud.csv");
    std::fs::write(&data, csv).unwrap();
    let mut config = common::config(data, dir.join("out"));
    config.grids = common::small_grids();
    config
}

fn family_names() -> Vec<&'static str> {
    trainer::families::all().iter().map(|f| f.name()).collect()
}

/// report.json with its measured timings blanked, as text: everything else must be identical.
fn report_text_without_timings(json: &str) -> String {
    serde_json::to_string_pretty(&trainer::report::without_timings(json).unwrap()).unwrap()
}

#[test]
fn same_seed_and_data_give_byte_identical_outputs() {
    let csv = common::synthetic_csv(300, 1);
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let first = train::run(&config(a.path(), &csv), &()).unwrap();
    let second = train::run(&config(b.path(), &csv), &()).unwrap();
    let read = |dir: &tempfile::TempDir, name: &str| {
        std::fs::read_to_string(dir.path().join("out").join(name)).unwrap()
    };
    assert!(
        read(&a, "model.json") == read(&b, "model.json"),
        "model.json differs between two runs"
    );
    // report.json also records how long the fits took, which no seed fixes; every other byte
    // must match.
    let (ra, rb) = (read(&a, "report.json"), read(&b, "report.json"));
    assert_eq!(
        report_text_without_timings(&ra),
        report_text_without_timings(&rb)
    );
    assert!(ra.contains("\"fit_seconds\"") && ra.contains("\"search_seconds\""));
    assert_eq!(first.model_json, second.model_json);

    // --check accepts the written folder, and refuses it once a byte of model.json changes.
    let checked = config(a.path(), &csv);
    train::check(&checked, &()).unwrap();
    let model_path = a.path().join("out/model.json");
    std::fs::write(&model_path, read(&a, "model.json").replacen("{", "{ ", 1)).unwrap();
    assert!(train::check(&checked, &()).is_err());

    // Another seed moves the split, so the report changes.
    let mut other = config(b.path(), &csv);
    other.seed = 7;
    let third = train::run(&other, &()).unwrap();
    assert_ne!(
        report_text_without_timings(&third.report_json),
        report_text_without_timings(&first.report_json)
    );
}

#[test]
fn the_report_holds_every_family_the_split_and_a_cv_chosen_winner() {
    let dir = tempfile::tempdir().unwrap();
    let out = train::run(&config(dir.path(), &common::synthetic_csv(300, 2)), &()).unwrap();
    let all: serde_json::Value = serde_json::from_str(&out.report_json).unwrap();
    assert_eq!(all["default_target"], "math_score");
    let report = &all["reports"][0];
    assert_eq!(report["split"]["n_test"], 60);
    assert_eq!(report["split"]["test_rows"].as_array().unwrap().len(), 60);
    assert_eq!(report["cv"]["folds"], 5);
    let families = report["families"].as_array().unwrap();
    let names: Vec<&str> = families
        .iter()
        .map(|f| f["family"].as_str().unwrap())
        .collect();
    assert_eq!(names, family_names());
    assert!(names.len() >= 6, "{names:?}");
    // The winner is the best mean CV R², whatever the test split says.
    let best = families
        .iter()
        .max_by(|a, b| {
            a["cv_r2_mean"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["cv_r2_mean"].as_f64().unwrap())
        })
        .unwrap();
    assert_eq!(report["winner"], best["family"]);
    for f in families {
        for key in [
            "cv_r2_mean",
            "cv_r2_std",
            "test_r2",
            "test_mae",
            "test_rmse",
        ] {
            assert!(f[key].as_f64().unwrap().is_finite(), "{key}");
        }
        assert!(!f["grid"].as_array().unwrap().is_empty());
    }
    // A 90 % split-conformal interval calibrated on out-of-fold residuals, its test coverage
    // measured and consistent with the bundle's.
    let interval = out.bundle().interval.as_ref().unwrap();
    assert_eq!(interval.level, 0.9);
    assert_eq!(interval.n_calibration, 240);
    assert!(
        interval.half_width > 0.0 && interval.half_width < 20.0,
        "{interval:?}"
    );
    assert!(interval.test_coverage >= 0.75, "{interval:?}");
    assert_eq!(report["interval"]["half_width"], interval.half_width);
    // The synthetic target is nearly linear: a linear family wins and fits it well.
    assert_eq!(common::export_kind(&out.bundle().metrics.family), "linear");
    assert!(
        out.bundle().metrics.test_r2 > 0.9,
        "{}",
        out.bundle().metrics.test_r2
    );
}

#[test]
fn every_family_exports_a_model_that_predicts_like_the_fitted_one() {
    // `train` refuses to return a model whose JSON predicts differently (> 1e-9) from the
    // fitted one on any test row; forcing each family exercises every exporter.
    let csv = common::synthetic_csv(200, 3);
    for family in family_names() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = config(dir.path(), &csv);
        c.family = Some(family.into());
        let out = train::run(&c, &()).unwrap_or_else(|e| panic!("{family}: {e:#}"));
        assert_eq!(out.bundle().metrics.family, family);
        let kind = serde_json::to_value(&out.bundle().model).unwrap()["kind"].clone();
        assert_eq!(kind, common::export_kind(family), "{family}");
        // And the written file reads back into the same predictor.
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

fn trainer() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trainer"))
}

#[test]
fn bad_data_exits_2_naming_line_and_column_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = common::synthetic_csv(50, 4);
    let mut lines: Vec<String> = good.lines().map(str::to_owned).collect();
    lines[7] = lines[7].replacen(",group", ",", 1).replace("\"", "");
    lines[9] = "male,group A,high school,standard,none,abc,57,44".into();
    let cases = [
        ("empty.csv", String::new(), "the file is empty"),
        (
            "header-only.csv",
            format!("{}\n", common::HEADER),
            "no data rows",
        ),
        (
            "missing-column.csv",
            "gender,lunch\nmale,standard\n".into(),
            "missing column(s) race_ethnicity",
        ),
        (
            "bad.csv",
            lines.join("\n"),
            "line 10: column math_score: \"abc\" is not a number",
        ),
        (
            "unknown-category.csv",
            format!(
                "{}\nfemale,group F,high school,standard,none,50,50,50\n",
                common::HEADER
            ),
            "line 2: column race_ethnicity: \"group F\" is not one of: group A, group B",
        ),
        (
            "ragged.csv",
            format!("{}\nmale,group A\n", common::HEADER),
            "line 2: has 2 fields, the header has 8",
        ),
    ];
    for (name, text, expected) in cases {
        let data = dir.path().join(name);
        std::fs::write(&data, text).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        let result = trainer()
            .args(["train", "--quiet", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(&out)
            .arg("--schema")
            .arg(common::schema_path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: wrote output");
    }
}

#[test]
fn predict_prints_one_prediction_per_row_and_exits_2_on_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let c = config(dir.path(), &common::synthetic_csv(120, 5));
    train::run(&c, &()).unwrap();
    let model = dir.path().join("out/model.json");
    let input = dir.path().join("students.csv");
    std::fs::write(
        &input,
        "writing_score,reading_score,lunch,gender,race_ethnicity,parental_level_of_education,test_preparation_course,name\n\
         70,72,standard,female,group B,high school,none,Ann\n\
         70,150,standard,female,group B,high school,none,Bob\n",
    )
    .unwrap();
    let result = trainer()
        .args(["predict", "--model"])
        .arg(&model)
        .arg("--input")
        .arg(&input)
        .output()
        .unwrap();
    let stdout = String::from_utf8(result.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines[0].ends_with(",name,prediction,interval_low,interval_high,note,error"));
    let ann: Vec<&str> = lines[1].split(',').collect();
    let value: f64 = ann[8].parse().unwrap();
    let (low, high): (f64, f64) = (ann[9].parse().unwrap(), ann[10].parse().unwrap());
    assert!(low < value && value < high);
    assert!(((high - value) - (value - low)).abs() < 1e-9);
    let set = model::Predictors::from_json(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let expected = set
        .full("math_score")
        .unwrap()
        .predict(
            &model::Student::new()
                .with("writing_score", "70")
                .with("reading_score", "72")
                .with("lunch", "standard")
                .with("gender", "female")
                .with("race_ethnicity", "group B")
                .with("parental_level_of_education", "high school")
                .with("test_preparation_course", "none"),
        )
        .unwrap();
    assert_eq!(value, expected);
    assert!(
        lines[2]
            .contains("line 3: column reading_score (Reading score): 150 is not between 0 and 100"),
        "{}",
        lines[2]
    );
}

#[test]
fn every_target_and_the_fairness_variant_are_trained_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let csv = common::synthetic_csv(300, 6);
    let mut c = config(dir.path(), &csv);
    c.targets = vec![
        "math_score".into(),
        "reading_score".into(),
        "writing_score".into(),
    ];
    c.fairness = true;
    c.only = vec!["linear_regression".into(), "decision_tree".into()];
    let out = train::run(&c, &()).unwrap();

    let text = std::fs::read_to_string(dir.path().join("out/model.json")).unwrap();
    let set = model::Predictors::from_json(&text).unwrap();
    assert_eq!(set.default_target(), "math_score");
    assert_eq!(
        set.targets(),
        ["math_score", "reading_score", "writing_score"]
    );
    assert_eq!(set.iter().count(), 6);

    let rows = common::rows(&csv);
    let split = trainer::split::train_test(rows.len(), c.test_fraction, c.seed);
    for target in ["math_score", "reading_score", "writing_score"] {
        let full = set.full(target).unwrap();
        let unaware = set.get(target, &["gender", "race_ethnicity"]).unwrap();
        let names = |p: &model::Predictor| -> Vec<String> {
            p.features().iter().map(|f| f.name().to_owned()).collect()
        };
        // Each target is predicted from the other two scores and the categories.
        assert!(!names(full).contains(&target.to_owned()));
        assert_eq!(names(full).len(), 7);
        assert_eq!(names(unaware).len(), 5);
        assert!(!names(unaware)
            .iter()
            .any(|n| n == "gender" || n == "race_ethnicity"));

        // With the switch on, gender and race/ethnicity change nothing: not the prediction,
        // not the explanation.
        let base = rows[split.test[0]].student.clone();
        let mut other = base.clone();
        other.set(
            "gender",
            if base.get("gender") == Some("male") {
                "female"
            } else {
                "male"
            },
        );
        other.set("race_ethnicity", "group E");
        let (a, b) = (
            unaware.explain(&base, model::Missing::Reject).unwrap(),
            unaware.explain(&other, model::Missing::Reject).unwrap(),
        );
        assert_eq!(a, b, "{target}");
        assert!(a
            .contributions
            .iter()
            .all(|c| c.feature != "gender" && c.feature != "race_ethnicity"));

        // The audit's per-group figures, recomputed here from the test split.
        let report = out.reports.get(target).unwrap();
        assert_eq!(report.fairness.len(), 2);
        for (audit, predictor) in report.fairness.iter().zip([full, unaware]) {
            assert_eq!(audit.excluded, predictor.bundle().excluded);
            for g in &audit.groups {
                let errors: Vec<f64> = split
                    .test
                    .iter()
                    .map(|&i| &rows[i])
                    .filter(|r| r.student.get(&g.feature) == Some(g.category.as_str()))
                    .map(|r| predictor.predict(&r.student).unwrap() - r.number(target).unwrap())
                    .collect();
                assert_eq!(g.n, errors.len());
                let mae = errors.iter().map(|e| e.abs()).sum::<f64>() / errors.len() as f64;
                let mse = errors.iter().sum::<f64>() / errors.len() as f64;
                assert!((g.mae - mae).abs() < 1e-9, "{target} {g:?}");
                assert!((g.mean_signed_error - mse).abs() < 1e-9, "{target} {g:?}");

                // Coverage of the interval the app shows (the estimate's bounds), and the MAE's
                // bootstrap interval by the documented method.
                let (covered, abs): (Vec<bool>, Vec<f64>) = split
                    .test
                    .iter()
                    .map(|&i| &rows[i])
                    .filter(|r| r.student.get(&g.feature) == Some(g.category.as_str()))
                    .map(|r| {
                        let e = predictor
                            .estimate(&r.student, model::Missing::Impute)
                            .unwrap();
                        let actual = r.number(target).unwrap();
                        (
                            e.low.unwrap() <= actual && actual <= e.high.unwrap(),
                            (e.value - actual).abs(),
                        )
                    })
                    .unzip();
                let coverage = covered.iter().filter(|&&c| c).count() as f64 / g.n as f64;
                assert_eq!(g.coverage, Some(coverage), "{target} {g:?}");
                let [low, high] = g.mae_ci.unwrap();
                let [want_low, want_high] = bootstrap_mae(&abs, c.seed);
                assert!((low - want_low).abs() < 1e-9, "{target} {g:?} {want_low}");
                assert!(
                    (high - want_high).abs() < 1e-9,
                    "{target} {g:?} {want_high}"
                );
                assert!(low <= g.mae && g.mae <= high, "{target} {g:?}");
                assert!(low < high, "{target} {g:?}");
            }
            // Each feature's groups recombine to the interval's own test coverage.
            let interval = predictor.bundle().interval.as_ref().unwrap();
            assert_eq!(audit.interval.as_ref(), Some(interval));
            for feature in ["gender", "race_ethnicity", "lunch"] {
                let inside: f64 = audit
                    .groups
                    .iter()
                    .filter(|g| g.feature == feature)
                    .map(|g| g.coverage.unwrap() * g.n as f64)
                    .sum();
                assert!(
                    (inside / split.test.len() as f64 - interval.test_coverage).abs() < 1e-9,
                    "{target} {feature}"
                );
            }
            let bootstrap = audit.bootstrap.as_ref().unwrap();
            assert_eq!(
                (
                    bootstrap.method.as_str(),
                    bootstrap.resamples,
                    bootstrap.level
                ),
                ("percentile", 2000, 0.95)
            );
            assert_eq!(bootstrap.seed, c.seed);
            // Each variant's importance, recomputed: the mean absolute contribution of each
            // of its own fields over the test split, largest first.
            let mut expected: Vec<(String, f64)> = names(predictor)
                .into_iter()
                .map(|name| {
                    let total: f64 = split
                        .test
                        .iter()
                        .map(|&i| {
                            let e = predictor
                                .explain(&rows[i].student, model::Missing::Reject)
                                .unwrap();
                            e.contributions
                                .iter()
                                .find(|c| c.feature == name)
                                .unwrap()
                                .value
                                .abs()
                        })
                        .sum();
                    (name, total / split.test.len() as f64)
                })
                .collect();
            expected.sort_by(|a, b| b.1.total_cmp(&a.1));
            assert_eq!(audit.importance.len(), expected.len(), "{target}");
            for (got, (name, value)) in audit.importance.iter().zip(&expected) {
                assert_eq!(&got.feature, name, "{target}");
                assert!(
                    (got.mean_abs_contribution - value).abs() < 1e-9,
                    "{target} {name}"
                );
            }
            let audited: std::collections::BTreeSet<&str> =
                audit.groups.iter().map(|g| g.feature.as_str()).collect();
            assert_eq!(
                audited.into_iter().collect::<Vec<_>>(),
                ["gender", "lunch", "race_ethnicity"]
            );
        }
        // The full model's audit carries the same importance as the Insights page's.
        assert_eq!(report.fairness[0].importance, report.insights.importance);
        assert!(report.fairness[1]
            .importance
            .iter()
            .all(|i| i.feature != "gender" && i.feature != "race_ethnicity"));
        let cost = report.fairness[1].r2_cost;
        assert!(
            (cost - (full.bundle().metrics.test_r2 - unaware.bundle().metrics.test_r2)).abs()
                < 1e-12
        );
    }
}

/// The 95 % percentile bootstrap interval of the mean of `abs` as `report.json` documents it,
/// written out again: 2,000 resamples of `n` indices each, drawn with `interval(n − 1)` from one
/// MT19937 seeded with `seed`; the 2.5th and 97.5th percentiles of the resampled means,
/// interpolated linearly between the closest ranks (numpy's default).
fn bootstrap_mae(abs: &[f64], seed: u64) -> [f64; 2] {
    let n = abs.len();
    let mut rng = trainer::split::Mt19937::new(seed as u32);
    let mut means = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let mut total = 0.0;
        for _ in 0..n {
            total += abs[rng.interval(n as u32 - 1) as usize];
        }
        means.push(total / n as f64);
    }
    means.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |percent: f64| {
        let rank = percent / 100.0 * (means.len() - 1) as f64;
        let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
        means[lo] + (rank - lo as f64) * (means[hi] - means[lo])
    };
    [at(2.5), at(97.5)]
}

/// `⌈(n + 1) · level⌉`-th smallest of the absolute values (the largest beyond `n`).
fn conformal_rank(residuals: &[f64], level: f64) -> f64 {
    let mut abs: Vec<f64> = residuals.iter().map(|r| r.abs()).collect();
    abs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let rank = ((abs.len() + 1) as f64 * level).ceil() as usize;
    abs[rank.min(abs.len()) - 1]
}

#[test]
fn the_mondrian_interval_by_lunch_is_calibrated_on_each_groups_own_residuals() {
    let dir = tempfile::tempdir().unwrap();
    let csv = common::synthetic_csv(300, 8);
    let mut c = config(dir.path(), &csv);
    c.fairness = true;
    c.only = vec!["linear_regression".into()];
    let out = train::run(&c, &()).unwrap();
    let report = out.report();
    assert_eq!(report.fairness.len(), 2);

    let rows = common::rows(&csv);
    let split = trainer::split::train_test(rows.len(), c.test_fraction, c.seed);
    let train_rows: Vec<&trainer::data::Row> = split.train.iter().map(|&i| &rows[i]).collect();
    let folds = trainer::split::folds(train_rows.len(), c.folds, c.seed);
    let families = trainer::families::all();
    let linear = families
        .iter()
        .find(|f| f.name() == "linear_regression")
        .unwrap();
    let set = model::Predictors::from_json(&out.model_json).unwrap();
    for (audit, excluded) in report
        .fairness
        .iter()
        .zip([&[][..], &["gender", "race_ethnicity"][..]])
    {
        let predictor = set.get("math_score", excluded).unwrap();
        let interval = predictor.bundle().interval.as_ref().unwrap();
        // The served configuration's out-of-fold residuals, from its own cross-validation.
        let plan = trainer::search::Plan {
            families: vec![(
                linear.as_ref(),
                vec![predictor.bundle().metrics.params.clone()],
            )],
            metric: trainer::metrics::Metric::R2,
        };
        let left_out: Vec<String> = excluded.iter().map(|e| (*e).to_owned()).collect();
        let features =
            trainer::prep::features_for(&common::students(), &rows, "math_score", &left_out);
        let searched = trainer::search::run(
            &plan,
            &train_rows,
            &features,
            &trainer::search::Folds {
                folds: &folds,
                per_run: c.folds,
            },
            &trainer::search::Settings {
                target: "math_score",
                variant: "full",
                seed: c.seed,
                threads: trainer::par::Threads::All,
                progress: &(),
            },
        )
        .unwrap();
        let residuals: Vec<f64> = searched.families[0]
            .best()
            .oof
            .iter()
            .zip(&train_rows)
            .map(|(p, r)| r.number("math_score").unwrap() - p)
            .collect();
        // They are the global interval's residuals.
        assert_eq!(residuals.len() as u32, interval.n_calibration);
        assert_eq!(conformal_rank(&residuals, 0.9), interval.half_width);

        let mondrian = audit.mondrian.as_ref().unwrap();
        assert_eq!(mondrian.feature, "lunch");
        assert_eq!(mondrian.level, 0.9);
        assert_eq!(mondrian.global_half_width, interval.half_width);
        let names: Vec<&str> = mondrian
            .groups
            .iter()
            .map(|g| g.category.as_str())
            .collect();
        assert_eq!(names, ["free/reduced", "standard"]);
        for g in &mondrian.groups {
            let own: Vec<f64> = residuals
                .iter()
                .zip(&train_rows)
                .filter(|(_, r)| r.student.get("lunch") == Some(g.category.as_str()))
                .map(|(e, _)| *e)
                .collect();
            assert_eq!(g.n_calibration, own.len());
            assert_eq!(g.half_width, conformal_rank(&own, 0.9), "{g:?}");

            // Its coverage on the test split, with the prediction and both bounds limited
            // to 0–100 as the app limits the global interval.
            let test: Vec<&trainer::data::Row> = split
                .test
                .iter()
                .map(|&i| &rows[i])
                .filter(|r| r.student.get("lunch") == Some(g.category.as_str()))
                .collect();
            assert_eq!(g.n_test, test.len());
            let inside = test
                .iter()
                .filter(|r| {
                    let value = predictor.predict(&r.student).unwrap();
                    let actual = r.number("math_score").unwrap();
                    (value - g.half_width).max(0.0) <= actual
                        && actual <= (value + g.half_width).min(100.0)
                })
                .count();
            assert_eq!(g.test_coverage, inside as f64 / test.len() as f64, "{g:?}");
            let global = audit
                .groups
                .iter()
                .find(|e| e.feature == "lunch" && e.category == g.category)
                .unwrap();
            // The global interval's share for the same students, as the page reads it.
            let inside_global = test
                .iter()
                .filter(|r| {
                    let value = predictor.predict(&r.student).unwrap();
                    let actual = r.number("math_score").unwrap();
                    (value - interval.half_width).max(0.0) <= actual
                        && actual <= (value + interval.half_width).min(100.0)
                })
                .count();
            assert_eq!(
                global.coverage,
                Some(inside_global as f64 / test.len() as f64)
            );
            assert_eq!(g.n_test, global.n);
        }
        // Both categories together hold every calibration residual.
        let total: usize = mondrian.groups.iter().map(|g| g.n_calibration).sum();
        assert_eq!(total as u32, interval.n_calibration);
    }

    // Older reports, without the new fields, still read.
    let mut old: serde_json::Value = serde_json::from_str(&out.report_json).unwrap();
    for audit in old["reports"][0]["fairness"].as_array_mut().unwrap() {
        let audit = audit.as_object_mut().unwrap();
        for key in ["interval", "bootstrap", "mondrian"] {
            assert!(audit.remove(key).is_some(), "{key}");
        }
        for g in audit["groups"].as_array_mut().unwrap() {
            let g = g.as_object_mut().unwrap();
            assert!(g.remove("coverage").is_some() && g.remove("mae_ci").is_some());
        }
    }
    let read: model::report::ReportSet = serde_json::from_value(old).unwrap();
    assert!(read.reports[0].fairness[0].mondrian.is_none());
    assert!(read.reports[0].fairness[0].groups[0].coverage.is_none());
}
