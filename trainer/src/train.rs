//! `trainer train`: load, split, search, select on cross-validation, refit, export, report.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{ensure, Context};
use model::report::{FairnessAudit, GroupErrors, MondrianGroup, MondrianInterval, ReportSet};
use model::{
    ModelBundle, ModelSet, Predictor, Predictors, FORMAT_NAME, FORMAT_VERSION, SET_FORMAT_NAME,
    SET_FORMAT_VERSION,
};
use rayon::prelude::*;

use crate::data::{self, Row};
use crate::families::{self, GridSpec};
use crate::metrics::Scores;
use crate::report::{CvInfo, DataInfo, FamilyReport, GridPoint, Report, SplitInfo};
use crate::search::{self, Plan};
use crate::{bootstrap, interval, prep, progress, split, BadInput};

/// Everything `train` needs, already checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub data: PathBuf,
    pub out: PathBuf,
    /// The default target (shown first by the app); always trained.
    pub target: String,
    /// Further targets to train, each from the other two scores and the categories.
    pub also: Vec<String>,
    /// Also train each target without the sensitive columns and audit both per group.
    pub fairness: bool,
    pub seed: u64,
    pub folds: usize,
    pub test_fraction: f64,
    /// Export this family instead of the CV winner.
    pub family: Option<String>,
    /// Restrict the search to these families (all in `grids` when empty).
    pub only: Vec<String>,
    /// The grids to search (default: `trainer/grids.toml`).
    pub grids: GridSpec,
    /// Coverage of the prediction interval (split-conformal on out-of-fold residuals).
    pub interval_level: f64,
    pub quiet: bool,
}

impl Config {
    /// The default target, then the others, each once.
    pub fn targets(&self) -> Vec<&str> {
        let mut targets = vec![self.target.as_str()];
        for t in &self.also {
            if !targets.contains(&t.as_str()) {
                targets.push(t);
            }
        }
        targets
    }

    /// A single-target configuration with the defaults (the command line trains every target
    /// and the fairness variant).
    pub fn new(data: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Self {
            data: data.into(),
            out: out.into(),
            target: "math_score".into(),
            also: Vec::new(),
            fairness: false,
            seed: 42,
            folds: 5,
            test_fraction: 0.2,
            family: None,
            only: Vec::new(),
            grids: families::parse_grids(families::DEFAULT_GRIDS).expect("the default grids parse"),
            interval_level: 0.9,
            quiet: true,
        }
    }
}

/// What a training run produced (also written to `out`).
pub struct Outcome {
    pub set: ModelSet,
    pub reports: ReportSet,
    pub model_json: String,
    pub report_json: String,
}

impl Outcome {
    /// The full model of the default target.
    pub fn bundle(&self) -> &ModelBundle {
        self.full(&self.set.default_target)
    }

    /// The full model of `target`.
    pub fn full(&self, target: &str) -> &ModelBundle {
        self.set
            .bundles
            .iter()
            .find(|b| b.target == target && b.excluded.is_empty())
            .expect("every trained target has a full model")
    }

    /// The report of the default target.
    pub fn report(&self) -> &Report {
        self.reports
            .get(&self.set.default_target)
            .expect("the default target has a report")
    }
}

/// Trains from the configured CSV and writes `model.json` and `report.json` into `out` only
/// when everything succeeded.
pub fn run(config: &Config) -> anyhow::Result<Outcome> {
    let bytes = std::fs::read(&config.data).map_err(|source| data::DataError::Io {
        path: config.data.display().to_string(),
        source,
    })?;
    let rows = data::parse(bytes.as_slice())?;
    let outcome = train(config, &rows, sha256_hex(&bytes))?;
    write(&config.out, &outcome)?;
    Ok(outcome)
}

