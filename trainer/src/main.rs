use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use model::text::{fixed, signed};
use trainer::bars::Bars;
use trainer::cli::{Cli, Command, DescribeOpts, PredictOpts};
use trainer::predict;
use trainer::report::Report;
use trainer::{train, BadInput};

/// Exit code for bad input: arguments, data, a grid, a model (see `trainer --help`).
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(if trainer::is_bad_input(&e) {
                BAD_INPUT
            } else {
                1
            })
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
                train::check(&config, &Bars::new(config.quiet))
                    .with_context(|| format!("checking {}", config.out.display()))?;
                eprintln!(
                    "{} holds what a fresh training run on {data} produces",
                    config.out.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let outcome = train::run(&config, &Bars::new(config.quiet))
                .with_context(|| format!("training on {data}"))?;
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
        Command::Describe(opts) => describe_command(opts),
    }
}

fn describe_command(opts: DescribeOpts) -> anyhow::Result<ExitCode> {
    let bytes = trainer::read_bytes(&opts.data)?;
    let (table, notes) = trainer::sheet::table(&bytes, opts.sheet.as_deref())
        .with_context(|| format!("reading {}", opts.data.display()))?;
    for note in &notes {
        eprintln!("note: {}: {note}", opts.data.display());
    }
    let dataset = trainer::describe::infer(&table, &opts.targets)
        .with_context(|| format!("describing {}", opts.data.display()))?;
    print!("{}", dataset.to_json_pretty());
    Ok(ExitCode::SUCCESS)
}

fn predict_command(opts: PredictOpts) -> anyhow::Result<ExitCode> {
    let json = trainer::read_text(&opts.model)?;
    let set = model::Predictors::from_json(&json)
        .with_context(|| format!("loading {}", opts.model.display()))?;
    let target = opts.target.as_deref().unwrap_or(set.default_target());
    // The variant is the target's one model trained without some columns.
    let predictor = set
        .iter()
        .find(|p| p.bundle().target == target && p.bundle().excluded.is_empty() != opts.unaware)
        .ok_or_else(|| {
            BadInput(format!(
                "{} has no model for {target}{}",
                opts.model.display(),
                if opts.unaware {
                    " without the dataset's sensitive columns"
                } else {
                    ""
                }
            ))
        })?;
    let input = trainer::read_bytes(&opts.input)?;
    let mut batch = predictor
        .predict_csv_with(&input, opts.missing.into())
        .with_context(|| format!("reading {}", opts.input.display()))?;
    if let Some(report) = &opts.rows_of {
        let text = trainer::read_text(report)?;
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
    let metric: trainer::metrics::Metric = report.cv.metric.parse().unwrap_or_default();
    let mean = |f: &trainer::report::FamilyReport| match metric {
        trainer::metrics::Metric::R2 => f.cv_r2_mean,
        trainer::metrics::Metric::Rmse => f.cv_rmse_mean,
        trainer::metrics::Metric::Mae => f.cv_mae_mean,
    };
    families.sort_by(|a, b| {
        metric
            .goodness(mean(b))
            .total_cmp(&metric.goodness(mean(a)))
    });
    println!(
        "{:<20} {:>16} {:>8} {:>7} {:>7}  best params",
        "family", "CV R² mean ± std", "test R²", "MAE", "RMSE"
    );
    for f in families {
        let mark = if f.family == report.winner { "*" } else { " " };
        println!(
            "{mark}{:<19} {:>8} ± {:<6} {:>8} {:>7} {:>7}  {}",
            f.family,
            fixed(f.cv_r2_mean, 4),
            fixed(f.cv_r2_std, 4),
            fixed(f.test_r2, 4),
            fixed(f.test_mae, 3),
            fixed(f.test_rmse, 3),
            serde_json::to_string(&f.best_params).unwrap_or_default()
        );
    }
    for s in &report.skipped {
        println!(" {:<19} skipped: {}", s.family, s.reason);
    }
    for f in &report.families {
        for p in &f.skipped {
            println!(
                " {:<19} grid point {} skipped: {}",
                f.family,
                serde_json::to_string(&p.params).unwrap_or_default(),
                p.reason
            );
        }
    }
    let runs = if report.cv.repeats > 1 {
        format!(" × {} runs", report.cv.repeats)
    } else {
        String::new()
    };
    println!(
        "* winner on {}-fold{runs} CV {} (test split only reported); served: {}",
        report.cv.folds,
        match metric {
            trainer::metrics::Metric::R2 => "R²",
            trainer::metrics::Metric::Rmse => "RMSE",
            trainer::metrics::Metric::Mae => "MAE",
        },
        report.served
    );
    println!(
        "{} % interval: ± {} (split-conformal on {} out-of-fold residuals); test coverage {} %",
        fixed(report.interval.level * 100.0, 0),
        fixed(report.interval.half_width, 2),
        report.interval.n_calibration,
        fixed(report.interval.test_coverage * 100.0, 1)
    );
    for audit in &report.fairness {
        println!(
            "{:<36} {:<18} test R² {} (cost {})",
            audit.variant,
            audit.family,
            fixed(audit.test_r2, 4),
            signed(audit.r2_cost, 4)
        );
    }
}
