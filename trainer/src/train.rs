//! `trainer train`: load, split, search, select on cross-validation, refit, export, report.

use std::path::{Path, PathBuf};

use anyhow::{ensure, Context};
use model::report::{FairnessAudit, GroupErrors, MondrianGroup, MondrianInterval, ReportSet};
use model::{
    Dataset, Feature, ModelBundle, ModelSet, Predictor, Predictors, FORMAT_NAME, FORMAT_VERSION,
    SET_FORMAT_NAME, SET_FORMAT_VERSION,
};
use web_time::Instant;

use crate::data::{self, Row};
use crate::families::{self, GridSpec};
use crate::metrics::{Metric, Scores};
use crate::par::{self, Threads};
use crate::progress::Progress;
use crate::report::{CvInfo, DataInfo, FamilyReport, GridPoint, Report, SplitInfo};
use crate::search::{self, Plan};
use crate::{bootstrap, interval, prep, split, BadInput};

/// Everything `train` needs, already checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub data: PathBuf,
    /// The dataset file (a Data Resource or Table Schema); `None`: inferred from the CSV
    /// ([`crate::describe::infer`]).
    pub schema: Option<PathBuf>,
    /// The sheet to read when `data` is a spreadsheet ([`crate::sheet`]); `None`: the first.
    pub sheet: Option<String>,
    pub out: PathBuf,
    /// The columns to predict, each from the others; the first is the app's default. Empty:
    /// the dataset file's `roles.targets`.
    pub targets: Vec<String>,
    /// Columns that are no feature of any model (the earlier grades, say).
    pub drop: Vec<String>,
    /// Also train each target without the dataset's sensitive columns and audit both per
    /// group.
    pub fairness: bool,
    pub seed: u64,
    pub folds: usize,
    /// Runs of `folds` folds (repeated k-fold); 1 is plain k-fold.
    pub repeats: usize,
    /// What picks each family's best grid point and the winner.
    pub metric: Metric,
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
    /// Every core (the `parallel` feature) or one thread: the same output either way.
    pub threads: Threads,
}

impl Config {
    /// A configuration with the defaults: the dataset file's targets (or, without one, the
    /// targets inferred), no fairness variant (the command line trains it).
    pub fn new(data: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        Self {
            data: data.into(),
            schema: None,
            sheet: None,
            out: out.into(),
            targets: Vec::new(),
            drop: Vec::new(),
            fairness: false,
            seed: 42,
            folds: 5,
            repeats: 1,
            metric: Metric::R2,
            test_fraction: 0.2,
            family: None,
            only: Vec::new(),
            grids: families::parse_grids(families::DEFAULT_GRIDS).expect("the default grids parse"),
            interval_level: 0.9,
            quiet: true,
            threads: Threads::default(),
        }
    }