/// Trains as [`run`] does but writes nothing: fails unless `model.json` in `config.out` is
/// byte-identical to this run's and `report.json` differs at most in its measured timings.
pub fn check(config: &Config) -> anyhow::Result<Outcome> {
    let bytes = std::fs::read(&config.data).map_err(|source| data::DataError::Io {
        path: config.data.display().to_string(),
        source,
    })?;
    let rows = data::parse(bytes.as_slice())?;
    let outcome = train(config, &rows, sha256_hex(&bytes))?;
    let read = |name: &str| {
        let path = config.out.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    ensure!(
        read("model.json")? == outcome.model_json,
        "{} differs from a fresh training run",
        config.out.join("model.json").display()
    );
    ensure!(
        model::report::without_timings(&read("report.json")?)?
            == model::report::without_timings(&outcome.report_json)?,
        "{} differs from a fresh training run (beyond its timings)",
        config.out.join("report.json").display()
    );
    Ok(outcome)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn write(out: &Path, outcome: &Outcome) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for (name, text) in [
        ("model.json", &outcome.model_json),
        ("report.json", &outcome.report_json),
    ] {
        let path = out.join(name);
        let tmp = out.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// The columns the fairness variant is trained without.
pub const SENSITIVE: [&str; 2] = model::fields::SENSITIVE_FIELDS;

/// The columns whose groups the fairness audit reports.
pub const AUDITED: [&str; 3] = ["gender", "race_ethnicity", "lunch"];

/// The grouping of the audit's group-conditional (Mondrian) interval: the one audited column
/// that is not a protected attribute.
pub const MONDRIAN: &str = "lunch";

/// What the search and the refit need, shared by every target and variant.
struct Shared<'a> {
    split: split::Split,
    train: Vec<&'a Row>,
    test: Vec<&'a Row>,
    folds: Vec<(Vec<usize>, Vec<usize>)>,
    plan: Plan<'a>,
}

/// One served model (a target, with or without some columns) and how it was chosen.
struct Served {
    bundle: ModelBundle,
    predictor: Predictor,
    winner: String,
    families: Vec<FamilyReport>,
    interval: model::Interval,
    /// The served configuration's out-of-fold residuals (actual − prediction), one per
    /// training row in training-split order: what `interval` is calibrated on.
    residuals: Vec<f64>,
    /// The served model's test-split predictions, limited to the target's range as the reader
    /// limits them.
    test_predictions: Vec<f64>,
    /// Families that could not be fitted, with the reason.
    skipped: Vec<model::report::Skipped>,
}

/// The whole pipeline on checked rows, without touching the disk: for every configured target
/// the full model and, when asked, the variant without the sensitive columns.
pub fn train(config: &Config, rows: &[Row], data_sha256: String) -> anyhow::Result<Outcome> {
    let bad = |message: String| BadInput(message);
    for target in config.targets() {
        ensure!(
            model::fields::SCORE_FIELDS.contains(&target),
            bad(format!(
                "target {target:?} is not one of {}",
                model::fields::SCORE_FIELDS.join(", ")
            ))
        );
    }
    ensure!(
        config.folds >= 2,
        bad(format!("--folds must be at least 2, not {}", config.folds))
    );
    ensure!(
        config.interval_level > 0.0 && config.interval_level < 1.0,
        bad("the interval level must be between 0 and 1".into())
    );
    ensure!(
        config.seed <= u64::from(u32::MAX),
        bad(format!(
            "the seed must fit numpy's RandomState range (at most {})",
            u32::MAX
        ))
    );
    ensure!(
        config.test_fraction > 0.0 && config.test_fraction < 1.0,
        bad("--test-fraction must be between 0 and 1".into())
    );
    let split = split::train_test(rows.len(), config.test_fraction, config.seed);
    ensure!(
        split.train.len() >= 2 * config.folds && !split.test.is_empty(),
        bad(format!(
            "the dataset is too small: {} rows give {} training and {} test rows; \
             {} folds need at least {} training rows (and the test split at least one row)",
            rows.len(),
            split.train.len(),
            split.test.len(),
            config.folds,
            2 * config.folds
        ))
    );

    let all = families::all();
    let mut planned = families::plan(&all, &config.grids)?;
    if let Some(unknown) = config
        .only
        .iter()
        .find(|o| !planned.iter().any(|(f, _)| f.name() == *o))
    {
        anyhow::bail!(bad(format!(
            "--only {unknown:?} is not a family of the grid"
        )));
    }
    planned.retain(|(f, _)| config.only.is_empty() || config.only.iter().any(|o| o == f.name()));
    ensure!(
        !planned.is_empty(),
        bad("the grid names no family to search".into())
    );
    if let Some(forced) = &config.family {
        ensure!(
            planned.iter().any(|(f, _)| f.name() == forced),
            bad(format!(
                "--family {forced:?} is not among the searched families: {}",
                planned
                    .iter()
                    .map(|(f, _)| f.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        );
    }
    let shared = Shared {
        train: split.train.iter().map(|&i| &rows[i]).collect(),
        test: split.test.iter().map(|&i| &rows[i]).collect(),
        folds: split::folds(split.train.len(), config.folds, config.seed),
        split,
        plan: Plan { families: planned },
    };

    let mut bundles = Vec::new();
    let mut reports = Vec::new();
    for target in config.targets() {
        let full = serve(config, &shared, target, &[])?;
        let mut fairness = Vec::new();
        let mut variant = None;
        if config.fairness {
            let unaware = serve(config, &shared, target, &SENSITIVE)?;
            fairness.push(audit(
                &shared,
                target,
                "full",
                &full,
                full.bundle.metrics.test_r2,
                config.seed,
            )?);
            fairness.push(audit(
                &shared,
                target,
                "without gender and race/ethnicity",
                &unaware,
                full.bundle.metrics.test_r2,
                config.seed,
            )?);
            variant = Some(unaware);
        }
        let report = Report {
            report_version: 2,
            target: target.to_owned(),
            data: DataInfo {
                rows: rows.len(),
                sha256: data_sha256.clone(),
            },
            split: SplitInfo {
                seed: config.seed,
                test_fraction: config.test_fraction,
                n_train: shared.train.len(),
                n_test: shared.test.len(),
                test_rows: shared.split.test.clone(),
            },
            cv: CvInfo {
                folds: config.folds,
                seed: config.seed,
                metric: "r2".into(),
            },
            winner: full.winner.clone(),
            served: full.bundle.metrics.family.clone(),
            interval: full.interval.clone(),
            insights: crate::report::insights(
                &shared.train,
                &shared.test,
                target,
                &full.predictor,
            )?,
            families: full.families,
            fairness,
            skipped: full.skipped,
        };
        ensure_finite(&report)?;
        reports.push(report);
        bundles.push(full.bundle);
        bundles.extend(variant.map(|v| v.bundle));
    }
    let set = ModelSet {
        format: SET_FORMAT_NAME.into(),
        format_version: SET_FORMAT_VERSION,
        default_target: config.target.clone(),
        bundles,
        dataset: None,
    };
    // The set's own checks (one full model for the default target, no repeats).
    Predictors::new(set.clone()).context("the exported model set is invalid")?;
    let report_set = ReportSet {
        report_version: 2,
        default_target: config.target.clone(),
        reports,
    };
    Ok(Outcome {
        // Compact: the app embeds this document in its wasm.
        model_json: serde_json::to_string(&set)? + "\n",
        // Compact too: the app embeds it; `trainer train` prints the leaderboards for people.
        report_json: serde_json::to_string(&report_set)? + "\n",
        set,
        reports: report_set,
    })
}

/// Searches every family for `target` without the `excluded` columns, refits each family's
/// best grid point on the whole training split, and exports the CV winner (or `--family`).
fn serve(
    config: &Config,
    shared: &Shared<'_>,
    target: &str,
    excluded: &[&str],
) -> anyhow::Result<Served> {
    let (train, test) = (&shared.train, &shared.test);
    // The features are the schema's; every fitted preprocessing value comes from the training
    // split only.
    let features = prep::features_for(target, excluded);
    let label = if excluded.is_empty() {
        target.to_owned()
    } else {
        format!("{target} without {}", excluded.join(", "))
    };
    let bars: Vec<_> = shared
        .plan
        .families
        .iter()
        .map(|(f, grid)| {
            progress::bar(
                (grid.len() * shared.folds.len()) as u64,
                &format!("{label}: {}", f.name()),
                config.quiet,
            )
        })
        .collect();
    let search::Searched {
        families: searched,
        mut skipped,
    } = search::run(
        &shared.plan,
        train,
        &features,
        target,
        &shared.folds,
        config.seed,
        &|f, n| bars[f].inc(n as u64),
    )?;
    bars.iter().for_each(|b| b.finish_and_clear());

    let preprocessor = prep::fit_preprocessor(&features, train);
    let encoder = model::Encoder::new(&features, &preprocessor)?;
    let x_train = prep::encode(&encoder, train)?;
    let y_train = prep::target(train, target);
    let x_test = prep::encode(&encoder, test)?;
    let y_test = prep::target(test, target).to_vec();

    // Each family's best grid point refitted on the whole training split, on both cores.
    let refits: Vec<anyhow::Result<_>> = searched
        .par_iter()
        .map(|s| {
            let (family, _) = shared
                .plan
                .families
                .iter()
                .find(|(f, _)| f.name() == s.family)
                .expect("a searched family is planned");
            let best = s.best();
            let started = Instant::now();
            let fitted = family
                .fit(&best.params, &x_train, &y_train, config.seed)
                .context("refitting on the whole training split")?;
            let fit_seconds = started.elapsed().as_secs_f64();
            let predicted = fitted
                .predict(&x_test)
                .context("predicting the test split")?;
            Ok((fitted, predicted, fit_seconds))
        })
        .collect();
    // A family whose refit fails is skipped like one whose search failed.
    let mut kept = Vec::new();
    for (s, refit) in searched.iter().zip(refits) {
        match refit {
            Ok(r) => kept.push((s, r)),
            Err(e) => skipped.push(model::report::Skipped {
                family: s.family.into(),
                reason: format!("{e:#}"),
            }),
        }
    }
    let order = |name: &str| {
        shared
            .plan
            .families
            .iter()
            .position(|(f, _)| f.name() == name)
    };
    skipped.sort_by_key(|s| order(&s.family));
    if kept.is_empty() {
        anyhow::bail!(BadInput(format!(
            "no family could be fitted on {} training rows for {label}: {}",
            train.len(),
            skipped
                .iter()
                .map(|s| format!("{}: {}", s.family, s.reason))
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    let winner = kept[search::best_index(kept.iter().map(|(s, _)| s.best().cv_r2_mean))].0;
    let served_name = config.family.as_deref().unwrap_or(winner.family);
    if let Some(s) = skipped.iter().find(|s| s.family == served_name) {
        anyhow::bail!(BadInput(format!(
            "--family {served_name} could not be fitted for {label}: {}",
            s.reason
        )));
    }
    let mut reports = Vec::new();
    let mut served = None;
    for (s, (fitted, predicted, fit_seconds)) in kept {
        let best = s.best();
        // Scored as served: the reader limits every prediction to the target's range.
        let limited: Vec<f64> = predicted.iter().map(|&p| limit(target, p)).collect();
        let scores = Scores::of(&y_test, &limited);
        reports.push(FamilyReport {
            family: s.family.into(),
            best_params: best.params.clone(),
            cv_r2_mean: best.cv_r2_mean,
            cv_r2_std: best.cv_r2_std,
            test_r2: scores.r2,
            test_mae: scores.mae,
            test_rmse: scores.rmse,
            fit_seconds,
            search_seconds: s.search_seconds,
            search_fits: s.fits,
            grid: s
                .candidates
                .iter()
                .map(|c| GridPoint {
                    params: c.params.clone(),
                    cv_r2_mean: c.cv_r2_mean,
                    cv_r2_std: c.cv_r2_std,
                })
                .collect(),
        });
        if s.family == served_name {
            served = Some((fitted, predicted, limited, scores, best.clone()));
        }
    }
    let (fitted, in_memory, limited, scores, best) =
        served.expect("the served family was searched");

    // Split-conformal interval from the served configuration's out-of-fold residuals on the
    // training split; its coverage is then measured on the untouched test split.
    let residuals: Vec<f64> = best
        .oof
        .iter()
        .zip(y_train.iter())
        .map(|(p, t)| t - p)
        .collect();
    let half_width = interval::conformal_half_width(&residuals, config.interval_level);
    let interval = model::Interval {
        level: config.interval_level,
        half_width,
        n_calibration: residuals.len() as u32,
        test_coverage: interval::coverage(
            &y_test,
            &limited,
            half_width,
            model::fields::score_range(target),
        ),
    };

    let bundle = ModelBundle {
        format: FORMAT_NAME.into(),
        format_version: FORMAT_VERSION,
        target: target.to_owned(),
        features,
        preprocessor,
        model: fitted.export()?,
        metrics: model::Metrics {
            family: served_name.into(),
            params: best.params.clone(),
            cv_folds: config.folds as u32,
            cv_r2_mean: best.cv_r2_mean,
            cv_r2_std: best.cv_r2_std,
            test_r2: scores.r2,
            test_mae: scores.mae,
            test_rmse: scores.rmse,
            n_train: train.len() as u32,
            n_test: test.len() as u32,
        },
        interval: Some(interval.clone()),
        excluded: excluded.iter().map(|e| (*e).to_owned()).collect(),
        target_info: None,
    };
    // The reader's checks (finite numbers, consistent arrays) before anything is written, then
    // parity: the exported document predicts what the in-memory model predicts.
    let predictor = Predictor::new(bundle.clone())
        .with_context(|| format!("the exported model for {label} is invalid"))?;
    check_parity(&predictor, test, &in_memory).with_context(|| label.clone())?;
    Ok(Served {
        bundle,
        predictor,
        winner: winner.family.into(),
        families: reports,
        interval,
        residuals,
        test_predictions: limited,
        skipped,
    })
}

/// Per-group test errors of a served model for the audited columns: MAE with its seeded
/// bootstrap interval, mean signed error and the served interval's coverage; and the
/// group-conditional interval by [`MONDRIAN`].
fn audit(
    shared: &Shared<'_>,
    target: &str,
    variant: &str,
    served: &Served,
    full_test_r2: f64,
    seed: u64,
) -> anyhow::Result<FairnessAudit> {
    let m = &served.bundle.metrics;
    let range = model::fields::score_range(target);
    let half_width = served.interval.half_width;
    let mut groups = Vec::new();
    for feature in AUDITED {
        for category in categories(&shared.test, feature) {
            let (actual, predicted) = in_group(
                &shared.test,
                &served.test_predictions,
                feature,
                category,
                target,
            );
            // Cannot happen (the category was found on the test split), but a NaN must not
            // reach the report.
            ensure!(!actual.is_empty(), "{feature} {category:?}: no test rows");
            let errors: Vec<f64> = predicted.iter().zip(&actual).map(|(p, t)| p - t).collect();
            let abs: Vec<f64> = errors.iter().map(|e| e.abs()).collect();
            let n = errors.len() as f64;
            groups.push(GroupErrors {
                feature: feature.into(),
                category: category.into(),
                n: errors.len(),
                mae: abs.iter().sum::<f64>() / n,
                mean_signed_error: errors.iter().sum::<f64>() / n,
                coverage: Some(interval::coverage(&actual, &predicted, half_width, range)),
                mae_ci: Some(bootstrap::mean_interval(
                    &abs,
                    bootstrap::RESAMPLES,
                    bootstrap::LEVEL,
                    seed,
                )),
            });
        }
    }
    Ok(FairnessAudit {
        variant: variant.into(),
        excluded: served.bundle.excluded.clone(),
        family: m.family.clone(),
        cv_r2_mean: m.cv_r2_mean,
        test_r2: m.test_r2,
        test_mae: m.test_mae,
        test_rmse: m.test_rmse,
        r2_cost: full_test_r2 - m.test_r2,
        groups,
        importance: crate::report::importance(&shared.test, &served.predictor)?,
        skipped: served.skipped.clone(),
        interval: Some(served.interval.clone()),
        bootstrap: Some(bootstrap::describe(seed)),
        mondrian: Some(mondrian(shared, target, served, MONDRIAN)),
    })
}

/// The categories of `feature` among `rows`, sorted, each once.
fn categories<'a>(rows: &[&'a Row], feature: &str) -> Vec<&'a str> {
    let mut categories: Vec<&str> = rows.iter().filter_map(|r| r.student.get(feature)).collect();
    categories.sort_unstable();
    categories.dedup();
    categories
}

/// The actual scores and the predictions of the rows whose `feature` is `category`.
fn in_group(
    rows: &[&Row],
    predictions: &[f64],
    feature: &str,
    category: &str,
    target: &str,
) -> (Vec<f64>, Vec<f64>) {
    rows.iter()
        .zip(predictions)
        .filter(|(r, _)| r.student.get(feature) == Some(category))
        .map(|(r, &p)| (r.score(target), p))
        .unzip()
}

/// The split-conformal interval with one half-width per category of `feature`, calibrated on
/// the served configuration's out-of-fold residuals of that category's training rows, and its
/// coverage per category on the test split next to the global interval's. A category without
/// training rows or without test rows is left out (it has no half-width or no coverage).
fn mondrian(shared: &Shared<'_>, target: &str, served: &Served, feature: &str) -> MondrianInterval {
    let range = model::fields::score_range(target);
    let global = &served.interval;
    let labels: Vec<&str> = shared
        .train
        .iter()
        .map(|r| r.student.get(feature).unwrap_or(""))
        .collect();
    let groups = interval::mondrian_half_widths(&served.residuals, &labels, global.level)
        .into_iter()
        .filter(|(category, _, _)| !category.is_empty())
        .filter_map(|(category, half_width, n_calibration)| {
            let (actual, predicted) = in_group(
                &shared.test,
                &served.test_predictions,
                feature,
                category,
                target,
            );
            (!actual.is_empty()).then(|| MondrianGroup {
                category: category.into(),
                half_width,
                n_calibration,
                n_test: actual.len(),
                test_coverage: interval::coverage(&actual, &predicted, half_width, range),
            })
        })
        .collect();
    MondrianInterval {
        feature: feature.into(),
        level: global.level,
        global_half_width: global.half_width,
        groups,
    }
}

/// `prediction` limited to the range of the score `target`, as [`Predictor::estimate`] limits
/// it: the served model's test figures describe what the app and `trainer predict` show.
fn limit(target: &str, prediction: f64) -> f64 {
    match model::fields::score_range(target) {
        Some((min, max)) => prediction.clamp(min, max),
        None => prediction,
    }
}

/// Exported raw estimates must equal the in-memory model's predictions within 1e-9 on every
/// test row.
pub fn check_parity(predictor: &Predictor, rows: &[&Row], in_memory: &[f64]) -> anyhow::Result<()> {
    for (row, expected) in rows.iter().zip(in_memory) {
        // The raw estimate: the in-memory model is not limited to the target's range either.
        let got = predictor
            .estimate(&row.student, model::Missing::Impute)
            .with_context(|| format!("line {}", row.line))?
            .raw;
        ensure!(
            (got - expected).abs() <= 1e-9,
            "exported model predicts {got} but the fitted model {expected} on line {}",
            row.line
        );
    }
    Ok(())
}

/// serde_json writes NaN as null: refuse to write a report with a non-finite number.
fn ensure_finite(report: &Report) -> anyhow::Result<()> {
    for f in &report.families {
        for (name, v) in [
            ("cv_r2_mean", f.cv_r2_mean),
            ("cv_r2_std", f.cv_r2_std),
            ("test_r2", f.test_r2),
            ("test_mae", f.test_mae),
            ("test_rmse", f.test_rmse),
        ] {
            ensure!(v.is_finite(), "{}: {name} is not a finite number", f.family);
        }
        for g in &f.grid {
            ensure!(
                g.cv_r2_mean.is_finite() && g.cv_r2_std.is_finite(),
                "{}: a grid point scored a non-finite CV R² ({:?})",
                f.family,
                g.params
            );
        }
    }
    for a in &report.fairness {
        for g in &a.groups {
            let ci = g.mae_ci.unwrap_or_default();
            ensure!(
                [
                    g.mae,
                    g.mean_signed_error,
                    g.coverage.unwrap_or_default(),
                    ci[0],
                    ci[1]
                ]
                .iter()
                .all(|v| v.is_finite()),
                "{}: group {} {:?}: a non-finite error or coverage",
                a.variant,
                g.feature,
                g.category
            );
        }
        for g in a.mondrian.iter().flat_map(|m| &m.groups) {
            ensure!(
                [g.half_width, g.test_coverage]
                    .iter()
                    .all(|v| v.is_finite()),
                "{}: Mondrian group {:?}: a non-finite half-width or coverage",
                a.variant,
                g.category
            );
        }
    }
    Ok(())
}
