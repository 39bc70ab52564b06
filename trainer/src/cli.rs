//! Command-line options. Nothing below this module sees clap: options become plain configs.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use anyhow::Context;

use crate::families;
use crate::predict::Format;
use crate::train;
use crate::BadInput;

/// The exit codes, as `trainer --help` prints them (and the README repeats).
pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  2  bad input: an argument, the data file, the dataset file (--schema), a grid file or a
     model file (missing, unreadable or invalid), a dataset too small for the folds or for
     every family, or rows that could not be predicted
  1  anything else (e.g. the output folder cannot be written)";

#[derive(Debug, Parser)]
#[command(
    name = "trainer",
    version,
    about = "Train, export and apply the models of a tabular dataset (default: the student scores)",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Search every model family, pick the best on cross-validation, write model.json and report.json.
    Train(TrainOpts),
    /// Predict every row of a CSV with an exported model (the same code the browser runs).
    Predict(PredictOpts),
    /// Print the JSON Schema of model.json (a set of model bundles).
    Schema,
    /// Print a dataset file inferred from a CSV (pretty JSON, ready to edit and give to
    /// `train --schema`).
    Describe(DescribeOpts),
}

#[derive(Debug, clap::Args)]
pub struct DescribeOpts {
    /// The CSV: a header plus one row per record; comma, semicolon or tab separated. Or a
    /// spreadsheet (.xlsx, .xlsm, .xls, .xlsb, .ods): its first sheet, or --sheet.
    #[arg(long)]
    pub data: PathBuf,
    /// The sheet to read when --data is a spreadsheet (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// A column to predict (repeatable): written as the file's roles.targets.
    #[arg(long = "target")]
    pub targets: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct TrainOpts {
    /// The dataset CSV: a header plus one row per record; comma, semicolon or tab separated
    /// (read from the header line); a header cell names a column by its name, or in any case
    /// by its title or an alias the dataset file gives; categories in any case; numbers with
    /// a decimal point or a decimal comma ("72,5"). Or a spreadsheet (.xlsx, .xlsm, .xls,
    /// .xlsb, .ods): its first sheet, or --sheet, read as that sheet saved as CSV.
    #[arg(long, default_value = "data/stud.csv")]
    pub data: PathBuf,
    /// The sheet to read when --data is a spreadsheet (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The dataset file describing the CSV's columns and their roles (a Frictionless Data
    /// Resource or Table Schema, e.g. data/students.schema.json). Default: the *.schema.json
    /// beside the CSV whose "path" is the CSV's file name; without one the columns are
    /// inferred from the data (see `trainer describe`).
    #[arg(long)]
    pub schema: Option<PathBuf>,
    /// Folder for model.json and report.json.
    #[arg(long, default_value = "assets")]
    pub out: PathBuf,
    /// A column to predict from the others (repeatable); the first is the app's default
    /// (default: the dataset file's roles.targets).
    #[arg(long = "target")]
    pub target: Vec<String>,
    /// Columns to predict, comma-separated (the same as --target, repeated).
    #[arg(long, value_delimiter = ',')]
    pub targets: Vec<String>,
    /// A column that is no feature of any model (repeatable), e.g. an earlier grade.
    #[arg(long = "drop")]
    pub drop: Vec<String>,
    /// Skip the variant trained without the dataset's sensitive columns, and the fairness
    /// audit.
    #[arg(long)]
    pub no_fairness_variant: bool,
    /// Seed for the train/test split (numpy's RandomState, as scikit-learn's train_test_split
    /// uses it), the folds and every random choice of the models.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of cross-validation folds on the training split.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Runs of --folds folds, each shuffled on (repeated k-fold, as scikit-learn's
    /// RepeatedKFold); scores are means over all folds of all runs.
    #[arg(long, default_value_t = 1)]
    pub repeats: usize,
    /// What picks each family's best grid point and the winner: the mean cross-validated r2
    /// (highest), rmse or mae (lowest).
    #[arg(long, default_value = "r2")]
    pub metric: crate::metrics::Metric,
    /// Share of rows held out as the test split (reported, never used to choose).
    #[arg(long, default_value_t = 0.2)]
    pub test_fraction: f64,
    /// Coverage of the prediction interval (split-conformal on out-of-fold residuals).
    #[arg(long, default_value_t = 0.9)]
    pub interval_level: f64,
    /// Export this family instead of the cross-validation winner.
    #[arg(long)]
    pub family: Option<String>,
    /// Search only these families (repeatable; default: all).
    #[arg(long = "only")]
    pub only: Vec<String>,
    /// A grid file (TOML, shaped like trainer/grids.toml) replacing the default grids.
    #[arg(long)]
    pub grid: Option<PathBuf>,
    /// Write nothing; fail unless --out already holds what this run produces (timings aside).
    #[arg(long)]
    pub check: bool,
    /// No progress bars and no leaderboard.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct PredictOpts {
    /// An exported model.json.
    #[arg(long, default_value = "assets/model.json")]
    pub model: PathBuf,
    /// A CSV with the model's feature columns in any order (other columns are kept), read as
    /// --data is read: comma, semicolon or tab separated, headers and categories in any case.
    #[arg(long)]
    pub input: PathBuf,
    /// Only the test-split rows listed in this report.json.
    #[arg(long)]
    pub rows_of: Option<PathBuf>,
    /// The score to predict (default: the model set's default target).
    #[arg(long)]
    pub target: Option<String>,
    /// Use the model trained without the dataset's sensitive columns.
    #[arg(long)]
    pub unaware: bool,
    /// With --format json: also every model of the set's prediction for each row.
    #[arg(long)]
    pub all_models: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// What an empty feature cell does: `impute` fills it with the training median or most
    /// frequent value and says so in the row's note; `reject` makes the row an error naming
    /// the field.
    #[arg(long, value_enum, default_value = "impute")]
    pub missing: MissingCells,
}

/// `--missing`: the model crate's [`model::Missing`] for the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MissingCells {
    /// Fill with the training median / most frequent value, noted on the row.
    Impute,
    /// Refuse the row, naming the empty field.
    Reject,
}