    /// The targets to train, the default first, each once: the configured ones, else the
    /// dataset file's. Each must be a numeric field of the dataset, neither ignored nor
    /// dropped.
    pub fn targets(&self, dataset: &Dataset) -> anyhow::Result<Vec<String>> {
        let wanted = if self.targets.is_empty() {
            &dataset.roles.targets
        } else {
            &self.targets
        };
        ensure!(
            !wanted.is_empty(),
            BadInput(
                "no target: name one with --target, or in the dataset file's roles.targets".into()
            )
        );
        let mut targets: Vec<String> = Vec::new();
        for t in wanted {
            let Some(field) = dataset.field(t) else {
                anyhow::bail!(BadInput(format!(
                    "target {t:?} is not a column of the dataset: {}",
                    dataset
                        .schema
                        .fields
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            ensure!(
                field.is_numeric(),
                BadInput(format!(
                    "target {t:?} is not a numeric column (its type is not number or integer)"
                ))
            );
            ensure!(
                !dataset.roles.ignored.contains(t) && !self.drop.contains(t),
                BadInput(format!("target {t:?} is ignored or dropped"))
            );
            if !targets.contains(t) {
                targets.push(t.clone());
            }
        }
        for d in &self.drop {
            ensure!(
                dataset.field(d).is_some(),
                BadInput(format!("--drop {d:?} is not a column of the dataset"))
            );
        }
        Ok(targets)
    }
}

/// The dataset file that describes the CSV `data` from beside it: the one `*.schema.json` in
/// its folder whose `path` is the CSV's file name (as `data/students.schema.json` says
/// `"path": "stud.csv"`), if any. Two such files are an error: `--schema` must choose.
pub fn dataset_file_beside(data: &Path) -> anyhow::Result<Option<PathBuf>> {
    let (Some(name), Some(dir)) = (data.file_name().and_then(|n| n.to_str()), data.parent()) else {
        return Ok(None);
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".schema.json"))
        })
        .filter(|p| {
            std::fs::read_to_string(p)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .is_some_and(|v| v.get("path").and_then(|p| p.as_str()) == Some(name))
        })
        .collect();
    found.sort();
    ensure!(
        found.len() <= 1,
        BadInput(format!(
            "{} and {} both describe {name}: choose one with --schema",
            found[0].display(),
            found[1].display()
        ))
    );
    Ok(found.pop())
}

/// The dataset file of `config` (checked): `--schema`, else the one beside the CSV
/// ([`dataset_file_beside`]), else the one inferred from the CSV `bytes`; its `roles.targets`
/// replaced by the targets to train.
pub fn dataset(config: &Config, bytes: &[u8]) -> anyhow::Result<Dataset> {
    let file = match &config.schema {
        Some(path) => Some(path.clone()),
        None => dataset_file_beside(&config.data)?,
    };
    let mut dataset = match &file {
        Some(path) => {
            let text = crate::read_text(path)?;
            Dataset::from_json(&text).with_context(|| format!("dataset file {}", path.display()))?
        }
        None => crate::describe::infer(bytes, &config.targets)
            .context("inferring the dataset's columns from the data (give --schema to say them)")?,
    };
    dataset.roles.targets = config.targets(&dataset)?;
    Ok(dataset)
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
/// when everything succeeded; `progress` hears of every step and may cancel.
pub fn run(config: &Config, progress: &dyn Progress) -> anyhow::Result<Outcome> {
    let (dataset, rows, bytes) = load(config)?;
    let outcome = train(config, &dataset, &rows, sha256_hex(&bytes), progress)?;
    write(&config.out, &outcome)?;
    Ok(outcome)
}

/// Trains as [`run`] does but writes nothing: fails unless `model.json` in `config.out` is
/// byte-identical to this run's and `report.json` differs at most in its measured timings.
pub fn check(config: &Config, progress: &dyn Progress) -> anyhow::Result<Outcome> {
    let (dataset, rows, bytes) = load(config)?;
    let outcome = train(config, &dataset, &rows, sha256_hex(&bytes), progress)?;
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

/// The configured dataset file (or the inferred one), the checked rows and the file's bytes
/// (a spreadsheet's sheet is read as CSV, [`crate::sheet`]; its notes are printed unless quiet).
pub fn load(config: &Config) -> anyhow::Result<(Dataset, Vec<Row>, Vec<u8>)> {
    let bytes = std::fs::read(&config.data).map_err(|source| data::DataError::Io {
        path: config.data.display().to_string(),
        source,
    })?;
    let (table, notes) = crate::sheet::table(&bytes, config.sheet.as_deref())
        .with_context(|| format!("reading {}", config.data.display()))?;
    if !config.quiet {
        for note in &notes {
            eprintln!("note: {}: {note}", config.data.display());
        }
    }
    let dataset = dataset(config, &table)?;
    let rows = data::parse(&table, &dataset)?;
    Ok((dataset, rows, bytes))
}

/// The data's provenance in model.json: the sha256 of the file as given, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
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

/// The columns the fairness variant of `target` is trained without: the dataset's sensitive
/// columns that are features of its full model, in schema order (empty: no variant).
pub fn sensitive(dataset: &Dataset, features: &[Feature]) -> Vec<String> {
    features
        .iter()
        .map(Feature::name)
        .filter(|n| dataset.roles.sensitive.iter().any(|s| s == n))
        .map(str::to_owned)
        .collect()
}

/// The name of the variant trained without `excluded`: their titles in lowercase, joined
/// ("without gender and race/ethnicity").
pub fn variant_name(dataset: &Dataset, excluded: &[String]) -> String {
    let titles: Vec<String> = excluded
        .iter()
        .map(|n| {
            dataset
                .field(n)
                .map_or(n.as_str(), |f| f.label())
                .to_lowercase()
        })
        .collect();
    let joined = match titles.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    };
    format!("without {joined}")
}

/// The columns whose groups the fairness audit reports: the sensitive categorical features of
/// the full model, then the audited ones, each in schema order.
pub fn audited(dataset: &Dataset, features: &[Feature]) -> Vec<String> {
    let categorical = |role: &[String]| -> Vec<String> {
        features
            .iter()
            .filter(|f| matches!(f, Feature::Categorical { .. }))
            .map(Feature::name)
            .filter(|n| role.iter().any(|r| r == n))
            .map(str::to_owned)
            .collect()
    };
    let mut columns = categorical(&dataset.roles.sensitive);
    for c in categorical(&dataset.roles.audited) {
        if !columns.contains(&c) {
            columns.push(c);
        }
    }
    columns
}

/// The grouping of the audit's group-conditional (Mondrian) interval: the first audited
/// categorical feature that is not sensitive, if any.
pub fn mondrian_column(dataset: &Dataset, features: &[Feature]) -> Option<String> {
    features
        .iter()
        .filter(|f| matches!(f, Feature::Categorical { .. }))
        .map(Feature::name)
        .find(|n| {
            dataset.roles.audited.iter().any(|a| a == n)
                && !dataset.roles.sensitive.iter().any(|s| s == n)
        })
        .map(str::to_owned)
}

/// What the search and the refit need, shared by every target and variant.
struct Shared<'a> {
    split: split::Split,
    train: Vec<&'a Row>,
    test: Vec<&'a Row>,
    /// Every run's folds, concatenated ([`split::repeated_folds`]).
    folds: Vec<(Vec<usize>, Vec<usize>)>,
    plan: Plan<'a>,
    dataset: &'a Dataset,
    rows: &'a [Row],
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
    /// The target's range.
    range: (f64, f64),
    /// Families that could not be fitted, with the reason.
    skipped: Vec<model::report::Skipped>,
}

/// The whole pipeline on checked rows, without touching the disk: for every configured target
/// the full model and, when asked, the variant without the sensitive columns. `progress` hears
/// of every (grid point, fold) of every search; when it answers `Break` the run stops before
/// its next fit with [`crate::progress::Cancelled`].
pub fn train(
    config: &Config,
    dataset: &Dataset,
    rows: &[Row],
    data_sha256: String,
    progress: &dyn Progress,
) -> anyhow::Result<Outcome> {
    let bad = |message: String| BadInput(message);
    let targets = config.targets(dataset)?;
    ensure!(
        config.repeats >= 1,
        bad(format!(
            "--repeats must be at least 1, not {}",
            config.repeats
        ))
    );
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
    ensure!(
        rows.len() >= 2,
        bad(format!(
            "the dataset is too small: {} row(s); {} folds need at least {} training rows \
             (and the test split at least one row)",
            rows.len(),
            config.folds,
            2 * config.folds
        ))
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
        folds: split::repeated_folds(split.train.len(), config.folds, config.repeats, config.seed),
        split,
        plan: Plan {
            families: planned,
            metric: config.metric,
        },
        dataset,
        rows,
    };
    // One histogram per target column over its range (ten equal bins).
    let histograms: Vec<(String, (f64, f64))> = targets
        .iter()
        .filter_map(|t| {
            let field = dataset.field(t)?;
            let info = prep::target_info(field, rows);
            Some((t.clone(), (info.min, info.max)))
        })
        .collect();

    let mut bundles = Vec::new();
    let mut reports = Vec::new();
    for target in &targets {
        let target = target.as_str();
        let full = search_refit_export(config, &shared, target, &[], progress)?;
        let mut fairness = Vec::new();
        let mut variant = None;
        if config.fairness {
            let features = &full.bundle.features;
            let excluded = sensitive(dataset, features);
            let groups = audited(dataset, features);
            let mondrian = mondrian_column(dataset, features);
            if excluded.is_empty() && !config.quiet {
                eprintln!(
                    "{target}: no fairness variant: the dataset names no sensitive column among \
                     the features (roles.sensitive)"
                );
            }
            if !excluded.is_empty() || !groups.is_empty() {
                fairness.push(audit(
                    &shared,
                    target,
                    "full",
                    &full,
                    full.bundle.metrics.test_r2,
                    config.seed,
                    &groups,
                    mondrian.as_deref(),
                )?);
            }
            if !excluded.is_empty() {
                let unaware = search_refit_export(config, &shared, target, &excluded, progress)?;
                fairness.push(audit(
                    &shared,
                    target,
                    &variant_name(dataset, &excluded),
                    &unaware,
                    full.bundle.metrics.test_r2,
                    config.seed,
                    &groups,
                    mondrian.as_deref(),
                )?);
                variant = Some(unaware);
            }
        }
        let report = Report {
            report_version: 2,
            target: target.to_owned(),
            data: DataInfo {
                rows: rows.len(),
                sha256: data_sha256.clone(),
                dataset: dataset.name.clone(),
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
                metric: config.metric.name().into(),
                repeats: config.repeats,
            },
            winner: full.winner.clone(),
            served: full.bundle.metrics.family.clone(),
            interval: full.interval.clone(),
            insights: crate::report::insights(
                &shared.train,
                &shared.test,
                target,
                &full.predictor,
                &histograms,
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
        default_target: targets[0].clone(),
        bundles,
        dataset: Some(dataset.card()),
    };
    // The set's own checks (one full model for the default target, no repeats).
    Predictors::new(set.clone()).context("the exported model set is invalid")?;
    let report_set = ReportSet {
        report_version: 2,
        default_target: targets[0].clone(),
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

/// Searches every family for `target` without the `excluded` columns (one variant), refits
/// each family's best grid point on the whole training split, and exports the CV winner (or
/// `--family`) with its interval, checked by the reader and for parity.
fn search_refit_export(
    config: &Config,
    shared: &Shared<'_>,
    target: &str,
    excluded: &[String],
    progress: &dyn Progress,
) -> anyhow::Result<Served> {
    let (train, test) = (&shared.train, &shared.test);
    // The features are the dataset file's; every fitted preprocessing value comes from the
    // training split only.
    let left_out: Vec<String> = config.drop.iter().chain(excluded).cloned().collect();
    let features = prep::features_for(shared.dataset, shared.rows, target, &left_out);
    ensure!(
        !features.is_empty(),
        BadInput(format!("{target}: no column is left to predict it from"))
    );
    let target_field = shared.dataset.field(target).expect("a checked target");
    let target_info = prep::target_info(target_field, shared.rows);
    let range = (target_info.min, target_info.max);
    let label = if excluded.is_empty() {
        target.to_owned()
    } else {
        format!("{target} without {}", excluded.join(", "))
    };
    let variant = if excluded.is_empty() {
        "full".to_owned()
    } else {
        variant_name(shared.dataset, excluded)
    };
    let search::Searched {
        families: searched,
        mut skipped,
    } = search::run(
        &shared.plan,
        train,
        &features,
        &search::Folds {
            folds: &shared.folds,
            per_run: config.folds,
        },
        &search::Settings {
            target,
            variant: &variant,
            seed: config.seed,
            threads: config.threads,
            progress,
        },
    )?;

    let preprocessor = prep::fit_preprocessor(&features, train);
    let encoder = model::Encoder::new(&features, &preprocessor)?;
    let x_train = prep::encode(&encoder, train)?;
    let y_train = prep::target(train, target);
    let x_test = prep::encode(&encoder, test)?;
    let y_test = prep::target(test, target).to_vec();

    // Each family's best grid point refitted on the whole training split, on every core.
    let refits: Vec<anyhow::Result<_>> = par::map(config.threads, &searched, |s| {
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
    });
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
    let metric = config.metric;
    let winner = kept[search::best_index(
        kept.iter()
            .map(|(s, _)| metric.goodness(s.best().cv_mean(metric))),
    )]
    .0;
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
        let limited: Vec<f64> = predicted
            .iter()
            .map(|&p| p.clamp(range.0, range.1))
            .collect();
        let scores = Scores::of(&y_test, &limited);
        reports.push(FamilyReport {
            family: s.family.into(),
            best_params: best.params.clone(),
            cv_r2_mean: best.cv_r2_mean,
            cv_r2_std: best.cv_r2_std,
            cv_rmse_mean: best.cv_rmse_mean,
            cv_rmse_std: best.cv_rmse_std,
            cv_mae_mean: best.cv_mae_mean,
            cv_mae_std: best.cv_mae_std,
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
                    cv_rmse_mean: c.cv_rmse_mean,
                    cv_rmse_std: c.cv_rmse_std,
                    cv_mae_mean: c.cv_mae_mean,
                    cv_mae_std: c.cv_mae_std,
                })
                .collect(),
            skipped: s.skipped.clone(),
        });
        if s.family == served_name {
            served = Some((fitted, predicted, limited, scores, best.clone()));
        }
    }
    let (fitted, in_memory, limited, scores, best) =
        served.expect("the served family was searched");

    // Split-conformal interval from the served configuration's out-of-fold residuals on the
    // training split (with repeated folds, the first run's: one residual per row); its
    // coverage is then measured on the untouched test split.
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
        test_coverage: interval::coverage(&y_test, &limited, half_width, Some(range)),
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
        excluded: excluded.to_vec(),
        target_info: Some(target_info),
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
        range,
        skipped,
    })
}

