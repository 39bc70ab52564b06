//! `trainer train`: load, split, search, select on cross-validation, refit, export, report.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{ensure, Context};
use model::{ModelBundle, Predictor, FORMAT_NAME, FORMAT_VERSION};

use crate::data::{self, Row};
use crate::families::{self, GridSpec};
use crate::metrics::Scores;
use crate::report::{CvInfo, DataInfo, FamilyReport, GridPoint, Report, SplitInfo};
use crate::search::{self, Plan};
use crate::{interval, prep, progress, split};

/// Everything `train` needs, already checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub data: PathBuf,
    pub out: PathBuf,
    pub target: String,
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
    pub fn new(data: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Self {
            data: data.into(),
            out: out.into(),
            target: "math_score".into(),
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
    pub bundle: ModelBundle,
    pub report: Report,
    pub model_json: String,
    pub report_json: String,
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

/// The whole pipeline on checked rows, without touching the disk.
pub fn train(config: &Config, rows: &[Row], data_sha256: String) -> anyhow::Result<Outcome> {
    ensure!(
        model::fields::SCORE_FIELDS.contains(&config.target.as_str()),
        "target {:?} is not one of {:?}",
        config.target,
        model::fields::SCORE_FIELDS
    );
    ensure!(config.folds >= 2, "--folds must be at least 2");
    ensure!(
        config.interval_level > 0.0 && config.interval_level < 1.0,
        "the interval level must be between 0 and 1"
    );
    ensure!(
        config.seed <= u64::from(u32::MAX),
        "the seed must fit numpy's RandomState range (at most {})",
        u32::MAX
    );
    ensure!(
        config.test_fraction > 0.0 && config.test_fraction < 1.0,
        "--test-fraction must be between 0 and 1"
    );
    let split = split::train_test(rows.len(), config.test_fraction, config.seed);
    ensure!(
        split.train.len() >= 2 * config.folds,
        "{} training rows are too few for {} folds",
        split.train.len(),
        config.folds
    );
    let train: Vec<&Row> = split.train.iter().map(|&i| &rows[i]).collect();
    let test: Vec<&Row> = split.test.iter().map(|&i| &rows[i]).collect();

    let all = families::all();
    let mut planned = families::plan(&all, &config.grids)?;
    if let Some(unknown) = config
        .only
        .iter()
        .find(|o| !planned.iter().any(|(f, _)| f.name() == *o))
    {
        anyhow::bail!("--only {unknown:?} is not a family of the grid");
    }
    planned.retain(|(f, _)| config.only.is_empty() || config.only.iter().any(|o| o == f.name()));
    ensure!(!planned.is_empty(), "the grid names no family to search");
    if let Some(forced) = &config.family {
        ensure!(
            planned.iter().any(|(f, _)| f.name() == forced),
            "--family {forced:?} is not among the searched families: {}",
            planned
                .iter()
                .map(|(f, _)| f.name())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let plan = Plan { families: planned };

    // Features come from the training split only; so does every fitted preprocessing value.
    let features = prep::fit_features(&train, &config.target);
    let folds = split::folds(train.len(), config.folds, config.seed);
    let bars: Vec<_> = plan
        .families
        .iter()
        .map(|(f, grid)| progress::bar((grid.len() * folds.len()) as u64, f.name(), config.quiet))
        .collect();
    let searched = search::run(
        &plan,
        &train,
        &features,
        &config.target,
        &folds,
        config.seed,
        &|f, n| bars[f].inc(n as u64),
    )?;
    bars.iter().for_each(|b| b.finish_and_clear());

    let winner = &searched[search::best_index(searched.iter().map(|s| s.best().cv_r2_mean))];
    let served_name = config.family.as_deref().unwrap_or(winner.family);

    let preprocessor = prep::fit_preprocessor(&features, &train);
    let encoder = model::Encoder::new(&features, &preprocessor)?;
    let x_train = prep::encode(&encoder, &train)?;
    let y_train = prep::target(&train, &config.target);
    let x_test = prep::encode(&encoder, &test)?;
    let y_test = prep::target(&test, &config.target).to_vec();

    let mut reports = Vec::new();
    let mut served = None;
    for (s, (family, _)) in searched.iter().zip(&plan.families) {
        let best = s.best();
        let started = Instant::now();
        let fitted = family
            .fit(&best.params, &x_train, &y_train, config.seed)
            .with_context(|| format!("refitting {}", s.family))?;
        let fit_seconds = started.elapsed().as_secs_f64();
        let predicted = fitted.predict(&x_test)?;
        let scores = Scores::of(&y_test, &predicted);
        if s.family == served_name {
            served = Some((fitted, predicted, scores, best.clone()));
        }
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
    }
    let (fitted, in_memory, scores, best) = served.expect("the served family was searched");

    // Split-conformal interval from the served configuration's out-of-fold residuals on the
    // training split; its coverage is then measured on the untouched test split.
    let y_train_vec = y_train.to_vec();
    let residuals: Vec<f64> = best
        .oof
        .iter()
        .zip(&y_train_vec)
        .map(|(p, t)| t - p)
        .collect();
    let half_width = interval::conformal_half_width(&residuals, config.interval_level);
    let interval = model::Interval {
        level: config.interval_level,
        half_width,
        n_calibration: residuals.len() as u32,
        test_coverage: interval::coverage(&y_test, &in_memory, half_width),
    };

    let bundle = ModelBundle {
        format: FORMAT_NAME.into(),
        format_version: FORMAT_VERSION,
        target: config.target.clone(),
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
    };
    // The reader's checks (finite numbers, consistent arrays) before anything is written, then
    // parity: the exported document predicts what the in-memory model predicts.
    let predictor = Predictor::new(bundle.clone()).context("the exported model is invalid")?;
    check_parity(&predictor, &test, &in_memory)?;

    let report = Report {
        report_version: 1,
        target: config.target.clone(),
        data: DataInfo {
            rows: rows.len(),
            sha256: data_sha256,
        },
        split: SplitInfo {
            seed: config.seed,
            test_fraction: config.test_fraction,
            n_train: train.len(),
            n_test: test.len(),
            test_rows: split.test.clone(),
        },
        cv: CvInfo {
            folds: config.folds,
            seed: config.seed,
            metric: "r2".into(),
        },
        winner: winner.family.into(),
        served: served_name.into(),
        interval,
        families: reports,
        insights: crate::report::insights(&train, &test, &config.target, &predictor)?,
    };
    ensure_finite(&report)?;
    Ok(Outcome {
        // Compact: the app embeds this document in its wasm.
        model_json: serde_json::to_string(&bundle)? + "\n",
        report_json: serde_json::to_string_pretty(&report)? + "\n",
        bundle,
        report,
    })
}

/// Exported predictions must equal the in-memory model's within 1e-9 on every test row.
pub fn check_parity(predictor: &Predictor, rows: &[&Row], in_memory: &[f64]) -> anyhow::Result<()> {
    for (row, expected) in rows.iter().zip(in_memory) {
        let got = predictor
            .predict(&row.student)
            .with_context(|| format!("line {}", row.line))?;
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
            ensure!(v.is_finite(), "{}: {name} is {v}", f.family);
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
    Ok(())
}
