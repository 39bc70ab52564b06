//! A training run as a browser's Web Worker is given it: a file's bytes (a CSV or a
//! spreadsheet), its dataset file or none (then inferred), the targets and the grids (the full
//! ones or the quick preset) in; `model.json` and `report.json` out. It is `trainer train`
//! without the disk, on one code path with it ([`crate::train::train`]), so the same file,
//! dataset file, seed and grids give the same model in a browser as on the command line. The
//! types are serde, so the page and the worker pass them as messages.

use serde::{Deserialize, Serialize};

use crate::progress::Progress;
use crate::train::{self, Config};
use crate::{describe, families, par, sheet};

/// The largest file a job reads: refused with its size before any work (a larger one would
/// exhaust a browser tab's memory while it trains).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// Which grids the search tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// `trainer/grids.toml`, as `trainer train` and `make train` search.
    Full,
    /// `trainer/grids-quick.toml`: a few points per family (`make bench-quick` measures what it
    /// saves and costs).
    Quick,
}

impl Preset {
    /// The grid file's text.
    pub fn grids(self) -> &'static str {
        match self {
            Preset::Full => families::DEFAULT_GRIDS,
            Preset::Quick => families::QUICK_GRIDS,
        }
    }
}

/// What to train.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The file's name, for messages and the data's provenance.
    pub file_name: String,
    /// The file: a CSV, or a spreadsheet ([`crate::sheet`]).
    pub bytes: Vec<u8>,
    /// The spreadsheet's sheet to read (`None`: the first).
    pub sheet: Option<String>,
    /// The dataset file's JSON (`None`: inferred from the data, as `trainer describe` does).
    pub dataset: Option<String>,
    /// The columns to predict, the default first (empty: the dataset file's targets).
    pub targets: Vec<String>,
    pub preset: Preset,
    /// Also train each target without the dataset's sensitive columns, and audit both.
    pub fairness: bool,
    pub seed: u64,
}

impl Job {
    /// A job with `trainer train`'s defaults: every target of the dataset file, the full grids,
    /// the fairness variant, seed 42.
    pub fn new(file_name: impl Into<String>, bytes: Vec<u8>) -> Self {
        Self {
            file_name: file_name.into(),
            bytes,
            sheet: None,
            dataset: None,
            targets: Vec::new(),
            preset: Preset::Full,
            fairness: true,
            seed: 42,
        }
    }
}

/// What a job produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trained {
    pub model_json: String,
    pub report_json: String,
    /// The dataset file used (given or inferred), as JSON: what "Download dataset file" gives.
    pub dataset_json: String,
    /// What a spreadsheet's sheet held that was not plain ([`crate::sheet::Table::notes`]).
    pub notes: Vec<String>,
}

/// Why a job failed: a message for the person, naming the file, column or line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum JobError {
    #[error("{name} is {size} bytes; files up to {limit} bytes ({} MB) can be trained on here", limit / (1024 * 1024))]
    TooLarge {
        name: String,
        size: usize,
        limit: usize,
    },
    #[error("{0}")]
    Input(String),
    #[error("training was cancelled")]
    Cancelled,
}

/// Runs `job`, reporting every (grid point, fold) to `progress`, on one thread (a Web Worker
/// has one; natively the result is the same, [`crate::par`]).
pub fn run(job: &Job, progress: &dyn Progress) -> Result<Trained, JobError> {
    if job.bytes.len() > MAX_FILE_BYTES {
        return Err(JobError::TooLarge {
            name: job.file_name.clone(),
            size: job.bytes.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let input = |e: &dyn std::fmt::Display| JobError::Input(format!("{}: {e}", job.file_name));
    let (table, notes) = sheet::table(&job.bytes, job.sheet.as_deref()).map_err(|e| input(&e))?;
    let mut dataset = match &job.dataset {
        Some(json) => model::Dataset::from_json(json).map_err(|e| {
            JobError::Input(format!("the dataset file: {:#}", anyhow::Error::new(e)))
        })?,
        None => describe::infer(&table, &job.targets).map_err(|e| input(&e))?,
    };
    let mut config = Config::new(&job.file_name, "");
    config.targets = job.targets.clone();
    config.fairness = job.fairness;
    config.seed = job.seed;
    config.threads = par::Threads::One;
    config.grids = families::parse_grids(job.preset.grids()).map_err(|e| input(&e))?;
    dataset.roles.targets = config
        .targets(&dataset)
        .map_err(|e| input(&format!("{e:#}")))?;
    let rows = crate::data::parse(&table, &dataset).map_err(|e| input(&e))?;
    let outcome = train::train(
        &config,
        &dataset,
        &rows,
        train::sha256_hex(&job.bytes),
        progress,
    )
    .map_err(|e| {
        if e.is::<crate::progress::Cancelled>() {
            JobError::Cancelled
        } else {
            input(&format!("{e:#}"))
        }
    })?;
    Ok(Trained {
        model_json: outcome.model_json,
        report_json: outcome.report_json,
        dataset_json: dataset.to_json_pretty(),
        notes,
    })
}
