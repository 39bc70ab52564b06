use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use trainer::cli::{Cli, Command, PredictOpts};
use trainer::data::DataError;
use trainer::predict;
use trainer::report::Report;
use trainer::train;

/// Exit code for bad input data (a row, a column, an empty file).
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            let bad_input = e
                .chain()
                .any(|c| c.is::<DataError>() || c.is::<model::BatchError>());
            ExitCode::from(if bad_input { BAD_INPUT } else { 1 })
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Train(opts) => {
            let check = opts.check;
            let config = train::Config::try_from(opts)?;
            let data = config.data.display().to_string();
            if check {
                train::check(&config)
                    .with_context(|| format!("checking {}", config.out.display()))?;
                eprintln!(
                    "{} holds what a fresh training run on {data} produces",
                    config.out.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let outcome = train::run(&config).with_context(|| format!("training on {data}"))?;
            if !config.quiet {
                for report in &outcome.reports.reports {
                    print_leaderboard(report);
                }
                eprintln!(
                    "wrote {} and {}",
                    config.out.join("model.json").display(),
                    config.out.join("report.json").display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Predict(opts) => predict_command(opts),
        Command::Schema => {
            print!("{}", model::json_schema_set());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn predict_command(opts: PredictOpts) -> anyhow::Result<ExitCode> {
    let json = std::fs::read_to_string(&opts.model)
        .with_context(|| format!("reading {}", opts.model.display()))?;
    let set = model::Predictors::from_json(&json)
        .with_context(|| format!("loading {}", opts.model.display()))?;
    let target = opts.target.as_deref().unwrap_or(set.default_target());
    let excluded: &[&str] = if opts.unaware { &train::SENSITIVE } else { &[] };
    let predictor = set.get(target, excluded).with_context(|| {
        format!(
            "{} has no model for {target}{}",
            opts.model.display(),
            if opts.unaware {
                " without gender and race/ethnicity"
            } else {
                ""
            }
        )
    })?;
    let input =
        std::fs::read(&opts.input).with_context(|| format!("reading {}", opts.input.display()))?;
    let mut batch = predictor
        .predict_csv(&input)
        .with_context(|| format!("reading {}", opts.input.display()))?;
    if let Some(report) = &opts.rows_of {
        let text = std::fs::read_to_string(report)
            .with_context(|| format!("reading {}", report.display()))?;
        let rows = predict::test_rows_of(&text).with_context(|| report.display().to_string())?;
        batch = predict::only_rows(batch, &rows);
    }
    let all = opts.all_models.then_some(&set);
    predict::write(std::io::stdout().lock(), opts.format, &batch, all)?;
    let bad: Vec<&String> = batch
        .rows
        .iter()
        .filter_map(|r| r.outcome.as_ref().err())
        .collect();
    if bad.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for e in bad.iter().take(20) {
        eprintln!("{e}");
    }
    eprintln!(
        "{} of {} rows could not be predicted",
        bad.len(),
        batch.rows.len()
    );
    Ok(ExitCode::from(BAD_INPUT))
}

fn print_leaderboard(report: &Report) {
    println!("\n{}", report.target);
    let mut families: Vec<_> = report.families.iter().collect();
    families.sort_by(|a, b| b.cv_r2_mean.total_cmp(&a.cv_r2_mean));
    println!(
        "{:<20} {:>16} {:>8} {:>7} {:>7}  best params",
        "family", "CV R² mean ± std", "test R²", "MAE", "RMSE"
    );
    for f in families {
        let mark = if f.family == report.winner { "*" } else { " " };
        println!(
            "{mark}{:<19} {:>8.4} ± {:<6.4} {:>8.4} {:>7.3} {:>7.3}  {}",
            f.family,
            f.cv_r2_mean,
            f.cv_r2_std,
            f.test_r2,
            f.test_mae,
            f.test_rmse,
            serde_json::to_string(&f.best_params).unwrap_or_default()
        );
    }
    println!(
        "* winner on {}-fold CV R² (test split only reported); served: {}",
        report.cv.folds, report.served
    );
    println!(
        "{:.0} % interval: ± {:.2} (split-conformal on {} out-of-fold residuals); test coverage {:.1} %",
        report.interval.level * 100.0,
        report.interval.half_width,
        report.interval.n_calibration,
        report.interval.test_coverage * 100.0
    );
    for audit in &report.fairness {
        println!(
            "{:<36} {:<18} test R² {:.4} (cost {:+.4})",
            audit.variant, audit.family, audit.test_r2, audit.r2_cost
        );
    }
}