impl From<MissingCells> for model::Missing {
    fn from(m: MissingCells) -> Self {
        match m {
            MissingCells::Impute => model::Missing::Impute,
            MissingCells::Reject => model::Missing::Reject,
        }
    }
}

impl TryFrom<TrainOpts> for train::Config {
    type Error = anyhow::Error;

    fn try_from(o: TrainOpts) -> anyhow::Result<Self> {
        use model::text::number;
        anyhow::ensure!(
            o.interval_level > 0.0 && o.interval_level < 1.0,
            BadInput(format!(
                "--interval-level must be between 0 and 1, not {}",
                number(o.interval_level)
            ))
        );
        anyhow::ensure!(
            o.folds >= 2,
            BadInput(format!("--folds must be at least 2, not {}", o.folds))
        );
        anyhow::ensure!(
            o.seed <= u64::from(u32::MAX),
            BadInput(format!(
                "--seed must be at most {} (numpy's RandomState range), not {}",
                u32::MAX,
                o.seed
            ))
        );
        anyhow::ensure!(
            o.test_fraction > 0.0 && o.test_fraction < 1.0,
            BadInput(format!(
                "--test-fraction must be between 0 and 1, not {}",
                number(o.test_fraction)
            ))
        );
        anyhow::ensure!(
            (1..=100).contains(&o.repeats),
            BadInput(format!(
                "--repeats must be from 1 to 100, not {}",
                o.repeats
            ))
        );
        let targets: Vec<String> = o.target.into_iter().chain(o.targets).collect();
        let grids = match &o.grid {
            None => families::parse_grids(families::DEFAULT_GRIDS)
                .context("the built-in grids (trainer/grids.toml)")?,
            Some(path) => {
                let text = crate::read_text(path)?;
                families::parse_grids(&text).map_err(|e| {
                    BadInput(format!(
                        "grid file {}: {}",
                        path.display(),
                        e.to_string().trim_end()
                    ))
                })?
            }
        };
        Ok(train::Config {
            data: o.data,
            schema: o.schema,
            sheet: o.sheet,
            out: o.out,
            targets,
            drop: o.drop,
            fairness: !o.no_fairness_variant,
            seed: o.seed,
            folds: o.folds,
            repeats: o.repeats,
            metric: o.metric,
            test_fraction: o.test_fraction,
            family: o.family,
            only: o.only,
            grids,
            interval_level: o.interval_level,
            quiet: o.quiet,
            threads: crate::par::Threads::All,
        })
    }
}