/// Per-group test errors of a served model for the audited columns: MAE with its seeded
/// bootstrap interval, mean signed error and the served interval's coverage; and the
/// group-conditional interval by `mondrian` ([`mondrian_column`]), if any.
#[allow(clippy::too_many_arguments)]
fn audit(
    shared: &Shared<'_>,
    target: &str,
    variant: &str,
    served: &Served,
    full_test_r2: f64,
    seed: u64,
    audited: &[String],
    mondrian_by: Option<&str>,
) -> anyhow::Result<FairnessAudit> {
    let m = &served.bundle.metrics;
    let range = Some(served.range);
    let half_width = served.interval.half_width;
    let mut groups = Vec::new();
    for feature in audited {
        let feature = feature.as_str();
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
        mondrian: mondrian_by.map(|by| mondrian(shared, target, served, by)),
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
        .map(|(r, &p)| (r.number(target).expect("a target value"), p))
        .unzip()
}

/// The split-conformal interval with one half-width per category of `feature`, calibrated on
/// the served configuration's out-of-fold residuals of that category's training rows, and its
/// coverage per category on the test split next to the global interval's. A category without
/// training rows or without test rows is left out (it has no half-width or no coverage).
fn mondrian(shared: &Shared<'_>, target: &str, served: &Served, feature: &str) -> MondrianInterval {
    let range = Some(served.range);
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
            ("cv_rmse_mean", f.cv_rmse_mean),
            ("cv_rmse_std", f.cv_rmse_std),
            ("cv_mae_mean", f.cv_mae_mean),
            ("cv_mae_std", f.cv_mae_std),
            ("test_r2", f.test_r2),
            ("test_mae", f.test_mae),
            ("test_rmse", f.test_rmse),
        ] {
            ensure!(v.is_finite(), "{}: {name} is not a finite number", f.family);
        }
        for g in &f.grid {
            ensure!(
                [
                    g.cv_r2_mean,
                    g.cv_r2_std,
                    g.cv_rmse_mean,
                    g.cv_rmse_std,
                    g.cv_mae_mean,
                    g.cv_mae_std
                ]
                .iter()
                .all(|v| v.is_finite()),
                "{}: a grid point scored a non-finite CV score ({:?})",
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
