//! A training job as the browser's worker runs it (trainer::job): the same model as the
//! command line's path for the same file, dataset file, seed and grids; the quick preset; a
//! cancel; and bad input, each a message naming what is wrong, never a panic.

mod common;

use std::ops::ControlFlow;

use trainer::job::{self, Job, JobError, Preset};
use trainer::progress::SearchEvent;

const SCHEMA: &str = include_str!("../../data/students.schema.json");

fn quick_job(csv: &str) -> Job {
    let mut job = Job::new("class.csv", csv.as_bytes().to_vec());
    job.dataset = Some(SCHEMA.to_owned());
    job.targets = vec!["math_score".into()];
    job.preset = Preset::Quick;
    job.fairness = false;
    job
}

#[test]
fn a_job_gives_the_model_the_command_lines_path_gives() {
    let csv = common::synthetic_csv(60, 9);
    let job = quick_job(&csv);
    let trained = job::run(&job, &()).unwrap();

    // The command line's path: the dataset file, its targets, the checked rows, train().
    let mut dataset = model::Dataset::from_json(SCHEMA).unwrap();
    let mut config = trainer::train::Config::new("class.csv", "unused");
    config.targets = vec!["math_score".into()];
    config.grids = trainer::families::parse_grids(trainer::families::QUICK_GRIDS).unwrap();
    config.threads = trainer::par::Threads::One;
    dataset.roles.targets = config.targets(&dataset).unwrap();
    let rows = trainer::data::parse(csv.as_bytes(), &dataset).unwrap();
    let hash = trainer::train::sha256_hex(csv.as_bytes());
    let outcome = trainer::train::train(&config, &dataset, &rows, hash, &()).unwrap();
    assert_eq!(trained.model_json, outcome.model_json, "byte-identical");
    assert_eq!(
        model::report::without_timings(&trained.report_json).unwrap(),
        model::report::without_timings(&outcome.report_json).unwrap()
    );
    assert!(trained.notes.is_empty());
    let used = model::Dataset::from_json(&trained.dataset_json).unwrap();
    assert_eq!(used.roles.targets, ["math_score"]);
}

#[test]
fn without_a_dataset_file_the_columns_are_inferred_and_the_file_says_so() {
    let csv = common::synthetic_csv(40, 2);
    let mut job = quick_job(&csv);
    job.dataset = None;
    let trained = job::run(&job, &()).unwrap();
    let used = model::Dataset::from_json(&trained.dataset_json).unwrap();
    assert_eq!(used.roles.targets, ["math_score"]);
    let set = model::Predictors::from_json(&trained.model_json).unwrap();
    assert_eq!(set.default_target(), "math_score");
}

#[test]
fn the_progress_callback_cancels_a_job_within_one_fit() {
    let csv = common::synthetic_csv(40, 4);
    let job = quick_job(&csv);
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let stop = |_: &SearchEvent<'_>| {
        if seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= 3 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    assert_eq!(job::run(&job, &stop), Err(JobError::Cancelled));
    assert_eq!(seen.load(std::sync::atomic::Ordering::Relaxed), 4);
}

#[test]
fn a_file_over_the_limit_is_refused_with_its_size_before_any_work() {
    let job = Job::new("huge.csv", vec![b'a'; job::MAX_FILE_BYTES + 1]);
    let error = job::run(&job, &()).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "huge.csv is {} bytes; files up to {} bytes (20 MB) can be trained on here",
            job::MAX_FILE_BYTES + 1,
            job::MAX_FILE_BYTES
        )
    );
}

/// Every bad input of the list: a message that names what is wrong, never a panic.
#[test]
fn bad_input_is_a_message_naming_the_column_or_line() {
    let csv = common::synthetic_csv(40, 6);
    let header = csv.lines().next().unwrap().to_owned();
    let first = csv.lines().nth(1).unwrap().to_owned();
    let math = header.split(',').position(|h| h == "math_score").unwrap();
    let with_text_target: String = csv
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 5 {
                let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
                cells[math] = "absent".into();
                cells.join(",") + "\n"
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    let wide = {
        let names: Vec<String> = (0..200).map(|i| format!("c{i}")).collect();
        let mut text = names.join(",") + ",math_score\n";
        for r in 0..30 {
            let cells: Vec<String> = (0..200).map(|i| ((r * 7 + i) % 13).to_string()).collect();
            text.push_str(&format!("{},{}\n", cells.join(","), r * 3 % 100));
        }
        text
    };
    let one_value = {
        let mut text = String::from("constant,math_score\n");
        for r in 0..30 {
            text.push_str(&format!("same,{}\n", r * 3));
        }
        text
    };
    let blank = "gender,math_score\n,\n,\n,\n".to_owned();
    let cases: Vec<(&str, String, bool, &str)> = vec![
        ("an empty file", String::new(), true, "empty"),
        ("not a table", "\u{0}\u{1}binary".to_owned(), false, "NUL"),
        ("one row", format!("{header}\n{first}\n"), true, "row"),
        (
            "a target column with text",
            with_text_target,
            true,
            "line 6",
        ),
        ("every value blank", blank, false, "every cell is blank"),
    ];
    for (what, text, with_schema, expect) in cases {
        let mut job = quick_job(&text);
        if !with_schema {
            job.dataset = None;
        }
        let error = job::run(&job, &()).expect_err(what).to_string();
        assert!(error.contains(expect), "{what}: {error}");
        assert!(!error.contains("NaN"), "{what}: {error}");
    }
    // Inferred: 200 columns train (a table this wide is a school's export), and a column of
    // one value is no problem either.
    for (what, text) in [("200 columns", wide), ("a column of one value", one_value)] {
        let mut job = quick_job(&text);
        job.dataset = None;
        job.preset = Preset::Quick;
        match job::run(&job, &()) {
            Ok(trained) => assert!(model::Predictors::from_json(&trained.model_json).is_ok()),
            Err(e) => panic!("{what}: {e}"),
        }
    }
    // A spreadsheet that is not one: the message says to save the sheet as CSV.
    let job = Job::new("class.xlsx", b"PK\x03\x04junk".to_vec());
    let error = job::run(&job, &()).unwrap_err().to_string();
    assert!(
        error.starts_with("class.xlsx: the spreadsheet could not be read"),
        "{error}"
    );
}
